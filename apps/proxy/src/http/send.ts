import type { ServerResponse } from 'node:http';
import { isSwitchyardError, type OpenAIErrorBody } from '@switchyard/core';
import type { HeaderList } from './response-headers';

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

/** The status and OpenAI error body for anything thrown while serving a request. */
export function errorResponse(error: unknown): { status: number; body: OpenAIErrorBody } {
  if (isSwitchyardError(error)) return { status: error.status, body: error.toOpenAIError() };
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
