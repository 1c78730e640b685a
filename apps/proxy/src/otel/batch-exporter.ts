import { request } from 'undici';
import type { OtelSettings } from './otel-settings';
import type { SpanData } from './span-data';

/** Why spans were dropped instead of exported. */
export type DropReason = 'queue_full' | 'export_failed';

/** Options for {@link BatchExporter}. */
export interface BatchExporterOptions {
  settings: Pick<
    OtelSettings,
    | 'endpoint'
    | 'headers'
    | 'exportTimeoutMs'
    | 'maxQueueSize'
    | 'maxExportBatchSize'
    | 'scheduleDelayMs'
  >;
  /** Encodes one batch as the request body. */
  encode(spans: readonly SpanData[]): string | Buffer;
  contentType: string;
  /** Counts spans that will never reach the collector. */
  onDropped(reason: DropReason, count: number): void;
  /** Counts spans the collector accepted. */
  onExported(count: number): void;
  /** Told about a failed export (once per failure streak, so a down collector is one log line). */
  onExportError(error: unknown): void;
}

/**
 * The batch span processor and OTLP/HTTP exporter in one: finished spans
 * wait in a bounded queue and go out in batches from a timer, one export at
 * a time, never on a request's path. A collector that is down or slow
 * costs requests nothing: the queue fills, later spans are dropped and
 * counted, and a failed export is not retried (the spans are counted as
 * dropped) so a backlog cannot build up behind a dead collector.
 */
export class BatchExporter {
  readonly #o: BatchExporterOptions;
  #queue: SpanData[] = [];
  #timer: NodeJS.Timeout | undefined;
  #exporting: Promise<void> | undefined;
  #failing = false;

  constructor(options: BatchExporterOptions) {
    this.#o = options;
  }

  /** Queues a finished request's spans; returns at once. */
  add(spans: readonly SpanData[]): void {
    const { maxQueueSize, maxExportBatchSize, scheduleDelayMs } = this.#o.settings;
    if (this.#queue.length + spans.length > maxQueueSize) {
      this.#o.onDropped('queue_full', spans.length);
      return;
    }
    for (const s of spans) this.#queue.push(s);
    if (this.#queue.length >= maxExportBatchSize) this.#kick();
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#kick(), scheduleDelayMs);
      // Waiting spans never keep the process alive; shutdown flushes them.
      this.#timer.unref();
    }
  }

  /** Spans waiting for export. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Exports everything queued (waiting for an export already under way first). */
  async flush(): Promise<void> {
    this.#clearTimer();
    while (this.#exporting !== undefined || this.#queue.length > 0) {
      if (this.#exporting === undefined) this.#kick();
      await this.#exporting;
    }
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #kick(): void {
    this.#clearTimer();
    if (this.#exporting !== undefined || this.#queue.length === 0) return;
    this.#exporting = this.#drain().finally(() => {
      this.#exporting = undefined;
      // Spans that arrived during the export wait for their own timer.
      if (this.#queue.length > 0 && this.#timer === undefined) {
        this.#timer = setTimeout(() => this.#kick(), this.#o.settings.scheduleDelayMs);
        this.#timer.unref();
      }
    });
  }

  async #drain(): Promise<void> {
    const { maxExportBatchSize } = this.#o.settings;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, maxExportBatchSize);
      // After a failure the rest waits for the next timer: one attempt per delay at a dead collector.
      if (!(await this.#send(batch))) return;
    }
  }

  async #send(batch: SpanData[]): Promise<boolean> {
    const { endpoint, headers, exportTimeoutMs } = this.#o.settings;
    try {
      const body = this.#o.encode(batch);
      const res = await request(endpoint, {
        method: 'POST',
        headers: { ...headers, 'content-type': this.#o.contentType },
        body,
        signal: AbortSignal.timeout(exportTimeoutMs),
      });
      await res.body.dump();
      if (res.statusCode < 200 || res.statusCode >= 300)
        throw new Error(`the collector answered ${res.statusCode}`);
      this.#failing = false;
      this.#o.onExported(batch.length);
      return true;
    } catch (error) {
      this.#o.onDropped('export_failed', batch.length);
      if (!this.#failing) this.#o.onExportError(error);
      this.#failing = true;
      return false;
    }
  }
}
