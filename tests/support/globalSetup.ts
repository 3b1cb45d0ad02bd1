import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, S3_DIR } from './s3env';

function serverRunning(): boolean {
  const pidFile = path.join(S3_DIR, 's3-server.pid');
  if (!existsSync(pidFile)) return false;
  // One "name pid" line per server process.
  return readFileSync(pidFile, 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[1])
    .filter((pid): pid is string => Boolean(pid))
    .every((pid) => {
      try {
        process.kill(Number(pid), 0);
        return true;
      } catch {
        return false;
      }
    });
}

/**
 * Builds the renderer that the end-to-end tests load, and starts the local S3 server unless a
 * developer already runs one from the same folder; stops only what it started.
 */
export default function setup(): () => void {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  const alreadyRunning = serverRunning();
  execFileSync('bash', [path.join(REPO_ROOT, 'tests/s3-server/start.sh')], { stdio: 'inherit' });
  return () => {
    if (!alreadyRunning) {
      execFileSync('bash', [path.join(REPO_ROOT, 'tests/s3-server/stop.sh')], { stdio: 'inherit' });
    }
  };
}
