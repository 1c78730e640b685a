import { maxHeaderSize, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** What node's HTTP parser (or its request timer) reports, and how it is answered. */
function describe(code: string | undefined): { status: number; type: string; message: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        type: 'invalid_request_error',
        message: `Request header fields too large: the headers exceed ${maxHeaderSize} bytes (node's --max-http-header-size).`,
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        status: 413,
        type: 'invalid_request_error',
        message: 'Chunk extensions of the request body are too large.',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        type: 'timeout_error',
        message: 'The request was not received in time.',
      };
    default:
      return {
        status: 400,
        type: 'invalid_request_error',
        message: `Bad request: the HTTP request could not be parsed${code ? ` (${code})` : ''}.`,
      };
  }
}

/**
 * The server's `clientError` handler: what node answers with an empty body
 * (a 431 for oversized headers, a 400 for a request it cannot parse, a 408
 * when the whole request took too long) is answered in OpenAI's error shape
 * instead, so clients parse it like any other error. As node does, nothing
 * is written when a response on the connection has already started (it
 * would corrupt that response), and the connection is closed either way.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // The peer is gone: there is nobody to answer.
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  // node keeps the response in progress on its socket; undocumented, but what its own handler checks.
  const current = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (current?.headersSent) {
    socket.destroy();
    return;
  }
  const { status, type, message } = describe(error.code);
  const body = JSON.stringify({ error: { message, type, param: null, code: String(status) } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  // A graceful close lets the answer arrive (closing at once can reset it away
  // while unread request bytes remain); a peer that never closes its side is cut.
  setTimeout(destroy, CLOSE_GRACE_MS, socket).unref();
}

const CLOSE_GRACE_MS = 5000;

function destroy(socket: Duplex): void {
  socket.destroy();
}
