import type { IncomingMessage } from 'node:http';
import { assertSafeBody } from './body-hazards';
import { ProxyError } from './proxy-error';

/** What a body read in progress keeps, on the request itself (see {@link readBody}). */
interface BodyRead {
  limitBytes: number;
  size: number;
  /** The first chunk; most bodies arrive in one. */
  first: Buffer | undefined;
  /** Every chunk, from the second one on (undefined while there is only one). */
  all: Buffer[] | undefined;
  resolve: (body: Buffer) => void;
  reject: (error: ProxyError) => void;
}

const kBodyRead = Symbol('switchyard.bodyRead');
type ReadingMessage = IncomingMessage & { [kBodyRead]?: BodyRead | undefined };

/**
 * Reads a request body up to `limitBytes`. A larger `content-length` is
 * refused before a byte is read; a body that grows past the limit while
 * streaming in is refused as soon as it does. Both are 413.
 *
 * The listeners are shared functions that find the read in progress on the
 * request (`this`): no closures per request, and a body that arrives in
 * one chunk is returned as that chunk, with no array and no copy.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) {
    return Promise.reject(tooLarge(limitBytes));
  }
  return new Promise<Buffer>((resolve, reject) => {
    (req as ReadingMessage)[kBodyRead] = {
      limitBytes,
      size: 0,
      first: undefined,
      all: undefined,
      resolve,
      reject,
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function onData(this: ReadingMessage, chunk: Buffer): void {
  const read = this[kBodyRead]!;
  read.size += chunk.length;
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
