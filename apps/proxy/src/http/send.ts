import type { ServerResponse } from 'node:http';
import { isSwitchyardError, type OpenAIErrorBody } from '@switchyard/core';

/** Response headers as node:http takes them. */
export type OutgoingHeaders = Record<string, string | number>;

/** Writes a JSON body, serialised once, with an exact content-length. */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers?: OutgoingHeaders,
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
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
