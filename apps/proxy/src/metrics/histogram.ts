import { type Labels, labelKey } from './label-key';

/** One histogram series, resolved once; observing is a bucket search and three adds. */
export interface HistogramHandle {
  /** Records one observation. */
  observe(value: number): void;
}

/** Seconds, from sub-millisecond overheads to multi-minute generations. */
export const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300,
];

/**
 * The first bucket whose upper bound is >= `value`, or `bounds.length` when
 * none is (including NaN, which no finite bucket counts).
 */
export function bucketIndex(bounds: Float64Array, value: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= bounds[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

class HistogramSeries implements HistogramHandle {
  /**
   * Observations per bucket, not cumulative: one increment per observation
   * instead of one per bucket above it. The cumulative `le` counts are
   * summed at render time. The last slot takes values above every bound.
   */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  #listed = false;
  constructor(
    readonly key: string,
    private readonly bounds: Float64Array,
    private readonly order: HistogramSeries[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    // Exposed from the first observation on, in first-observation order.
    if (!this.#listed) {
      this.#listed = true;
      this.order.push(this);
    }
    this.counts[bucketIndex(this.bounds, value)]!++;
    this.sum += value;
    this.count++;
  }
}

/** Cumulative buckets per label set. */
export class Histogram {
  readonly #bounds: Float64Array;
  readonly #byKey = new Map<string, HistogramSeries>();
  readonly #listed: HistogramSeries[] = [];
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[] = LATENCY_BUCKETS,
  ) {
    // Counting each observation in one bucket only matches "every bucket
    // whose bound is >= the value" when the bounds are in ascending order.
    for (let i = 1; i < bounds.length; i++) {
      if (!(bounds[i]! >= bounds[i - 1]!))
        throw new RangeError(`${name}: bucket bounds must be ascending`);
    }
    this.#bounds = Float64Array.from(bounds);
  }

  /** The series for `labels`; every handle for one label set shares its series. */
  handle(labels: Labels): HistogramHandle {
    const key = labelKey(labels);
    let series = this.#byKey.get(key);
    if (series === undefined) {
      series = new HistogramSeries(key, this.#bounds, this.#listed);
      this.#byKey.set(key, series);
    }
    return series;
  }

  /** Records `value` for `labels`; hot paths should hold a {@link handle} instead. */
  observe(labels: Labels, value: number): void {
    this.handle(labels).observe(value);
  }

  /** The HELP, TYPE and bucket/sum/count lines. */
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`;
    for (const s of this.#listed) {
      const key = s.key;
      const sep = key === '' ? '' : ',';
      let cumulative = 0;
      for (let i = 0; i < this.#bounds.length; i++) {
        cumulative += s.counts[i]!;
        out += `${this.name}_bucket{${key}${sep}le="${this.#bounds[i]}"} ${cumulative}\n`;
      }
      out += `${this.name}_bucket{${key}${sep}le="+Inf"} ${s.count}\n`;
      out += `${this.name}_sum{${key}} ${s.sum}\n${this.name}_count{${key}} ${s.count}\n`;
    }
    return out;
  }
}
