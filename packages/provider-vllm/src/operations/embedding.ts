import {
  type CallContext,
  type EmbeddingRequest,
  type EmbeddingResponse,
  embeddingResponseSchema,
  type ProviderResponse,
} from '@switchyard/core';
import { upstreamBody } from '../request/upstream-body';
import { type ProviderSetup, upstreamRequest } from './upstream-call';

/**
 * `POST /v1/embeddings`. `encoding_format` is sent only when given (vLLM
 * rejects an empty or null one, LiteLLM issue #28239); a string `input` goes
 * as a one-element list, as LiteLLM sends it.
 */
export async function embedding(
  request: EmbeddingRequest,
  ctx: CallContext,
  setup: ProviderSetup,
): Promise<ProviderResponse<EmbeddingResponse>> {
  const res = await ctx.http.json({
    ...upstreamRequest({ ctx, setup, endpoint: 'embeddings' }),
    json: embeddingBody(request, ctx),
    schema: embeddingResponseSchema,
  });
  return { data: res.data, headers: res.headers };
}

function embeddingBody(request: EmbeddingRequest, ctx: CallContext): Record<string, unknown> {
  const body = upstreamBody({ request, ctx });
  if (typeof body.input === 'string') body.input = [body.input];
  return body;
}
