import { randomUUID } from 'node:crypto';
import type { PlanActionView, ProgressSnapshot, QueueActionRequest } from '../../preload/contract';
import { FINISHED_STATES, ProgressAggregator } from '../transfer/progress';
import { UserFacingError } from './uploadService';

/** One change of an applied point-in-time restore, as its queue row shows it. */
export interface VersionStep {
  key: string;
  kind: PlanActionView['kind'];
  /** Bytes the store copies (a restore); 0 for an undelete or a delete. */
  size: number;
}

const ID_PREFIX = 'ver-';

export const UNSUPPORTED_STEP_ACTION =
  'Point-in-time restore steps cannot be paused, cancelled or retried: each is one request to the store. To redo a failed one, compute the restore plan again and apply it.';

/**
 * The steps of applied point-in-time restores as rows of the shared queue, next to uploads and
 * downloads. Item ids start with "ver-" so that the queue routes the row actions here. A step is
 * one short request, so rows only run to done or failed; they can be removed, not paused.
 */
export class VersionStepQueue {
  private readonly progress: ProgressAggregator;

  constructor(emit: (snapshot: ProgressSnapshot) => void, intervalMs = 100) {
    this.progress = new ProgressAggregator(emit, intervalMs);
  }

  static owns(itemId: string): boolean {
    return itemId.startsWith(ID_PREFIX);
  }

  /** Adds the steps of one applied plan as queued rows; returns their ids, in the steps' order. */
  addPlan(bucket: string, at: string, steps: readonly VersionStep[]): string[] {
    const batchId = randomUUID();
    return steps.map((step, index) => {
      const id = `${ID_PREFIX}${batchId}-${index}`;
      this.progress.add({
        id,
        batchId,
        direction: 'restore',
        path: `s3://${bucket}/${step.key}`,
        bucket,
        key: step.key,
        size: step.size,
        bytesDone: 0,
        state: 'queued',
        versionStep: { kind: step.kind, at },
      });
      return id;
    });
  }

  running(ids: readonly string[]): void {
    for (const id of ids) this.progress.update(id, { state: 'uploading' });
  }

  finish(id: string, outcome: { ok: boolean; detail: string }): void {
    const item = this.progress.get(id);
    if (!item) return;
    this.progress.update(
      id,
      outcome.ok
        ? { state: 'done', bytesDone: item.size }
        : { state: 'failed', error: outcome.detail },
    );
  }

  /** Finished rows can be removed; anything else is refused with the reason. */
  queueAction(request: QueueActionRequest): void {
    if (request.action === 'clear-finished') {
      this.forget(this.progress.all().filter((item) => item.state === 'done'));
      return;
    }
    if (request.action !== 'remove') throw new UserFacingError(UNSUPPORTED_STEP_ACTION);
    const ids = new Set(request.ids ?? []);
    this.forget(this.progress.all().filter((item) => ids.has(item.id)));
  }

  snapshot(): ProgressSnapshot {
    return { items: this.progress.all(), overall: this.progress.overall() };
  }

  hasPendingWork(): boolean {
    return this.progress.all().some((item) => !FINISHED_STATES.has(item.state));
  }

  private forget(items: { id: string; state: string }[]): void {
    for (const item of items) {
      if (item.state === 'done' || item.state === 'failed') this.progress.remove(item.id);
    }
  }
}
