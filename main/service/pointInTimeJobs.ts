/**
 * Point-in-time restores the window planned and applies: the plans kept for applying, their
 * progress (polled by the window) and their rows in the shared queue. Applying goes through the
 * same resumable job as the command line (main/versions/applyPlan.ts).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type {
  PlanActionView,
  PointInTimePlanView,
  PointInTimeProgress,
} from '../../preload/contract';
import { describeS3Error } from '../transfer/errors';
import { applyPointInTimePlan, type ActionResult } from '../versions/applyPlan';
import type { AuditContext } from '../versions/audit';
import type { PlanAction, PointInTimePlan } from '../versions/pointInTime';
import { RestoreJournal } from '../versions/restoreJob';
import { UserFacingError, type ClientProvider } from './uploadService';
import type { VersionStepQueue } from './versionStepQueue';

/** Plans kept for applying; older ones are forgotten (their user computes them again). */
const PLANS_KEPT = 20;

export interface PointInTimeJobsDeps {
  dataDir: string;
  clients: Pick<ClientProvider, 'clientFor'>;
  steps?: VersionStepQueue;
  auditContext(connectionId: string | undefined): Promise<AuditContext>;
  /** Keys worked on at once (the setting, read when a plan is applied). */
  concurrency(): number;
}

function actionView(action: PlanAction): PlanActionView {
  switch (action.kind) {
    case 'undelete':
      return { kind: 'undelete', key: action.key, versionId: action.versionId };
    case 'restore':
      return {
        kind: 'restore',
        key: action.key,
        versionId: action.versionId,
        currentVersionId: action.currentVersionId,
      };
    case 'delete':
      return action;
  }
}

interface PlanJob {
  bucket: string;
  prefix: string;
  deleteCreatedSince: boolean;
  plan: PointInTimePlan;
  connectionId: string | undefined;
  progress: PointInTimeProgress;
  started: boolean;
}

export class PointInTimeJobs {
  private readonly plans = new Map<string, PlanJob>();

  constructor(private readonly deps: PointInTimeJobsDeps) {}

  /** Keeps a computed plan for applying and describes it to the window. */
  add(job: Omit<PlanJob, 'progress' | 'started'>): PointInTimePlanView {
    const planId = randomUUID();
    this.forgetOldPlans();
    this.plans.set(planId, {
      ...job,
      started: false,
      progress: { planId, done: 0, total: job.plan.actions.length, finished: false, results: [] },
    });
    return {
      planId,
      bucket: job.bucket,
      prefix: job.prefix,
      at: job.plan.at.toISOString(),
      actions: job.plan.actions.map(actionView),
      createdSince: job.plan.createdSince,
      unchanged: job.plan.unchanged,
    };
  }

  apply(planId: string): PointInTimeProgress {
    const job = this.job(planId);
    if (!job.started) {
      job.started = true;
      void this.runPlan(job);
    }
    return { ...job.progress };
  }

  progress(planId: string): PointInTimeProgress {
    return { ...this.job(planId).progress };
  }

  /**
   * Applies a plan through the same resumable job as the command line: after a crash, planning
   * again and applying finishes the work without copying again what is already right.
   */
  private async runPlan(job: PlanJob): Promise<void> {
    const { progress } = job;
    const rows = this.queueRows(job);
    const report = ({ ok, detail }: Pick<ActionResult, 'ok' | 'detail'>, action: PlanAction) => {
      this.deps.steps?.finish(rows.get(action)!, { ok, detail });
      // Only what the window shows: the action itself carries the listing's entries.
      progress.results.push({ key: action.key, kind: action.kind, ok, detail });
      progress.done++;
    };
    let journal: RestoreJournal | undefined;
    try {
      const client = await this.deps.clients.clientFor(job.connectionId, job.bucket);
      journal = await RestoreJournal.open(path.join(this.deps.dataDir, 'restore-jobs'), {
        store: job.connectionId ?? 'environment',
        bucket: job.bucket,
        prefix: job.prefix,
        at: job.plan.at,
        deleteCreatedSince: job.deleteCreatedSince,
      });
      const audit = { ...(await this.deps.auditContext(job.connectionId)), job: journal.id };
      await journal.recordInterrupted(job.plan, audit);
      await applyPointInTimePlan(client, job.bucket, job.plan, {
        audit,
        journal,
        keyConcurrency: this.deps.concurrency(),
        onStart: (action) => this.deps.steps?.running([rows.get(action)!]),
        onResult: (result) => report(result, result.action),
      });
    } catch (error) {
      // Only reaching the store or the journal can fail here (each action reports its own).
      const reported = new Set(progress.results.map((result) => result.key));
      for (const action of job.plan.actions) {
        if (!reported.has(action.key)) {
          report({ ok: false, detail: describeS3Error(error) }, action);
        }
      }
    }
    const complete = progress.results.every((result) => result.ok);
    await journal?.close(complete).catch(() => {});
    progress.done = progress.total;
    progress.finished = true;
  }

  /** Puts the plan's actions in the shared queue; each action finds its row by identity. */
  private queueRows(job: PlanJob): Map<PlanAction, string> {
    const rows = new Map<PlanAction, string>();
    const { steps } = this.deps;
    if (!steps) return rows;
    const ids = steps.addPlan(
      job.bucket,
      job.plan.at.toISOString(),
      job.plan.actions.map((action) => ({
        key: action.key,
        kind: action.kind,
        size: action.kind === 'restore' ? action.size : 0,
      })),
    );
    job.plan.actions.forEach((action, index) => rows.set(action, ids[index]!));
    return rows;
  }

  private forgetOldPlans(): void {
    // Maps iterate in insertion order: the first entries are the oldest plans.
    for (const [planId, job] of this.plans) {
      if (this.plans.size < PLANS_KEPT) break;
      if (!job.started || job.progress.finished) this.plans.delete(planId);
    }
  }

  private job(planId: string): PlanJob {
    const job = this.plans.get(planId);
    if (!job) throw new UserFacingError('That restore plan is gone: compute the plan again.');
    return job;
  }
}
