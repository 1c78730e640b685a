import { HttpClient } from '@switchyard/core';
import { type EngineLoad, engineLoadFromMetrics } from './engine-sample';

/** Options of {@link EngineLoadPoller}. */
export interface EngineLoadPollerOptions {
  /** Deployment id → metrics URL (several ids may share one URL: one server, one poll). */
  targets: ReadonlyMap<string, string>;
  intervalMs: number;
  /** Deadline of one poll. */
  timeoutMs: number;
  /** A sample older than this is ignored. */
  staleAfterMs: number;
  clock: () => number;
}

/**
 * Polls each engine's `/metrics` in the background — never on a request's
 * path — and keeps the last good sample per server. A failed poll drops the
 * server's sample, and a sample older than `staleAfterMs` is not used, so
 * callers fall back to their own counts instead of trusting old numbers or
 * failing. The timer is unref'd: a forgotten poller never keeps a process
 * alive; {@link EngineLoadPoller.close} stops it.
 */
export class EngineLoadPoller {
  readonly #options: EngineLoadPollerOptions;
  readonly #urls: string[];
  readonly #samples = new Map<string, EngineLoad>();
  /** Picks per deployment since its server's last sample (load the engine cannot show yet). */
  readonly #picksSince = new Map<string, number>();
  readonly #http: HttpClient;
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> | undefined;
  #closed = false;

  constructor(options: EngineLoadPollerOptions) {
    this.#options = options;
    this.#urls = [...new Set(options.targets.values())];
    this.#http = new HttpClient({
      connectTimeoutMs: options.timeoutMs,
      headersTimeoutMs: options.timeoutMs,
      bodyTimeoutMs: options.timeoutMs,
      maxResponseBytes: 8 * 1024 * 1024,
    });
  }

  /** Polls now, then every interval. */
  start(): void {
    if (this.#urls.length === 0 || this.#timer !== undefined || this.#closed) return;
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), this.#options.intervalMs);
    this.#timer.unref();
  }

  /**
   * Runs a poll of every server and resolves when it is done (after the
   * round already running, if any, so the result reflects the engines as
   * they are now). Never rejects.
   */
  refresh(): Promise<void> {
    const previous = this.#round ?? Promise.resolve();
    const round = previous.then(() => this.#pollAll());
    this.#round = round;
    void round.finally(() => {
      if (this.#round === round) this.#round = undefined;
    });
    return round;
  }

  /** The deployment's engine load, or undefined when unknown, failed or stale. */
  load(id: string): EngineLoad | undefined {
    const url = this.#options.targets.get(id);
    if (url === undefined) return undefined;
    const sample = this.#samples.get(url);
    if (sample === undefined) return undefined;
    if (this.#options.clock() - sample.at > this.#options.staleAfterMs) return undefined;
    return sample;
  }

  /** Requests routed to `id` since its engine's last sample. */
  picksSince(id: string): number {
    return this.#picksSince.get(id) ?? 0;
  }

  /** Counts a routing decision, so a burst between two polls is spread rather than herded. */
  notePick(id: string): void {
    this.#picksSince.set(id, (this.#picksSince.get(id) ?? 0) + 1);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#round?.catch(() => undefined);
    await this.#http.close();
  }

  async #pollAll(): Promise<void> {
    if (this.#closed) return;
    await Promise.all(this.#urls.map(url => this.#pollOne(url)));
  }

  async #pollOne(url: string): Promise<void> {
    let sample: EngineLoad | undefined;
    try {
      const res = await this.#http.bytes({ url, timeoutMs: this.#options.timeoutMs });
      sample = engineLoadFromMetrics(Buffer.from(res.data).toString('utf8'), this.#options.clock());
    } catch {
      // Unreachable or failing: no sample, so the router uses its own in-flight counts.
      sample = undefined;
    }
    if (sample === undefined) this.#samples.delete(url);
    else this.#samples.set(url, sample);
    for (const [id, target] of this.#options.targets) {
      if (target === url) this.#picksSince.delete(id);
    }
  }
}
