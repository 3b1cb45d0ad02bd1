interface ProgressBarProps {
  /** 0..1 */
  value: number;
  label: string;
  /** Colors the fill: an item state, or "overall" for the header. */
  tone: string;
  testId?: string;
}

export function ProgressBar({ value, label, tone, testId }: ProgressBarProps) {
  const percent = Math.round(value * 100);
  return (
    <div
      className={`progress tone-${tone}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      data-testid={testId}
    >
      <div className="progress-fill" style={{ width: `${value * 100}%` }} />
    </div>
  );
}
