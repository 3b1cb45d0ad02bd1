import { RGW_DIR, S3_DIR } from './s3env';

/**
 * The two real S3 servers of the suite (tests/s3-server/): OpenStack Swift's s3api, and Ceph's
 * RADOS Gateway. Kept apart from servers.ts (which needs Vitest's runner) for the global setup
 * and the reporter.
 */
export type ServerName = 'swift' | 'rgw';

const ALL: readonly ServerName[] = ['swift', 'rgw'];
const DIRS: Record<ServerName, string> = { swift: S3_DIR, rgw: RGW_DIR };

/**
 * The servers this run tests on: `BUCKETDROP_TEST_SERVERS` (comma-separated, e.g. `swift` for a
 * quicker local run), both by default.
 */
export function enabledServers(): ServerName[] {
  const wanted = process.env.BUCKETDROP_TEST_SERVERS;
  if (!wanted) return [...ALL];
  const names = wanted.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!ALL.includes(name as ServerName)) {
      throw new Error(`BUCKETDROP_TEST_SERVERS: unknown server "${name}" (known: swift, rgw)`);
    }
  }
  return names as ServerName[];
}

/** The instance folder start.sh uses for the server. */
export function serverDir(name: ServerName): string {
  return DIRS[name];
}

/** The suffix of every suite title run by describeEachServer; the summary counts tests by it. */
export function serverTag(name: ServerName): string {
  return `[${name}]`;
}
