/** The part of undici's dispatch controller a streamed body needs. */
export interface FlowControl {
  pause(): void;
  resume(): void;
  abort(reason: unknown): void;
}

/**
 * Bytes held before the upstream read is paused: a slow consumer slows the
 * upstream. Counted in bytes, not chunks: a token stream sends each event as
 * its own HTTP chunk of a few hundred bytes, and one socket read (up to
 * 64 KiB) of a fast upstream holds dozens of them. A limit in chunks paused
 * and resumed the parser in the middle of nearly every such read.
 */
const HIGH_WATER_BYTES = 64 * 1024;

/** The abort reason of a body left early (nobody sees it: made once, no stack trace per call). */
const LEFT_UNREAD = new Error('response body left unread');

interface Waiter {
  resolve(result: IteratorResult<Uint8Array>): void;
  reject(error: unknown): void;
}

/** Options of a {@link BodyQueue}. */
export interface BodyQueueOptions {
  /** Flow control of the dispatch the chunks come from. */
  control: FlowControl;
  /** Turns a transport failure into the error the consumer sees. */
  mapError(error: unknown): unknown;
  /** Runs once when the body is over: read to its end, failed, or left early. */
  onSettle(): void;
}

/**
 * A streamed response body as an async iterator, fed by undici's dispatch
 * callbacks. It replaces undici's Readable body (a stream object, its
 * listeners and a promise per chunk of `for await` over a stream) with one
 * array and one pending promise. `next()` hands out everything that has
 * arrived since the last call as one chunk: an upstream that writes each
 * token as its own HTTP chunk would otherwise cost the consumer a promise
 * and a decoder call per token, and a relay a write per token. Backpressure:
 * past {@link HIGH_WATER_BYTES} unread bytes the upstream read is paused
 * until the consumer catches up. Leaving the iteration early aborts the
 * upstream request.
 */
export class BodyQueue implements AsyncIterableIterator<Uint8Array> {
  readonly #options: BodyQueueOptions;
  #chunks: Uint8Array[] = [];
  /** Bytes in {@link #chunks}. */
  #size = 0;
  #paused = false;
  #ended = false;
  #failure: { error: unknown } | undefined;
  #waiter: Waiter | undefined;
  #settled = false;

  constructor(options: BodyQueueOptions) {
    this.#options = options;
  }

  /** A chunk arrived from the upstream. */
  push(chunk: Uint8Array): void {
    if (this.#ended || this.#failure) return;
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter.resolve({ value: chunk, done: false });
      return;
    }
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    if (!this.#paused && this.#size >= HIGH_WATER_BYTES) {
      this.#paused = true;
      this.#options.control.pause();
    }
  }

  /** The upstream finished the body. */
  end(): void {
    if (this.#ended || this.#failure) return;
    this.#ended = true;
    this.#settle();
    const waiter = this.#waiter;
    if (waiter && this.#chunks.length === 0) {
      this.#waiter = undefined;
      waiter.resolve({ value: undefined, done: true });
    }
  }

  /** The transfer failed; the consumer gets the mapped error after the chunks already queued. */
  fail(error: unknown): void {
    if (this.#ended || this.#failure) return;
    this.#failure = { error: this.#options.mapError(error) };
    this.#settle();
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter.reject(this.#failure.error);
    }
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    const chunks = this.#chunks;
    if (chunks.length > 0) {
      const value = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.#size);
      this.#chunks = [];
      this.#size = 0;
      if (this.#paused) {
        this.#paused = false;
        this.#options.control.resume();
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#failure) return Promise.reject(this.#failure.error);
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  /** Leaving early: the upstream request is aborted and its connection freed. */
  return(): Promise<IteratorResult<Uint8Array>> {
    if (!this.#ended && !this.#failure) {
      this.#ended = true;
      this.#chunks = [];
      this.#size = 0;
      this.#settle();
      this.#options.control.abort(LEFT_UNREAD);
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #settle(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#options.onSettle();
  }
}

/** Reads what is left of a streamed body (an error answer) as text, up to `limit` bytes. */
export async function readText(
  body: AsyncIterableIterator<Uint8Array>,
  limit: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      await body.return?.();
      break;
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}
