import {
  DECODER_TIME_MS,
  type RenderJob,
  type RenderRequestMessage,
  type RenderResponseMessage,
  type RenderResult,
  TOO_LARGE,
} from './renderJob';

/** Decodes untrusted image bytes somewhere that may crash or be killed without harm. */
export interface ImageDecoder {
  render(input: Uint8Array, job: RenderJob): Promise<RenderResult>;
  close(): Promise<void>;
}

/** One decoder process as main sees it: a Node child or an Electron utility process. */
export interface DecoderProcess {
  send(message: RenderRequestMessage): void;
  onMessage(listener: (message: RenderResponseMessage) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type DecoderLauncher = () => DecoderProcess;

interface Worker {
  process: DecoderProcess;
  busy: boolean;
  exited: boolean;
  current?: {
    id: number;
    settle(result: RenderResult): void;
  };
}

interface Waiting {
  start(worker: Worker): void;
}

/**
 * A small pool of decoder processes, one image at a time each. A process that runs past the time
 * limit is killed; one that dies (its own memory watchdog, a decoder crash) is replaced. Either
 * way only that image fails, with "preview unavailable: image too large", and main goes on.
 */
export class ProcessImageDecoder implements ImageDecoder {
  private readonly workers: Worker[] = [];
  private readonly waiting: Waiting[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly launch: DecoderLauncher,
    private readonly size = 2,
    private readonly timeMs = DECODER_TIME_MS,
  ) {}

  render(input: Uint8Array, job: RenderJob): Promise<RenderResult> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'the image decoder is closed' });
    return new Promise((resolve) => {
      const start = (worker: Worker) => this.run(worker, input, job, resolve);
      const idle = this.workers.find((worker) => !worker.busy && !worker.exited);
      if (idle) start(idle);
      else if (this.workers.length < this.size) start(this.spawn());
      else this.waiting.push({ start });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const worker of this.workers) worker.process.kill();
    this.workers.length = 0;
  }

  private spawn(): Worker {
    const worker: Worker = { process: this.launch(), busy: false, exited: false };
    this.workers.push(worker);
    worker.process.onMessage((message) => {
      if (worker.current?.id === message.id) {
        const { id: _id, ...result } = message;
        worker.current.settle(result as RenderResult);
      }
    });
    worker.process.onExit(() => {
      worker.exited = true;
      const index = this.workers.indexOf(worker);
      if (index >= 0) this.workers.splice(index, 1);
      worker.current?.settle({ ok: false, reason: TOO_LARGE });
    });
    return worker;
  }

  private run(
    worker: Worker,
    input: Uint8Array,
    job: RenderJob,
    resolve: (result: RenderResult) => void,
  ): void {
    const id = this.nextId++;
    worker.busy = true;
    const timer = setTimeout(() => worker.process.kill(), this.timeMs);
    worker.current = {
      id,
      settle: (result) => {
        clearTimeout(timer);
        worker.current = undefined;
        worker.busy = false;
        resolve(result);
        this.next(worker);
      },
    };
    worker.process.send({ id, input, job });
  }

  private next(worker: Worker): void {
    const waiting = this.waiting.shift();
    if (!waiting) return;
    waiting.start(worker.exited || this.closed ? this.spawn() : worker);
  }
}
