import { randomFillSync } from 'node:crypto';

/** A W3C trace context: what a `traceparent` header carries. */
export interface TraceParent {
  /** 32 lower-case hex digits, not all zero. */
  traceId: string;
  /** 16 lower-case hex digits, not all zero: the caller's span. */
  spanId: string;
  /** The sampled flag (bit 0 of trace-flags). */
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * Parses a `traceparent` header as W3C Trace Context level 1 asks: version
 * `ff` and all-zero ids are invalid, version `00` allows nothing after the
 * flags, a later version may add fields (kept compatible). An invalid
 * header is ignored (a new trace starts), never an error for the client.
 */
export function parseTraceParent(header: string | string[] | undefined): TraceParent | undefined {
  if (typeof header !== 'string') return undefined;
  const m = TRACEPARENT.exec(header.trim());
  if (m === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = m as unknown as string[];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId: traceId!, spanId: spanId!, sampled: (Number.parseInt(flags!, 16) & 1) === 1 };
}

/** The `traceparent` value naming `spanId` of trace `traceId` as the parent. */
export function formatTraceParent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}

/*
 * Ids come from one random pool refilled 4 KiB at a time: a `randomBytes`
 * call per span costs a buffer and a syscall-sized trip each, and ids are
 * made for every traced request.
 */
const POOL = Buffer.alloc(4096);
let poolAt = POOL.length;

function randomHex(bytes: number): string {
  if (poolAt + bytes > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  const hex = POOL.toString('hex', poolAt, poolAt + bytes);
  poolAt += bytes;
  // All-zero is invalid; at 2^-64 it will not happen, but it costs one compare to be sure.
  return /^0+$/.test(hex) ? randomHex(bytes) : hex;
}

/** A new 16-byte trace id in hex. */
export function newTraceId(): string {
  return randomHex(16);
}

/** A new 8-byte span id in hex. */
export function newSpanId(): string {
  return randomHex(8);
}
