import type { IncomingMessage, ServerResponse } from 'node:http';
import { redactUrl } from '@switchyard/core';
import { routingInfoOf } from '@switchyard/router';
import { ProxyError } from '../http/proxy-error';
import { requestLineLogger } from '../logging/logger';
import { replyWithError } from '../routes/error-reply';
import { CLIENT_CLOSED_REQUEST, CLIENT_DISCONNECT, clientLeft } from '../routes/routed-call';
import { recordSpend } from '../spend/spend-recorder';
import { AfterIo } from './after-io';
import { pickCallId } from './call-id';
import type { Exchange, ProxyContext, RouteDef } from './proxy-context';
import type { RouteEntry } from './route-table';

/**
 * Serves one request: match the path, authenticate, run the route, answer
 * any failure in OpenAI's error shape, then log one line and record metrics.
 */
export async function handleRequest(
  ctx: ProxyContext,
  routes: Map<string, RouteEntry>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  let entry = routes.get(trimmed);
  let pathParam: string | undefined;
  if (!entry && trimmed.startsWith('/key/') && trimmed.endsWith('/regenerate')) {
    // LiteLLM's `/key/{key}/regenerate`: the one route with a path parameter.
    entry = routes.get('/key/regenerate');
    pathParam = trimmed.slice(5, -11);
  } else if (!entry) {
    // `/v1/responses/{id}[/input_items]` and `/v1/models/{model}` (with or without `/v1`).
    const found = responsesPath(trimmed) ?? modelPath(trimmed) ?? uiFilePath(trimmed);
    if (found) {
      entry = routes.get(found.route);
      pathParam = found.id;
    }
  }
  // Every field is present from the start: fields added along the way
  // would each change the object's shape and grow its property store.
  const ex: Exchange = {
    req,
    res,
    callId: pickCallId(req),
    started: performance.now(),
    route: entry?.name ?? path,
    principal: undefined,
    model: undefined,
    routing: undefined,
    usage: undefined,
    ttftMs: undefined,
    errorClass: undefined,
    errorMessage: undefined,
    pathParam,
    spend: undefined,
    trace: entry && ctx.tracing ? ctx.tracing.begin(req, entry.name) : undefined,
  };
  try {
    if (!entry) {
      throw new ProxyError({
        status: 404,
        type: 'not_found_error',
        message: `Route ${req.method} ${path} not found`,
      });
    }
    const methods = entry.def.methods ?? [entry.def.method];
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? '');
    if (!methods.includes(method as RouteDef['method'])) {
      res.setHeader('allow', methods.join(', '));
      throw new ProxyError({
        status: 405,
        type: 'invalid_request_error',
        message: `Method ${req.method} not allowed on ${path}; use ${methods.join(' or ')}`,
      });
    }
    // Decoded here, where a malformed escape (`%E0%A4`) is a 400 like any bad input.
    if (pathParam !== undefined) ex.pathParam = decodePathParam(pathParam, entry.name);
    if (entry.def.auth) {
      const principal = ctx.authenticate(req);
      ex.principal = principal instanceof Promise ? await principal : principal;
    }
    await entry.def.handle(ctx, ex);
  } catch (error) {
    if (clientLeft(ex)) {
      // What failed (an aborted upstream call, a cut body) failed because the client left.
      ex.errorMessage = error instanceof Error ? error.message : String(error);
      ex.routing = routingInfoOf(error) ?? ex.routing;
    } else {
      replyWithError(ctx, ex, error, entry?.def.errorBody);
      if (ex.errorClass === 'InternalError')
        ctx.logger.error({ call_id: ex.callId, err: error }, 'unexpected failure');
    }
  }
  finish(ctx, ex);
}

/** Error classes of failures to reach an upstream at all (see `mapTransportError`). */
const TRANSPORT_FAILURES: ReadonlySet<string> = new Set(['APIConnectionError', 'Timeout']);

function decodePathParam(raw: string, route: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    const param = route.startsWith('/v1/models/')
      ? 'model'
      : route.startsWith('/v1/responses/')
        ? 'response_id'
        : route === '/ui/{file}'
          ? 'file'
          : 'key';
    throw new ProxyError({
      status: 400,
      type: 'invalid_request_error',
      param,
      message: `Invalid request: the ${param} in the path is not a valid percent-encoded string.`,
    });
  }
}

function finish(ctx: ProxyContext, ex: Exchange): void {
  const gone = clientLeft(ex);
  if (gone) ex.errorClass = CLIENT_DISCONNECT;
  // Failures and cut streams: the row is written here (successes wrote theirs before answering).
  if (ex.spend && !ex.spend.done) recordSpend(ctx, ex);
  const totalMs = performance.now() - ex.started;
  const status = gone ? CLIENT_CLOSED_REQUEST : ex.res.statusCode;
  if (ex.trace !== undefined) ctx.tracing?.end(ex, status);
  // Nobody waits for a departed client's bookkeeping: see AfterIo.
  if (gone) leftBehind.push({ ctx, ex, status, totalMs });
  else account(ctx, ex, status, totalMs);
}

/** A request whose client left, for its bookkeeping after the I/O at hand. */
interface LeftBehind {
  ctx: ProxyContext;
  ex: Exchange;
  status: number;
  totalMs: number;
}

const leftBehind = new AfterIo<LeftBehind>(
  ({ ctx, ex, status, totalMs }) => account(ctx, ex, status, totalMs),
  (error, { ctx, ex }) =>
    ctx.logger.error({ call_id: ex.callId, err: error }, 'unexpected failure'),
);

/** Metrics, the admin page's row and the request's log line. */
function account(ctx: ProxyContext, ex: Exchange, status: number, totalMs: number): void {
  // Probes, scrapes and the admin page's own polling are not traffic.
  if (ex.route !== '/metrics' && !ex.route.startsWith('/health/') && !ex.route.startsWith('/ui')) {
    // Only served names become label values: names a client makes up
    // (each refused with a 400) would add series without bound.
    const servedModel =
      ex.model !== undefined && ctx.router.modelGroup(ex.model) !== undefined
        ? ex.model
        : undefined;
    ctx.metrics.record({
      route: ex.route,
      status,
      requestedModel: servedModel,
      routing: ex.routing,
      totalSeconds: totalMs / 1000,
      ttftSeconds: ex.ttftMs === undefined ? undefined : ex.ttftMs / 1000,
      usage: ex.usage,
      errorClass: ex.errorClass,
    });
    ctx.dashboard?.record({ ex, status, totalMs, servedModel });
  }
  // One line per request costs a write per request; successes are logged at
  // debug level (`--detailed-debug`), failures always.
  const level = status >= 500 ? 'warn' : status >= 400 ? 'info' : 'debug';
  const logger = requestLineLogger(ctx.logger);
  if (!logger.isLevelEnabled(level)) return;
  const line: Record<string, unknown> = {
    call_id: ex.callId,
    method: ex.req.method,
    route: ex.route,
    status,
    ms: Math.round(totalMs * 1000) / 1000,
  };
  if (ex.model !== undefined) line.model = ex.model;
  if (ex.routing?.deploymentId !== undefined) line.model_id = ex.routing.deploymentId;
  if (ex.errorClass !== undefined) {
    line.error = ex.errorClass;
    // Upstream messages can quote the prompt back; they are logged only in
    // detailed debug. A transport failure's message cannot (it says which
    // address failed how), and clients get it without the address: it is logged.
    if (ctx.detailedDebug || TRANSPORT_FAILURES.has(ex.errorClass))
      line.error_message = ex.errorMessage;
    if (ex.routing?.apiBase !== undefined) line.api_base = redactUrl(ex.routing.apiBase);
  }
  if (ex.errorClass === CLIENT_DISCONNECT) line.client_disconnected = true;
  logger[level](line, 'request');
}

/** `/ui/{file}`: a file of the admin page (its API paths are exact routes, matched before this). */
function uiFilePath(path: string): { route: string; id: string } | undefined {
  return path.startsWith('/ui/') && path.length > 4
    ? { route: '/ui/{file}', id: path.slice(4) }
    : undefined;
}

/** `/v1/models/{model}`: everything after `models/` is the name (model names may hold a `/`). */
function modelPath(path: string): { route: string; id: string } | undefined {
  const at = path.startsWith('/v1/models/') ? 11 : path.startsWith('/models/') ? 8 : -1;
  return at === -1 || at === path.length
    ? undefined
    : { route: '/v1/models/{model}', id: path.slice(at) };
}

/** The route and id of a stored-response path, or undefined for any other path. */
function responsesPath(path: string): { route: string; id: string } | undefined {
  const at = path.startsWith('/v1/responses/') ? 14 : path.startsWith('/responses/') ? 11 : -1;
  if (at === -1) return undefined;
  const rest = path.slice(at);
  if (rest.endsWith('/input_items'))
    return { route: '/v1/responses/{id}/input_items', id: rest.slice(0, -12) };
  return rest.includes('/') ? undefined : { route: '/v1/responses/{id}', id: rest };
}
