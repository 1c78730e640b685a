import type { Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import { BodyQueue, type FlowControl } from './body-queue';
import { headersFromRaw } from './response-headers';
import { cutSocket, type SocketWatcher, watchSocket } from './socket-cancel';

/** One request as handed to undici's `dispatch`. */
export interface DispatchRequest {
  dispatcher: Dispatcher;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  /** Aborts the request (and a streamed body) when fired. */
  signal: AbortSignal | undefined;
  /**
   * The dispatcher speaks HTTP/1 with one request per connection (the
   * client's own Agent): a cancel destroys the request's socket itself (see
   * `socket-cancel.ts`). Not for a dispatcher given by the user, which may
   * multiplex requests on one socket.
   */
  cancelBySocket?: boolean;
}

/** A whole answer read into memory. */
export interface BufferedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** An answer whose body is read as it arrives. */
export interface StreamedAnswer {
  status: number;
  headers: Record<string, string>;
  body: BodyQueue;
}

/** How a streamed body reports failures and its end. */
export interface StreamHooks {
  mapError(error: unknown): unknown;
  onSettle(): void;
}

/**
 * Sends a request and reads the whole answer. `tooLarge` is called (and its
 * error thrown, the transfer aborted) once the body passes `maxBytes`.
 */
export function dispatchBuffered(
  req: DispatchRequest,
  limit: { maxBytes: number; tooLarge(): Error },
): Promise<BufferedAnswer> {
  return new Promise((resolve, reject) => {
    const mode: Mode = { kind: 'buffer', resolve, reject, ...limit };
    new Exchange(req.signal, mode, req.cancelBySocket === true).start(req);
  });
}

/** Sends a request; resolves once the status and headers are in, with the body to iterate. */
export function dispatchStreamed(
  req: DispatchRequest,
  hooks: StreamHooks,
): Promise<StreamedAnswer> {
  return new Promise((resolve, reject) => {
    const mode: Mode = { kind: 'stream', resolve, reject, hooks };
    new Exchange(req.signal, mode, req.cancelBySocket === true).start(req);
  });
}

type Mode =
  | {
      kind: 'buffer';
      resolve(answer: BufferedAnswer): void;
      reject(error: unknown): void;
      maxBytes: number;
      tooLarge(): Error;
    }
  | {
      kind: 'stream';
      resolve(answer: StreamedAnswer): void;
      reject(error: unknown): void;
      hooks: StreamHooks;
    };

/**
 * One request on undici's `dispatch` API: the callbacks fill a buffer or a
 * {@link BodyQueue} directly, without the Readable body, request handler and
 * abort-signal plumbing of undici's `request()` (measured at tens of µs per
 * call under load).
 *
 * It implements undici's own handler interface (`onConnect`, `onHeaders`,
 * `onData`, …), the one its clients call, rather than the controller-based
 * one, which undici wraps in two more objects per request that keep the raw
 * header buffers for the request's whole life (about 1.5 KB per held
 * stream). It is its own flow control: pausing is answering `false` to a
 * callback, resuming calls the function `onHeaders` was given.
 */
class Exchange implements FlowControl, SocketWatcher {
  readonly #signal: AbortSignal | undefined;
  readonly #mode: Mode;
  readonly #cancelBySocket: boolean;
  /** undici's abort for this request, once it is on a connection. */
  #abortRequest: ((reason: Error) => void) | undefined;
  #resumeRead: (() => void) | undefined;
  #socket: Socket | undefined;
  /** Set when the caller aborted before undici put the request on a connection. */
  #pendingAbort: { reason: unknown } | undefined;
  #paused = false;
  #settled = false;
  #status = 0;
  #headers: Record<string, string> = {};
  #chunks: Buffer[] = [];
  #size = 0;
  #queue: BodyQueue | undefined;
  readonly #onAbort = () => this.abort(this.#signal?.reason);

  constructor(signal: AbortSignal | undefined, mode: Mode, cancelBySocket: boolean) {
    this.#signal = signal;
    this.#mode = mode;
    this.#cancelBySocket = cancelBySocket;
  }

  get abortFunction(): unknown {
    return this.#abortRequest;
  }

  start(req: DispatchRequest): void {
    const signal = this.#signal;
    if (signal?.aborted) {
      this.#fail(signal.reason);
      return;
    }
    const { origin, path } = splitUrl(req.url);
    signal?.addEventListener('abort', this.#onAbort);
    req.dispatcher.dispatch(
      {
        origin,
        path,
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body,
      },
      this as Dispatcher.DispatchHandler,
    );
  }

  onConnect(abort: (reason: Error) => void): void {
    this.#abortRequest = abort;
    this.#socket = undefined;
    if (this.#pendingAbort) abort(this.#pendingAbort.reason as Error);
    else if (this.#cancelBySocket) watchSocket(this);
  }

  attachSocket(socket: Socket): void {
    this.#socket = socket;
  }

  onHeaders(status: number, rawHeaders: (Buffer | string)[], resume: () => void): boolean {
    this.#resumeRead = resume;
    this.#status = status;
    this.#headers = headersFromRaw(rawHeaders);
    const mode = this.#mode;
    if (mode.kind === 'stream') {
      this.#queue = new BodyQueue({
        control: this,
        mapError: mode.hooks.mapError,
        onSettle: () => {
          this.#release();
          mode.hooks.onSettle();
        },
      });
      this.#settled = true;
      mode.resolve({ status, headers: this.#headers, body: this.#queue });
      return !this.#paused;
    }
    const declared = Number(this.#headers['content-length']);
    if (declared > mode.maxBytes) this.abort(mode.tooLarge());
    return !this.#paused;
  }

  onData(chunk: Buffer): boolean {
    if (this.#queue) {
      this.#queue.push(chunk);
      return !this.#paused;
    }
    if (this.#mode.kind !== 'buffer' || this.#settled) return true;
    this.#size += chunk.length;
    if (this.#size > this.#mode.maxBytes) {
      this.abort(this.#mode.tooLarge());
      return true;
    }
    this.#chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.#socket = undefined;
    if (this.#queue) {
      this.#queue.end();
      return;
    }
    this.#release();
    if (this.#settled || this.#mode.kind !== 'buffer') return;
    this.#settled = true;
    const chunks = this.#chunks;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.#size);
    this.#mode.resolve({ status: this.#status, headers: this.#headers, body });
  }

  onError(error: unknown): void {
    this.#socket = undefined;
    if (this.#queue) {
      this.#queue.fail(error);
      return;
    }
    this.#fail(error);
  }

  /** Flow control (for the {@link BodyQueue}): the next callback answers `false`. */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#resumeRead?.();
  }

  /** Aborts the transfer; the promise (or a streamed body) fails with `reason` at once. */
  abort(reason: unknown): void {
    if (this.#queue) {
      // Streaming and already resolved: the consumer sees the failure in the body.
      this.#queue.fail(reason);
    } else {
      this.#fail(reason);
    }
    const abortRequest = this.#abortRequest;
    if (abortRequest === undefined) {
      this.#pendingAbort = { reason };
      return;
    }
    const socket = this.#socket;
    this.#socket = undefined;
    const cut = socket !== undefined && cutSocket(socket);
    // A held stream's cancel comes from outside undici's callbacks: undici
    // fails the request itself when that socket closes, and its own abort
    // would only add an error (with a stack trace) that it drops. A buffered
    // answer's limit stops the parser from inside a callback: undici must
    // see the request aborted at once.
    if (cut && this.#queue !== undefined) return;
    abortRequest(reason as Error);
  }

  #fail(error: unknown): void {
    this.#release();
    if (this.#settled) return;
    this.#settled = true;
    this.#chunks = [];
    this.#mode.reject(error);
  }

  #release(): void {
    this.#signal?.removeEventListener('abort', this.#onAbort);
  }
}

const splitCache = new Map<string, { origin: string; path: string }>();
const SPLIT_CACHE_LIMIT = 1024;

/**
 * `dispatch` wants origin and path apart. Providers call the same few URLs
 * over and over, so each is parsed once.
 */
function splitUrl(url: string): { origin: string; path: string } {
  let parts = splitCache.get(url);
  if (parts === undefined) {
    const parsed = new URL(url);
    parts = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (splitCache.size >= SPLIT_CACHE_LIMIT) splitCache.clear();
    splitCache.set(url, parts);
  }
  return parts;
}
