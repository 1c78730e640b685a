import type { IncomingHttpHeaders } from 'node:http';
import {
  type ChatCompletionRequest,
  chatCompletionRequestSchema,
  embeddingRequestSchema,
  hasFrames,
  isPlainChatRequest,
  parseOrThrow,
  rerankRequestSchema,
  SSE_DONE,
  SseFrames,
  sseJson,
  sseJsonAsReceived,
  type TextCompletionRequest,
  textCompletionRequestSchema,
} from '@switchyard/core';
import type { RouterResponse, RouterStream } from '@switchyard/router';
import type { z } from 'zod';
import { isAdmin } from '../http/auth';
import { readJsonBody } from '../http/read-body';
import { proxyHeaders } from '../http/response-headers';
import { errorResponse, sendJson } from '../http/send';
import { writeEvent, writeSseHead } from '../http/sse';
import { admitRequest } from '../keys/admit-request';
import type { Exchange, ProxyContext, RouteDef } from '../server/proxy-context';
import { recordSpend } from '../spend/spend-recorder';
import { assertClientCallOptions } from './client-credentials';
import { replyWithError } from './error-reply';
import { assertServedModel, clientGoneSignal, clientLeft, elapsedMs } from './routed-call';

type Body = Record<string, unknown>;
type CallOpts = { signal: AbortSignal; headers?: IncomingHttpHeaders };

/** How one JSON inference route validates and calls the router. */
interface InferenceKind {
  schema: z.ZodType;
  /**
   * Optional quick check that a body certainly passes `schema` unchanged;
   * when it says yes the schema's copy of the body is skipped.
   */
  plain?: (value: unknown) => boolean;
  /** What the error message calls the body. */
  what: string;
  /** LiteLLM's call type in spend logs. */
  callType: string;
  call(ctx: ProxyContext, body: Body, opts: CallOpts): Promise<RouterResponse<unknown>>;
  /** Present for routes that can stream. */
  stream?(ctx: ProxyContext, body: Body, opts: CallOpts): Promise<RouterStream<unknown>>;
}

const CHAT: InferenceKind = {
  schema: chatCompletionRequestSchema,
  plain: isPlainChatRequest,
  what: 'chat completion request',
  callType: 'acompletion',
  call: (ctx, body, opts) => ctx.router.completion(body as ChatCompletionRequest & Body, opts),
  stream: (ctx, body, opts) =>
    ctx.router.completionStream(body as ChatCompletionRequest & Body, opts),
};
const TEXT: InferenceKind = {
  schema: textCompletionRequestSchema,
  what: 'completion request',
  callType: 'atext_completion',
  call: (ctx, body, opts) => ctx.router.textCompletion(body as TextCompletionRequest & Body, opts),
  stream: (ctx, body, opts) =>
    ctx.router.textCompletionStream(body as TextCompletionRequest & Body, opts),
};
const EMBEDDING: InferenceKind = {
  schema: embeddingRequestSchema,
  what: 'embedding request',
  callType: 'aembedding',
  call: (ctx, body, opts) => ctx.router.embedding(body as never, opts),
};
const RERANK: InferenceKind = {
  schema: rerankRequestSchema,
  what: 'rerank request',
  callType: 'arerank',
  call: (ctx, body, opts) => ctx.router.rerank(body as never, opts),
};

async function serve(kind: InferenceKind, ctx: ProxyContext, ex: Exchange): Promise<void> {
  const parsed = await readJsonBody(ex.req, ctx.bodyRead);
  if (typeof parsed.model === 'string') ex.model = parsed.model;
  if (ctx.detailedDebug) ctx.logger.debug({ call_id: ex.callId, body: parsed }, 'request body');
  ctx.dashboard?.notePrompt(ex, parsed);
  const body = (
    kind.plain?.(parsed) ? parsed : parseOrThrow(kind.schema, parsed, kind.what)
  ) as Body;
  assertServedModel(ctx.router, body.model);
  ex.trace?.request(body);
  assertClientCallOptions(body, {
    allowClientSideCredentials: ctx.config.general_settings.allow_client_side_credentials === true,
  });
  // Without virtual keys there is nothing to admit: no promise and no wait for it.
  if (ctx.keys !== undefined) await admitRequest(ctx, ex, body, kind.callType);
  // Client headers matter only to session affinity keyed on a header; other
  // strategies do not pay for copying them on every request (the router
  // copies every option it is given).
  const signal = clientGoneSignal(ex.req);
  const opts: CallOpts =
    ctx.config.router_settings?.routing_strategy === 'session-affinity'
      ? { signal, headers: ex.req.headers }
      : { signal };
  if (body.stream === true && kind.stream) {
    // Spend needs the token counts: ask for the usage chunk, and keep it from a client that did not.
    const options = body.stream_options as { include_usage?: unknown } | undefined;
    const hideUsage = ex.spend !== undefined && options?.include_usage !== true;
    const streamBody = hideUsage
      ? { ...body, stream_options: { ...options, include_usage: true } }
      : body;
    // Returned, not awaited: this function's frame (the parsed request, its
    // messages) is not kept alive for as long as the stream is held.
    return streamReply(kind.stream(ctx, streamBody, opts), ctx, ex, hideUsage);
  }
  const result = await kind.call(ctx, body, opts);
  ex.routing = result.routing;
  ex.usage = (result.data as { usage?: Exchange['usage'] }).usage;
  ex.trace?.response(result.data);
  // Logged before the answer leaves: a crash after this point cannot lose the row.
  const cost = ex.spend ? recordSpend(ctx, ex) : undefined;
  const headers = proxyHeaders({
    callId: ex.callId,
    hideApiBase: !isAdmin(ex.principal),
    routing: result.routing,
    upstream: result.headers,
    totalMs: elapsedMs(ex),
  });
  if (cost !== undefined && ex.usage) headers.push('x-litellm-response-cost', String(cost));
  sendJson(ex.res, 200, result.data, headers);
}

/**
 * Writes each chunk the moment the router yields it. The router resolves at
 * the first chunk, so failures before it are ordinary error responses (with
 * their status); a failure after it is sent as one `data: {"error": …}`
 * event in OpenAI's error shape — what LiteLLM sends and what the openai
 * clients raise as an APIError — and the stream ends without `[DONE]`, so no
 * client can mistake the cut for a complete answer.
 */
async function streamReply(
  pending: Promise<RouterStream<unknown>>,
  ctx: ProxyContext,
  ex: Exchange,
  hideUsage: boolean,
): Promise<void> {
  const started = await pending;
  ex.routing = started.routing;
  ex.ttftMs = elapsedMs(ex);
  const res = ex.res;
  writeSseHead(
    res,
    proxyHeaders({
      callId: ex.callId,
      hideApiBase: !isAdmin(ex.principal),
      routing: started.routing,
      upstream: started.headers,
      totalMs: ex.ttftMs,
    }),
  );
  const chunks = started.stream[Symbol.asyncIterator]();
  // Runs of plain chunks (no usage, finish, reasoning or error in them) come
  // as the upstream's bytes when the stream can hand them out: one write per
  // upstream read, no parse and no serialisation.
  // Content capture (tracing) reads every chunk's text: no unparsed frames then.
  const next =
    hasFrames(chunks) && ex.trace?.outputTexts === undefined
      ? () => chunks.nextFrames()
      : () => chunks.next();
  // No flush after the first event: Node corks the socket at the first write and
  // uncorks it once the microtasks run out, which is when this loop waits for the
  // upstream. So the first event leaves as soon as the events already received are
  // relayed (microseconds), and an answer that arrived in one read leaves in one
  // writev, not two: the syscall was about a sixth of the gateway's CPU per answer.
  try {
    for (;;) {
      const result = await next();
      if (result.done) break;
      const event = eventText(result.value, ex, hideUsage);
      if (event === undefined) continue;
      // Awaited only when the socket's buffer was full: no promise per chunk.
      let written = writeEvent(res, event);
      if (typeof written !== 'boolean') written = await written;
      if (!written) {
        // The client left: stop reading, which frees the upstream request.
        await chunks.return?.();
        return;
      }
    }
  } catch (error) {
    // The client left and the upstream read was aborted for it: the handler logs the disconnect.
    if (clientLeft(ex)) throw error;
    replyWithError(ctx, ex, error);
    if (!res.destroyed) res.end(sseJson(errorResponse(error, ctx.redact).body));
    return;
  }
  if (res.destroyed) return;
  if (ex.spend) recordSpend(ctx, ex);
  res.end(SSE_DONE);
}

/**
 * What to write for one item of the stream, or undefined for nothing:
 * unparsed frames as they are (the upstream's bytes when the reader kept
 * them undecoded); a chunk as the bytes that came in when
 * unchanged, after noting its usage (and dropping the usage-only chunk the
 * proxy asked for on the client's behalf).
 */
function eventText(
  item: unknown,
  ex: Exchange,
  hideUsage: boolean,
): string | Uint8Array | undefined {
  if (item instanceof SseFrames) return item.bytes ?? item.text;
  const { usage, choices } = item as { usage?: Exchange['usage']; choices?: unknown[] };
  if (usage) ex.usage = usage;
  if (ex.trace !== undefined) ex.trace.chunk(item);
  if (hideUsage && usage && Array.isArray(choices) && choices.length === 0) return undefined;
  return sseJsonAsReceived(item);
}

function route(kind: InferenceKind): RouteDef {
  return {
    method: 'POST',
    auth: true,
    handle: (ctx, ex) => serve(kind, ctx, ex),
  };
}

/** `/v1/chat/completions`, `/v1/completions`, `/v1/embeddings`, `/v1/rerank`. */
export const chatCompletionsRoute = route(CHAT);
export const completionsRoute = route(TEXT);
export const embeddingsRoute = route(EMBEDDING);
export const rerankRoute = route(RERANK);
