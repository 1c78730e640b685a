import type { IncomingMessage, ServerResponse } from 'node:http';

/** One request an emulator received. */
export interface RequestLogEntry {
  method: string;
  path: string;
  /** Lower-cased header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Parsed JSON, the raw string, or for multipart a summary `{ fields, files: [{ name, filename, size }] }`. */
  body: unknown;
  receivedAt: number;
  finishedAt?: number;
  status?: number;
  /** The response did not end normally: the client went away (or a drop fault cut it). */
  aborted: boolean;
}

/** Options for {@link RequestLog.waitFor}. */
export interface WaitForOptions {
  /** Give up after this long; default 5000 ms. */
  timeoutMs?: number;
}

type Predicate = (entry: RequestLogEntry) => boolean;

interface Waiter {
  predicate: Predicate;
  resolve: (entry: RequestLogEntry) => void;
}

/** Options for {@link RequestLog}. */
export interface RequestLogOptions {
  /**
   * Most entries kept; older ones are dropped first, so a long-running
   * emulator (a demo, a benchmark) does not grow without bound. Default 10,000.
   */
  limit?: number;
}

/** Everything an emulator received, for assertions; `waitFor` replaces sleeps in tests. */
export class RequestLog {
  /** Entries in arrival order (the newest `limit` of them). */
  readonly entries: RequestLogEntry[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #limit: number;

  constructor(options: RequestLogOptions = {}) {
    this.#limit = Math.max(1, options.limit ?? 10_000);
  }

  /** Forgets every entry (pending waiters keep waiting). */
  clear(): void {
    this.entries.length = 0;
  }

  /**
   * Resolves with the first entry that matches, now or when one is added or
   * updated later (e.g. becomes `aborted: true`). Rejects after `timeoutMs`.
   */
  waitFor(predicate: Predicate, options: WaitForOptions = {}): Promise<RequestLogEntry> {
    const found = this.entries.find(predicate);
    if (found) return Promise.resolve(found);
    const timeoutMs = options.timeoutMs ?? 5_000;
    return new Promise<RequestLogEntry>((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: entry => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve(entry);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`no request-log entry matched within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /**
   * Records a request as it arrives and follows its response: status and
   * `finishedAt` when it ends, `aborted: true` when the connection closes first.
   */
  begin(req: IncomingMessage, res: ServerResponse): RequestLogEntry {
    const entry: RequestLogEntry = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0]!,
      headers: flattenHeaders(req),
      body: undefined,
      receivedAt: Date.now(),
      aborted: false,
    };
    this.entries.push(entry);
    // Dropping in batches keeps the cost of the array shift off the hot path.
    if (this.entries.length > this.#limit * 1.1)
      this.entries.splice(0, this.entries.length - this.#limit);
    res.once('finish', () => {
      this.update(entry, { finishedAt: Date.now(), status: res.statusCode });
    });
    res.once('close', () => {
      if (!res.writableFinished) {
        this.update(entry, {
          finishedAt: Date.now(),
          aborted: true,
          ...(res.headersSent ? { status: res.statusCode } : {}),
        });
      }
    });
    this.#notify(entry);
    return entry;
  }

  /** Changes an entry and wakes the waiters whose predicate now matches. */
  update(entry: RequestLogEntry, patch: Partial<RequestLogEntry>): void {
    Object.assign(entry, patch);
    this.#notify(entry);
  }

  #notify(entry: RequestLogEntry): void {
    for (const waiter of [...this.#waiters]) {
      if (waiter.predicate(entry)) waiter.resolve(entry);
    }
  }
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
