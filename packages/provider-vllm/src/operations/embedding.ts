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
 * rejects an empty or null one, LiteLLM issue #28239).
 */
export async function embedding(
  request: EmbeddingRequest,
  ctx: CallContext,
  setup: ProviderSetup,
): Promise<ProviderResponse<EmbeddingResponse>> {
  const res = await ctx.http.json({
    ...upstreamRequest({ ctx, setup, endpoint: 'embeddings' }),
    json: upstreamBody({ request, ctx }),
    schema: embeddingResponseSchema,
  });
  return { data: res.data, headers: res.headers };
}
