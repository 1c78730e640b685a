import type { SpanBatch } from './span-batch';
import {
  type Attributes,
  type AttributeValue,
  DOUBLE_ATTRIBUTES,
  type SpanData,
} from './span-data';

/** The instrumentation scope every span is reported under. */
export interface Scope {
  name: string;
  version: string;
}

const str = JSON.stringify;

/**
 * Spans encoded as an OTLP `ExportTraceServiceRequest` in OTLP/JSON the
 * moment they are added: the protobuf JSON mapping with OTLP's exceptions
 * — trace and span ids as hex strings, enum values as numbers — and 64-bit
 * integers as decimal strings. Written as text directly: building the
 * object tree first and stringifying it cost several times as much per span.
 */
export class JsonBatch implements SpanBatch {
  readonly contentType = 'application/json';
  readonly #head: string;
  #spans = '';
  #count = 0;

  constructor(resource: Readonly<Record<string, string>>, scope: Scope) {
    this.#head = `{"resourceSpans":[{"resource":{"attributes":${keyValues(resource)}},"scopeSpans":[{"scope":{"name":${str(scope.name)},"version":${str(scope.version)}},"spans":[`;
  }

  get count(): number {
    return this.#count;
  }

  add(spans: readonly SpanData[]): void {
    for (const s of spans) {
      this.#spans += this.#count++ > 0 ? `,${spanJson(s)}` : spanJson(s);
    }
  }

  take(): string {
    const body = `${this.#head}${this.#spans}]}]}]}`;
    this.#spans = '';
    this.#count = 0;
    return body;
  }
}

function spanJson(s: SpanData): string {
  let out = `{"traceId":"${s.traceId}","spanId":"${s.spanId}"`;
  if (s.parentSpanId !== undefined) out += `,"parentSpanId":"${s.parentSpanId}"`;
  out += `,"name":${str(s.name)},"kind":${s.kind},"startTimeUnixNano":"${s.startNs}","endTimeUnixNano":"${s.endNs}","attributes":${keyValues(s.attributes)}`;
  if (s.events.length > 0) {
    out += ',"events":[';
    s.events.forEach((e, i) => {
      out += `${i > 0 ? ',' : ''}{"timeUnixNano":"${e.timeNs}","name":${str(e.name)},"attributes":${keyValues(e.attributes ?? {})}}`;
    });
    out += ']';
  }
  const { code, message } = s.status;
  out +=
    message === undefined
      ? `,"status":{"code":${code}}}`
      : `,"status":{"code":${code},"message":${str(message)}}}`;
  return out;
}

function keyValues(attributes: Attributes | Readonly<Record<string, string>>): string {
  let out = '[';
  let first = true;
  for (const key in attributes) {
    out += `${first ? '' : ','}{"key":${str(key)},"value":${anyValue(key, attributes[key]!)}}`;
    first = false;
  }
  return `${out}]`;
}

function anyValue(key: string, value: AttributeValue): string {
  if (typeof value === 'string') return `{"stringValue":${str(value)}}`;
  if (typeof value === 'boolean') return `{"boolValue":${value}}`;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !DOUBLE_ATTRIBUTES.has(key)) return `{"intValue":"${value}"}`;
    // JSON has no NaN or Infinity; the attributes set here are finite, but a bad one must not break the batch.
    return `{"doubleValue":${Number.isFinite(value) ? value : 0}}`;
  }
  return `{"arrayValue":{"values":[${value.map(v => `{"stringValue":${str(v)}}`).join(',')}]}}`;
}
