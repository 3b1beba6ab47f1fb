/**
 * Hand-made SVG charts (a few hundred bytes instead of a charting library): a ring gauge for
 * one share and a stacked bar for counts by state. Each is an image with a text alternative.
 */

export function Gauge({
  label,
  percent,
  detail,
}: {
  label: string;
  percent: number | null | undefined;
  detail: string;
}) {
  const value = percent == null ? 0 : Math.max(0, Math.min(100, percent));
  const r = 26;
  const circumference = 2 * Math.PI * r;
  const tone = value >= 90 ? 'bad' : value >= 70 ? 'warn' : 'ok';
  const shown = percent == null ? '—' : `${Math.round(percent)}%`;
  return (
    <figure className="gauge">
      <svg
        viewBox="0 0 64 64"
        width="72"
        height="72"
        role="img"
        aria-label={`${label}: ${shown}, ${detail}`}
      >
        <circle cx="32" cy="32" r={r} className="gauge-track" />
        <circle
          cx="32"
          cy="32"
          r={r}
          className={`gauge-value gauge-${tone}`}
          strokeDasharray={`${(value / 100) * circumference} ${circumference}`}
          transform="rotate(-90 32 32)"
        />
        <text x="32" y="36" textAnchor="middle" className="gauge-text">
          {shown}
        </text>
      </svg>
      <figcaption>
        <span className="gauge-label">{label}</span>
        <span className="gauge-detail">{detail}</span>
      </figcaption>
    </figure>
  );
}

export interface BarPart {
  readonly label: string;
  readonly value: number;
  readonly tone: 'ok' | 'warn' | 'bad' | 'unknown';
}

export function StackedBar({ label, parts }: { label: string; parts: readonly BarPart[] }) {
  const total = parts.reduce((sum, p) => sum + p.value, 0);
  const text = parts.map((p) => `${p.label} ${p.value}`).join(', ');
  let x = 0;
  return (
    <figure className="stacked-bar">
      <svg
        viewBox="0 0 100 8"
        preserveAspectRatio="none"
        role="img"
        aria-label={`${label}: ${text}`}
      >
        <rect x="0" y="0" width="100" height="8" className="bar-track" />
        {parts.map((p) => {
          const width = total === 0 ? 0 : (p.value / total) * 100;
          const rect = (
            <rect key={p.label} x={x} y="0" width={width} height="8" className={`bar-${p.tone}`} />
          );
          x += width;
          return rect;
        })}
      </svg>
      <figcaption>
        {label}: {text}
      </figcaption>
    </figure>
  );
}
