import type { IncomingMessage } from 'node:http';
import { ProxyError } from './proxy-error';

/**
 * Reads a request body up to `limitBytes`. A larger `content-length` is
 * refused before a byte is read; a body that grows past the limit while
 * streaming in is refused as soon as it does. Both are 413.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) {
    return Promise.reject(tooLarge(limitBytes));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanup();
        reject(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(
        new ProxyError({
          status: 400,
          type: 'invalid_request_error',
          message: `Request body could not be read: ${error.message}`,
        }),
      );
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function tooLarge(limitBytes: number): ProxyError {
  return new ProxyError({
    status: 413,
    type: 'invalid_request_error',
    message: `Request body is larger than the limit of ${limitBytes} bytes (general_settings.max_request_size_mb).`,
  });
}

/** Parses a JSON request body; a syntax error is a 400 that says where. */
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
    value = JSON.parse(raw.toString('utf8'));
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
  return value as Record<string, unknown>;
}
