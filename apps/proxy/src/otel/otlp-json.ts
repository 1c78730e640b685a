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

/**
 * An OTLP `ExportTraceServiceRequest` in OTLP/JSON: the protobuf JSON
 * mapping with OTLP's exceptions — trace and span ids as hex strings, enum
 * values as numbers — and 64-bit integers as decimal strings.
 */
export function encodeOtlpJson(
  spans: readonly SpanData[],
  resource: Readonly<Record<string, string>>,
  scope: Scope,
): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: keyValues(resource) },
        scopeSpans: [{ scope, spans: spans.map(spanJson) }],
      },
    ],
  });
}

function spanJson(s: SpanData): Record<string, unknown> {
  const out: Record<string, unknown> = {
    traceId: s.traceId,
    spanId: s.spanId,
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: String(s.startNs),
    endTimeUnixNano: String(s.endNs),
    attributes: keyValues(s.attributes),
    status: s.status.message === undefined ? { code: s.status.code } : s.status,
  };
  if (s.parentSpanId !== undefined) out.parentSpanId = s.parentSpanId;
  if (s.events.length > 0) {
    out.events = s.events.map(e => ({
      timeUnixNano: String(e.timeNs),
      name: e.name,
      attributes: keyValues(e.attributes ?? {}),
    }));
  }
  return out;
}

function keyValues(attributes: Attributes | Readonly<Record<string, string>>) {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(key, value) }));
}

function anyValue(key: string, value: AttributeValue): Record<string, unknown> {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    return Number.isInteger(value) && !DOUBLE_ATTRIBUTES.has(key)
      ? { intValue: String(value) }
      : { doubleValue: value };
  }
  return { arrayValue: { values: value.map(v => ({ stringValue: v })) } };
}
