import { describe, expect, it } from 'vitest';
import type { VersionEntry } from '../../main/versions/history';
import { planPointInTime } from '../../main/versions/pointInTime';

const T = new Date('2026-01-01T12:00:00Z');
const at = (seconds: number) => new Date(T.getTime() + seconds * 1000);

let seq = 0;
function v(key: string, second: number, etag: string, latest = false): VersionEntry {
  return {
    key,
    versionId: `${1000 + second}.${String(++seq).padStart(5, '0')}`,
    isDeleteMarker: false,
    isLatest: latest,
    lastModified: at(second),
    size: etag.length,
    etag: `"${etag}"`,
  };
}
function m(key: string, second: number, latest = false): VersionEntry {
  return {
    key,
    versionId: `${1000 + second}.${String(++seq).padStart(5, '0')}`,
    isDeleteMarker: true,
    isLatest: latest,
    lastModified: at(second),
  };
}

describe('planPointInTime', () => {
  it('leaves keys alone whose content at T is current', () => {
    const plan = planPointInTime(
      [v('a', -5, 'x', true), v('b', -9, 'y'), v('b', -1, 'z', true)],
      T,
    );
    expect(plan.actions).toEqual([]);
    expect(plan.unchanged).toBe(2);
  });

  it('restores edited keys to the version at T (entries at exactly T count)', () => {
    const old = v('a', 0, 'x');
    const plan = planPointInTime([v('a', -3, 'w'), old, v('a', 4, 'y', true)], T);
    // The listing's ETag and size travel with the action: applying needs no HEAD.
    expect(plan.actions).toEqual([
      {
        kind: 'restore',
        key: 'a',
        versionId: old.versionId,
        currentVersionId: expect.any(String),
        etag: '"x"',
        size: 1,
      },
    ]);
  });

  it('undeletes by marker removal when T has the newest real version, by copy otherwise', () => {
    const a1 = v('a', -3, 'x');
    const b1 = v('b', -3, 'x');
    const plan = planPointInTime([a1, m('a', 3, true), b1, v('b', 2, 'y'), m('b', 4, true)], T);
    expect(plan.actions).toMatchObject([
      { kind: 'undelete', key: 'a', versionId: a1.versionId, deleted: { version: a1 } },
      { kind: 'undelete', key: 'b', versionId: b1.versionId, etag: b1.etag, size: b1.size },
    ]);
    expect(plan.actions[1]).not.toHaveProperty('deleted');
  });

  it('lists keys created since T and deletes them only when asked', () => {
    const entries = [v('new', 2, 'n', true), m('gone', -2), v('gone', 5, 'g', true)];
    const off = planPointInTime(entries, T);
    expect(off.actions).toEqual([]);
    expect(off.createdSince).toEqual(['gone', 'new']);
    const on = planPointInTime(entries, T, { deleteCreatedSince: true });
    expect(on.actions.map((a) => [a.kind, a.key])).toEqual([
      ['delete', 'gone'],
      ['delete', 'new'],
    ]);
  });

  it('is a no-op once applied: a restored copy has the same ETag as its source', () => {
    const old = v('a', -3, 'x');
    const entries = [old, v('a', 2, 'y')];
    const applied = { ...v('a', 9, 'x', true) };
    const before = planPointInTime(entries, T);
    expect(before.actions).toHaveLength(1);
    const after = planPointInTime([...entries, applied], T);
    expect(after.actions).toEqual([]);
    // A key deleted since T and a key that did not exist either way need nothing.
    expect(planPointInTime([v('c', 3, 'c'), m('c', 4, true)], T).actions).toEqual([]);
  });

  it('treats a key deleted at T but current now as created since', () => {
    const plan = planPointInTime([v('a', -5, 'x'), m('a', -1), v('a', 1, 'y', true)], T, {
      deleteCreatedSince: true,
    });
    expect(plan.actions).toEqual([
      { kind: 'delete', key: 'a', currentVersionId: expect.any(String) },
    ]);
  });
});
