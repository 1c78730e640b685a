import { tritonInBandError, unexpectedResponse } from './triton-errors';

/** What one `/generate` answer or `/generate_stream` event says. */
export interface TritonGeneration {
  /** Generated text (a delta, in a stream). */
  text: string;
  /** `finish_reason` or `stop_reason` as the backend said it; null when it did not. */
  finishReason: string | null;
  /** `is_finished`, when the backend reports it. */
  isFinished: boolean;
  /** vLLM backend `num_input_tokens`. */
  inputTokens: number | undefined;
  /**
   * Tokens generated (per event, in a stream): `num_output_tokens` (vLLM
   * backend, TRT-LLM when asked), else the length of TRT-LLM's per-token
   * `output_log_probs`, else its `sequence_length`.
   */
  outputTokens: number | undefined;
}

/** Input to {@link readGeneration}. */
export interface ReadGenerationOptions {
  body: unknown;
  model: string;
  /** A stream event may carry no text (a flag-only or counts-only event). */
  textOptional: boolean;
}

/**
 * Reads a flat generate answer. An `error` key is raised even on a 200 (Triton
 * reports "generate expects model to produce exactly 1 response" that way);
 * a body without `text_output` is a BadGatewayError that lists what it had.
 */
export function readGeneration({
  body,
  model,
  textOptional,
}: ReadGenerationOptions): TritonGeneration {
  const inBand = tritonInBandError(body, { model });
  if (inBand) throw inBand;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw unexpectedResponse('the generate answer is not a JSON object', model, body);
  }
  const record = body as Record<string, unknown>;
  const text = joinText(record.text_output);
  if (text === undefined && !textOptional) {
    throw unexpectedResponse(
      `the generate answer has no text_output (keys: ${Object.keys(record).join(', ') || 'none'})`,
      model,
      body,
    );
  }
  return {
    text: text ?? '',
    finishReason: reason(record.finish_reason) ?? reason(record.stop_reason),
    isFinished: record.is_finished === true || first(record.is_finished) === true,
    inputTokens: count(record.num_input_tokens),
    outputTokens:
      count(record.num_output_tokens) ??
      perTokenCount(record.output_log_probs) ??
      count(record.sequence_length),
  };
}

/** A one-element tensor comes back as a scalar, a longer one as an array. */
function joinText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every(item => typeof item === 'string')) return value.join('');
  return undefined;
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/** The vLLM backend sends `"None"` (Python's str of None) while a stream is still going. */
function reason(value: unknown): string | null {
  const item = first(value);
  if (typeof item !== 'string' || item === '' || item === 'None' || item === 'null') return null;
  return item;
}

/**
 * How many tokens a per-token output covers. A one-element tensor comes back
 * as a bare number, an empty one as `[]`.
 */
export function perTokenCount(value: unknown): number | undefined {
  if (typeof value === 'number') return 1;
  if (!Array.isArray(value)) return undefined;
  const items = value.flat(Number.POSITIVE_INFINITY);
  return items.every(item => typeof item === 'number') ? items.length : undefined;
}

function count(value: unknown): number | undefined {
  const items = Array.isArray(value) ? value : [value];
  if (
    items.length === 0 ||
    !items.every(item => typeof item === 'number' && Number.isInteger(item) && item >= 0)
  ) {
    return undefined;
  }
  return (items as number[]).reduce((sum, item) => sum + item, 0);
}
