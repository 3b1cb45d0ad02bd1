import { appendFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/versions/audit';
import type { PlanAction, PointInTimePlan } from '../../main/versions/pointInTime';
import { RestoreJournal } from '../../main/versions/restoreJob';
import { tempDir } from '../support/files';

const identity = {
  store: '|http://127.0.0.1:1',
  bucket: 'photos',
  prefix: 'shoot/',
  at: new Date('2026-11-24T17:00:00Z'),
  deleteCreatedSince: false,
};

function restore(key: string): PlanAction {
  return { kind: 'restore', key, versionId: 'v', currentVersionId: 'c', etag: '"e"', size: 1 };
}

describe('the journal of a resumable prefix restore', () => {
  it('records once, after a crash, the keys changed but not yet audited', async () => {
    const folder = tempDir('restore-jobs');
    const audit = { log: new AuditLog(tempDir('audit')), profile: 'support' };
    const crashed = await RestoreJournal.open(folder, identity);
    for (const key of ['a', 'b', 'c']) await crashed.starting(restore(key));
    await crashed.close(false);
    await audit.log.record({
      operation: 'restore',
      profile: 'support',
      job: crashed.id,
      bucket: 'photos',
      key: 'a',
      result: 'ok',
    });
    // The crash tore the last append.
    appendFileSync(crashed.file, '{"key":"d","ki');

    const rerun = await RestoreJournal.open(folder, identity);
    expect(rerun.id).toBe(crashed.id);
    expect([...rerun.started.keys()]).toEqual(['a', 'b', 'c']);
    // c is still wrong (the plan has it again); a was audited; b was changed, not audited.
    const plan: PointInTimePlan = {
      at: identity.at,
      actions: [restore('c')],
      createdSince: [],
      unchanged: 3,
    };
    expect(await rerun.recordInterrupted(plan, audit)).toBe(1);
    expect(await rerun.recordInterrupted(plan, audit)).toBe(0);
    const entries = await audit.log.entries();
    expect(entries.map((entry) => entry.key)).toEqual(['a', 'b']);
    expect(entries[1]).toMatchObject({ operation: 'restore', bucket: 'photos', job: rerun.id });
    await rerun.close(true);
    expect(existsSync(rerun.file)).toBe(false);
  });

  it('keeps jobs of another time, prefix or store apart', async () => {
    const folder = tempDir('restore-jobs');
    const one = await RestoreJournal.open(folder, identity);
    const other = await RestoreJournal.open(folder, { ...identity, at: new Date(0) });
    const elsewhere = await RestoreJournal.open(folder, { ...identity, store: '|http://other' });
    expect(new Set([one.id, other.id, elsewhere.id]).size).toBe(3);
    await Promise.all([one.close(true), other.close(true), elsewhere.close(true)]);
  });
});
