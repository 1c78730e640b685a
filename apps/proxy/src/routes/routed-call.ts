import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { BadRequestError } from '@switchyard/core';
import type { Router } from '@switchyard/router';
import { ProxyError } from '../http/proxy-error';
import type { Exchange, ProxyContext } from '../server/proxy-context';

/**
 * The answer for a model the proxy does not serve: OpenAI's 404 with code
 * `model_not_found` (which clients map to their not-found error), with
 * LiteLLM's message listing what is served, so the fix is in the error.
 */
export function modelNotFound(model: string, served: readonly string[]): ProxyError {
  return new ProxyError({
    status: 404,
    type: 'invalid_request_error',
    code: 'model_not_found',
    param: 'model',
    message: `Invalid model name passed in model=${model}. Call \`/v1/models\` to view available models. Available models: ${served.join(', ') || '(none)'}`,
  });
}

/** The request's model when the proxy serves it; else a 400 (no model) or {@link modelNotFound}. */
export function assertServedModel(router: Router, model: unknown): string {
  if (typeof model !== 'string' || model === '') {
    throw new BadRequestError({
      message: 'Invalid request: model: expected a model name (string)',
      param: 'model',
    });
  }
  if (router.modelGroup(model) === undefined) throw modelNotFound(model, router.modelGroups());
  return model;
}

const kClientGone = Symbol('switchyard.clientGone');
type WatchedSocket = Socket & { [kClientGone]?: AbortController };

/**
 * An AbortSignal that fires when the client goes away before the response
 * finished, so the router stops retrying and the upstream request is cut at
 * once (the upstream stops generating tokens nobody will read).
 *
 * The signal belongs to the connection, not to the request: a client has
 * gone away when its socket closes (node closes the response of a client
 * that disconnects, and aborts a request whose body is still arriving, on
 * that same event) or, earlier, when its end of the connection arrives:
 * node then ends the socket's writing side too (the server does not allow
 * half-open connections), so nothing more can reach the client (see
 * {@link clientLeft}). That end comes one or more event-loop turns before
 * the close (node first shuts its own side down and waits for it), which in
 * a storm of thousands of clients leaving at once is the difference
 * between cutting the upstream now or after every other close ahead of it
 * in the queue. An AbortSignal with its listeners
 * costs about 1.5 KB of allocation per request for an event that almost
 * never happens. A connection carries one request at a time (pipelined
 * requests queue behind it and die with the same socket), and every user
 * of the signal removes its listener when its call ends, so a long-lived
 * keep-alive connection does not collect listeners; a socket that closes
 * after its last response aborts a signal nobody listens to any more.
 */
export function clientGoneSignal(req: IncomingMessage): AbortSignal {
  const socket = req.socket as WatchedSocket;
  let controller = socket[kClientGone];
  if (controller === undefined) {
    controller = new AbortController();
    socket[kClientGone] = controller;
    // Gone already (while the body was read, or the key checked): abort now.
    if (socket.destroyed || socket.readableEnded) controller.abort(clientDisconnected());
    else {
      // Shared listeners, no closure per connection; whichever comes first aborts.
      socket.on('end', abortOnGone);
      socket.on('close', abortOnGone);
    }
  }
  return controller.signal;
}

function abortOnGone(this: WatchedSocket): void {
  const controller = this[kClientGone];
  if (controller !== undefined && !controller.signal.aborted) {
    controller.abort(clientDisconnected());
  }
}

/**
 * The abort reason of a client that went away: an error of its own per
 * request (the router attaches routing details to what it throws), without
 * a stack trace, which nobody reads and which cost about 6 % of the CPU
 * of 5,000 clients leaving at once.
 */
function clientDisconnected(): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const error = new Error('client disconnected');
  Error.stackTraceLimit = limit;
  return error;
}

/** The error class a client that went away is logged and counted under (Starlette's name, as LiteLLM reports it). */
export const CLIENT_DISCONNECT = 'ClientDisconnect';
/** The status it is logged and counted with: nginx's "client closed request", as LiteLLM logs it. */
export const CLIENT_CLOSED_REQUEST = 499;

/**
 * Whether the client went away before its answer was delivered: its
 * connection closed before the response finished (node destroys the
 * response with it), or it sent its FIN first (node then ends the
 * connection's writing side, so nothing more can reach the client).
 * Either way nobody reads what the proxy writes now, and the failure this
 * causes (an aborted upstream call, a cut body) is the client's doing, not
 * the deployment's or the proxy's. (`req.destroyed` says nothing here: a
 * request is destroyed as soon as its body has been read.)
 */
export function clientLeft(ex: Exchange): boolean {
  const res = ex.res;
  if (res.writableFinished) return false;
  return res.destroyed || !ex.req.socket.writable;
}

/** Elapsed ms since the exchange began. */
export function elapsedMs(ex: Exchange): number {
  return performance.now() - ex.started;
}

export type { ProxyContext };
