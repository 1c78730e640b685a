import type { SpanData } from './span-data';

/**
 * Finished spans encoded as they are added, into the body of one OTLP
 * export request (OTLP protobuf or OTLP/JSON). The exporter holds spans
 * waiting for export in this form, so what waits is text or bytes rather
 * than objects the garbage collector has to trace and promote.
 */
export interface SpanBatch {
  /** The body's `content-type`. */
  readonly contentType: string;
  /** Spans added since the last {@link SpanBatch.take}. */
  readonly count: number;
  /** Encodes one finished request's spans into the open batch. */
  add(spans: readonly SpanData[]): void;
  /** The export request body of the spans added so far; the next batch starts empty. */
  take(): string | Buffer;
}
