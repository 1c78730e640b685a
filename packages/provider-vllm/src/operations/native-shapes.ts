import {
  APIConnectionError,
  type CallContext,
  type ChatCompletionRequest,
  type NativeBody,
  type ProviderResponse,
  type ProviderStream,
  type TokenCount,
} from '@switchyard/core';
import { type ProviderSetup, postSse, upstreamRequest } from './upstream-call';

type Api = 'messages' | 'responses';

/** The events that end each API's stream; a stream that stops before one was cut. */
const TERMINAL: Readonly<Record<Api, ReadonlySet<string>>> = {
  messages: new Set(['message_stop', 'error']),
  responses: new Set(['response.completed', 'response.incomplete', 'response.failed', 'error']),
};

/**
 * `POST /v1/messages` or `/v1/responses` on vLLM itself: the body goes as
 * given (with the model name the server knows) and the answer comes back
 * as vLLM sent it.
 */
export async function nativeCall(
  api: Api,
  request: NativeBody,
  ctx: CallContext,
  setup: ProviderSetup,
): Promise<ProviderResponse<NativeBody>> {
  const call = upstreamRequest({ ctx, setup, endpoint: api });
  call.json = { ...request, model: ctx.model, stream: false };
  const res = await ctx.http.json(call);
  return { data: res.data as NativeBody, headers: res.headers };
}

/**
 * The same, streamed: each event as vLLM sent it. vLLM ends these streams
 * without `[DONE]`, so a stream is whole only when it reached its closing
 * event (`message_stop`, `response.completed`, …); one that stops before is
 * an APIConnectionError, never a silently short answer.
 */
export async function nativeStream(
  api: Api,
  request: NativeBody,
  ctx: CallContext,
  setup: ProviderSetup,
): Promise<ProviderStream<NativeBody>> {
  const json = { ...request, model: ctx.model, stream: true };
  const { events, headers } = await postSse({
    ctx,
    setup,
    endpoint: api,
    json,
    requireDone: false,
  });
  return {
    stream: untilClosed(api, events as AsyncIterableIterator<NativeBody>, setup.id),
    headers,
  };
}

async function* untilClosed(
  api: Api,
  events: AsyncIterableIterator<NativeBody>,
  provider: string,
): AsyncIterableIterator<NativeBody> {
  let closed = false;
  for await (const event of events) {
    if (TERMINAL[api].has(event.type as string)) closed = true;
    yield event;
  }
  if (!closed) {
    throw new APIConnectionError({
      message: `${provider} /v1/${api} stream ended before its closing event`,
      provider,
    });
  }
}

/** `POST /tokenize` with the chat messages: the prompt's count with vLLM's own chat template. */
export async function countTokens(
  request: ChatCompletionRequest,
  ctx: CallContext,
  setup: ProviderSetup,
): Promise<ProviderResponse<TokenCount>> {
  const call = upstreamRequest({ ctx, setup, endpoint: 'tokenize' });
  const json: Record<string, unknown> = { model: ctx.model, messages: request.messages };
  if (request.tools) json.tools = request.tools;
  call.json = json;
  const res = await ctx.http.json(call);
  const count = (res.data as { count?: unknown }).count;
  if (typeof count !== 'number') {
    throw new APIConnectionError({
      message: `${setup.id} /tokenize answered without a count`,
      provider: setup.id,
      body: res.data,
    });
  }
  return { data: { input_tokens: count }, headers: res.headers };
}
