/**
 * `npm audit --omit=dev`: the advisories for what ships. Fails on a high or critical advisory;
 * where the registry gives no answer (offline, or a mirror without the audit endpoint) it says
 * so and passes, because an unreachable database proves nothing either way.
 */
import { spawnSync } from 'node:child_process';

const FAILING = ['high', 'critical'];

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], {
  encoding: 'utf8',
  timeout: 120_000,
});
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  report = undefined;
}
const counts = report?.metadata?.vulnerabilities;
if (!counts) {
  const reason =
    report?.message ??
    report?.error?.summary ??
    run.error?.message ??
    'no answer from the registry';
  console.log(`npm audit --omit=dev: skipped, the advisory database did not answer (${reason}).`);
  process.exit(0);
}
const summary = Object.entries(counts)
  .filter(([severity, count]) => severity !== 'total' && count > 0)
  .map(([severity, count]) => `${count} ${severity}`);
const failing = Object.values(report.vulnerabilities ?? {}).filter((entry) =>
  FAILING.includes(entry.severity),
);
for (const entry of failing) {
  const titles = (entry.via ?? []).map((via) => (typeof via === 'string' ? via : via.title));
  console.error(`npm audit: ${entry.severity} advisory for ${entry.name}: ${titles.join('; ')}`);
}
console.log(
  `npm audit --omit=dev: ${summary.length ? summary.join(', ') : 'no'} advisories in production dependencies.`,
);
if (failing.length > 0) process.exit(1);
