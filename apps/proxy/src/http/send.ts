import type { ServerResponse } from 'node:http';
import { isSwitchyardError, type OpenAIErrorBody } from '@switchyard/core';
import { ProxyError } from './proxy-error';
import type { HeaderList } from './response-headers';
import type { Redactor } from './upstream-redaction';

/**
 * Writes a JSON body, serialised once, with an exact content-length.
 * `headers` (see `proxyHeaders`) is appended to and written as it is,
 * so the response's header set is built once; the caller must not reuse it.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers?: HeaderList,
): void {
  const body = JSON.stringify(value);
  const length = String(Buffer.byteLength(body));
  if (headers === undefined) {
    res.writeHead(status, ['content-type', 'application/json', 'content-length', length]);
  } else {
    headers.push('content-type', 'application/json', 'content-length', length);
    res.writeHead(status, headers);
  }
  res.end(body);
}

/**
 * The status and OpenAI error body for anything thrown while serving a
 * request. With `redact`, the message of any error that is not the proxy's
 * own (upstream and transport failures quote upstream URLs and hosts) goes
 * through it, so clients learn the class and what happened, not where.
 */
export function errorResponse(
  error: unknown,
  redact?: Redactor,
): { status: number; body: OpenAIErrorBody } {
  if (isSwitchyardError(error)) {
    const body = error.toOpenAIError();
    if (redact !== undefined && !ProxyError.isInstance(error))
      body.error.message = redact(body.error.message);
    return { status: error.status, body };
  }
  // Not one of ours: a bug. The message stays in the log, not on the wire.
  return {
    status: 500,
    body: {
      error: {
        message: 'Internal server error',
        type: 'internal_server_error',
        param: null,
        code: '500',
      },
    },
  };
}
