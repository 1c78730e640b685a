import { request } from 'undici';
import type { OtelSettings } from './otel-settings';
import type { SpanBatch } from './span-batch';
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
  /** Encodes spans as they are added (OTLP protobuf or JSON). */
  batch: SpanBatch;
  /** Counts spans that will never reach the collector. */
  onDropped(reason: DropReason, count: number): void;
  /** Counts spans the collector accepted. */
  onExported(count: number): void;
  /** Told about a failed export (once per failure streak, so a down collector is one log line). */
  onExportError(error: unknown): void;
}

/** An encoded batch waiting for export. */
interface Sealed {
  body: string | Buffer;
  count: number;
}

/**
 * The batch span processor and OTLP/HTTP exporter in one: finished spans
 * are encoded at once into the open batch; a batch goes out when it is
 * full or when the schedule delay has passed since its first span, one
 * export at a time, never on a request's path. A collector that is down or
 * slow costs requests nothing: the queue fills, later spans are dropped and
 * counted, and a failed export is not retried (the spans are counted as
 * dropped) so a backlog cannot build up behind a dead collector.
 */
export class BatchExporter {
  readonly #o: BatchExporterOptions;
  readonly #ready: Sealed[] = [];
  /** Spans sealed in {@link BatchExporter.#ready}. */
  #readyCount = 0;
  #timer: NodeJS.Timeout | undefined;
  #exporting: Promise<void> | undefined;
  #failing = false;

  constructor(options: BatchExporterOptions) {
    this.#o = options;
  }

  /** Queues a finished request's spans; returns at once. */
  add(spans: readonly SpanData[]): void {
    const { maxQueueSize, maxExportBatchSize } = this.#o.settings;
    const batch = this.#o.batch;
    if (this.queued + spans.length > maxQueueSize) {
      this.#o.onDropped('queue_full', spans.length);
      return;
    }
    if (batch.count > 0 && batch.count + spans.length > maxExportBatchSize) this.#seal();
    batch.add(spans);
    if (batch.count >= maxExportBatchSize) {
      this.#seal();
      this.#kick();
    } else if (this.#timer === undefined && this.#exporting === undefined) this.#arm();
  }

  /** Spans waiting for export. */
  get queued(): number {
    return this.#readyCount + this.#o.batch.count;
  }

  /** Exports everything queued (waiting for an export already under way first). */
  async flush(): Promise<void> {
    this.#clearTimer();
    while (this.#exporting !== undefined || this.queued > 0) {
      if (this.#exporting === undefined) this.#kick();
      await this.#exporting;
    }
  }

  #arm(): void {
    this.#timer = setTimeout(() => this.#kick(), this.#o.settings.scheduleDelayMs);
    // Waiting spans never keep the process alive; shutdown flushes them.
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #seal(): void {
    const batch = this.#o.batch;
    if (batch.count === 0) return;
    const count = batch.count;
    this.#ready.push({ count, body: batch.take() });
    this.#readyCount += count;
  }

  #kick(): void {
    this.#clearTimer();
    if (this.#exporting !== undefined) return;
    // The timer (or a flush) sends what waited, a partial batch too.
    if (this.#ready.length === 0) this.#seal();
    if (this.#ready.length === 0) return;
    this.#exporting = this.#drain().finally(() => {
      this.#exporting = undefined;
      // Spans that arrived during the export wait for their own timer.
      if (this.queued > 0 && this.#timer === undefined) this.#arm();
    });
  }

  async #drain(): Promise<void> {
    for (let next = this.#ready.shift(); next !== undefined; next = this.#ready.shift()) {
      this.#readyCount -= next.count;
      // After a failure the rest waits for the next timer: one attempt per delay at a dead collector.
      if (!(await this.#send(next))) return;
    }
  }

  async #send(batch: Sealed): Promise<boolean> {
    const { endpoint, headers, exportTimeoutMs } = this.#o.settings;
    try {
      const res = await request(endpoint, {
        method: 'POST',
        headers: { ...headers, 'content-type': this.#o.batch.contentType },
        body: batch.body,
        signal: AbortSignal.timeout(exportTimeoutMs),
      });
      await res.body.dump();
      if (res.statusCode < 200 || res.statusCode >= 300)
        throw new Error(`the collector answered ${res.statusCode}`);
      this.#failing = false;
      this.#o.onExported(batch.count);
      return true;
    } catch (error) {
      this.#o.onDropped('export_failed', batch.count);
      if (!this.#failing) this.#o.onExportError(error);
      this.#failing = true;
      return false;
    }
  }
}
