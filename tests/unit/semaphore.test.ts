import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../main/transfer/semaphore';

describe('semaphore', () => {
  it('never lets more than its capacity through, in arrival order', async () => {
    const slots = new Semaphore(2);
    let inside = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const release = await slots.acquire();
        order.push(i);
        inside++;
        peak = Math.max(peak, inside);
        await new Promise((r) => setTimeout(r, 2));
        inside--;
        release();
      }),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('drops a waiter that is aborted', async () => {
    const slots = new Semaphore(1);
    const release = await slots.acquire();
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort(new Error('paused'));
    await expect(waiting).rejects.toThrow('paused');
    release();
    const again = await slots.acquire();
    again();
  });
});
