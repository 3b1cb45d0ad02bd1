import type { SkippedFile, UploadPlan } from '../transfer/planner';
import { groupSkipped } from '../transfer/planWarnings';
import {
  FINISHED_STATES,
  type ItemProgress,
  type OverallProgress,
  type ProgressSnapshot,
} from '../transfer/progress';
import type { TransferStats } from '../transfer/engine';
import { formatBytes, formatDuration } from './format';

export interface Reporter {
  plan(plan: UploadPlan): void;
  progress(snapshot: ProgressSnapshot): void;
  info(message: string): void;
  /** `skipped`: files planning left out, counted with the items skipped at upload. */
  summary(
    overall: OverallProgress,
    failed: ItemProgress[],
    stats: TransferStats,
    skipped?: SkippedFile[],
  ): void;
}

function itemLine(item: ItemProgress): string {
  const object = `s3://${item.bucket}/${item.key}`;
  const route =
    item.direction === 'download' ? `${object} → ${item.path}` : `${item.path} → ${object}`;
  switch (item.state) {
    case 'failed':
      return `✗ ${route}: ${item.error ?? 'failed'}`;
    case 'skipped':
      return `- ${route}: skipped, ${item.note ?? ''}`;
    case 'cancelled':
      return `- ${item.path}: cancelled`;
    default:
      return `✓ ${route}`;
  }
}

/** One JSON object per line, for scripts. */
export class JsonReporter implements Reporter {
  constructor(private readonly write: (line: string) => void) {}

  plan(plan: UploadPlan): void {
    this.write(
      JSON.stringify({
        type: 'plan',
        bucket: plan.bucket,
        prefix: plan.prefix,
        files: plan.files.length,
        bytes: plan.totalBytes,
        skipped: plan.skipped,
        outsideLinks: plan.outsideLinks,
        warnings: plan.warnings,
      }),
    );
  }

  progress(snapshot: ProgressSnapshot): void {
    for (const item of snapshot.items) {
      if (FINISHED_STATES.has(item.state) || item.note) {
        this.write(JSON.stringify({ type: 'item', ...item }));
      }
    }
    this.write(JSON.stringify({ type: 'progress', ...snapshot.overall }));
  }

  info(message: string): void {
    this.write(JSON.stringify({ type: 'info', message }));
  }

  summary(
    overall: OverallProgress,
    failed: ItemProgress[],
    stats: TransferStats,
    skipped: SkippedFile[] = [],
  ): void {
    this.write(
      JSON.stringify({
        type: 'summary',
        ...overall,
        filesSkipped: overall.filesSkipped + skipped.length,
        failed: failed.map(({ path, key, bucket, error }) => ({ path, bucket, key, error })),
        skipped: groupSkipped(skipped),
        stats,
      }),
    );
  }
}

/** A single repainted progress line on a terminal; plain lines when output is redirected. */
export class TextReporter implements Reporter {
  private readonly announced = new Set<string>();
  private barShown = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly isTty: boolean,
  ) {}

  plan(plan: UploadPlan): void {
    this.line(
      `${plan.files.length} files, ${formatBytes(plan.totalBytes)} → s3://${plan.bucket}/${plan.prefix}` +
        (plan.skipped.length ? `, ${plan.skipped.length} skipped:` : ''),
    );
    for (const skipped of plan.skipped) this.line(`  - ${skipped.path}: ${skipped.reason}`);
    const skippedPaths = new Set(plan.skipped.map((skipped) => skipped.path));
    for (const link of plan.outsideLinks) {
      if (skippedPaths.has(link.path)) continue;
      this.line(`  following ${link.path} → ${link.target} (outside the folder, --follow-links)`);
    }
  }

  progress(snapshot: ProgressSnapshot): void {
    for (const item of snapshot.items) {
      if (item.note && !this.announced.has(`${item.id}:${item.note}`)) {
        this.announced.add(`${item.id}:${item.note}`);
        if (item.state !== 'skipped') this.line(`! ${item.path}: ${item.note}`);
      }
      if (FINISHED_STATES.has(item.state) && !this.announced.has(item.id)) {
        this.announced.add(item.id);
        if (item.state !== 'done' || !this.isTty) this.line(itemLine(item));
      }
    }
    if (this.isTty) this.bar(snapshot.overall);
  }

  info(message: string): void {
    this.line(message);
  }

  summary(
    overall: OverallProgress,
    failed: ItemProgress[],
    stats: TransferStats,
    skipped: SkippedFile[] = [],
  ): void {
    if (this.isTty) this.bar(overall);
    this.line(
      `${overall.filesDone} uploaded, ${overall.filesSkipped + skipped.length} skipped, ${overall.filesFailed} failed` +
        ` (${formatBytes(overall.bytesDone)}, ${stats.requestsRetried} retries)` +
        (failed.length ? `; the failures are listed above` : ''),
    );
    for (const group of groupSkipped(skipped)) {
      this.line(`  ${group.count} skipped: ${group.reason} (${group.folder})`);
    }
  }

  private bar(overall: OverallProgress): void {
    const width = 24;
    const ratio = overall.bytesTotal > 0 ? overall.bytesDone / overall.bytesTotal : 1;
    const filled = Math.round(ratio * width);
    const text =
      `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%` +
      ` ${overall.filesDone + overall.filesSkipped}/${overall.filesTotal} files` +
      ` ${formatBytes(overall.rate)}/s ETA ${formatDuration(overall.etaSeconds)}`;
    this.out.write(`\r\x1b[2K${text}`);
    this.barShown = true;
  }

  private line(text: string): void {
    if (this.barShown) this.out.write('\r\x1b[2K');
    this.barShown = false;
    this.out.write(`${text}\n`);
  }
}
