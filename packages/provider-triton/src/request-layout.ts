import type { SamplingParams } from './sampling-params';
import type { TritonBackend } from './triton-options';

/** LiteLLM's `DEFAULT_MAX_TOKENS_FOR_TRITON`: 2000 unless the environment says otherwise. */
export function defaultMaxTokens(): number {
  const fromEnv = Number(process.env.DEFAULT_MAX_TOKENS_FOR_TRITON);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 2000;
}

/** LiteLLM's hard-coded default on `/infer` for the generic backend. */
export const GENERIC_INFER_MAX_TOKENS = 20;

/**
 * The `max_tokens` a call sends: the request's, else the backend's default
 * (LiteLLM's 20 for the generic layout on `/infer`, 2000 everywhere else).
 * The vLLM backend's own default is 16, so a value is always sent.
 */
export function maxTokensSent(
  options: Pick<LayoutRequestOptions, 'backend' | 'params' | 'endpoint'>,
): number {
  if (options.params.maxTokens !== undefined) return options.params.maxTokens;
  return options.backend === 'generic' && options.endpoint === 'infer'
    ? GENERIC_INFER_MAX_TOKENS
    : defaultMaxTokens();
}

/**
 * A backend's request before it is written for an endpoint. `inputs` are
 * named after the model's input tensors (top level of a `/generate` body,
 * tensors on `/infer`); `parameters` are Triton request parameters (the
 * nested `parameters` object of a `/generate` body, tensors on `/infer` as
 * LiteLLM sends them). `stream` is always an input; `/infer` leaves it out.
 */
export interface TritonRequestLayout {
  inputs: Record<string, unknown>;
  parameters: Record<string, unknown>;
}

/** Input to {@link layoutRequest}. */
export interface LayoutRequestOptions {
  backend: TritonBackend;
  prompt: string;
  params: SamplingParams;
  stream: boolean;
  /** `/infer` (KServe v2 tensors) or `/generate` (flat JSON). */
  endpoint: 'generate' | 'infer';
}

/**
 * Lays out one call for a backend:
 *
 * - generic (LiteLLM's newest mapping): `text_input`, then `parameters`
 *   with `max_tokens` (default 2000 on `/generate`, 20 on `/infer`), the
 *   sampling params and the extras;
 * - vllm (Triton's vLLM backend): every setting inside the
 *   `sampling_parameters` JSON string, the prompt left out of the output,
 *   token counts and finish reason asked for;
 * - trtllm (TensorRT-LLM ensemble): every setting as its own input tensor,
 *   `max_tokens` required, `stop` as `stop_words`, the prompt left out of
 *   the output.
 */
export function layoutRequest(options: LayoutRequestOptions): TritonRequestLayout {
  switch (options.backend) {
    case 'vllm':
      return vllmLayout(options);
    case 'trtllm':
      return trtllmLayout(options);
    default:
      return genericLayout(options);
  }
}

function genericLayout(options: LayoutRequestOptions): TritonRequestLayout {
  const { prompt, params, stream, endpoint } = options;
  const parameters: Record<string, unknown> = { max_tokens: maxTokensSent(options) };
  setIfDefined(parameters, 'temperature', params.temperature);
  setIfDefined(parameters, 'top_p', params.topP);
  setIfDefined(parameters, 'frequency_penalty', params.frequencyPenalty);
  setIfDefined(parameters, 'presence_penalty', params.presencePenalty);
  for (const [key, value] of Object.entries(params.extras)) {
    if (key === 'max_retries') continue;
    // Triton request parameters take only int, bool, string or double (400 otherwise),
    // so structured values travel as JSON text, as LiteLLM's newest version sends them.
    parameters[key] = endpoint === 'generate' ? flatParameter(value) : value;
  }
  return { inputs: { text_input: prompt, stream }, parameters };
}

function vllmLayout(options: LayoutRequestOptions): TritonRequestLayout {
  const { prompt, params, stream } = options;
  const sampling: Record<string, unknown> = { max_tokens: maxTokensSent(options) };
  setIfDefined(sampling, 'temperature', params.temperature);
  setIfDefined(sampling, 'top_p', params.topP);
  setIfDefined(sampling, 'frequency_penalty', params.frequencyPenalty);
  setIfDefined(sampling, 'presence_penalty', params.presencePenalty);
  setIfDefined(sampling, 'seed', params.seed);
  setIfDefined(sampling, 'stop', params.stop);
  Object.assign(sampling, params.extras);
  return {
    inputs: {
      text_input: prompt,
      stream,
      // Without this the backend prepends the prompt to a non-streamed answer.
      exclude_input_in_output: true,
      sampling_parameters: JSON.stringify(sampling),
      return_finish_reason: true,
      return_num_input_tokens: true,
      return_num_output_tokens: true,
    },
    parameters: {},
  };
}

function trtllmLayout(options: LayoutRequestOptions): TritonRequestLayout {
  const { prompt, params, stream } = options;
  const inputs: Record<string, unknown> = {
    text_input: prompt,
    max_tokens: maxTokensSent(options),
    stream,
    // The ensemble's default depends on the deployment; asking is the only safe way.
    exclude_input_in_output: true,
  };
  setIfDefined(inputs, 'temperature', params.temperature);
  setIfDefined(inputs, 'top_p', params.topP);
  setIfDefined(inputs, 'frequency_penalty', params.frequencyPenalty);
  setIfDefined(inputs, 'presence_penalty', params.presencePenalty);
  setIfDefined(inputs, 'seed', params.seed);
  setIfDefined(inputs, 'stop_words', params.stop);
  Object.assign(inputs, params.extras);
  return { inputs, parameters: {} };
}

function setIfDefined(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

function flatParameter(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : value;
}
