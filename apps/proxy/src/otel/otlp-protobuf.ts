import type { Scope } from './otlp-json';
import { type AttributeValue, DOUBLE_ATTRIBUTES, type SpanData } from './span-data';

/**
 * An OTLP `ExportTraceServiceRequest` in protobuf binary, written by hand
 * from the field numbers of opentelemetry-proto's `trace.proto`,
 * `common.proto` and `resource.proto` (no protobuf runtime needed for the
 * handful of messages a trace export uses).
 */
export function encodeOtlpProtobuf(
  spans: readonly SpanData[],
  resource: Readonly<Record<string, string>>,
  scope: Scope,
): Buffer {
  const res = new Writer();
  for (const [k, v] of Object.entries(resource)) res.message(1, keyValue(k, v));
  const sc = new Writer().string(1, scope.name).string(2, scope.version);
  const scopeSpans = new Writer().message(1, sc);
  for (const s of spans) scopeSpans.message(2, span(s));
  const resourceSpans = new Writer().message(1, res).message(2, scopeSpans);
  return new Writer().message(1, resourceSpans).finish();
}

function span(s: SpanData): Writer {
  const w = new Writer().bytesHex(1, s.traceId).bytesHex(2, s.spanId);
  if (s.parentSpanId !== undefined) w.bytesHex(4, s.parentSpanId);
  w.string(5, s.name).varintField(6, s.kind).fixed64(7, s.startNs).fixed64(8, s.endNs);
  for (const [k, v] of Object.entries(s.attributes)) w.message(9, keyValue(k, v));
  for (const e of s.events) {
    const ev = new Writer().fixed64(1, e.timeNs).string(2, e.name);
    for (const [k, v] of Object.entries(e.attributes ?? {})) ev.message(3, keyValue(k, v));
    w.message(11, ev);
  }
  const status = new Writer();
  if (s.status.message !== undefined) status.string(2, s.status.message);
  if (s.status.code !== 0) status.varintField(3, s.status.code);
  return w.message(15, status);
}

function keyValue(key: string, value: AttributeValue): Writer {
  return new Writer().string(1, key).message(2, anyValue(key, value));
}

function anyValue(key: string, value: AttributeValue): Writer {
  const w = new Writer();
  if (typeof value === 'string') return w.string(1, value, true);
  if (typeof value === 'boolean') return w.varintField(2, value ? 1 : 0, true);
  if (typeof value === 'number') {
    return Number.isInteger(value) && !DOUBLE_ATTRIBUTES.has(key)
      ? w.varintField(3, value, true)
      : w.double(4, value);
  }
  const array = new Writer();
  for (const v of value) array.message(1, new Writer().string(1, v, true));
  return w.message(5, array);
}

/** Appends protobuf fields to a list of byte chunks; `message` nests one writer in another. */
class Writer {
  readonly #parts: Uint8Array[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  #push(bytes: Uint8Array): void {
    this.#parts.push(bytes);
    this.#length += bytes.length;
  }

  #varint(value: number | bigint): void {
    // int64 is sent as its 64-bit two's complement (negative numbers take ten bytes).
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.#push(Uint8Array.from(out));
  }

  #tag(field: number, wire: number): void {
    this.#varint((field << 3) | wire);
  }

  /** A varint field; proto3 leaves zero out unless `always` (a oneof member must be present). */
  varintField(field: number, value: number, always = false): this {
    if (value === 0 && !always) return this;
    this.#tag(field, 0);
    this.#varint(value);
    return this;
  }

  string(field: number, value: string, always = false): this {
    if (value === '' && !always) return this;
    const bytes = Buffer.from(value, 'utf8');
    this.#tag(field, 2);
    this.#varint(bytes.length);
    this.#push(bytes);
    return this;
  }

  bytesHex(field: number, hex: string): this {
    const bytes = Buffer.from(hex, 'hex');
    this.#tag(field, 2);
    this.#varint(bytes.length);
    this.#push(bytes);
    return this;
  }

  fixed64(field: number, value: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(value);
    this.#tag(field, 1);
    this.#push(b);
    return this;
  }

  double(field: number, value: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    this.#tag(field, 1);
    this.#push(b);
    return this;
  }

  message(field: number, sub: Writer): this {
    this.#tag(field, 2);
    this.#varint(sub.length);
    for (const part of sub.#parts) this.#push(part);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.#parts, this.#length);
  }
}
