import { type Labels, labelKey } from './label-key';

/** One counter series, resolved once; adding to it is a field update. */
export interface CounterHandle {
  /** Adds `by` (default 1) to the series. */
  inc(by?: number): void;
}

class CounterSeries implements CounterHandle {
  value = 0;
  #listed = false;
  constructor(
    readonly key: string,
    private readonly order: CounterSeries[],
  ) {}

  inc(by = 1): void {
    // A series is exposed from its first increment on, in first-increment
    // order, so resolving a handle early never adds a line to the output.
    if (!this.#listed) {
      this.#listed = true;
      this.order.push(this);
    }
    this.value += by;
  }
}

/** A monotonically increasing count per label set. */
export class Counter {
  readonly #byKey = new Map<string, CounterSeries>();
  readonly #listed: CounterSeries[] = [];
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  /**
   * The series for `labels`. Every handle for the same label set writes to
   * the same series, so handles can be cached, dropped and resolved again.
   */
  handle(labels: Labels): CounterHandle {
    const key = labelKey(labels);
    let series = this.#byKey.get(key);
    if (series === undefined) {
      series = new CounterSeries(key, this.#listed);
      this.#byKey.set(key, series);
    }
    return series;
  }

  /** Adds `by` to the series for `labels`; hot paths should hold a {@link handle} instead. */
  inc(labels: Labels, by = 1): void {
    this.handle(labels).inc(by);
  }

  /** The HELP, TYPE and sample lines. */
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} counter\n`;
    for (const s of this.#listed)
      out += `${this.name}${s.key === '' ? '' : `{${s.key}}`} ${s.value}\n`;
    return out;
  }
}
