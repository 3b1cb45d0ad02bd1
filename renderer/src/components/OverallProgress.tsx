import type { OverallProgress as Overall } from '../../../preload/contract';
import { useApp } from '../context';
import { formatBytes, formatCount, formatDuration, formatRate, fraction } from '../format';
import { activityOf, type Activity } from '../store/queue';
import { ProgressBar } from './ProgressBar';
import { ThroughputChart } from './ThroughputChart';

function statusText(overall: Overall, activity: Activity): string {
  switch (activity) {
    case 'empty':
      return 'Nothing queued';
    case 'active':
      return `${formatDuration(overall.etaSeconds)} left`;
    case 'waiting':
      return 'Waiting to start';
    case 'paused':
      return 'Paused';
    case 'finished':
      return overall.filesFailed > 0 ? 'Finished with failures' : 'All finished';
  }
}

export function OverallProgress() {
  const overall = useApp((s) => s.overall);
  const activity = useApp((s) => activityOf(s.items));
  const done = fraction(overall.bytesDone, overall.bytesTotal);
  const empty = overall.filesTotal === 0;
  return (
    <section className="overall" aria-label="Overall progress">
      <div className="overall-main">
        <div className="overall-headline">
          <span className="overall-percent">
            {empty ? 'No uploads yet' : `${Math.round(done * 100)}%`}
          </span>
          {!empty && (
            <span className="overall-bytes">
              {formatBytes(overall.bytesDone)} of {formatBytes(overall.bytesTotal)}
            </span>
          )}
        </div>
        <ProgressBar
          value={done}
          label="Overall progress"
          tone={activity === 'finished' && overall.filesFailed === 0 ? 'done' : 'overall'}
          testId="overall-progress"
        />
        <div className="overall-stats">
          {empty ? (
            <span>Add files or drop them anywhere in the window to start.</span>
          ) : (
            <span>
              {formatCount(overall.filesDone)} of {formatCount(overall.filesTotal)} files done
            </span>
          )}
          {overall.filesFailed > 0 && (
            <span className="tone-text-failed">{formatCount(overall.filesFailed)} failed</span>
          )}
          {overall.filesSkipped > 0 && <span>{formatCount(overall.filesSkipped)} skipped</span>}
          {overall.retries > 0 && <span>{formatCount(overall.retries)} retried requests</span>}
        </div>
      </div>
      <div className="overall-rate">
        <span className="overall-speed">
          {/* Main's rate decays over a few seconds; once nothing moves, zero is the truth. */}
          {formatRate(activity === 'active' ? overall.rate : 0)}
        </span>
        <span className="overall-eta">{statusText(overall, activity)}</span>
      </div>
      <ThroughputChart />
    </section>
  );
}
