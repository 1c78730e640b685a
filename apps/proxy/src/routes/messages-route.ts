import {
  type AnthropicCountTokensRequest,
  anthropicCountTokensSchema,
  anthropicCountTokensToChatRequest,
  anthropicErrorBody,
  anthropicRequestSchema,
  isPlainMessagesRequest,
} from '@switchyard/api-shapes';
import { parseOrThrow } from '@switchyard/core';
import { isAdmin } from '../http/auth';
import { readJsonBody } from '../http/read-body';
import { proxyHeaders } from '../http/response-headers';
import { sendJson } from '../http/send';
import { assertModelAllowed } from '../keys/admission';
import type { ReportedUsage } from '../metrics/proxy-metrics';
import type { ErrorBodyFormat, RouteDef } from '../server/proxy-context';
import { assertServedModel, clientGoneSignal, elapsedMs } from './routed-call';
import { type ShapeKind, shapeRoute } from './shape-route';

type Json = Record<string, unknown>;

/** Anthropic's error body for any failure of these routes. */
const anthropicError: ErrorBodyFormat = (status, body) =>
  anthropicErrorBody(status, body.error.message);

/** Chat-shaped usage from Anthropic's `{input_tokens, output_tokens}`; unknown counts stay unknown. */
function fromAnthropicUsage(usage: unknown, seen?: ReportedUsage): ReportedUsage | undefined {
  if (typeof usage !== 'object' || usage === null) return seen;
  const { input_tokens: input, output_tokens: output } = usage as Json;
  const prompt = typeof input === 'number' ? input : (seen?.prompt_tokens ?? null);
  const completion = typeof output === 'number' ? output : (seen?.completion_tokens ?? null);
  if (prompt === null && completion === null) return seen;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt !== null && completion !== null ? prompt + completion : null,
  };
}

const MESSAGES: ShapeKind = {
  schema: anthropicRequestSchema,
  plain: isPlainMessagesRequest,
  what: 'messages request',
  callType: 'anthropic_messages',
  call: (ctx, body, opts) => ctx.router.messages(body as Json & { model: string }, opts),
  stream: (ctx, body, opts) => ctx.router.messagesStream(body as Json & { model: string }, opts),
  usageOf: answer => fromAnthropicUsage(answer.usage),
  eventUsage: (event, seen) => {
    if (event.type === 'message_delta') return fromAnthropicUsage(event.usage, seen);
    if (event.type === 'message_start')
      return fromAnthropicUsage((event.message as Json | undefined)?.usage, seen);
    return seen;
  },
  streamError: (status, message) =>
    `event: error\ndata: ${JSON.stringify(anthropicErrorBody(status, message))}\n\n`,
  errorBody: anthropicError,
};

/** `POST /v1/messages` (and `/messages`; `?beta=true` is accepted): the Anthropic Messages API. */
export const messagesRoute: RouteDef = shapeRoute(MESSAGES);

/**
 * `POST /v1/messages/count_tokens`: the prompt's token count, made by a
 * deployment of the model (vLLM counts with its own tokenizer and chat
 * template) or, where none can count, estimated and marked `estimated`.
 * Keys and model allow-lists apply; nothing is generated, so nothing is
 * spent.
 */
export const countTokensRoute: RouteDef = {
  method: 'POST',
  auth: true,
  errorBody: anthropicError,
  handle: async (ctx, ex) => {
    const parsed = await readJsonBody(ex.req, ctx.bodyRead);
    if (typeof parsed.model === 'string') ex.model = parsed.model;
    const body = parseOrThrow(anthropicCountTokensSchema, parsed, 'count_tokens request');
    const model = assertServedModel(ctx.router, body.model);
    const principal = ex.principal;
    if (principal?.kind === 'key')
      assertModelAllowed(principal.record, model, ctx.router.modelGroup(model)?.name ?? model);
    const chat = anthropicCountTokensToChatRequest(body as AnthropicCountTokensRequest);
    const result = await ctx.router.countTokens(chat, { signal: clientGoneSignal(ex.req) });
    ex.routing = result.routing;
    const headers = proxyHeaders({
      callId: ex.callId,
      hideApiBase: !isAdmin(ex.principal),
      routing: result.routing,
      upstream: result.headers,
      totalMs: elapsedMs(ex),
    });
    sendJson(ex.res, 200, result.data, headers);
  },
};
