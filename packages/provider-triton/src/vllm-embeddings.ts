import type { CallContext } from '@switchyard/core';
import { readGeneration } from './generate-response';
import { tritonFailureMapper, unexpectedResponse } from './triton-errors';

/** Input to {@link vllmBackendEmbeddings}. */
export interface VllmBackendEmbeddingsOptions {
  /** The model's `/generate` URL. */
  url: string;
  inputs: readonly string[];
  headers: Record<string, string>;
  ctx: CallContext;
}

/** Vectors in input order, the backend's token count, and the last answer's headers. */
export interface VllmBackendEmbeddings {
  vectors: number[][];
  promptTokens: number | undefined;
  headers: Record<string, string>;
}

/**
 * Embeddings from Triton's vLLM backend: its `embedding_request` input takes
 * one text, so each input is its own `/generate` call (sent together); the
 * vector comes back as JSON text inside `text_output`, the token count as
 * `num_input_tokens` — as Triton's own OpenAI frontend does it.
 */
export async function vllmBackendEmbeddings(
  options: VllmBackendEmbeddingsOptions,
): Promise<VllmBackendEmbeddings> {
  const { url, inputs, headers, ctx } = options;
  const answers = await Promise.all(
    inputs.map(input =>
      ctx.http.json({
        url,
        method: 'POST',
        headers,
        json: { embedding_request: JSON.stringify({ input }), return_num_input_tokens: true },
        provider: 'triton',
        model: ctx.model,
        mapFailure: tritonFailureMapper,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
      }),
    ),
  );
  let promptTokens: number | undefined = 0;
  const vectors = answers.map(answer => {
    const generation = readGeneration({ body: answer.data, model: ctx.model, textOptional: false });
    promptTokens =
      generation.inputTokens === undefined || promptTokens === undefined
        ? undefined
        : promptTokens + generation.inputTokens;
    let vector: unknown;
    try {
      vector = JSON.parse(generation.text);
    } catch {
      vector = undefined;
    }
    if (!Array.isArray(vector) || !vector.every(item => typeof item === 'number')) {
      throw unexpectedResponse(
        'the embedding text_output is not a JSON list of numbers',
        ctx.model,
        answer.data,
      );
    }
    return vector as number[];
  });
  return { vectors, promptTokens, headers: answers.at(-1)?.headers ?? {} };
}
