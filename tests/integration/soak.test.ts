import { describe, expect, it } from 'vitest';
import { SOAK_KINDS, describeSoak, runSoak } from '../chaos/soakRun';

// Short version of the fault-injection soak (`npm run test:chaos` runs the full one).
describe('fault-injection soak (short)', () => {
  it('uploads a corpus byte for byte through seeded chaos and a server restart', async () => {
    const report = await runSoak({
      label: 'soak',
      corpus: {
        seed: 7,
        bigFiles: 3,
        bigSizeMiB: [12, 20],
        smallFiles: 70,
        smallSizeKiB: [1, 256],
      },
      seed: 20261125,
      probability: 0.6,
      // Latency and stall three times as likely: plenty of faults, fewer long runs of failed attempts.
      kinds: [...SOAK_KINDS, 'latency', 'stall', 'latency', 'stall'],
      maxFaults: 90,
      delayMs: 300,
      restartAt: [0.3],
      concurrency: 4,
      partConcurrency: 3,
      maxResumes: 3,
      // Generous: a loaded machine must not turn slowness into a failure.
      timeLimitMs: 100_000,
      log: (line) => console.log(line),
    });
    console.log(describeSoak(report));
    expect(report.problems).toEqual([]);
    expect(report.objectsVerified).toBe(report.files);
    expect(report.faultsInjected).toBeGreaterThanOrEqual(40);
    expect(report.restarts).toBeGreaterThanOrEqual(1);
  }, 130_000);
});
