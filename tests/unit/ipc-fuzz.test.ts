import { describe, expect, it, vi } from 'vitest';
import { INVOKE } from '../../preload/contract';
import { dispatchInvoke, type InvokeHandlers } from '../../main/ipc/dispatch';
import { mulberry32 } from '../support/faultProxy';

const NASTY_STRINGS = [
  '../../../../etc/passwd',
  '/etc/shadow',
  'C:\\Windows\\System32',
  '\0',
  '%2e%2e%2f',
  '<script>alert(1)</script>',
  'x'.repeat(100_000),
  '',
  '🙂'.repeat(1000),
];
const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'paths', 'id', 'draft', 'then'];

function randomValue(random: () => number, depth = 0): unknown {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  switch (Math.floor(random() * (depth > 2 ? 5 : 8))) {
    case 0:
      return pick(NASTY_STRINGS);
    case 1:
      return pick([0, -1, 1e308, NaN, Number.MAX_SAFE_INTEGER + 2, 3.5]);
    case 2:
      return random() < 0.5;
    case 3:
      return pick(['files', 'folder', 'pause', 'skip', 'WHEN_SUPPORTED', 'access-key']);
    case 4:
      return [];
    case 5:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 4); i >= 0; i--) {
        const key = random() < 0.5 ? pick(NASTY_KEYS) : `k${Math.floor(random() * 10)}`;
        object[key] = randomValue(random, depth + 1);
      }
      return random() < 0.3 ? JSON.parse(JSON.stringify(object)) : object;
    }
  }
}

describe('IPC handlers under random and malformed payloads', () => {
  it.each(Object.values(INVOKE))(
    '%s rejects 1,000 of them without calling its handler',
    async (channel) => {
      const handler = vi.fn(async () => 'handled');
      const handlers = Object.fromEntries(
        Object.values(INVOKE).map((name) => [name, handler]),
      ) as unknown as InvokeHandlers;
      const random = mulberry32(channel.length * 7919);
      for (let i = 0; i < 1000; i++) {
        const payload = randomValue(random);
        // `{}` is a real no-op for partial updates; everything else here must be refused.
        const emptyObject =
          typeof payload === 'object' &&
          payload !== null &&
          !Array.isArray(payload) &&
          Object.keys(payload).length === 0;
        if (payload === null || emptyObject) continue;
        const answer = await dispatchInvoke(handlers, true, channel, payload);
        expect(answer, `payload #${i}`).toEqual({ ok: false, error: 'The request was not valid.' });
      }
      expect(handler).not.toHaveBeenCalled();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.keys(Object.prototype)).toEqual([]);
    },
  );

  it('refuses an unknown channel', async () => {
    const answer = await dispatchInvoke({} as InvokeHandlers, true, 'bucketdrop:evil' as never, {});
    expect(answer).toEqual({ ok: false, error: 'The request was not valid.' });
  });
});
