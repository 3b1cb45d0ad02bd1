import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { serverTag, type ServerName } from './serverNames';

const SERVER_SIDE = /[\\/]tests[\\/](integration|e2e)[\\/]/;

/** The server a test ran against: its describeEachServer tag, else Swift for server-side files. */
function serverOf(test: TestCase, module: TestModule): ServerName | undefined {
  if (test.fullName.includes(serverTag('rgw'))) return 'rgw';
  if (test.fullName.includes(serverTag('swift'))) return 'swift';
  return SERVER_SIDE.test(module.moduleId) ? 'swift' : undefined;
}

/**
 * Ends the run with plain lines that CI can read: "N passed, N failed, N skipped", and how many
 * tests passed against each S3 server.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const onServer: Record<ServerName, { passed: number; failed: number }> = {
      swift: { passed: 0, failed: 0 },
      rgw: { passed: 0, failed: 0 },
    };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
        const server = serverOf(test, module);
        if (server && (state === 'passed' || state === 'failed')) onServer[server][state]++;
      }
      if (module.state() === 'failed' && module.children.size === 0) counts.failed++;
    }
    const perServer = (name: ServerName, label: string) =>
      `${label}: ${onServer[name].passed} passed, ${onServer[name].failed} failed`;
    process.stdout.write(
      `\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n` +
        `${perServer('swift', 'on Swift (s3api)')}; ${perServer('rgw', 'on Ceph RGW')}\n`,
    );
  }
}
