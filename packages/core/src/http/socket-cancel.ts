import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/**
 * Cancelling an HTTP/1 request by destroying its socket ourselves, before
 * undici's own abort runs.
 *
 * undici 7's abort destroys the socket with an informational error; on that
 * socket's close its client puts the aborted request back among the pending
 * ones and connects anew for it before it sees it aborted
 * (nodejs/undici#5845): one new, unused upstream connection per cancelled
 * stream (5,000 when 5,000 clients leave at once), each a connect in the
 * gateway and an idle socket on the upstream until its keep-alive timeout.
 * A socket destroyed with any other error makes the client fail the
 * request (the caller has already seen it fail) and drop it when the socket
 * closes, so nothing reconnects, and undici's own abort is not needed.
 *
 * undici hands a handler its abort function but not its socket; the socket
 * comes from the `undici:client:sendHeaders` diagnostics channel, which
 * undici publishes in the same synchronous step as the handler's
 * `onConnect`, right after it. The request's `abort` property (the function
 * the handler was given) tells that the message is for that handler.
 */

/** A request that wants the socket it is written to. */
export interface SocketWatcher {
  /** The abort function undici gave this request's `onConnect`. */
  readonly abortFunction: unknown;
  attachSocket(socket: Socket): void;
}

interface SendHeadersMessage {
  request: { abort?: unknown };
  socket: Socket;
}

const CHANNEL = 'undici:client:sendHeaders';

/** The handler whose `onConnect` ran last and whose headers are not yet written. */
let waiting: SocketWatcher | undefined;
let subscribed = false;

function onSendHeaders(message: unknown): void {
  const watcher = waiting;
  if (watcher === undefined) return;
  waiting = undefined;
  const { request, socket } = message as SendHeadersMessage;
  if (request?.abort === watcher.abortFunction && socket !== undefined) {
    watcher.attachSocket(socket);
  }
}

/**
 * Call from `onConnect`: `watcher` gets the request's socket once undici
 * writes the request's headers (in the same synchronous step).
 */
export function watchSocket(watcher: SocketWatcher): void {
  if (!subscribed) {
    subscribed = true;
    subscribe(CHANNEL, onSendHeaders);
  }
  waiting = watcher;
}

/**
 * What a cancelled request's socket is destroyed with: a socket error's
 * code (not undici's informational one, which would reconnect), made once,
 * so a cancel builds no stack trace.
 */
const CANCELLED = Object.assign(new Error('request cancelled by the caller'), {
  code: 'UND_ERR_SOCKET',
});

/**
 * Destroys a cancelled request's socket so that undici does not connect
 * anew for it; false when it was closed already (undici's abort must run).
 */
export function cutSocket(socket: Socket): boolean {
  if (socket.destroyed) return false;
  socket.destroy(CANCELLED);
  return true;
}
