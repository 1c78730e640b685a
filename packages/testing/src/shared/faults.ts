/**
 * Fault injection shared by every emulator: a fault comes either from the
 * `x-switchyard-fault` request header (that request only) or from
 * `inject()` (the next `times` matching requests).
 */

/** The request header that asks for a fault on that one request. */
export const FAULT_HEADER = 'x-switchyard-fault';

/** One misbehaviour the emulator should show. Every field is optional; they combine. */
export interface Fault {
  /** Answer with this HTTP status and the emulator's own error body for it. */
  status?: number;
  /** Seconds, sent as the `retry-after` header (with `status`). */
  retryAfter?: number;
  /** Replaces the error body sent with `status`. */
  body?: unknown;
  /** How many requests an injected fault applies to; default 1. */
  times?: number;
  /** Latency added before the response starts. */
  delayMs?: number;
  /** Holds the response headers this long (a client's headers timeout should fire). */
  stallHeadersMs?: number;
  /** Destroys the socket after N stream chunks; a non-stream body is cut half-way (use 0). */
  dropAfter?: number;
  /** After N stream chunks, sends the in-band error event the upstream would send. */
  streamErrorAfter?: number;
  /** Sends a truncated, invalid JSON body with status 200. */
  malformedJson?: boolean;
  /** Only requests to this exact path. */
  path?: string;
}

/** The header value could not be parsed; emulators answer it with 400. */
export class FaultHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultHeaderError';
  }
}

type NumericKey =
  | 'status'
  | 'retryAfter'
  | 'times'
  | 'delayMs'
  | 'stallHeadersMs'
  | 'dropAfter'
  | 'streamErrorAfter';

const NUMERIC_KEYS: Record<string, NumericKey> = {
  status: 'status',
  'retry-after': 'retryAfter',
  times: 'times',
  'delay-ms': 'delayMs',
  'stall-headers-ms': 'stallHeadersMs',
  'drop-after': 'dropAfter',
  'stream-error-after': 'streamErrorAfter',
};

const KNOWN_KEYS = [...Object.keys(NUMERIC_KEYS), 'malformed-json', 'path'];

/**
 * Parses `x-switchyard-fault`, e.g. `status=503;retry-after=2;times=3`,
 * `drop-after=3`, `stream-error-after=2`, `delay-ms=200`,
 * `stall-headers-ms=5000`, `malformed-json`. Unknown keys and bad values
 * throw {@link FaultHeaderError} naming the key and what was expected.
 */
export function parseFaultHeader(value: string): Fault {
  const fault: Fault = {};
  for (const rawPart of value.split(';')) {
    const part = rawPart.trim();
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    const key = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    const raw = eq === -1 ? undefined : part.slice(eq + 1).trim();
    if (key === 'malformed-json') {
      if (raw !== undefined && raw !== 'true' && raw !== 'false') {
        throw new FaultHeaderError(
          `${FAULT_HEADER}: malformed-json takes no value (or true/false), got "${raw}"`,
        );
      }
      fault.malformedJson = raw !== 'false';
      continue;
    }
    if (key === 'path') {
      if (!raw?.startsWith('/')) {
        throw new FaultHeaderError(`${FAULT_HEADER}: path must start with "/", got "${raw ?? ''}"`);
      }
      fault.path = raw;
      continue;
    }
    const field = NUMERIC_KEYS[key];
    if (field === undefined) {
      throw new FaultHeaderError(
        `${FAULT_HEADER}: unknown key "${key}"; expected one of ${KNOWN_KEYS.join(', ')}`,
      );
    }
    if (raw === undefined || !/^\d+$/.test(raw)) {
      throw new FaultHeaderError(
        `${FAULT_HEADER}: ${key} must be a non-negative integer, got "${raw ?? ''}"`,
      );
    }
    const number = Number(raw);
    if (field === 'status' && (number < 100 || number > 599)) {
      throw new FaultHeaderError(
        `${FAULT_HEADER}: status must be between 100 and 599, got ${number}`,
      );
    }
    fault[field] = number;
  }
  return fault;
}

interface QueuedFault {
  fault: Fault;
  remaining: number;
}

/** Faults waiting to be applied, in injection order. */
export class FaultQueue {
  readonly #queue: QueuedFault[] = [];

  /** Queues a fault for the next `fault.times` (default 1) requests matching `fault.path`. */
  inject(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) {
      throw new TypeError(`fault.times must be a positive integer, got ${String(fault.times)}`);
    }
    this.#queue.push({ fault: { ...fault }, remaining: times });
  }

  /**
   * The fault for one request: the header's when it has one (it throws
   * FaultHeaderError for a bad header), else the oldest injected fault
   * that matches `path`, which is then used up once.
   */
  take(path: string, headerValue?: string): Fault | undefined {
    if (headerValue !== undefined && headerValue.trim().length > 0) {
      const fault = parseFaultHeader(headerValue);
      return fault.path === undefined || fault.path === path ? fault : undefined;
    }
    const index = this.#queue.findIndex(q => q.fault.path === undefined || q.fault.path === path);
    if (index === -1) return undefined;
    const queued = this.#queue[index]!;
    queued.remaining -= 1;
    if (queued.remaining === 0) this.#queue.splice(index, 1);
    return queued.fault;
  }

  /** Drops every queued fault. */
  clear(): void {
    this.#queue.length = 0;
  }

  /** How many queued faults remain (each counted once, whatever its `times`). */
  get size(): number {
    return this.#queue.length;
  }
}
