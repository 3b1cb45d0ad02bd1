/**
 * What makes a prefix restore resumable after a crash (even kill -9). Replanning alone already
 * skips the keys restored before the crash (their content equals T's again); what it cannot tell
 * is whether such a key was restored by the interrupted run but not yet recorded in the audit
 * log. So before a key's request goes out, the key is appended to the job's journal; a rerun of
 * the same job records the keys that the journal names, that are right now, and that the audit
 * log does not have for this job, and then goes on with what is still to do. Each key is
 * recorded once. The journal is removed when a run ends with every change applied.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { AuditContext } from './audit';
import type { PlanAction, PointInTimePlan } from './pointInTime';

export interface RestoreJobIdentity {
  /** Where the bucket lives (endpoint or profile), so that two stores' jobs never mix. */
  store: string;
  bucket: string;
  prefix: string;
  at: Date;
  deleteCreatedSince: boolean;
}

export class RestoreJournal {
  private constructor(
    readonly id: string,
    readonly file: string,
    private readonly bucket: string,
    /** Keys an interrupted earlier run of this job had started on, with what it was doing. */
    readonly started: ReadonlyMap<string, PlanAction['kind']>,
    private readonly handle: FileHandle,
  ) {}

  static async open(folder: string, identity: RestoreJobIdentity): Promise<RestoreJournal> {
    const id = createHash('sha256')
      .update(
        JSON.stringify([
          identity.store,
          identity.bucket,
          identity.prefix,
          identity.at.toISOString(),
          identity.deleteCreatedSince,
        ]),
      )
      .digest('hex')
      .slice(0, 24);
    const file = path.join(folder, `restore-${id}.jsonl`);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const started = new Map<string, PlanAction['kind']>();
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    for (const line of text.split('\n')) {
      try {
        const { key, kind } = JSON.parse(line) as Pick<PlanAction, 'key' | 'kind'>;
        started.set(key, kind);
      } catch {
        // An empty or torn last line (the crash hit mid-append): that key's request never left.
      }
    }
    return new RestoreJournal(id, file, identity.bucket, started, await open(file, 'a', 0o600));
  }

  /** Called before the key's request is sent. A kill -9 keeps what was written (page cache). */
  async starting(action: PlanAction): Promise<void> {
    await this.handle.write(`${JSON.stringify({ key: action.key, kind: action.kind })}\n`);
  }

  /**
   * Records in the audit log the keys an interrupted run changed without recording them: those
   * it had started on, that the new plan finds right, and that the log lacks for this job.
   * Returns how many there were.
   */
  async recordInterrupted(plan: PointInTimePlan, audit: AuditContext | undefined): Promise<number> {
    if (this.started.size === 0 || !audit) return 0;
    const pending = new Set(plan.actions.map((action) => action.key));
    const recorded = new Set(
      (await audit.log.entries())
        .filter((entry) => entry.job === this.id && entry.result === 'ok')
        .map((entry) => entry.key),
    );
    let count = 0;
    for (const [key, kind] of this.started) {
      if (pending.has(key) || recorded.has(key)) continue;
      await audit.log.record({
        operation: kind === 'restore' ? 'restore' : kind,
        profile: audit.profile,
        job: this.id,
        bucket: this.bucket,
        key,
        result: 'ok',
        detail: `${kind} to its state as of ${plan.at.toISOString()}, by a run interrupted before recording it`,
      });
      count++;
    }
    return count;
  }

  /** Ends the job: the journal goes when every change was applied, else stays for the rerun. */
  async close(complete: boolean): Promise<void> {
    await this.handle.close();
    if (complete) await rm(this.file, { force: true });
  }
}
