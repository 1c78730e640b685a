import type { Scope } from './otlp-json';
import { delimitedSize, ProtoWriter } from './proto-writer';
import type { SpanBatch } from './span-batch';
import {
  type Attributes,
  type AttributeValue,
  DOUBLE_ATTRIBUTES,
  type SpanData,
  type SpanEvent,
} from './span-data';

/**
 * Spans encoded as OTLP protobuf binary the moment they are added, into the
 * body of one `ExportTraceServiceRequest`: written from the field numbers of
 * opentelemetry-proto's `trace.proto`, `common.proto` and `resource.proto`
 * (no protobuf runtime needed for the handful of messages a trace export
 * uses). Waiting spans are held as bytes, not as objects: objects kept
 * for seconds would outlive the young generation and make the garbage
 * collector's slow work.
 */
export class ProtobufBatch implements SpanBatch {
  readonly contentType = 'application/x-protobuf';
  /** The `Span` messages (field 2 of `ScopeSpans`) of the open batch. */
  readonly #spans = new ProtoWriter(64 * 1024);
  /** `ScopeSpans.scope` (1) and `ResourceSpans.resource` (1), the same in every batch. */
  readonly #scope: Buffer;
  readonly #resource: Buffer;
  #count = 0;

  constructor(resource: Readonly<Record<string, string>>, scope: Scope) {
    const w = new ProtoWriter();
    writeAttributes(w, 1, resource);
    const r = Buffer.from(w.view());
    w.reset();
    w.header(1, r.length).raw(r);
    this.#resource = Buffer.from(w.view());
    w.reset();
    const sc = w.begin(1);
    w.string(1, scope.name).string(2, scope.version).end(sc);
    this.#scope = Buffer.from(w.view());
  }

  get count(): number {
    return this.#count;
  }

  add(spans: readonly SpanData[]): void {
    for (const s of spans) writeSpan(this.#spans, s);
    this.#count += spans.length;
  }

  take(): Buffer {
    const spans = this.#spans.view();
    // ExportTraceServiceRequest.resource_spans (1) → ResourceSpans { resource, scope_spans (2) → ScopeSpans { scope, spans } }
    const scopeSpans = this.#scope.length + spans.length;
    const resourceSpans = this.#resource.length + delimitedSize(scopeSpans);
    const w = new ProtoWriter(delimitedSize(resourceSpans) + 8);
    w.header(1, resourceSpans).raw(this.#resource).header(2, scopeSpans).raw(this.#scope);
    w.raw(spans);
    this.#spans.reset();
    this.#count = 0;
    return w.view();
  }
}

function writeSpan(w: ProtoWriter, s: SpanData): void {
  // ScopeSpans.spans (2) → Span
  const mark = w.begin(2);
  w.hexBytes(1, s.traceId).hexBytes(2, s.spanId);
  if (s.parentSpanId !== undefined) w.hexBytes(4, s.parentSpanId);
  w.string(5, s.name).varint(6, s.kind).fixed64(7, s.startNs).fixed64(8, s.endNs);
  writeAttributes(w, 9, s.attributes);
  for (const e of s.events) {
    const ev = w.begin(11);
    writeEvent(w, e);
    w.end(ev);
  }
  const { code, message } = s.status;
  // Span.status (15): message (2), code (3).
  const st = w.begin(15);
  if (message !== undefined) w.string(2, message);
  w.varint(3, code).end(st);
  w.end(mark);
}

function writeEvent(w: ProtoWriter, e: SpanEvent): void {
  w.fixed64(1, e.timeNs).string(2, e.name);
  if (e.attributes) writeAttributes(w, 3, e.attributes);
}

/** Repeated `KeyValue` (key 1, AnyValue 2) under `field`. */
function writeAttributes(
  w: ProtoWriter,
  field: number,
  attributes: Attributes | Readonly<Record<string, string>>,
): void {
  for (const key in attributes) {
    const value = attributes[key]!;
    // Most attributes take under 128 bytes: one byte left for each length.
    const kv = w.begin(field, 1);
    w.string(1, key, true);
    const any = w.begin(2, 1);
    writeAnyValue(w, key, value);
    w.end(any, 1).end(kv, 1);
  }
}

/** AnyValue: string 1, bool 2, int 3, double 4, array 5 (ArrayValue.values 1). */
function writeAnyValue(w: ProtoWriter, key: string, value: AttributeValue): void {
  if (typeof value === 'string') w.string(1, value, true);
  else if (typeof value === 'boolean') w.varint(2, value ? 1 : 0, true);
  else if (typeof value === 'number') {
    if (Number.isInteger(value) && !DOUBLE_ATTRIBUTES.has(key)) w.varint(3, value, true);
    else w.double(4, value);
  } else {
    // ArrayValue (5) → values (1) → AnyValue.string_value (1)
    const arr = w.begin(5);
    for (const v of value) {
      const item = w.begin(1, 1);
      w.string(1, v, true).end(item, 1);
    }
    w.end(arr);
  }
}
