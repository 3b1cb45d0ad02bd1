import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, serverRunning } from './s3env';

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
