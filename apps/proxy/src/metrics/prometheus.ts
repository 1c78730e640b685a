/**
 * A minimal Prometheus registry: counters, gauges and histograms keyed by a
 * pre-rendered label string, exposed in the text format. Recording is a Map
 * lookup and an add — nothing allocates per sample beyond the first time a
 * label set is seen — so it can sit on the request path.
 */

type Labels = Record<string, string>;

/** Renders labels once, in the text format's escaping. */
export function labelKey(labels: Labels): string {
  // Escaping runs once per distinct label set, not on every observation.
  let raw = '';
  for (const name in labels) raw += `${name}\u0000${labels[name]}\u0001`;
  let key = renderedKeys.get(raw);
  if (key === undefined) {
    key = escapeLabels(labels);
    if (renderedKeys.size >= RENDERED_KEY_LIMIT) renderedKeys.clear();
    renderedKeys.set(raw, key);
  }
  return key;
}

const RENDERED_KEY_LIMIT = 10_000;
const renderedKeys = new Map<string, string>();

function escapeLabels(labels: Labels): string {
  let out = '';
  for (const name in labels) {
    const value = labels[name]!.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
    out += `${out === '' ? '' : ','}${name}="${value}"`;
  }
  return out;
}

interface Metric {
  render(): string;
}

/** A monotonically increasing count per label set. */
export class Counter implements Metric {
  readonly #values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels, by = 1): void {
    const key = labelKey(labels);
    this.#values.set(key, (this.#values.get(key) ?? 0) + by);
  }

  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} counter\n`;
    for (const [key, value] of this.#values) out += `${this.name}{${key}} ${value}\n`;
    return out;
  }
}

/** A value per label set, set at scrape time or when it changes. */
export class Gauge implements Metric {
  readonly #values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  set(labels: Labels, value: number): void {
    this.#values.set(labelKey(labels), value);
  }

  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} gauge\n`;
    for (const [key, value] of this.#values) out += `${this.name}{${key}} ${value}\n`;
    return out;
  }
}

interface Series {
  buckets: number[];
  sum: number;
  count: number;
}

/** Seconds, from sub-millisecond overheads to multi-minute generations. */
export const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300,
];

/** Cumulative buckets per label set. */
export class Histogram implements Metric {
  readonly #series = new Map<string, Series>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[] = LATENCY_BUCKETS,
  ) {}

  observe(labels: Labels, value: number): void {
    const key = labelKey(labels);
    let series = this.#series.get(key);
    if (!series) {
      series = { buckets: new Array<number>(this.bounds.length).fill(0), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    for (let i = 0; i < this.bounds.length; i++) if (value <= this.bounds[i]!) series.buckets[i]!++;
    series.sum += value;
    series.count++;
  }

  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`;
    for (const [key, s] of this.#series) {
      const sep = key === '' ? '' : ',';
      for (let i = 0; i < this.bounds.length; i++) {
        out += `${this.name}_bucket{${key}${sep}le="${this.bounds[i]}"} ${s.buckets[i]}\n`;
      }
      out += `${this.name}_bucket{${key}${sep}le="+Inf"} ${s.count}\n`;
      out += `${this.name}_sum{${key}} ${s.sum}\n${this.name}_count{${key}} ${s.count}\n`;
    }
    return out;
  }
}
