import type { IncomingMessage } from 'node:http';
import { isSwitchyardError } from '@switchyard/core';
import { routingInfoOf } from '@switchyard/router';
import { isAdmin } from '../http/auth';
import { proxyHeaders } from '../http/response-headers';
import { errorResponse, sendJson } from '../http/send';
import type { ErrorBodyFormat, Exchange, ProxyContext } from '../server/proxy-context';

function bodyUnread(req: IncomingMessage): boolean {
  if (req.complete) return false;
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Answers a failed request with OpenAI's error shape and the status of the
 * error, plus the routing headers (which deployment failed, how many retries
 * and fallbacks were tried) and the upstream's rate-limit headers and
 * `retry-after`, so a client backs off as the upstream asked. `format`
 * gives the body a route's own shape (Anthropic's on `/v1/messages`).
 */
export function replyWithError(
  ctx: ProxyContext,
  ex: Exchange,
  error: unknown,
  format?: ErrorBodyFormat,
): void {
  const { status, body } = errorResponse(error, ctx.redact);
  ex.errorClass = isSwitchyardError(error) ? error.name : 'InternalError';
  ex.errorMessage = error instanceof Error ? error.message : String(error);
  const routing = routingInfoOf(error) ?? ex.routing;
  if (routing) ex.routing = routing;
  if (ex.res.headersSent) return;
  const ours = isSwitchyardError(error);
  const headers = proxyHeaders({
    callId: ex.callId,
    hideApiBase: !isAdmin(ex.principal),
    routing,
    upstream: ours ? error.headers : undefined,
    totalMs: performance.now() - ex.started,
  });
  if (ours && error.retryAfterMs !== undefined) {
    headers.push('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
  }
  // Refused before its body was read (408, 413, a bad content type): the
  // rest of the body would be taken for the next request, so the connection ends here.
  if (bodyUnread(ex.req)) headers.push('connection', 'close');
  sendJson(ex.res, status, format ? format(status, body) : body, headers);
}
