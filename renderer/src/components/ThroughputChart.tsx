import { useEffect, useState } from 'react';
import { useAppStore } from '../context';
import { formatRate } from '../format';
import { pushSample, sparklinePaths } from '../sparkline';
import { activityOf } from '../store/queue';

const WIDTH = 160;
const HEIGHT = 40;

/**
 * Samples the overall rate once a second straight from the store instead of subscribing, so
 * ten progress updates a second never re-render the chart.
 */
function useRateSamples(): number[] {
  const store = useAppStore();
  const [samples, setSamples] = useState<number[]>([]);
  useEffect(() => {
    const timer = setInterval(() => {
      const state = store.getState();
      // Same rule as the header's speed: main's rate decays slowly after the last byte.
      const rate = activityOf(state.items) === 'active' ? state.overall.rate : 0;
      setSamples((previous) => pushSample(previous, rate));
    }, 1000);
    return () => clearInterval(timer);
  }, [store]);
  return samples;
}

export function ThroughputChart() {
  const samples = useRateSamples();
  const { line, area } = sparklinePaths(samples, WIDTH, HEIGHT);
  const peak = samples.length ? Math.max(...samples) : 0;
  return (
    <figure className="throughput">
      <svg
        className="throughput-chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width={WIDTH}
        height={HEIGHT}
        role="img"
        aria-label={`Throughput over the last minute, peak ${formatRate(peak)}`}
      >
        <line className="throughput-base" x1={0} y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} />
        <path className="throughput-area" d={area} />
        <path className="throughput-line" d={line} />
      </svg>
      <figcaption className="throughput-caption">
        <span>Last 60 s</span>
        <span>peak {formatRate(peak)}</span>
      </figcaption>
    </figure>
  );
}
