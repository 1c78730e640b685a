/**
 * How Triton's OpenAI frontend talks to its backends: it builds the vLLM
 * backend's or the TRT-LLM ensemble's input tensors from an OpenAI request
 * (always excluding the prompt from the output, lists inside
 * `sampling_parameters`) and reads text, finish reason and token counts
 * back from the output tensors.
 */
import type { ModelResponse } from './generate-response';
import type { InferenceRequest } from './inference-request';
import type { ServedModel } from './model-registry';
import { type Tensor, tensor } from './tensor';

/** The generation settings an OpenAI request carries. */
export interface OpenAiGeneration {
  prompt: string;
  maxTokens: number;
  stop: string[];
  n: number;
  stream: boolean;
  /** Other sampling fields passed through to the vLLM backend (temperature, top_p, seed, …). */
  sampling: Record<string, unknown>;
}

/** The backend request for a generation. */
export function toBackendRequest(model: ServedModel, gen: OpenAiGeneration): InferenceRequest {
  const inputs = new Map<string, Tensor>();
  const add = (t: Tensor) => inputs.set(t.name, t);
  if (model.definition.profile === 'trtllm') {
    add(tensor('text_input', 'BYTES', [gen.prompt], [1, 1]));
    add(tensor('max_tokens', 'INT32', [gen.maxTokens], [1, 1]));
    add(tensor('stream', 'BOOL', [gen.stream], [1, 1]));
    add(tensor('exclude_input_in_output', 'BOOL', [true], [1, 1]));
    if (gen.stop.length > 0) add(tensor('stop_words', 'BYTES', gen.stop, [1, gen.stop.length]));
    add(tensor('return_num_input_tokens', 'BOOL', [true], [1, 1]));
    add(tensor('return_num_output_tokens', 'BOOL', [true], [1, 1]));
  } else {
    const sampling = { ...gen.sampling, max_tokens: gen.maxTokens, n: gen.n };
    if (gen.stop.length > 0) Object.assign(sampling, { stop: gen.stop });
    add(tensor('text_input', 'BYTES', [gen.prompt]));
    add(tensor('stream', 'BOOL', [gen.stream]));
    add(tensor('sampling_parameters', 'BYTES', [JSON.stringify(sampling)]));
    add(tensor('exclude_input_in_output', 'BOOL', [true]));
    add(tensor('return_finish_reason', 'BOOL', [true]));
    add(tensor('return_num_input_tokens', 'BOOL', [true]));
    add(tensor('return_num_output_tokens', 'BOOL', [true]));
  }
  return { inputs, parameters: {} };
}

/** What one backend response says, per choice. */
export interface BackendChoices {
  texts: string[];
  /** `null` while a streamed choice is still going. */
  finish: Array<'stop' | 'length' | null>;
  inputTokens: number;
  outputTokens: number[];
}

/**
 * Reads a backend response. TRT-LLM reports no finish reason: a whole
 * (non-streamed) answer that used up `maxTokens` ended by length, else by
 * stop; streamed deltas leave it null for the caller to settle at the end.
 */
export function readBackendResponse(
  response: ModelResponse,
  options: { maxTokens: number; streaming: boolean },
): BackendChoices {
  const get = (name: string) => response.outputs.find(t => t.name === name)?.data ?? [];
  const texts = get('text_output').map(String);
  const outputTokens = get('num_output_tokens').map(Number);
  const inputTokens = Number(get('num_input_tokens')[0] ?? 0);
  const reasons = get('finish_reason').map(String);
  const finish = texts.map((_, i) => {
    const reason = reasons[i];
    if (reason === 'stop' || reason === 'length') return reason;
    if (reason !== undefined || options.streaming) return null;
    return (outputTokens[i] ?? 0) >= options.maxTokens ? 'length' : 'stop';
  });
  return { texts, finish, inputTokens, outputTokens };
}
