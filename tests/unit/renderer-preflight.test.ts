import { describe, expect, it } from 'vitest';
import type { Preflight } from '../../preload/contract';
import {
  applyToAll,
  choiceFor,
  chooseConflict,
  filesToUpload,
  openPreflight,
  startRequest,
  unresolvedConflicts,
} from '../../renderer/src/store/preflight';
import { parseDraft, toDraft } from '../../renderer/src/settingsDraft';

function preflight(overrides: Partial<Preflight> = {}): Preflight {
  const conflict = (key: string) => ({
    key,
    size: 10,
    existingSize: 12,
    existingLastModified: '2024-05-01T10:00:00Z',
  });
  return {
    id: 'p1',
    destination: { bucket: 'pics', prefix: 'trip/' },
    fileCount: 10,
    totalBytes: 100,
    sample: [{ key: 'trip/a.jpg', size: 10, contentType: 'image/jpeg' }],
    skipped: [],
    conflicts: [conflict('trip/a.jpg'), conflict('trip/b.jpg')],
    conflictsChecked: true,
    ...overrides,
  };
}

describe('renderer preflight', () => {
  it('follows links out of the folder only when the user ticked it', () => {
    const state = openPreflight(
      preflight({
        conflicts: [],
        outsideLinks: [{ path: '/drop/Photos/backup', target: '/home/u/.ssh' }],
      }),
      'overwrite',
    );
    expect(state.followOutsideLinks).toBe(false);
    expect(startRequest(state)).toEqual({ preflightId: 'p1', onConflict: 'overwrite' });
    expect(startRequest({ ...state, followOutsideLinks: true })).toEqual({
      preflightId: 'p1',
      onConflict: 'overwrite',
      followOutsideLinks: true,
    });
  });

  it('asks about every conflict when the default policy is "ask"', () => {
    let state = openPreflight(preflight(), 'ask');
    expect(state.conflictDefault).toBeNull();
    expect(unresolvedConflicts(state)).toBe(2);
    expect(startRequest(state)).toBeNull();
    state = chooseConflict(state, 'trip/a.jpg', 'skip');
    state = chooseConflict(state, 'trip/b.jpg', 'rename');
    expect(unresolvedConflicts(state)).toBe(0);
    expect(filesToUpload(state)).toBe(9);
    expect(startRequest(state)).toEqual({
      preflightId: 'p1',
      onConflict: 'skip',
      perKey: { 'trip/a.jpg': 'skip', 'trip/b.jpg': 'rename' },
    });
  });

  it('preselects the default policy and lets single conflicts differ', () => {
    let state = openPreflight(preflight(), 'overwrite');
    expect(choiceFor(state, 'trip/a.jpg')).toBe('overwrite');
    expect(startRequest(state)).toEqual({ preflightId: 'p1', onConflict: 'overwrite' });
    state = chooseConflict(state, 'trip/b.jpg', 'skip');
    expect(startRequest(state)).toEqual({
      preflightId: 'p1',
      onConflict: 'overwrite',
      perKey: { 'trip/b.jpg': 'skip' },
    });
  });

  it('"apply to all" resets single choices', () => {
    let state = chooseConflict(openPreflight(preflight(), 'ask'), 'trip/a.jpg', 'skip');
    state = applyToAll(state, 'rename');
    expect(choiceFor(state, 'trip/a.jpg')).toBe('rename');
    expect(startRequest(state)).toEqual({ preflightId: 'p1', onConflict: 'rename' });
  });

  it('falls back to skip when conflicts could not be checked and the policy is "ask"', () => {
    const state = openPreflight(preflight({ conflicts: [], conflictsChecked: false }), 'ask');
    expect(startRequest(state)).toEqual({ preflightId: 'p1', onConflict: 'skip' });
    const chosen = openPreflight(preflight({ conflicts: [], conflictsChecked: false }), 'rename');
    expect(startRequest(chosen)?.onConflict).toBe('rename');
  });
});

describe('renderer settings form', () => {
  const settings = {
    activeConnectionId: null,
    filesInFlight: 4,
    partsInFlight: 8,
    partSizeMiB: 8,
    checksumMode: 'WHEN_SUPPORTED' as const,
    skipJunkFiles: true,
    autoResumeOnLaunch: false,
    defaultConflictPolicy: 'ask' as const,
    destination: { bucket: 'pics', prefix: '' },
  };

  it('round-trips settings without touching the destination', () => {
    const parsed = parseDraft(toDraft(settings));
    expect(parsed).toEqual({
      ok: true,
      patch: {
        filesInFlight: 4,
        partsInFlight: 8,
        partSizeMiB: 8,
        restoreConcurrency: 16,
        checksumMode: 'WHEN_SUPPORTED',
        skipJunkFiles: true,
        autoResumeOnLaunch: false,
        allowUnencryptedEnvironmentEndpoint: false,
        defaultConflictPolicy: 'ask',
      },
    });
  });

  it('reports out-of-range, empty and fractional numbers per field', () => {
    const draft = {
      ...toDraft(settings),
      filesInFlight: '17',
      partsInFlight: '',
      partSizeMiB: '5.5',
      restoreConcurrency: '65',
    };
    const parsed = parseDraft(draft);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.filesInFlight).toBe(
      'Files in flight must be a whole number from 1 to 16.',
    );
    expect(parsed.errors.partsInFlight).toMatch(/1 to 64/);
    expect(parsed.errors.partSizeMiB).toMatch(/5 to 4096/);
    expect(parsed.errors.restoreConcurrency).toBe(
      'Restores in flight must be a whole number from 1 to 64.',
    );
  });
});
