import type { Scope } from './otlp-json';
import { delimitedSize, ProtoWriter, utf8Length, varintSize } from './proto-writer';
import {
  type Attributes,
  type AttributeValue,
  DOUBLE_ATTRIBUTES,
  type SpanData,
  type SpanEvent,
} from './span-data';

/**
 * An OTLP `ExportTraceServiceRequest` in protobuf binary, written from the
 * field numbers of opentelemetry-proto's `trace.proto`, `common.proto` and
 * `resource.proto` (no protobuf runtime needed for the handful of messages
 * a trace export uses).
 */
export function encodeOtlpProtobuf(
  spans: readonly SpanData[],
  resource: Readonly<Record<string, string>>,
  scope: Scope,
): Buffer {
  const w = new ProtoWriter(64 * 1024);
  // ExportTraceServiceRequest.resource_spans (1) → ResourceSpans
  w.message(1, rs => {
    // ResourceSpans.resource (1) → Resource.attributes (1)
    rs.message(1, r => writeAttributes(r, 1, resource));
    // ResourceSpans.scope_spans (2) → ScopeSpans
    rs.message(2, ss => {
      ss.message(1, sc => sc.string(1, scope.name).string(2, scope.version));
      for (const s of spans) ss.message(2, sp => writeSpan(sp, s));
    });
  });
  return w.finish();
}

function writeSpan(w: ProtoWriter, s: SpanData): void {
  w.hexBytes(1, s.traceId).hexBytes(2, s.spanId);
  if (s.parentSpanId !== undefined) w.hexBytes(4, s.parentSpanId);
  w.string(5, s.name).varint(6, s.kind).fixed64(7, s.startNs).fixed64(8, s.endNs);
  writeAttributes(w, 9, s.attributes);
  for (const e of s.events) w.message(11, ev => writeEvent(ev, e));
  const { code, message } = s.status;
  // Span.status (15): message (2), code (3).
  w.message(15, st => {
    if (message !== undefined) st.string(2, message);
    st.varint(3, code);
  });
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
    const valueSize = anyValueSize(key, value);
    if (valueSize === undefined) {
      // Arrays: sized by writing them (rare, and short).
      w.message(field, kv => {
        kv.string(1, key, true);
        kv.message(2, any => writeAnyValue(any, key, value));
      });
      continue;
    }
    // KeyValue: key (1), value (2); sizes worked out so no child writer is needed.
    w.header(field, delimitedSize(utf8Length(key)) + delimitedSize(valueSize));
    w.string(1, key, true);
    w.header(2, valueSize);
    writeAnyValue(w, key, value);
  }
}

/** The encoded size of a scalar AnyValue; undefined for arrays. */
function anyValueSize(key: string, value: AttributeValue): number | undefined {
  if (typeof value === 'string') return delimitedSize(utf8Length(value));
  if (typeof value === 'boolean') return 2;
  if (typeof value === 'number') {
    return Number.isInteger(value) && !DOUBLE_ATTRIBUTES.has(key) ? 1 + varintSize(value) : 9;
  }
  return undefined;
}

/** AnyValue: string 1, bool 2, int 3, double 4, array 5 (ArrayValue.values 1). */
function writeAnyValue(w: ProtoWriter, key: string, value: AttributeValue): void {
  if (typeof value === 'string') w.string(1, value, true);
  else if (typeof value === 'boolean') w.varint(2, value ? 1 : 0, true);
  else if (typeof value === 'number') {
    if (Number.isInteger(value) && !DOUBLE_ATTRIBUTES.has(key)) w.varint(3, value, true);
    else w.double(4, value);
  } else {
    w.message(5, arr => {
      for (const v of value) arr.message(1, item => item.string(1, v, true));
    });
  }
}
