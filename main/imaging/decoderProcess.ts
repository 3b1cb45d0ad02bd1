/**
 * The entry point of the image decoder process (a Node child or an Electron utility process).
 * It holds no credentials and decodes whatever main sends it; when its memory passes the limit
 * it ends itself, and main reports the image as too large.
 */
import { renderImage } from './renderImage';
import {
  DECODER_MEMORY_BYTES,
  type RenderRequestMessage,
  type RenderResponseMessage,
} from './renderJob';

/** The exit code that tells main the memory watchdog fired. */
export const OUT_OF_MEMORY_EXIT = 75;

interface ElectronPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

interface Port {
  on(event: 'message', listener: (message: RenderRequestMessage) => void): void;
  postMessage(message: RenderResponseMessage): void;
}

/** Electron's utility process talks through process.parentPort; a Node child through process. */
function parentPort(): Port {
  const electronPort = (process as unknown as { parentPort?: ElectronPort }).parentPort;
  if (electronPort) {
    return {
      on: (event, listener) =>
        electronPort.on(event, (message) => listener(message.data as RenderRequestMessage)),
      postMessage: (message) => electronPort.postMessage(message),
    };
  }
  return {
    on: (event, listener) => process.on(event, listener),
    postMessage: (message) => process.send!(message),
  };
}

const limit = Number(process.env.BUCKETDROP_DECODER_MEMORY_BYTES) || DECODER_MEMORY_BYTES;
function checkMemory(): void {
  if (process.memoryUsage.rss() > limit) process.exit(OUT_OF_MEMORY_EXIT);
}
// Decoding runs on libuv's threads, so this timer keeps firing while an image is decoded.
setInterval(checkMemory, 50).unref();

// A Node child whose parent died has no one to answer: it goes too.
process.on('disconnect', () => process.exit(0));

const port = parentPort();
port.on('message', (message) => {
  checkMemory();
  void renderImage(message.input, message.job).then((result) =>
    port.postMessage({ id: message.id, ...result }),
  );
});
