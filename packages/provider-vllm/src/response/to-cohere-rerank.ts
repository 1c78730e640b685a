import { randomUUID } from 'node:crypto';
import { BadGatewayError, type RerankResponse, type RerankResult } from '@switchyard/core';

/** Inputs of {@link toCohereRerank}. */
export interface ToCohereRerankOptions {
  /** vLLM's `/rerank` answer. */
  body: unknown;
  /** The documents as sent, to fill in `document` when the server left it out. */
  documents: readonly string[];
  topN: number | undefined;
  returnDocuments: boolean;
  provider: string;
  model: string;
}

/**
 * vLLM's Jina/Cohere-style answer in Cohere's shape: `results[{index,
 * relevance_score, document?}]`, best first, cut to `top_n`, documents only
 * when asked for. Token usage goes to `meta` when the server counted it.
 */
export function toCohereRerank(options: ToCohereRerankOptions): RerankResponse {
  const { body, provider, model } = options;
  const fail = (why: string) =>
    new BadGatewayError({ message: `vLLM /rerank answered ${why}`, provider, model, body });
  if (typeof body !== 'object' || body === null) throw fail('with a body that is not an object');
  const record = body as Record<string, unknown>;
  if (!Array.isArray(record.results)) throw fail('without a results array');

  const results: RerankResult[] = record.results.map((raw, position) => {
    const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    if (!Number.isInteger(item.index) || typeof item.relevance_score !== 'number') {
      throw fail(
        `a result without an integer index and a numeric relevance_score (results[${position}])`,
      );
    }
    const index = item.index as number;
    const result: RerankResult = { index, relevance_score: item.relevance_score };
    if (options.returnDocuments) {
      const text = documentText(item.document) ?? options.documents[index];
      if (text !== undefined) result.document = { text };
    }
    return result;
  });
  results.sort((a, b) => b.relevance_score - a.relevance_score);
  const cut =
    options.topN !== undefined && options.topN > 0 ? results.slice(0, options.topN) : results;

  const response: RerankResponse = {
    id: typeof record.id === 'string' && record.id !== '' ? record.id : `rerank-${randomUUID()}`,
    results: cut,
  };
  const tokens = totalTokens(record.usage);
  if (tokens !== undefined) {
    response.meta = { billed_units: { total_tokens: tokens }, tokens: { input_tokens: tokens } };
  }
  return response;
}

function documentText(document: unknown): string | undefined {
  if (typeof document === 'string') return document;
  if (typeof document === 'object' && document !== null) {
    const text = (document as { text?: unknown }).text;
    if (typeof text === 'string') return text;
  }
  return undefined;
}

function totalTokens(usage: unknown): number | undefined {
  if (typeof usage !== 'object' || usage === null) return undefined;
  const total = (usage as { total_tokens?: unknown }).total_tokens;
  return typeof total === 'number' ? total : undefined;
}
