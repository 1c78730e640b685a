/** An attribute value as OTLP carries it (arrays only of strings here). */
export type AttributeValue = string | number | boolean | readonly string[];

/** Attributes by name. */
export type Attributes = Record<string, AttributeValue>;

/** OTLP's `Span.SpanKind` numbers. */
export const SpanKind = { INTERNAL: 1, SERVER: 2, CLIENT: 3 } as const;

/** OTLP's `Status.StatusCode` numbers. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

/** A timestamped event on a span. */
export interface SpanEvent {
  name: string;
  /** Unix epoch, nanoseconds. */
  timeNs: bigint;
  attributes?: Attributes;
}

/** One finished span, ready to encode. */
export interface SpanData {
  traceId: string;
  spanId: string;
  /** Undefined for a root span. */
  parentSpanId: string | undefined;
  name: string;
  kind: (typeof SpanKind)[keyof typeof SpanKind];
  startNs: bigint;
  endNs: bigint;
  attributes: Attributes;
  events: SpanEvent[];
  status: { code: (typeof StatusCode)[keyof typeof StatusCode]; message?: string };
}

/**
 * Attributes the semantic conventions type as double: written as doubles
 * even when the value is whole (`temperature: 1`), so a backend sees one
 * type per attribute.
 */
export const DOUBLE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'gen_ai.request.temperature',
  'gen_ai.request.top_p',
  'gen_ai.request.top_k',
  'gen_ai.request.frequency_penalty',
  'gen_ai.request.presence_penalty',
]);

const ORIGIN_US = BigInt(Math.round(performance.timeOrigin * 1000));

/**
 * A `performance.now()` reading as Unix nanoseconds. The sum is done in
 * integers of microseconds: as a float of nanoseconds it would exceed 2^53
 * and lose the digits that order spans.
 */
export function monotonicToUnixNs(ms: number): bigint {
  return (ORIGIN_US + BigInt(Math.round(ms * 1000))) * 1000n;
}

/** A `Date.now()` reading as Unix nanoseconds. */
export function epochMsToUnixNs(ms: number): bigint {
  return BigInt(Math.round(ms * 1000)) * 1000n;
}
