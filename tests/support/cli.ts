import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './s3env';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ChildProcess;
  result: Promise<CliResult>;
  /** Resolves once stdout contains a line for which the predicate holds. */
  waitForLine(predicate: (line: string) => boolean): Promise<string>;
}

const ENTRY = path.join(REPO_ROOT, 'main/cli/bucketdrop.ts');

/** Runs the real command line in its own process, so that it can be killed like a user's. */
export function startCli(
  args: string[],
  env: Record<string, string>,
  wrapper: string[] = [],
  /** e.g. `uid` and `gid`, to run it as another user. */
  spawnOptions: Pick<SpawnOptions, 'uid' | 'gid'> = {},
): CliRun {
  const command = [...wrapper, process.execPath, '--import', 'tsx', ENTRY, ...args];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...spawnOptions,
  });
  let stdout = '';
  let stderr = '';
  const watchers: Array<{ predicate: (line: string) => boolean; resolve: (line: string) => void }> =
    [];
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      for (const watcher of [...watchers]) {
        if (watcher.predicate(line)) {
          watchers.splice(watchers.indexOf(watcher), 1);
          watcher.resolve(line);
        }
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const result = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    child,
    result,
    waitForLine: (predicate) =>
      new Promise((resolve, reject) => {
        watchers.push({ predicate, resolve });
        void result.then(() =>
          reject(new Error(`the CLI exited before the expected line:\n${stdout}\n${stderr}`)),
        );
      }),
  };
}

export function runCli(
  args: string[],
  env: Record<string, string>,
  wrapper: string[] = [],
  spawnOptions: Pick<SpawnOptions, 'uid' | 'gid'> = {},
): Promise<CliResult> {
  return startCli(args, env, wrapper, spawnOptions).result;
}

export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
