import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { BadGatewayError } from '../errors/bad-gateway-error';
import { errorFromStatus } from '../errors/error-from-status';
import { checkShape, describe, methodOf, NOT_JSON, parseJson, tooLarge } from './answer-checks';
import { readText } from './body-queue';
import { Deadline } from './deadline';
import {
  type BufferedAnswer,
  type DispatchRequest,
  dispatchBuffered,
  dispatchStreamed,
} from './dispatch-request';
import { extractErrorMessage } from './error-message';
import { type PreparedBody, prepareBody } from './request-body';
import { flattenHeaders } from './response-headers';
import { parseRetryAfter } from './retry-after';
import { tlsConnectOptions } from './tls-connect';
import { isDefaultTls, type TlsSettings, tlsKey } from './tls-settings';
import { mapTransportError, type TransportErrorContext } from './transport-error';
import { Agent } from './undici-agent';

/** Settings of an {@link HttpClient}; every timeout is in milliseconds. */
export interface HttpClientOptions {
  /** Time to open a TCP connection. Default 10 s. */
  connectTimeoutMs?: number;
  /** Time from sending the request to receiving response headers. Default 600 s. */
  headersTimeoutMs?: number;
  /** Longest silence between two body chunks. Default 600 s. */
  bodyTimeoutMs?: number;
  /** How long an idle pooled connection is kept. Default 60 s. */
  keepAliveTimeoutMs?: number;
  /** Connections per origin; unlimited by default. */
  connections?: number;
  /** Largest response body read into memory (non-streaming). Default 32 MiB. */
  maxResponseBytes?: number;
  /** Use this undici dispatcher instead of creating an Agent (not with `tls`). */
  dispatcher?: Dispatcher;
  /** How connections speak TLS: trusted CAs, client certificate (see {@link HttpClient.withTls}). */
  tls?: TlsSettings;
}

/** What went wrong when the upstream answered with a non-2xx status. */
export interface HttpFailure {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  rawText: string;
  /** A message extracted from the body (see {@link extractErrorMessage}). */
  message: string;
  retryAfterMs: number | undefined;
  url: string;
  provider: string | undefined;
  model: string | undefined;
}

/** Turns a non-2xx answer into the error to throw. */
export type FailureMapper = (failure: HttpFailure) => Error;

/** One upstream request. */
export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  /** A JSON value to send (sets `content-type: application/json`). */
  json?: unknown;
  /** A raw body (string, bytes or FormData); ignored when `json` is given. */
  body?: string | Uint8Array | FormData;
  /** Aborts the request (and a stream's body) when fired. */
  signal?: AbortSignal;
  /** Deadline for the response (json: until the body is read; stream: until headers). */
  timeoutMs?: number;
  /** Cap for this call's response body. */
  maxResponseBytes?: number;
  /** For error fields and messages. */
  provider?: string;
  model?: string;
  /** Maps a non-2xx answer; defaults to LiteLLM's by-status table. */
  mapFailure?: FailureMapper;
}

/** A successful JSON response. */
export interface JsonResponse<T> {
  data: T;
  status: number;
  headers: Record<string, string>;
}

/** A successful streaming response: the body as raw byte chunks. */
export interface StreamResponse {
  status: number;
  headers: Record<string, string>;
  body: AsyncIterable<Uint8Array>;
}

const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/**
 * The one HTTP seam every provider call goes through: undici with keep-alive
 * pools per origin, reused across calls; connect / headers / body timeouts;
 * AbortSignal end to end; a cap on response body size; errors mapped to
 * Switchyard's classes.
 */
export class HttpClient {
  readonly #options: HttpClientOptions;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #maxResponseBytes: number;
  /** Clients of the same settings with other TLS settings, by {@link tlsKey}; shared by all of them. */
  #family: Map<string, HttpClient>;

  constructor(options: HttpClientOptions = {}) {
    this.#options = options;
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const tls = isDefaultTls(options.tls) ? undefined : options.tls;
    this.#family = new Map([[tls === undefined ? '' : tlsKey(tls), this]]);
    this.#ownsDispatcher = options.dispatcher === undefined || tls !== undefined;
    this.#dispatcher =
      (tls === undefined ? options.dispatcher : undefined) ??
      new Agent({
        connect: {
          timeout: options.connectTimeoutMs ?? 10_000,
          ...(tls === undefined ? {} : tlsConnectOptions(tls)),
        },
        headersTimeout: options.headersTimeoutMs ?? 600_000,
        bodyTimeout: options.bodyTimeoutMs ?? 600_000,
        keepAliveTimeout: options.keepAliveTimeoutMs ?? 60_000,
        ...(options.connections !== undefined ? { connections: options.connections } : {}),
      });
  }

  /**
   * This client with other TLS settings (undefined: Node's defaults): same
   * timeouts and limits, its own keep-alive pools, made on first use and
   * shared by every call with equal settings. TLS is a property of the
   * connection, so calls that differ in it never share one. Files are read
   * when the pool is made; one that cannot be read throws an
   * {@link APIConnectionError} naming it.
   */
  withTls(settings: TlsSettings | undefined): HttpClient {
    const key = isDefaultTls(settings) ? '' : tlsKey(settings!);
    let client = this.#family.get(key);
    if (client === undefined) {
      client = new HttpClient({ ...this.#options, dispatcher: undefined, tls: settings });
      client.#family = this.#family;
      this.#family.set(key, client);
    }
    return client;
  }

  /** Sends a request and reads a JSON answer; `schema` checks its shape. */
  async json<T = unknown>(req: HttpRequest & { schema?: z.ZodType<T> }): Promise<JsonResponse<T>> {
    const deadline = new Deadline(req.signal, req.timeoutMs);
    try {
      const res = await this.#buffered(req, deadline);
      const { status, headers } = res;
      const text = res.body.toString('utf8');
      if (status < 200 || status >= 300) throw this.#failure(req, status, headers, text);
      const parsed = parseJson(text);
      if (parsed === NOT_JSON) {
        throw new BadGatewayError({
          message: `${describe(req)} answered ${status} with a body that is not JSON: ${text.slice(0, 200)}`,
          provider: req.provider,
          model: req.model,
          body: text,
          headers,
          upstreamStatus: status,
        });
      }
      const data = req.schema ? checkShape(req, req.schema, parsed, headers) : (parsed as T);
      return { data, status, headers };
    } catch (error) {
      throw transportFailure(req, deadline, error);
    } finally {
      deadline.clear();
    }
  }

  /**
   * Sends a request and reads the whole answer as raw bytes (binary tensors,
   * audio): same deadline, size cap and error mapping as {@link HttpClient.json}.
   */
  async bytes(req: HttpRequest): Promise<JsonResponse<Uint8Array>> {
    const deadline = new Deadline(req.signal, req.timeoutMs);
    try {
      const { status, headers, body } = await this.#buffered(req, deadline);
      if (status < 200 || status >= 300) {
        throw this.#failure(req, status, headers, body.toString('utf8'));
      }
      return { data: body, status, headers };
    } catch (error) {
      throw transportFailure(req, deadline, error);
    } finally {
      deadline.clear();
    }
  }

  /**
   * Sends a request whose answer is read incrementally (SSE). Resolves once
   * the status is known; a non-2xx status rejects with the mapped error.
   * The deadline covers the wait for headers; after that the body idle
   * timeout applies, and the caller's signal still aborts the body.
   */
  async stream(req: HttpRequest): Promise<StreamResponse> {
    const deadline = new Deadline(req.signal, req.timeoutMs);
    try {
      const prepared = await prepareBody(req);
      const res = await dispatchStreamed(this.#dispatchRequest(req, prepared, deadline), {
        // Not `req`: a held stream would keep the whole request (its prompt) alive.
        mapError: mapErrorFor(transportWhere(req), deadline),
        onSettle: () => deadline.clear(),
      });
      if (res.status < 200 || res.status >= 300) {
        const text = await readText(res.body, req.maxResponseBytes ?? this.#maxResponseBytes);
        throw this.#failure(req, res.status, res.headers, text);
      }
      deadline.clearTimer();
      return { status: res.status, headers: res.headers, body: res.body };
    } catch (error) {
      deadline.clear();
      throw transportFailure(req, deadline, error);
    }
  }

  /**
   * Closes every pooled connection: of this client and of those made by
   * {@link HttpClient.withTls} (only dispatchers a client created).
   */
  async close(): Promise<void> {
    const members = [...this.#family.values()];
    this.#family.clear();
    await Promise.all(members.map(client => client.#closeOwn()));
  }

  async #closeOwn(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  #buffered(req: HttpRequest, deadline: Deadline): Promise<BufferedAnswer> {
    const prepared = prepareBody(req);
    // Only multipart bodies need an await; JSON goes out in the same tick.
    return prepared instanceof Promise
      ? prepared.then(body => this.#sendBuffered(req, body, deadline))
      : this.#sendBuffered(req, prepared, deadline);
  }

  #sendBuffered(
    req: HttpRequest,
    prepared: PreparedBody,
    deadline: Deadline,
  ): Promise<BufferedAnswer> {
    const maxBytes = req.maxResponseBytes ?? this.#maxResponseBytes;
    return dispatchBuffered(this.#dispatchRequest(req, prepared, deadline), {
      maxBytes,
      tooLarge: () => tooLarge(req, maxBytes),
    });
  }

  #dispatchRequest(req: HttpRequest, prepared: PreparedBody, deadline: Deadline): DispatchRequest {
    return {
      dispatcher: this.#dispatcher,
      url: req.url,
      method: methodOf(req),
      headers: prepared.headers,
      body: prepared.body,
      signal: deadline.signal,
      cancelBySocket: this.#ownsDispatcher,
    };
  }

  #failure(req: HttpRequest, status: number, headers: Record<string, string>, text: string): Error {
    const parsed = parseJson(text);
    const body = parsed === NOT_JSON ? text : parsed;
    const failure: HttpFailure = {
      status,
      headers,
      body,
      rawText: text,
      message: extractErrorMessage(body, text),
      retryAfterMs: parseRetryAfter(headers),
      url: req.url,
      provider: req.provider,
      model: req.model,
    };
    return (req.mapFailure ?? defaultFailureMapper)(failure);
  }
}

/** LiteLLM's generic mapping: by status, message from the body. */
export const defaultFailureMapper: FailureMapper = failure =>
  errorFromStatus({
    status: failure.status,
    message: failure.message,
    provider: failure.provider,
    model: failure.model,
    body: failure.body,
    headers: failure.headers,
    retryAfterMs: failure.retryAfterMs,
  });

/** What to throw for a failed transfer: Timeout, the caller's abort reason, or the mapped transport error. */
function transportFailure(req: HttpRequest, deadline: Deadline, error: unknown): unknown {
  const where = transportWhere(req);
  return deadline.translate(error, () => mapTransportError(error, where));
}

function transportWhere(req: HttpRequest): TransportErrorContext {
  return { method: methodOf(req), url: req.url, provider: req.provider, model: req.model };
}

/** A streamed body's error mapping, made outside `stream()` so it keeps only what it names. */
function mapErrorFor(
  where: TransportErrorContext,
  deadline: Deadline,
): (error: unknown) => unknown {
  return error => deadline.translate(error, () => mapTransportError(error, where));
}

export { flattenHeaders };
