import {
  BadGatewayError,
  type CallContext,
  type ProviderResponse,
  type ProviderStream,
  type TextCompletion,
  type TextCompletionRequest,
  textCompletionSchema,
} from '@switchyard/core';
import { upstreamBody } from '../request/upstream-body';
import { type ProviderSetup, postSse, upstreamRequest } from './upstream-call';

function completionBody(request: TextCompletionRequest, ctx: CallContext, stream: boolean) {
  const body = upstreamBody({ request, ctx, consumed: ['stream'] });
  body.stream = stream;
  if (!stream) delete body.stream_options;
  return body;
}

/** `POST /v1/completions`, non-streaming. */
export async function textCompletion(
  request: TextCompletionRequest,
  ctx: CallContext,
  setup: ProviderSetup,
): Promise<ProviderResponse<TextCompletion>> {
  const res = await ctx.http.json({
    ...upstreamRequest({ ctx, setup, endpoint: 'completions' }),
    json: completionBody(request, ctx, false),
    schema: textCompletionSchema,
  });
  return { data: res.data, headers: res.headers };
}

/** `POST /v1/completions` with `stream: true`; chunks pass through as sent. */
export async function textCompletionStream(
  request: TextCompletionRequest,
  ctx: CallContext,
  setup: ProviderSetup,
): Promise<ProviderStream<TextCompletion>> {
  const { events, headers } = await postSse({
    ctx,
    setup,
    endpoint: 'completions',
    json: completionBody(request, ctx, true),
  });
  return { stream: checkedChunks(events, setup.id, ctx.model), headers };
}

async function* checkedChunks(events: AsyncIterable<unknown>, provider: string, model: string) {
  for await (const event of events) {
    if (
      typeof event !== 'object' ||
      event === null ||
      !Array.isArray((event as { choices?: unknown }).choices)
    ) {
      throw new BadGatewayError({
        message: `A completion stream event has no choices array: ${JSON.stringify(event).slice(0, 200)}`,
        provider,
        model,
        body: event,
      });
    }
    yield event as TextCompletion;
  }
}
