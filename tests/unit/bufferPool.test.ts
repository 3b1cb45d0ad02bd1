import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../main/transfer/bufferPool';

describe('buffer pool', () => {
  it('hands back the same memory for the next part instead of allocating', () => {
    const pool = new BufferPool(2);
    const first = pool.take(8 << 20);
    pool.give(first);
    const second = pool.take(5 << 20);
    expect(second.buffer).toBe(first.buffer);
    expect(second.length).toBe(5 << 20);
  });

  it('keeps no more idle buffers than parts may be in flight, dropping the smallest', () => {
    const pool = new BufferPool(1);
    const small = pool.take(1 << 20);
    const large = pool.take(4 << 20);
    pool.give(small);
    pool.give(large);
    expect(pool.take(1 << 20).buffer).toBe(large.buffer);
    expect(pool.take(1 << 20).buffer).not.toBe(small.buffer);
  });
});
