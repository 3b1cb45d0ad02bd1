import type { ItemState } from '../../preload/contract';
import { FINISHED_STATES, type ProgressAggregator } from './progress';

export class PausedError extends Error {
  override readonly name = 'PausedError';
}

export class CancelledError extends Error {
  override readonly name = 'CancelledError';
}

/** One file of a transfer, as the queue schedules it. */
export interface QueuedTask {
  id: string;
  state: ItemState;
  /** Set while the task runs: aborting it stops the work. */
  controller: AbortController | null;
  stopReason: 'pause' | 'cancel' | null;
}

/** What an engine does with the tasks the queue starts, fails and gives up. */
export interface TaskWork<T extends QueuedTask> {
  /** The transfer itself; throws when it fails, is paused or is cancelled. */
  run(task: T): Promise<void>;
  /** A failure that was neither a pause nor a cancel: say why, and record it. */
  failed(task: T, error: unknown): Promise<void>;
  /** Gives the task up for good, cleaning what it left on the server or on disk. */
  cancelled(task: T): Promise<void>;
}

/**
 * The scheduling both engines share: at most `filesInFlight` tasks run, pause and resume work per
 * item or for all, and `whenIdle` resolves once nothing runs or waits to run.
 */
export class ItemQueue<T extends QueuedTask> {
  readonly tasks = new Map<string, T>();
  private waiting: T[] = [];
  private active = 0;
  private pausedAll = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly progress: ProgressAggregator,
    private readonly work: TaskWork<T>,
    private readonly filesInFlight: () => number,
  ) {}

  /** The state a new task starts in: paused while everything is paused. */
  initialState(wanted: 'queued' | 'paused'): 'queued' | 'paused' {
    return this.pausedAll ? 'paused' : wanted;
  }

  /** Takes a task whose row the caller has added to the progress; queued ones wait their turn. */
  add(task: T): void {
    this.tasks.set(task.id, task);
    if (task.state === 'queued') this.waiting.push(task);
  }

  private select(ids?: string[]): T[] {
    if (!ids) return [...this.tasks.values()];
    return ids.map((id) => this.tasks.get(id)).filter((task): task is T => Boolean(task));
  }

  setState(task: T, state: ItemState, extra: { error?: string | undefined; note?: string } = {}) {
    task.state = state;
    this.progress.update(task.id, { state, ...extra });
  }

  hasPendingWork(): boolean {
    return [...this.tasks.values()].some(
      (task) => task.state === 'queued' || task.state === 'uploading' || task.state === 'verifying',
    );
  }

  pause(ids?: string[]): void {
    if (!ids) this.pausedAll = true;
    for (const task of this.select(ids)) {
      if (task.state === 'queued') this.setState(task, 'paused');
      else if (task.controller) {
        task.stopReason = 'pause';
        task.controller.abort(new PausedError('paused'));
      }
    }
    this.checkIdle();
  }

  resume(ids?: string[]): void {
    if (!ids) this.pausedAll = false;
    for (const task of this.select(ids)) {
      if (task.state === 'paused' || task.state === 'failed') {
        this.setState(task, 'queued', { error: undefined });
        this.waiting.push(task);
      }
    }
    this.pump();
  }

  cancel(ids?: string[]): void {
    for (const task of this.select(ids)) {
      if (FINISHED_STATES.has(task.state) && task.state !== 'failed') continue;
      if (task.controller) {
        task.stopReason = 'cancel';
        task.controller.abort(new CancelledError('cancelled'));
      } else {
        void this.work.cancelled(task).finally(() => this.checkIdle());
      }
    }
  }

  /** Forgets finished items; a failed one is given up first. */
  remove(ids: string[]): void {
    for (const task of this.select(ids)) {
      if (!FINISHED_STATES.has(task.state) || task.controller) continue;
      const forget = () => {
        this.tasks.delete(task.id);
        this.progress.remove(task.id);
      };
      if (task.state === 'failed') void this.work.cancelled(task).then(forget);
      else forget();
    }
  }

  /** Drops a task whose row gave way to other tasks, e.g. a batch's once it is planned. */
  forget(id: string): void {
    this.tasks.delete(id);
    this.progress.remove(id);
  }

  whenIdle(): Promise<void> {
    if (this.isIdle()) {
      this.progress.flush();
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Starts waiting tasks while there is room. */
  pump(): void {
    while (!this.pausedAll && this.active < this.filesInFlight() && this.waiting.length > 0) {
      const task = this.waiting.shift()!;
      if (task.state === 'queued' && this.tasks.has(task.id)) this.start(task);
    }
    this.checkIdle();
  }

  private isIdle(): boolean {
    return this.active === 0 && (this.pausedAll || !this.waiting.some((t) => t.state === 'queued'));
  }

  private checkIdle(): void {
    if (!this.isIdle() || this.idleWaiters.length === 0) return;
    this.progress.flush();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private start(task: T): void {
    this.active++;
    task.controller = new AbortController();
    task.stopReason = null;
    this.setState(task, 'uploading', { error: undefined });
    void this.runTask(task).finally(() => {
      this.active--;
      task.controller = null;
      this.pump();
    });
  }

  private async runTask(task: T): Promise<void> {
    try {
      await this.work.run(task);
    } catch (error) {
      if (task.stopReason === 'pause') {
        this.setState(task, 'paused');
        return;
      }
      if (task.stopReason === 'cancel') {
        await this.work.cancelled(task);
        return;
      }
      await this.work.failed(task, error);
    }
  }
}
