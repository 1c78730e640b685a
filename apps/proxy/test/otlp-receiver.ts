import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as the receiver decoded it, attributes flattened to plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; timeNs: bigint; attributes: Record<string, unknown> }>;
  status: { code: number; message?: string };
  resource: Record<string, unknown>;
  scope: string;
}

/** One export request as it arrived. */
export interface ReceivedExport {
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
  spans: ReceivedSpan[];
}

/**
 * An OTLP/HTTP trace receiver on a loopback ephemeral port: decodes each
 * `POST /v1/traces` body (OTLP/JSON or protobuf binary, decoded by its own
 * reader below, independent of the proxy's encoder) and keeps the spans.
 * `answer` sets the status it replies with (503 plays a collector in trouble).
 */
export class OtlpReceiver {
  readonly exports: ReceivedExport[] = [];
  answer = 200;
  /** When set, requests are held until it resolves (a stalled collector). */
  hold: Promise<void> | undefined;
  readonly #server: Server;
  readonly #waiters = new Set<() => void>();

  private constructor() {
    this.#server = createServer((req, res) => {
      void this.#receive(req).then(
        async () => {
          if (this.hold) await this.hold;
          res.writeHead(this.answer, { 'content-type': 'application/json' }).end('{}');
        },
        error => res.writeHead(400).end(String(error)),
      );
    });
  }

  static async start(): Promise<OtlpReceiver> {
    const r = new OtlpReceiver();
    r.#server.listen(0, '127.0.0.1');
    await once(r.#server, 'listening');
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  get spans(): ReceivedSpan[] {
    return this.exports.flatMap(e => e.spans);
  }

  /** Resolves once the spans received satisfy `done` (checked at each export). */
  async waitFor(
    done: (spans: ReceivedSpan[]) => boolean,
    timeoutMs = 5000,
  ): Promise<ReceivedSpan[]> {
    if (done(this.spans)) return this.spans;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!done(this.spans)) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(`spans did not arrive within ${timeoutMs} ms (have ${this.spans.length})`),
        );
      }, timeoutMs);
      this.#waiters.add(check);
    });
    return this.spans;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>(resolve => this.#server.close(() => resolve()));
  }

  async #receive(req: IncomingMessage): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const contentType = String(req.headers['content-type'] ?? '');
    if (req.method !== 'POST' || req.url !== '/v1/traces')
      throw new Error(`unexpected ${req.method} ${req.url}`);
    const spans =
      contentType === 'application/json'
        ? fromJson(JSON.parse(body.toString('utf8')))
        : fromProtobuf(body);
    this.exports.push({ contentType, headers: req.headers, spans });
    for (const w of [...this.#waiters]) w();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: OTLP/JSON is walked field by field
type Json = any;

function jsonValue(v: Json): unknown {
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return v.doubleValue;
  if ('arrayValue' in v) return (v.arrayValue.values ?? []).map(jsonValue);
  throw new Error(`unknown AnyValue ${JSON.stringify(v)}`);
}

function jsonAttrs(list: Json[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv: Json) => [kv.key, jsonValue(kv.value)]));
}

function fromJson(req: Json): ReceivedSpan[] {
  return req.resourceSpans.flatMap((rs: Json) =>
    rs.scopeSpans.flatMap((ss: Json) =>
      ss.spans.map(
        (s: Json): ReceivedSpan => ({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId || undefined,
          name: s.name,
          kind: s.kind,
          startNs: BigInt(s.startTimeUnixNano),
          endNs: BigInt(s.endTimeUnixNano),
          attributes: jsonAttrs(s.attributes),
          events: (s.events ?? []).map((e: Json) => ({
            name: e.name,
            timeNs: BigInt(e.timeUnixNano),
            attributes: jsonAttrs(e.attributes),
          })),
          status: s.status ?? { code: 0 },
          resource: jsonAttrs(rs.resource?.attributes),
          scope: ss.scope?.name,
        }),
      ),
    ),
  );
}

/** Protobuf wire fields of one message: field number → raw values (varint as bigint, others as bytes). */
type Fields = Map<number, Array<bigint | Buffer>>;

function readFields(buf: Buffer): Fields {
  const out: Fields = new Map();
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[at++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const tag = Number(varint());
    const field = tag >> 3;
    const wire = tag & 7;
    let value: bigint | Buffer;
    if (wire === 0) value = varint();
    else if (wire === 1) {
      value = buf.subarray(at, at + 8);
      at += 8;
    } else if (wire === 2) {
      const len = Number(varint());
      value = buf.subarray(at, at + len);
      at += len;
    } else if (wire === 5) {
      value = buf.subarray(at, at + 4);
      at += 4;
    } else throw new Error(`unexpected wire type ${wire}`);
    const list = out.get(field) ?? [];
    list.push(value);
    out.set(field, list);
  }
  return out;
}

const bytes = (f: Fields, n: number) => f.get(n)?.[0] as Buffer | undefined;
const all = (f: Fields, n: number) => (f.get(n) ?? []) as Buffer[];
const str = (f: Fields, n: number) => bytes(f, n)?.toString('utf8') ?? '';
const num = (f: Fields, n: number) => Number((f.get(n)?.[0] as bigint | undefined) ?? 0n);
const fixed64 = (f: Fields, n: number) => bytes(f, n)?.readBigUInt64LE() ?? 0n;

function pbValue(any: Fields): unknown {
  if (any.has(1)) return str(any, 1);
  if (any.has(2)) return num(any, 2) === 1;
  if (any.has(3)) return Number(BigInt.asIntN(64, any.get(3)![0] as bigint));
  if (any.has(4)) return bytes(any, 4)!.readDoubleLE();
  if (any.has(5)) return all(readFields(bytes(any, 5)!), 1).map(v => pbValue(readFields(v)));
  throw new Error('unknown AnyValue');
}

function pbAttrs(list: Buffer[]): Record<string, unknown> {
  return Object.fromEntries(
    list.map(b => {
      const kv = readFields(b);
      return [str(kv, 1), pbValue(readFields(bytes(kv, 2)!))];
    }),
  );
}

function fromProtobuf(body: Buffer): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const rsBuf of all(readFields(body), 1)) {
    const rs = readFields(rsBuf);
    const resource = pbAttrs(all(readFields(bytes(rs, 1) ?? Buffer.alloc(0)), 1));
    for (const ssBuf of all(rs, 2)) {
      const ss = readFields(ssBuf);
      const scope = str(readFields(bytes(ss, 1) ?? Buffer.alloc(0)), 1);
      for (const spanBuf of all(ss, 2)) {
        const s = readFields(spanBuf);
        const status = readFields(bytes(s, 15) ?? Buffer.alloc(0));
        const parent = bytes(s, 4);
        spans.push({
          traceId: bytes(s, 1)!.toString('hex'),
          spanId: bytes(s, 2)!.toString('hex'),
          parentSpanId: parent && parent.length > 0 ? parent.toString('hex') : undefined,
          name: str(s, 5),
          kind: num(s, 6),
          startNs: fixed64(s, 7),
          endNs: fixed64(s, 8),
          attributes: pbAttrs(all(s, 9)),
          events: all(s, 11).map(eb => {
            const e = readFields(eb);
            return { name: str(e, 2), timeNs: fixed64(e, 1), attributes: pbAttrs(all(e, 3)) };
          }),
          status: status.has(2)
            ? { code: num(status, 3), message: str(status, 2) }
            : { code: num(status, 3) },
          resource,
          scope,
        });
      }
    }
  }
  return spans;
}
