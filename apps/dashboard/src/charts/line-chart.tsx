/** One line of a {@link LineChart}: a value per step (null where there is none). */
export interface ChartLine {
  name: string;
  values: Array<number | null>;
  /** CSS class giving the line its colour (`line-1` … `line-6`). */
  tone: string;
}

/** Props of {@link LineChart}. */
export interface LineChartProps {
  title: string;
  lines: ChartLine[];
  /** Unix seconds of each step. */
  times: number[];
  format: (value: number) => string;
}

const W = 600;
const H = 170;
const PAD = { left: 58, right: 10, top: 10, bottom: 22 };

/**
 * A time series as plain SVG: polylines over three grid lines, the first
 * and last time under the axis. Hand-drawn instead of a chart library to
 * keep the page a few kilobytes; its accessible name says what it shows
 * and the latest value of each line, for screen readers.
 */
export function LineChart(props: LineChartProps) {
  const { lines, times, format } = props;
  let max = 0;
  for (const line of lines) for (const v of line.values) if (v !== null && v > max) max = v;
  const top = niceCeiling(max);
  const x = (i: number) =>
    PAD.left + (times.length <= 1 ? 0 : (i / (times.length - 1)) * (W - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + (1 - v / top) * (H - PAD.top - PAD.bottom);
  const latest = lines
    .map(l => {
      const last = [...l.values].reverse().find(v => v !== null);
      return `${l.name} ${last === undefined || last === null ? 'no data' : format(last)}`;
    })
    .join(', ');
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.title}: latest ${latest}`}>
        {[0, 0.5, 1].map(f => (
          <g key={f}>
            <line class="grid" x1={PAD.left} x2={W - PAD.right} y1={y(top * f)} y2={y(top * f)} />
            <text class="axis" x={PAD.left - 6} y={y(top * f) + 4} text-anchor="end">
              {format(top * f)}
            </text>
          </g>
        ))}
        {times.length > 0 && (
          <>
            <text class="axis" x={PAD.left} y={H - 4}>
              {clock(times[0]!)}
            </text>
            <text class="axis" x={W - PAD.right} y={H - 4} text-anchor="end">
              {clock(times[times.length - 1]!)}
            </text>
          </>
        )}
        {lines.map(line => (
          <polyline
            key={line.name}
            class={`line ${line.tone}`}
            points={pointsOf(line.values, x, y)}
          />
        ))}
      </svg>
      {lines.length > 1 && (
        <ul class="legend">
          {lines.map(l => (
            <li key={l.name}>
              <span class={`swatch ${l.tone}`} aria-hidden="true" />
              {l.name}
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}

/** Gaps (null) are drawn at zero: a step without requests has no latency, and no traffic is what happened. */
function pointsOf(
  values: Array<number | null>,
  x: (i: number) => number,
  y: (v: number) => number,
) {
  return values.map((v, i) => `${x(i).toFixed(1)},${y(v ?? 0).toFixed(1)}`).join(' ');
}

/** 1, 2 or 5 times a power of ten, at least `max` (and above zero). */
function niceCeiling(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

function clock(unixS: number): string {
  return new Date(unixS * 1000).toLocaleTimeString('en-GB', { hour12: false });
}
