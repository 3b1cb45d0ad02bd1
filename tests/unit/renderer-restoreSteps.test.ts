import type { ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { ItemProgress } from '../../preload/contract';
import { StatePill } from '../../renderer/src/components/StatePill';
import {
  applicableIds,
  availableActions,
  deletePlan,
  hasAction,
} from '../../renderer/src/itemActions';
import { directionOf } from '../../renderer/src/transferDirection';
import { formatMoment } from '../../renderer/src/versionFormat';

const AT = '2026-11-24T10:00:00.000Z';

function step(id: string, patch: Partial<ItemProgress>): ItemProgress {
  return {
    id,
    batchId: 'b',
    direction: 'restore',
    path: `s3://pics/trip/${id}.jpg`,
    bucket: 'pics',
    key: `trip/${id}.jpg`,
    size: 0,
    bytesDone: 0,
    state: 'uploading',
    rate: 0,
    etaSeconds: null,
    versionStep: { kind: 'restore', at: AT },
    ...patch,
  };
}

describe('point-in-time restore steps in the queue', () => {
  it('each row says what the step does and to which moment', () => {
    const moment = formatMoment(AT);
    expect(directionOf(step('a', {}))).toEqual({
      icon: 'restore',
      route: `trip/a.jpg: restore to its version as of ${moment}`,
    });
    expect(directionOf(step('b', { versionStep: { kind: 'undelete', at: AT } })).route).toBe(
      `trip/b.jpg: undelete, as it was on ${moment}`,
    );
    expect(directionOf(step('c', { versionStep: { kind: 'delete', at: AT } })).route).toBe(
      `trip/c.jpg: delete, created after ${moment}`,
    );
    const label = (element: ReactElement) => (element.props as { children: string }).children;
    expect(label(StatePill({ state: 'uploading', direction: 'restore' }))).toBe('Restoring');
  });

  it('offers only removal, once a step has finished (done or failed)', () => {
    const items = new Map(
      [
        step('running', {}),
        step('done', { state: 'done' }),
        step('failed', { state: 'failed', error: 'trip/failed.jpg: access denied' }),
      ].map((item) => [item.id, item]),
    );
    const ids = [...items.keys()];
    expect(applicableIds('pause', ids, items)).toEqual([]);
    expect(applicableIds('cancel', ids, items)).toEqual([]);
    expect(applicableIds('retry', ids, items)).toEqual([]);
    expect(applicableIds('remove', ids, items)).toEqual(['done', 'failed']);
    const mask = availableActions(ids, items);
    expect(hasAction(mask, 'pause')).toBe(false);
    expect(hasAction(mask, 'remove')).toBe(true);
    expect(deletePlan(ids, items)).toEqual({ remove: ['done', 'failed'], cancel: [] });
  });
});
