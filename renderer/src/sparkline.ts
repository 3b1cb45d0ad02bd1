/** One sample per second over the last minute. */
export const SAMPLE_CAPACITY = 60;

export function pushSample(samples: readonly number[], value: number, capacity = SAMPLE_CAPACITY) {
  const next = [...samples, Math.max(0, Number.isFinite(value) ? value : 0)];
  return next.length > capacity ? next.slice(next.length - capacity) : next;
}

export interface SparklinePaths {
  line: string;
  area: string;
}

/**
 * Newest sample at the right edge; older ones scroll left, so the chart fills up from the
 * right during the first minute instead of stretching a few points across the whole width.
 */
export function sparklinePaths(
  samples: readonly number[],
  width: number,
  height: number,
  capacity = SAMPLE_CAPACITY,
): SparklinePaths {
  if (samples.length === 0) return { line: '', area: '' };
  const peak = Math.max(...samples);
  const step = width / (capacity - 1);
  const top = 1;
  const usable = height - top - 1;
  const points = samples.map((value, index) => {
    const x = width - (samples.length - 1 - index) * step;
    const y = peak > 0 ? top + usable * (1 - value / peak) : height - 1;
    return `${round(x)},${round(y)}`;
  });
  const line = `M${points.join('L')}`;
  const firstX = round(width - (samples.length - 1) * step);
  return { line, area: `${line}L${round(width)},${height}L${firstX},${height}Z` };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
