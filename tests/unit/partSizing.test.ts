import { describe, expect, it } from 'vitest';
import {
  GiB,
  layoutFor,
  MAX_PARTS,
  MiB,
  parseSize,
  partRange,
  TiB,
} from '../../main/transfer/partSizing';

const defaults = { multipartThreshold: 16 * MiB, partSize: 8 * MiB };

describe('part sizing', () => {
  it('uses a single PUT below the threshold, including empty files', () => {
    expect(layoutFor(0, defaults)).toEqual({ kind: 'single' });
    expect(layoutFor(16 * MiB - 1, defaults)).toEqual({ kind: 'single' });
  });

  it('uses the configured part size above the threshold', () => {
    expect(layoutFor(100 * MiB, defaults)).toEqual({
      kind: 'multipart',
      partSize: 8 * MiB,
      partCount: 13,
    });
  });

  it('grows parts so that a huge file fits in 10,000 parts, rounded up to 1 MiB', () => {
    const size = 200 * GiB;
    const layout = layoutFor(size, defaults);
    if (layout.kind !== 'multipart') throw new Error('expected multipart');
    expect(layout.partSize % MiB).toBe(0);
    expect(layout.partCount).toBeLessThanOrEqual(MAX_PARTS);
    expect(layout.partSize).toBe(Math.ceil(size / MAX_PARTS / MiB) * MiB);
  });

  it('handles files over 5 GiB even when the threshold is higher', () => {
    const layout = layoutFor(6 * GiB, { multipartThreshold: 100 * GiB, partSize: 8 * MiB });
    expect(layout.kind).toBe('multipart');
  });

  it('takes a 5 TiB file and refuses anything larger', () => {
    const layout = layoutFor(5 * TiB, defaults);
    if (layout.kind !== 'multipart') throw new Error('expected multipart');
    expect(layout.partCount).toBeLessThanOrEqual(MAX_PARTS);
    expect(layout.partSize).toBeLessThanOrEqual(5 * GiB);
    expect(() => layoutFor(5 * TiB + 1, defaults)).toThrow(/5 TiB/);
  });

  it('never goes below the 5 MiB minimum part size', () => {
    const layout = layoutFor(20 * MiB, { multipartThreshold: 16 * MiB, partSize: MiB });
    expect(layout).toMatchObject({ partSize: 5 * MiB, partCount: 4 });
  });

  it('gives the last part the remainder', () => {
    expect(partRange(20, 8, 3)).toEqual({ start: 16, end: 20 });
  });

  it('parses sizes users type', () => {
    expect(parseSize('8M')).toBe(8 * MiB);
    expect(parseSize('16MiB')).toBe(16 * MiB);
    expect(parseSize('1.5g')).toBe(1.5 * GiB);
    expect(parseSize('5242880')).toBe(5 * MiB);
    expect(() => parseSize('lots')).toThrow(/not a size/);
  });
});
