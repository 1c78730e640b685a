import {
  BadRequestError,
  type CallContext,
  type ProviderResponse,
  type RerankRequest,
  type RerankResponse,
  UnsupportedParamsError,
} from '@switchyard/core';
import { upstreamBody } from '../request/upstream-body';
import { toCohereRerank } from '../response/to-cohere-rerank';
import { type ProviderSetup, upstreamRequest } from './upstream-call';

/**
 * `POST /rerank` (the server root, not `/v1`), answered in Cohere's shape.
 * `return_documents` defaults to true as in LiteLLM; vLLM's own rerank
 * options (`truncate_prompt_tokens`, `instruction`, …) are forwarded.
 */
export async function rerank(
  request: RerankRequest,
  ctx: CallContext,
  setup: ProviderSetup,
): Promise<ProviderResponse<RerankResponse>> {
  if (typeof request.query !== 'string') {
    throw new BadRequestError({ message: 'query must be a string', param: 'query' });
  }
  if (!Array.isArray(request.documents) || request.documents.length === 0) {
    throw new BadRequestError({
      message: 'documents must be a non-empty array of strings or {text} objects',
      param: 'documents',
    });
  }
  if (
    request.max_chunks_per_doc !== undefined &&
    request.max_chunks_per_doc !== null &&
    !ctx.dropParams
  ) {
    throw new UnsupportedParamsError({
      message:
        'hosted_vllm rerank does not support max_chunks_per_doc; remove it or set drop_params',
      param: 'max_chunks_per_doc',
      provider: setup.id,
      model: ctx.model,
    });
  }
  const documents = request.documents.map((doc, i) => documentString(doc, i));
  const json = upstreamBody({ request, ctx, consumed: ['max_chunks_per_doc'] });
  json.documents = documents;

  const res = await ctx.http.json({ ...upstreamRequest({ ctx, setup, endpoint: 'rerank' }), json });
  const data = toCohereRerank({
    body: res.data,
    documents,
    topN: request.top_n ?? undefined,
    returnDocuments: request.return_documents ?? true,
    provider: setup.id,
    model: ctx.model,
  });
  return { data, headers: res.headers };
}

function documentString(doc: unknown, index: number): string {
  if (typeof doc === 'string') return doc;
  if (
    typeof doc === 'object' &&
    doc !== null &&
    typeof (doc as { text?: unknown }).text === 'string'
  ) {
    return (doc as { text: string }).text;
  }
  throw new BadRequestError({
    message: `documents[${index}] must be a string or an object with a string text`,
    param: `documents[${index}]`,
  });
}
