/**
 * An embedding model: `input_text` (BYTES, one string per row) gives a
 * `[batch, dim]` FP32 `embeddings` tensor; the vLLM backend's
 * `embedding_request` JSON gives `text_output` holding the vector as a
 * JSON-encoded list string, as that backend writes it.
 */
import { countTokens, hashText, prng } from '../../shared/text-generator';
import type { ModelResponse } from '../generate-response';
import { DEFAULT_EMBEDDING_DIMENSIONS } from '../model-definition';
import { pythonFloatList } from '../python-float';
import { type Tensor, tensor } from '../tensor';
import { TritonError } from '../triton-error';
import { boolInput, type ExecutionContext, inputValue } from './execution';

/** A deterministic unit-length vector for `text`, rounded to FP32 as a real model's output is. */
export function embedText(text: string, dimensions: number): number[] {
  const next = prng(hashText(`embed:${text}`));
  const raw = Array.from({ length: dimensions }, () => next() / 0xffffffff - 0.5);
  const norm = Math.sqrt(raw.reduce((sum, x) => sum + x * x, 0)) || 1;
  return raw.map(x => Math.fround(x / norm));
}

/** Runs one request against the embedding profile. */
export async function* executeEmbedding(context: ExecutionContext): AsyncGenerator<ModelResponse> {
  const { request, options, pacer, signal } = context;
  const dimensions = options.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  await pacer.beforeToken(0, signal);
  if (signal.aborted) return;
  const texts = request.inputs.get('input_text');
  if (texts) {
    const rows = texts.data.map(String);
    const data = rows.flatMap(row => embedText(row, dimensions));
    yield { outputs: [tensor('embeddings', 'FP32', data, [rows.length, dimensions])] };
    return;
  }
  yield embeddingRequestResponse(context, dimensions);
}

/**
 * Answers an `embedding_request` input as the vLLM backend's `EmbedRequest`
 * does: the vector JSON-encoded in `text_output`, token counts on request.
 */
export function embeddingRequestResponse(
  context: ExecutionContext,
  dimensions: number,
): ModelResponse {
  const { request } = context;
  const raw = inputValue(request, 'embedding_request');
  if (typeof raw !== 'string') {
    throw new TritonError(
      'INVALID_ARG',
      `model '${context.model.name}' needs 'input_text' or 'embedding_request'`,
    );
  }
  const { input, size } = readEmbeddingRequest(raw, dimensions);
  const outputs: Tensor[] = [
    tensor('text_output', 'BYTES', [pythonFloatList(embedText(input, size))]),
  ];
  if (boolInput(request, 'return_num_input_tokens', false)) {
    outputs.push(tensor('num_input_tokens', 'UINT32', [countTokens(input)]));
  }
  if (boolInput(request, 'return_num_output_tokens', false)) {
    // Pooling generates nothing: zero output tokens is the real count.
    outputs.push(tensor('num_output_tokens', 'UINT32', [0]));
  }
  return { outputs };
}

function readEmbeddingRequest(raw: string, dimensions: number): { input: string; size: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new TritonError('INTERNAL', `Error generating stream: ${(error as Error).message}`);
  }
  const body = parsed as { input?: unknown; pooling_params?: { dimensions?: unknown } };
  const input = body?.input;
  const text =
    typeof input === 'string'
      ? input
      : Array.isArray(input) && input.every(x => typeof x === 'number')
        ? input.join(' ')
        : undefined;
  if (text === undefined) {
    throw new TritonError(
      'INTERNAL',
      'Error generating stream: embedding_request.input must be a string or a list of token ids',
    );
  }
  const wanted = body.pooling_params?.dimensions;
  const first = Array.isArray(wanted) ? wanted[0] : wanted;
  if (first !== undefined && (typeof first !== 'number' || first < 1 || first > dimensions)) {
    throw new TritonError(
      'INTERNAL',
      `Error generating stream: pooling_params.dimensions must be between 1 and ${dimensions}`,
    );
  }
  return { input: text, size: typeof first === 'number' ? first : dimensions };
}
