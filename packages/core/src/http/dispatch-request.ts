import type { Dispatcher } from 'undici';
import { BodyQueue, type FlowControl } from './body-queue';

/** One request as handed to undici's `dispatch`. */
export interface DispatchRequest {
  dispatcher: Dispatcher;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  /** Aborts the request (and a streamed body) when fired. */
  signal: AbortSignal | undefined;
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
    new Exchange(req, { kind: 'buffer', resolve, reject, ...limit }).start();
  });
}

/** Sends a request; resolves once the status and headers are in, with the body to iterate. */
export function dispatchStreamed(
  req: DispatchRequest,
  hooks: StreamHooks,
): Promise<StreamedAnswer> {
  return new Promise((resolve, reject) => {
    new Exchange(req, { kind: 'stream', resolve, reject, hooks }).start();
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

/** What undici's dispatch passes to the handler's callbacks. */
type Controller = FlowControl & { readonly aborted?: boolean };

/**
 * One request on undici's `dispatch` API: the callbacks fill a buffer or a
 * {@link BodyQueue} directly, without the Readable body, request handler and
 * abort-signal plumbing of undici's `request()` (measured at tens of µs per
 * call under load).
 */
class Exchange {
  readonly #req: DispatchRequest;
  readonly #mode: Mode;
  #controller: Controller | undefined;
  /** Set when the caller aborted before undici handed over its controller. */
  #pendingAbort: { reason: unknown } | undefined;
  #settled = false;
  #status = 0;
  #headers: Record<string, string> = {};
  #chunks: Buffer[] = [];
  #size = 0;
  #queue: BodyQueue | undefined;
  readonly #onAbort = () => this.#abort(this.#req.signal?.reason);

  constructor(req: DispatchRequest, mode: Mode) {
    this.#req = req;
    this.#mode = mode;
  }

  start(): void {
    const { signal } = this.#req;
    if (signal?.aborted) {
      this.#fail(signal.reason);
      return;
    }
    const { origin, path } = splitUrl(this.#req.url);
    signal?.addEventListener('abort', this.#onAbort);
    this.#req.dispatcher.dispatch(
      {
        origin,
        path,
        method: this.#req.method as Dispatcher.HttpMethod,
        headers: this.#req.headers,
        body: this.#req.body,
      },
      this,
    );
  }

  onRequestStart(controller: Controller): void {
    this.#controller = controller;
    if (this.#pendingAbort) controller.abort(this.#pendingAbort.reason);
  }

  onResponseStart(
    controller: Controller,
    status: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    this.#controller = controller;
    this.#status = status;
    this.#headers = flattenHeaders(headers);
    const mode = this.#mode;
    if (mode.kind === 'stream') {
      this.#queue = new BodyQueue({
        control: controller,
        mapError: mode.hooks.mapError,
        onSettle: () => {
          this.#release();
          mode.hooks.onSettle();
        },
      });
      this.#settled = true;
      mode.resolve({ status, headers: this.#headers, body: this.#queue });
      return;
    }
    const declared = Number(this.#headers['content-length']);
    if (declared > mode.maxBytes) this.#abort(mode.tooLarge());
  }

  onResponseData(_controller: Controller, chunk: Buffer): void {
    if (this.#queue) {
      this.#queue.push(chunk);
      return;
    }
    if (this.#mode.kind !== 'buffer' || this.#settled) return;
    this.#size += chunk.length;
    if (this.#size > this.#mode.maxBytes) {
      this.#abort(this.#mode.tooLarge());
      return;
    }
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
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

  onResponseError(_controller: Controller | undefined, error: unknown): void {
    if (this.#queue) {
      this.#queue.fail(error);
      return;
    }
    this.#fail(error);
  }

  /** Aborts the transfer; the promise rejects with `reason` at once. */
  #abort(reason: unknown): void {
    if (this.#queue) {
      // Streaming and already resolved: the consumer sees the failure in the body.
      this.#queue.fail(reason);
      this.#controller?.abort(reason);
      return;
    }
    this.#fail(reason);
    if (this.#controller) this.#controller.abort(reason);
    else this.#pendingAbort = { reason };
  }

  #fail(error: unknown): void {
    this.#release();
    if (this.#settled) return;
    this.#settled = true;
    this.#chunks = [];
    this.#mode.reject(error);
  }

  #release(): void {
    this.#req.signal?.removeEventListener('abort', this.#onAbort);
  }
}

/** undici gives `string | string[]` per header; callers want one string. */
export function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in headers) {
    const value = headers[key];
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
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
