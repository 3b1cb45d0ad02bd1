import path from 'node:path';
import { utilityProcess } from 'electron';
import {
  type DecoderLauncher,
  type ImageDecoder,
  ProcessImageDecoder,
} from '../imaging/imageDecoder';

/** The decoder's bundle, built next to the main process's by scripts/build-app.mjs. */
export function decoderBundle(appRoot: string): string {
  return path.join(appRoot, 'dist', 'main', 'imageDecoder.cjs');
}

/**
 * Electron's utility process for decoding images: a sandboxable child without the app's
 * credentials, which main can kill. Plain Node code (main/browse, the CLI) only sees the
 * ImageDecoder interface; this is the app's implementation of it.
 */
export function utilityDecoderLauncher(entry: string): DecoderLauncher {
  return () => {
    const child = utilityProcess.fork(entry, [], {
      serviceName: 'Bucketdrop image decoder',
      stdio: 'ignore',
    });
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => {
        child.kill();
      },
    };
  };
}

export function createAppImageDecoder(appRoot: string): ImageDecoder {
  return new ProcessImageDecoder(utilityDecoderLauncher(decoderBundle(appRoot)));
}
