import { type Labels, labelKey } from './label-key';

/** A value per label set, set at scrape time or when it changes. */
export class Gauge {
  readonly #values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  /** Sets the series for `labels` (scrape-time use: renders the labels each call). */
  set(labels: Labels, value: number): void {
    this.#values.set(labelKey(labels), value);
  }

  /** Forgets every series (a gauge rebuilt at each scrape drops what no longer exists). */
  clear(): void {
    this.#values.clear();
  }

  /** The HELP, TYPE and sample lines. */
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} gauge\n`;
    for (const [key, value] of this.#values) out += `${this.name}{${key}} ${value}\n`;
    return out;
  }
}
