/** Props of {@link BarChart}. */
export interface BarChartProps {
  title: string;
  bars: Array<{ label: string; value: number }>;
  format: (value: number) => string;
}

const W = 600;
const H = 170;
const PAD = { left: 58, right: 10, top: 10, bottom: 22 };

/** Daily totals as plain SVG bars, each with its value in a tooltip and the whole in the accessible name. */
export function BarChart(props: BarChartProps) {
  const { bars, format } = props;
  const max = Math.max(0, ...bars.map(b => b.value)) || 1;
  const slot = (W - PAD.left - PAD.right) / Math.max(1, bars.length);
  const inner = H - PAD.top - PAD.bottom;
  const total = bars.reduce((n, b) => n + b.value, 0);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${props.title}: ${bars.length} days, ${format(total)} in all`}
      >
        <line
          class="grid"
          x1={PAD.left}
          x2={W - PAD.right}
          y1={PAD.top + inner}
          y2={PAD.top + inner}
        />
        <text class="axis" x={PAD.left - 6} y={PAD.top + 8} text-anchor="end">
          {format(max)}
        </text>
        {bars.map((b, i) => {
          const h = (b.value / max) * inner;
          return (
            <rect
              key={b.label}
              class="bar"
              x={PAD.left + i * slot + slot * 0.15}
              y={PAD.top + inner - h}
              width={slot * 0.7}
              height={h}
            >
              <title>{`${b.label}: ${format(b.value)}`}</title>
            </rect>
          );
        })}
        {bars.length > 0 && (
          <>
            <text class="axis" x={PAD.left} y={H - 4}>
              {bars[0]!.label}
            </text>
            <text class="axis" x={W - PAD.right} y={H - 4} text-anchor="end">
              {bars[bars.length - 1]!.label}
            </text>
          </>
        )}
      </svg>
    </figure>
  );
}
