import { describe, expect, it } from 'vitest';
import { describeCrashLoop, runCrashLoop } from '../chaos/crashLoopRun';

// Short version of the crash loop (`npm run test:chaos` runs the full one with 20 kills).
describe('crash loop (short)', () => {
  it('survives kill -9 at seeded points, resent parts bounded by the parts in flight', async () => {
    const report = await runCrashLoop({
      label: 'crashloop',
      corpus: {
        seed: 11,
        bigFiles: 5,
        bigSizeMiB: [20, 25],
        smallFiles: 12,
        smallSizeKiB: [1, 200],
      },
      seed: 424242,
      kills: 8,
      killDelayMs: [500, 2500],
      partLatencyMs: 800,
      concurrency: 2,
      partConcurrency: 2,
      maxFinalResumes: 3,
      timeLimitMs: 45_000,
      log: (line) => console.log(line),
    });
    console.log(describeCrashLoop(report));
    expect(report.problems).toEqual([]);
    expect(report.objectsVerified).toBe(report.files);
    expect(report.kills).toBe(8);
    expect(report.uploadPartRequests).toBeLessThanOrEqual(report.partBound);
  }, 60_000);
});
