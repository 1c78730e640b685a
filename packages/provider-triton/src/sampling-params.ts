import { BadRequestError, UnsupportedParamsError } from '@switchyard/core';
import type { TritonBackend } from './triton-options';

/**
 * The generation settings of one call, taken from the OpenAI request and
 * not yet laid out for any backend.
 */
export interface SamplingParams {
  /** `max_tokens`, or `max_completion_tokens` when only that was given. */
  maxTokens: number | undefined;
  temperature: number | undefined;
  topP: number | undefined;
  frequencyPenalty: number | undefined;
  presencePenalty: number | undefined;
  /** vLLM backend and TRT-LLM only. */
  seed: number | undefined;
  /** vLLM backend (`stop`) and TRT-LLM (`stop_words`) only. */
  stop: string[] | undefined;
  /** Non-OpenAI fields (`top_k`, `repetition_penalty`, `bad_words`, …), passed through in order. */
  extras: Record<string, unknown>;
  /** Goes to the prompt template, never to Triton. */
  chatTemplateKwargs: Record<string, unknown> | undefined;
}

/** Input to {@link readSamplingParams}. */
export interface ReadSamplingParamsOptions {
  /** The OpenAI request (chat or text completion). */
  request: Readonly<Record<string, unknown>>;
  backend: TritonBackend;
  /** `ctx.dropParams`: drop unsupported OpenAI params instead of failing. */
  dropParams: boolean;
  /** Fields that carry the input (`messages`, `prompt`) and are not parameters. */
  inputFields: readonly string[];
}

/** OpenAI fields that say nothing about generation, or that the provider handles itself. */
const HANDLED = new Set(['model', 'stream', 'stream_options', 'user', 'metadata']);

/** LiteLLM's newest mapping (PR #31472): supported on every backend. */
const MAPPED = new Set([
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'frequency_penalty',
  'presence_penalty',
]);

/** Supported where the backend has somewhere to put them. */
const BACKEND_PARAMS: Record<TritonBackend, ReadonlySet<string>> = {
  generic: new Set(),
  vllm: new Set(['stop', 'seed']),
  trtllm: new Set(['stop', 'seed']),
};

/** OpenAI fields Triton cannot honour (anything here raises unless dropped). */
const OPENAI_ONLY = new Set([
  'n',
  'stop',
  'seed',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'response_format',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'functions',
  'function_call',
  'reasoning_effort',
  'modalities',
  'audio',
  'prediction',
  'store',
  'service_tier',
  'web_search_options',
  'best_of',
  'echo',
  'suffix',
]);

/**
 * Splits an OpenAI request into what Triton gets. Mapped params are read;
 * unsupported OpenAI params raise {@link UnsupportedParamsError} naming the
 * param (or are dropped with `dropParams`); everything else passes through
 * as a backend extra, except `chat_template_kwargs`, which is for the template.
 */
export function readSamplingParams(options: ReadSamplingParamsOptions): SamplingParams {
  const { request, backend, dropParams } = options;
  const skip = new Set([...HANDLED, ...options.inputFields]);
  const params: SamplingParams = {
    maxTokens: undefined,
    temperature: undefined,
    topP: undefined,
    frequencyPenalty: undefined,
    presencePenalty: undefined,
    seed: undefined,
    stop: undefined,
    extras: {},
    chatTemplateKwargs: undefined,
  };
  for (const [key, value] of Object.entries(request)) {
    if (value === undefined || value === null || skip.has(key)) continue;
    if (MAPPED.has(key) || BACKEND_PARAMS[backend].has(key)) {
      assign(params, key, value);
    } else if (key === 'chat_template_kwargs') {
      params.chatTemplateKwargs = asRecord(value);
    } else if (key === 'n' && value === 1) {
      // One choice is all Triton ever returns, so n=1 asks for nothing new.
    } else if (OPENAI_ONLY.has(key)) {
      if (dropParams) continue;
      throw new UnsupportedParamsError({
        message:
          `triton (backend "${backend}") does not support parameter ${key}=${JSON.stringify(value)}. ` +
          'To drop unsupported parameters instead, pass drop_params: true.',
        param: key,
        provider: 'triton',
      });
    } else {
      params.extras[key] = value;
    }
  }
  if (params.maxTokens === undefined) {
    const fallback = request.max_completion_tokens;
    if (typeof fallback === 'number') params.maxTokens = fallback;
  }
  return params;
}

function assign(params: SamplingParams, key: string, value: unknown): void {
  switch (key) {
    case 'max_tokens':
      params.maxTokens = integer(key, value);
      return;
    case 'max_completion_tokens':
      // max_tokens wins when both are given; this fills in only when it is absent.
      if (params.maxTokens === undefined) params.maxTokens = integer(key, value);
      return;
    case 'temperature':
      params.temperature = number(key, value);
      return;
    case 'top_p':
      params.topP = number(key, value);
      return;
    case 'frequency_penalty':
      params.frequencyPenalty = number(key, value);
      return;
    case 'presence_penalty':
      params.presencePenalty = number(key, value);
      return;
    case 'seed':
      params.seed = integer(key, value);
      return;
    case 'stop':
      params.stop = stopList(value);
      return;
  }
}

function number(key: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw badParam(key, 'a number', value);
}

function integer(key: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw badParam(key, 'an integer', value);
}

function stopList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every(item => typeof item === 'string')) return value;
  throw badParam('stop', 'a string or an array of strings', value);
}

function asRecord(value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  throw badParam('chat_template_kwargs', 'an object', value);
}

function badParam(key: string, expected: string, value: unknown): BadRequestError {
  return new BadRequestError({
    message: `Invalid ${key}: expected ${expected}, got ${JSON.stringify(value)}`,
    param: key,
    provider: 'triton',
  });
}
