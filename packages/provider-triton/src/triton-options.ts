import { BadRequestError } from '@switchyard/core';

/** How a Triton deployment expects its generation parameters. */
export type TritonBackend = 'vllm' | 'trtllm' | 'generic';

/** Which Triton endpoint a chat call uses when the api_base does not say. */
export type TritonRoute = 'generate' | 'infer';

/** Triton settings read from `ctx.options` (LiteLLM `litellm_params`). */
export interface TritonOptions {
  /**
   * `triton_backend`: parameter layout of the model. Undefined when not set:
   * the model's configuration then says (see `backend-detection.ts`), and
   * `generic` (LiteLLM's mapping) when it cannot be read.
   */
  backend: TritonBackend | undefined;
  /** `triton_route`: endpoint for chat and text calls on a plain server URL. */
  route: TritonRoute | undefined;
  /** `tokenizer_path`: a local `tokenizer.json` used to count tokens. */
  tokenizerPath: string | undefined;
  /** `triton_model_version`: pins `/versions/{n}` in URLs built from a server URL. */
  modelVersion: string | undefined;
  /** `triton_input_name`: the text input tensor of an embedding model; default `input_text`. */
  embeddingInputName: string;
  /** `triton_output_name`: the output tensor to read on `/infer`; default: guessed. */
  outputName: string | undefined;
  /** `triton_binary_output`: ask `/infer` for binary outputs (smaller for embeddings). */
  binaryOutput: boolean;
}

/** Every setting {@link readTritonOptions} reads: call parameters that are provider options, not request fields. */
export const TRITON_OPTION_KEYS: readonly string[] = [
  'triton_backend',
  'triton_route',
  'tokenizer_path',
  'triton_model_version',
  'triton_input_name',
  'triton_output_name',
  'triton_binary_output',
];

const BACKENDS: readonly TritonBackend[] = ['vllm', 'trtllm', 'generic'];
const ROUTES: readonly TritonRoute[] = ['generate', 'infer'];

/**
 * Reads and checks the Triton settings in `ctx.options`. A wrong value is a
 * BadRequestError naming the setting and what it accepts, never a silent default.
 */
export function readTritonOptions(options: Readonly<Record<string, unknown>>): TritonOptions {
  return {
    backend: pick(options, 'triton_backend', BACKENDS),
    route: pick(options, 'triton_route', ROUTES),
    tokenizerPath: text(options, 'tokenizer_path'),
    modelVersion: version(options),
    embeddingInputName: text(options, 'triton_input_name') ?? 'input_text',
    outputName: text(options, 'triton_output_name'),
    binaryOutput: flag(options, 'triton_binary_output'),
  };
}

function pick<T extends string>(
  options: Readonly<Record<string, unknown>>,
  key: string,
  allowed: readonly T[],
): T | undefined {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  throw new BadRequestError({
    message: `Invalid ${key}: expected one of ${allowed.map(a => `"${a}"`).join(', ')}, got ${JSON.stringify(value)}`,
    param: key,
    provider: 'triton',
  });
}

function text(options: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value.length > 0) return value;
  throw new BadRequestError({
    message: `Invalid ${key}: expected a non-empty string, got ${JSON.stringify(value)}`,
    param: key,
    provider: 'triton',
  });
}

function flag(options: Readonly<Record<string, unknown>>, key: string): boolean {
  const value = options[key];
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  throw new BadRequestError({
    message: `Invalid ${key}: expected true or false, got ${JSON.stringify(value)}`,
    param: key,
    provider: 'triton',
  });
}

function version(options: Readonly<Record<string, unknown>>): string | undefined {
  const value = options.triton_model_version;
  if (value === undefined || value === null) return undefined;
  const asText = typeof value === 'number' ? String(value) : value;
  if (typeof asText === 'string' && /^[0-9]+$/.test(asText)) return asText;
  throw new BadRequestError({
    message: `Invalid triton_model_version: expected a version number such as 1, got ${JSON.stringify(value)}`,
    param: 'triton_model_version',
    provider: 'triton',
  });
}
