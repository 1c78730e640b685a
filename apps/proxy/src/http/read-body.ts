import type { IncomingMessage } from 'node:http';
import { assertSafeBody } from './body-hazards';
import type { BodyTimeouts, IdleWatched } from './body-timeouts';
import { ProxyError } from './proxy-error';

/** Limits of one body read (see {@link readBody}). */
export interface BodyReadOptions {
  /** Largest body; more is a 413. */
  limitBytes: number;
  /** The server's body timeout: nothing received for its `timeoutMs` is a 408. */
  timeouts?: BodyTimeouts;
}

/** What a body read in progress keeps, on the request itself (see {@link readBody}). */
class BodyRead implements IdleWatched {
  size = 0;
  /** The first chunk; most bodies arrive in one. */
  first: Buffer | undefined = undefined;
  /** Every chunk, from the second one on (undefined while there is only one). */
  all: Buffer[] | undefined = undefined;
  lastActivity = performance.now();

  constructor(
    readonly req: ReadingMessage,
    readonly limitBytes: number,
    readonly timeouts: BodyTimeouts | undefined,
    readonly resolve: (body: Buffer) => void,
    readonly reject: (error: ProxyError) => void,
  ) {}

  expire(): void {
    stopReading(this.req);
    const seconds = this.timeouts!.timeoutMs / 1000;
    this.reject(
      new ProxyError({
        status: 408,
        type: 'timeout_error',
        message: `Request body not received: nothing arrived for ${seconds} s (general_settings.switchyard_request_body_timeout).`,
      }),
    );
  }
}

const kBodyRead = Symbol('switchyard.bodyRead');
type ReadingMessage = IncomingMessage & { [kBodyRead]?: BodyRead | undefined };

/**
 * Reads a request body up to `limitBytes`. A larger `content-length` is
 * refused before a byte is read; a body that grows past the limit while
 * streaming in is refused as soon as it does. Both are 413. With
 * `timeouts`, a body that stops arriving (a `content-length` never sent) is
 * a 408 once nothing came for the timeout.
 *
 * The listeners are shared functions that find the read in progress on the
 * request (`this`): no closures per request, and a body that arrives in
 * one chunk is returned as that chunk, with no array and no copy.
 */
export function readBody(req: IncomingMessage, options: BodyReadOptions): Promise<Buffer> {
  const { limitBytes, timeouts } = options;
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) {
    return Promise.reject(tooLarge(limitBytes));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const read = new BodyRead(req, limitBytes, timeouts, resolve, reject);
    (req as ReadingMessage)[kBodyRead] = read;
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    timeouts?.watch(read);
  });
}

function onData(this: ReadingMessage, chunk: Buffer): void {
  const read = this[kBodyRead]!;
  read.size += chunk.length;
  if (read.timeouts !== undefined) read.lastActivity = performance.now();
  if (read.size > read.limitBytes) {
    stopReading(this);
    read.reject(tooLarge(read.limitBytes));
  } else if (read.first === undefined) {
    read.first = chunk;
  } else if (read.all === undefined) {
    read.all = [read.first, chunk];
  } else {
    read.all.push(chunk);
  }
}

function onEnd(this: ReadingMessage): void {
  const read = this[kBodyRead]!;
  stopReading(this);
  if (read.all !== undefined) read.resolve(Buffer.concat(read.all, read.size));
  else read.resolve(read.first ?? EMPTY);
}

function onError(this: ReadingMessage, error: Error): void {
  const read = this[kBodyRead]!;
  stopReading(this);
  read.reject(
    new ProxyError({
      status: 400,
      type: 'invalid_request_error',
      message: `Request body could not be read: ${error.message}`,
    }),
  );
}

function stopReading(req: ReadingMessage): void {
  const read = req[kBodyRead];
  if (read?.timeouts !== undefined) read.timeouts.unwatch(read);
  req.off('data', onData);
  req.off('end', onEnd);
  req.off('error', onError);
  // Set rather than deleted: deleting a property would slow every later access to the request.
  req[kBodyRead] = undefined;
}

const EMPTY = Buffer.alloc(0);

function tooLarge(limitBytes: number): ProxyError {
  return new ProxyError({
    status: 413,
    type: 'invalid_request_error',
    message: `Request body is larger than the limit of ${limitBytes} bytes (general_settings.max_request_size_mb).`,
  });
}

/**
 * Whether a request's `content-type` says JSON: `application/json` or any
 * `+json` type, with or without parameters. A request without the header is
 * read as JSON too, as FastAPI (LiteLLM's and vLLM's server) does. Anything
 * else, `text/plain` and the form type `curl -d` sends by default included,
 * is a 415: OpenAI refuses non-JSON content types, and guessing would read
 * a form as JSON by accident.
 */
export function assertJsonContentType(req: IncomingMessage): void {
  const header = req.headers['content-type'];
  if (header === undefined) return;
  const semi = header.indexOf(';');
  const type = (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase();
  if (type === 'application/json' || (type.endsWith('+json') && type.includes('/'))) return;
  throw new ProxyError({
    status: 415,
    type: 'invalid_request_error',
    message: `Unsupported content-type "${header}": this route reads a JSON body; send "content-type: application/json".`,
  });
}

/** A JSON route's body: content type checked, read within the limits, parsed and checked. */
export async function readJsonBody(
  req: IncomingMessage,
  options: BodyReadOptions,
): Promise<Record<string, unknown>> {
  assertJsonContentType(req);
  return parseJsonBody(await readBody(req, options));
}

/**
 * Parses a JSON request body; a syntax error is a 400 that says where, and
 * a body JavaScript code could trip on is a 400 naming the field (see {@link assertSafeBody}).
 */
export function parseJsonBody(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) {
    throw new ProxyError({
      status: 400,
      type: 'invalid_request_error',
      message: 'Request body is empty; expected a JSON object.',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(raw.toString());
  } catch (error) {
    throw new ProxyError({
      status: 400,
      type: 'invalid_request_error',
      message: `Request body is not valid JSON: ${(error as Error).message}`,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProxyError({
      status: 400,
      type: 'invalid_request_error',
      message: 'Request body must be a JSON object.',
    });
  }
  assertSafeBody(value as Record<string, unknown>, raw);
  return value as Record<string, unknown>;
}
