import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, serverRunning } from './s3env';
import { enabledServers, serverDir, type ServerName } from './serverNames';

const START = path.join(REPO_ROOT, 'tests/s3-server/start.sh');
const STOP = path.join(REPO_ROOT, 'tests/s3-server/stop.sh');

/** Runs start.sh for one server in the background; resolves when it is ready. */
function startServer(name: ServerName): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [START, name], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${START} ${name} exited with ${code}`)),
    );
  });
}

/**
 * Builds the renderer that the end-to-end tests load, and starts the local S3 servers of this run
 * (both by default, see servers.ts) unless a developer already runs them from the same folders;
 * stops only what it started. RGW takes ~15 s to start, so it starts first and in parallel.
 */
export default async function setup(): Promise<() => void> {
  // Tests that have not opted in to describeEachServer use Swift, so it always runs.
  const servers = [...new Set<ServerName>(['swift', ...enabledServers()])];
  const startedHere = servers.filter((name) => !serverRunning(serverDir(name)));
  const stop = () => {
    for (const name of startedHere) execFileSync('bash', [STOP, name], { stdio: 'inherit' });
  };
  // Start every server even if another fails, so that `stop` finds them all settled.
  const starting = Promise.allSettled(servers.map(startServer));
  let buildError: unknown;
  try {
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
  } catch (error) {
    buildError = error;
  }
  const failed = (await starting).find((result) => result.status === 'rejected');
  if (buildError || failed) {
    stop();
    throw buildError ?? (failed as PromiseRejectedResult).reason;
  }
  return stop;
}
