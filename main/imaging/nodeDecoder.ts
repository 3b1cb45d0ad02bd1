import { fork } from 'node:child_process';
import path from 'node:path';
import type { DecoderLauncher } from './imageDecoder';

/** The decoder process's source, run through tsx where main itself runs from TypeScript. */
function defaultEntry(): string {
  return path.join(import.meta.dirname, 'decoderProcess.ts');
}

/** A Node child process (CLI, tests, the e2e stand-in main); `entry` is the decoder's module. */
export function nodeDecoderLauncher(
  entry = defaultEntry(),
  env: NodeJS.ProcessEnv = {},
): DecoderLauncher {
  return () => {
    const child = fork(entry, [], {
      execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: { ...process.env, ...env },
    });
    return {
      send: (message) => child.send(message),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => child.kill('SIGKILL'),
    };
  };
}
