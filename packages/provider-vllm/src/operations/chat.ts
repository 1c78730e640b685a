import {
  type CallContext,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  expectChatCompletion,
  type ProviderResponse,
  type ProviderStream,
} from '@switchyard/core';
import { buildChatBody } from '../request/build-chat-body';
import { normalizeChatStream } from '../response/normalize-chat-stream';
import { normalizeMessageReasoning } from '../response/normalize-reasoning';
import { type ProviderSetup, postSse, upstreamRequest } from './upstream-call';

/** `POST /v1/chat/completions`, non-streaming; reasoning normalised to `reasoning_content`. */
export async function chat(
  request: ChatCompletionRequest,
  ctx: CallContext,
  setup: ProviderSetup,
): Promise<ProviderResponse<ChatCompletion>> {
  const json = buildChatBody({ request, ctx, stream: false });
  const call = upstreamRequest({ ctx, setup, endpoint: 'chat' });
  call.json = json;
  const res = await ctx.http.json(call);
  // A shallow check, not a zod parse: it runs on every answer and copies nothing.
  const data = expectChatCompletion(res.data, {
    provider: setup.id,
    model: ctx.model,
    url: call.url,
  });
  for (const choice of data.choices) {
    normalizeMessageReasoning(choice.message as Record<string, unknown>);
  }
  return { data, headers: res.headers };
}

/** `POST /v1/chat/completions` with `stream: true`; chunks normalised as they arrive. */
export async function chatStream(
  request: ChatCompletionRequest,
  ctx: CallContext,
  setup: ProviderSetup,
): Promise<ProviderStream<ChatCompletionChunk>> {
  const json = buildChatBody({ request, ctx, stream: true });
  const { events, headers } = await postSse({ ctx, setup, endpoint: 'chat', json });
  return { stream: normalizeChatStream(events, { provider: setup.id, model: ctx.model }), headers };
}
