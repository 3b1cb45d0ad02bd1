import type { ReactElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { BucketdropApi, ItemProgress } from '../../preload/contract';
import {
  expectedDelay,
  parseDays,
  restoreSummary,
  tierOptions,
} from '../../renderer/src/archiveRestore';
import { StatePill } from '../../renderer/src/components/StatePill';
import { createController } from '../../renderer/src/controller';
import { additionsFrom, DEFAULT_LIFECYCLE_DRAFT } from '../../renderer/src/lifecycleDraft';
import { createAppStore } from '../../renderer/src/store/store';
import { directionOf, folderOf } from '../../renderer/src/transferDirection';

function item(patch: Partial<ItemProgress>): ItemProgress {
  return {
    id: 'dl-b-0',
    batchId: 'b',
    path: '/home/ana/Downloads/shoot/a.jpg',
    bucket: 'pics',
    key: 'trip/shoot/a.jpg',
    size: 10,
    bytesDone: 0,
    state: 'uploading',
    rate: 0,
    etaSeconds: null,
    ...patch,
  };
}

describe('queue rows show the direction', () => {
  it('a download names its folder; an upload row keeps its key only', () => {
    expect(directionOf(item({ direction: 'download' }))).toEqual({
      icon: 'download',
      route: 'trip/shoot/a.jpg → to /home/ana/Downloads/shoot',
    });
    expect(directionOf(item({}))).toEqual({ icon: 'upload', route: 'trip/shoot/a.jpg' });
    expect(folderOf('C:\\Users\\ana\\Downloads\\a.jpg')).toBe('C:\\Users\\ana\\Downloads');
  });

  it('a transferring download reads "Downloading", an upload "Uploading"', () => {
    const label = (element: ReactElement) => (element.props as { children: string }).children;
    expect(label(StatePill({ state: 'uploading', direction: 'download' }))).toBe('Downloading');
    expect(label(StatePill({ state: 'uploading' }))).toBe('Uploading');
    expect(label(StatePill({ state: 'paused', direction: 'download' }))).toBe('Paused');
  });

  it('a download that cannot start is reported as a notice', async () => {
    const store = createAppStore();
    const api = {
      downloadObjects: vi.fn(() =>
        Promise.resolve({
          ok: false as const,
          error: 'Cannot download to /mnt/ro: the disk is read-only.',
        }),
      ),
    } as unknown as BucketdropApi;
    await createController(api, store).downloadObjects({
      bucket: 'pics',
      keys: ['a.jpg'],
      prefixes: [],
    });
    expect(api.downloadObjects).toHaveBeenCalledWith({
      bucket: 'pics',
      keys: ['a.jpg'],
      prefixes: [],
    });
    expect(store.getState().notices[0]?.message).toBe(
      'Cannot download to /mnt/ro: the disk is read-only.',
    );
  });
});

describe('the restore dialog', () => {
  it('offers no Expedited tier for Deep Archive and shows each class its delays', () => {
    const deep = tierOptions('DEEP_ARCHIVE');
    expect(deep.map((option) => [option.tier, option.available])).toEqual([
      ['Expedited', false],
      ['Standard', true],
      ['Bulk', true],
    ]);
    expect(expectedDelay(deep[1]!, 'DEEP_ARCHIVE')).toBe('within 12 hours');
    expect(expectedDelay(tierOptions('GLACIER')[0]!, 'GLACIER')).toBe('1–5 minutes');
    expect(expectedDelay(tierOptions()[2]!)).toBe(
      '5–12 hours from Glacier; within 48 hours from Deep Archive',
    );
  });

  it('takes whole days from 1 to 30,000 and says what will happen', () => {
    expect(parseDays('7')).toEqual({ ok: true, days: 7 });
    for (const bad of ['0', '-1', '2.5', '', '30001', 'ten']) {
      expect(parseDays(bad)).toEqual({
        ok: false,
        error: 'Enter a whole number of days from 1 to 30000.',
      });
    }
    expect(restoreSummary('raw/a.cr3', 1, 'Bulk')).toMatch(
      /^A copy of raw\/a\.cr3 will be readable for 1 day once the Bulk retrieval finishes\./,
    );
  });
});

describe('the lifecycle dialog form', () => {
  it('turns the form into the rules to add', () => {
    expect(
      additionsFrom({
        ...DEFAULT_LIFECYCLE_DRAFT,
        glacier: true,
        glacierPrefix: '/photos/',
        glacierDays: '30',
      }),
    ).toEqual({
      ok: true,
      additions: { glacier: { prefix: 'photos/', days: 30 }, abortIncomplete: { days: 7 } },
    });
  });

  it('names what to fix', () => {
    expect(
      additionsFrom({
        ...DEFAULT_LIFECYCLE_DRAFT,
        glacier: true,
        glacierDays: 'x',
        abortDays: '0',
      }),
    ).toEqual({
      ok: false,
      errors: {
        glacierDays: 'Enter a whole number of days from 0 to 36500.',
        abortDays: 'Enter a whole number of days from 1 to 36500.',
      },
    });
    expect(additionsFrom({ ...DEFAULT_LIFECYCLE_DRAFT, abortIncomplete: false })).toEqual({
      ok: false,
      errors: { form: 'Choose at least one rule to add.' },
    });
  });
});
