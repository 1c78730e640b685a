import { eventText, namedEventText } from '@switchyard/api-shapes';
import { hasFrames, parseOrThrow, SseFrames, sourceTextOf } from '@switchyard/core';
import type { RouterResponse, RouterStream } from '@switchyard/router';
import type { z } from 'zod';
import { isAdmin } from '../http/auth';
import { readJsonBody } from '../http/read-body';
import { proxyHeaders } from '../http/response-headers';
import { errorResponse, sendJson } from '../http/send';
import { writeEvent, writeSseHead } from '../http/sse';
import { admitRequest } from '../keys/admit-request';
import type { ReportedUsage } from '../metrics/proxy-metrics';
import type { ErrorBodyFormat, Exchange, ProxyContext, RouteDef } from '../server/proxy-context';
import { recordSpend } from '../spend/spend-recorder';
import { assertClientCallOptions } from './client-credentials';
import { replyWithError } from './error-reply';
import { assertServedModel, clientGoneSignal, clientLeft, elapsedMs } from './routed-call';

type Body = Record<string, unknown>;
type Json = Record<string, unknown>;
type CallOpts = { signal: AbortSignal; headers?: Exchange['req']['headers']; frames?: boolean };

/**
 * How one API of another shape (Anthropic Messages, OpenAI Responses) is
 * served: its schema, LiteLLM's call type, the router calls, how usage is
 * read from its answers and events, and its error bodies.
 */
export interface ShapeKind {
  schema: z.ZodType;
  /**
   * Optional quick check that a body certainly passes `schema` unchanged;
   * when it says yes the schema's work and copy are skipped.
   */
  plain?: (value: unknown) => boolean;
  /** What the error message calls the body. */
  what: string;
  /** LiteLLM's call type in spend logs. */
  callType: string;
  call(ctx: ProxyContext, body: Body, opts: CallOpts): Promise<RouterResponse<Json>>;
  stream(ctx: ProxyContext, body: Body, opts: CallOpts): Promise<RouterStream<Json>>;
  /** Chat-shaped usage of an answer (for spend and metrics). */
  usageOf(answer: Json): ReportedUsage | undefined;
  /** Usage carried by one streamed event, merged into what was seen before. */
  eventUsage(event: Json, seen: ReportedUsage | undefined): ReportedUsage | undefined;
  /** The framed event written when the stream fails midway. */
  streamError(status: number, message: string): string;
  errorBody: ErrorBodyFormat;
  /**
   * Rewrites the body before it is routed (Responses: the stored
   * conversation); a promise only when it has to wait (a store read).
   */
  prepare?(ctx: ProxyContext, ex: Exchange, body: Body): ShapeSession | Promise<ShapeSession>;
}

/** What a prepared request carries to its end. */
export interface ShapeSession {
  /** The body to route. */
  body: Body;
  /** The answer as the client sees it (and stored), made from the upstream's. */
  answer?(answer: Json): Json;
  /** Each streamed event as the client sees it. */
  event?(event: Json): Json;
  /** Called once with the final answer, before it is sent (Responses: store it). */
  finish?(answer: Json): Promise<void>;
}

/**
 * Serves one request of another API shape through the router, keys, spend
 * and metrics exactly as chat is served: validated (a bad field is named,
 * in the API's own error shape), admitted, routed, answered; streams are
 * relayed event by event as they arrive.
 */
async function serveShape(kind: ShapeKind, ctx: ProxyContext, ex: Exchange): Promise<void> {
  const parsed = await readJsonBody(ex.req, ctx.bodyRead);
  if (typeof parsed.model === 'string') ex.model = parsed.model;
  ctx.dashboard?.notePrompt(ex, parsed);
  const body = (
    kind.plain?.(parsed) ? parsed : parseOrThrow(kind.schema, parsed, kind.what)
  ) as Body;
  assertServedModel(ctx.router, body.model);
  assertClientCallOptions(body, {
    allowClientSideCredentials: ctx.config.general_settings.allow_client_side_credentials === true,
  });
  if (ctx.keys !== undefined) await admitRequest(ctx, ex, body, kind.callType);
  const prepared = kind.prepare ? kind.prepare(ctx, ex, body) : { body };
  const session = prepared instanceof Promise ? await prepared : prepared;
  // The routed body carries the trace to the upstream calls (traceparent), as on chat.
  ex.trace?.request(session.body);
  const signal = clientGoneSignal(ex.req);
  const opts: CallOpts =
    ctx.config.router_settings?.routing_strategy === 'session-affinity'
      ? { signal, headers: ex.req.headers }
      : { signal };
  if (body.stream === true) {
    // The relay reads runs of frames from the first chunk on (see streamShape).
    opts.frames = true;
    const pending = kind.stream(ctx, session.body, opts);
    // Returned, not awaited, and without the routed body: neither this
    // frame nor the relay keeps the parsed request (its input or messages)
    // alive for as long as the stream is held, as on chat.
    const relay = { event: session.event, finish: session.finish };
    return streamShape(kind, { ctx, ex, session: relay, pending });
  }
  const result = await kind.call(ctx, session.body, opts);
  ex.routing = result.routing;
  const answer = session.answer ? session.answer(result.data) : result.data;
  ex.usage = kind.usageOf(answer);
  ex.trace?.response(answer);
  await session.finish?.(answer);
  const cost = ex.spend ? recordSpend(ctx, ex) : undefined;
  const headers = proxyHeaders({
    callId: ex.callId,
    hideApiBase: !isAdmin(ex.principal),
    routing: result.routing,
    upstream: result.headers,
    totalMs: elapsedMs(ex),
  });
  if (cost !== undefined && ex.usage) headers.push('x-litellm-response-cost', String(cost));
  sendJson(ex.res, 200, answer, headers);
}

/**
 * Writes each event the moment the router yields it, as `event: <type>`
 * with its JSON (events relayed unchanged from an upstream go out as the
 * bytes that came in). Runs of events the translator wrote as text (see
 * TranslatedStream.nextFrames) come as one SseFrames, with the usage their
 * chunks reported, and go out in one write. A failure after the first event is written as the
 * API's own error event and the stream ends there.
 */
async function streamShape(
  kind: ShapeKind,
  run: {
    ctx: ProxyContext;
    ex: Exchange;
    session: Pick<ShapeSession, 'event' | 'finish'>;
    pending: Promise<RouterStream<Json>>;
  },
): Promise<void> {
  const { ctx, ex, session } = run;
  const started = await run.pending;
  ex.routing = started.routing;
  ex.ttftMs = elapsedMs(ex);
  const res = ex.res;
  const headers = proxyHeaders({
    callId: ex.callId,
    hideApiBase: !isAdmin(ex.principal),
    routing: started.routing,
    upstream: started.headers,
    totalMs: ex.ttftMs,
  });
  writeSseHead(res, headers);
  const events = started.stream[Symbol.asyncIterator]();
  const next = hasFrames(events) ? () => events.nextFrames() : () => events.next();
  let last: Json | undefined;
  // No flush after the first event, as on chat: Node corks the socket at the first write
  // and uncorks it once the microtasks run out, which is when this loop waits for the
  // upstream. The first events leave as soon as those already made are written, and an
  // answer that arrived in one read leaves in one writev, not two.
  try {
    for (;;) {
      const result = await next();
      if (result.done) break;
      let text: string;
      if (result.value instanceof SseFrames) {
        text = result.value.text;
        // A translator's run: the upstream's own counts, as chat bills them.
        if (result.value.usage) ex.usage = result.value.usage;
      } else {
        const event = session.event ? session.event(result.value) : result.value;
        last = event;
        ex.usage = kind.eventUsage(event, ex.usage ?? undefined);
        text = namedEvent(event);
      }
      // Awaited only when the socket's buffer was full: no promise per event.
      let written = writeEvent(res, text);
      if (typeof written !== 'boolean') written = await written;
      if (!written) {
        // The client left: stop reading, which frees the upstream request.
        await events.return?.();
        return;
      }
    }
  } catch (error) {
    // The client left and the upstream read was aborted for it: the handler logs the disconnect.
    if (clientLeft(ex)) throw error;
    replyWithError(ctx, ex, error, kind.errorBody);
    const { status, body } = errorResponse(error, ctx.redact);
    if (!res.destroyed) res.end(kind.streamError(status, body.error.message));
    return;
  }
  if (res.destroyed) return;
  const final = (last as { response?: Json } | undefined)?.response;
  if (final && session.finish) await session.finish(final);
  if (ex.spend) recordSpend(ctx, ex);
  res.end();
}

/**
 * One named SSE event: `event: <type>` then its data. An event a
 * translator made with its text, or nothing changed since it was read from
 * the upstream, goes out as that text.
 */
export function namedEvent(event: Json): string {
  return (
    eventText(event) ??
    namedEventText(event.type as string, sourceTextOf(event) ?? JSON.stringify(event))
  );
}

/** The route of a shape: POST, authenticated, answered in its own error shape. */
export function shapeRoute(kind: ShapeKind): RouteDef {
  return {
    method: 'POST',
    auth: true,
    handle: (ctx, ex) => serveShape(kind, ctx, ex),
    errorBody: kind.errorBody,
  };
}
