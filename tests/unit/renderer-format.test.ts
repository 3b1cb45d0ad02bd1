import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatRate,
  fraction,
  plural,
  preparingMessage,
} from '../../renderer/src/format';
import { destinationUrl, fileName, normalizePrefix } from '../../renderer/src/keys';
import { pushSample, sparklinePaths } from '../../renderer/src/sparkline';

describe('renderer formatting', () => {
  it('words a batch interrupted while preparing by the files listed, or what was dropped', () => {
    expect(preparingMessage({ files: 3000, sources: 1 })).toBe(
      'Interrupted while preparing 3,000 files',
    );
    expect(preparingMessage({ files: 1, sources: 2 })).toBe('Interrupted while preparing 1 file');
    expect(preparingMessage({ files: 0, sources: 1 })).toBe(
      'Interrupted while preparing 1 dropped item',
    );
  });

  it('shows bytes in decimal units with one decimal', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1.0 KB');
    expect(formatBytes(12_345_678)).toBe('12.3 MB');
    expect(formatBytes(999_960)).toBe('1.0 MB');
    expect(formatBytes(5_600_000_000)).toBe('5.6 GB');
    expect(formatBytes(Number.NaN)).toBe('0 B');
  });

  it('shows rates per second', () => {
    expect(formatRate(4_500_000)).toBe('4.5 MB/s');
    expect(formatRate(0)).toBe('0 B/s');
  });

  it('shows durations compactly and a dash when unknown', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(3599)).toBe('59m59s');
    expect(formatDuration(7620)).toBe('2h07m');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('—');
  });

  it('counts with separators and plurals', () => {
    expect(formatCount(10000)).toBe('10,000');
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(2, 'file')).toBe('2 files');
    expect(plural(0, 'file')).toBe('0 files');
  });

  it('clamps fractions and treats empty totals as zero', () => {
    expect(fraction(5, 10)).toBe(0.5);
    expect(fraction(20, 10)).toBe(1);
    expect(fraction(0, 0)).toBe(0);
  });
});

describe('renderer key preview', () => {
  it('normalizes prefixes the way main does', () => {
    expect(normalizePrefix('')).toEqual({ ok: true, prefix: '' });
    expect(normalizePrefix('/photos//2024')).toEqual({ ok: true, prefix: 'photos//2024/' });
    expect(normalizePrefix('a\\b\\')).toEqual({ ok: true, prefix: 'a/b/' });
    expect(normalizePrefix('a/../b').ok).toBe(false);
  });

  it('builds the destination URL only when it is complete', () => {
    expect(destinationUrl({ bucket: 'pics', prefix: 'trip' })).toBe('s3://pics/trip/');
    expect(destinationUrl({ bucket: 'pics', prefix: '' })).toBe('s3://pics/');
    expect(destinationUrl({ bucket: ' ', prefix: 'trip' })).toBeNull();
    expect(destinationUrl({ bucket: 'pics', prefix: './x' })).toBeNull();
  });

  it('takes the last key segment as the file name', () => {
    expect(fileName('a/b/IMG_1.jpg')).toBe('IMG_1.jpg');
    expect(fileName('IMG_1.jpg')).toBe('IMG_1.jpg');
  });
});

describe('renderer throughput sparkline', () => {
  it('keeps the last minute of samples', () => {
    let samples: number[] = [];
    for (let i = 0; i < 70; i++) samples = pushSample(samples, i);
    expect(samples).toHaveLength(60);
    expect(samples[0]).toBe(10);
    expect(pushSample([], Number.NaN)).toEqual([0]);
  });

  it('anchors the newest sample at the right edge and scales to the peak', () => {
    const { line, area } = sparklinePaths([0, 50, 100], 118, 40, 60);
    expect(line).toBe('M114,39L116,20L118,1');
    expect(area.endsWith('L118,40L114,40Z')).toBe(true);
    expect(sparklinePaths([], 100, 40)).toEqual({ line: '', area: '' });
    expect(sparklinePaths([0, 0], 118, 40, 60).line).toBe('M116,39L118,39');
  });
});
