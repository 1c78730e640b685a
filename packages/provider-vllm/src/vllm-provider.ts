import type { CallContext, Provider } from '@switchyard/core';
import { chat, chatStream } from './operations/chat';
import { embedding } from './operations/embedding';
import { countTokens, nativeCall, nativeStream } from './operations/native-shapes';
import { rerank } from './operations/rerank';
import { textCompletion, textCompletionStream } from './operations/text-completion';
import { transcription } from './operations/transcription';
import type { ProviderSetup } from './operations/upstream-call';

/**
 * Call settings this provider reads from `ctx.options` (LiteLLM
 * `litellm_params`), which the SDK therefore keeps out of the request body.
 */
export const VLLM_OPTION_KEYS: readonly string[] = [
  'forward_reasoning_content',
  'reasoning_content_field',
];

/** Options of {@link createVllmProvider}. */
export interface VllmProviderOptions {
  /** The model prefix the provider answers to. Default `hosted_vllm`. */
  id?: string;
  /**
   * Where `HOSTED_VLLM_API_BASE` and `HOSTED_VLLM_API_KEY` are read from,
   * at call time. Default `process.env`.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Called before the first call of this provider instance only; used by the
   * deprecated `vllm` prefix to warn once.
   */
  onFirstUse?: () => void;
}

/**
 * Creates a provider for vLLM's OpenAI-compatible server (`vllm serve`):
 * chat and text completions (plain and streaming), embeddings, rerank,
 * audio transcriptions, token counts (`/tokenize`) and vLLM's own
 * Anthropic `/v1/messages` and `/v1/responses` endpoints, all through
 * `ctx.http`.
 */
export function createVllmProvider(options: VllmProviderOptions = {}): Provider {
  const setup: ProviderSetup = { id: options.id ?? 'hosted_vllm', env: options.env ?? process.env };
  let firstUse = options.onFirstUse;
  const ready = () => {
    if (firstUse) {
      const notify = firstUse;
      firstUse = undefined;
      notify();
    }
    return setup;
  };
  return {
    id: setup.id,
    optionKeys: VLLM_OPTION_KEYS,
    chat: (request, ctx: CallContext) => chat(request, ctx, ready()),
    chatStream: (request, ctx: CallContext) => chatStream(request, ctx, ready()),
    textCompletion: (request, ctx: CallContext) => textCompletion(request, ctx, ready()),
    textCompletionStream: (request, ctx: CallContext) =>
      textCompletionStream(request, ctx, ready()),
    embedding: (request, ctx: CallContext) => embedding(request, ctx, ready()),
    rerank: (request, ctx: CallContext) => rerank(request, ctx, ready()),
    transcription: (request, ctx: CallContext) => transcription(request, ctx, ready()),
    countTokens: (request, ctx: CallContext) => countTokens(request, ctx, ready()),
    messages: (request, ctx: CallContext) => nativeCall('messages', request, ctx, ready()),
    messagesStream: (request, ctx: CallContext) => nativeStream('messages', request, ctx, ready()),
    responses: (request, ctx: CallContext) => nativeCall('responses', request, ctx, ready()),
    responsesStream: (request, ctx: CallContext) =>
      nativeStream('responses', request, ctx, ready()),
  };
}

/** The warning the deprecated `vllm/` prefix gives once per process. */
export const VLLM_PREFIX_DEPRECATION =
  'The vllm/ model prefix is deprecated: LiteLLM used it to run vLLM in-process, which Node cannot do. ' +
  'Switchyard treats it as hosted_vllm/ (a vLLM server at api_base); write hosted_vllm/<model> instead.';

/** `hosted_vllm/<model>`: a vLLM OpenAI-compatible server at api_base. */
export const hostedVllmProvider: Provider = createVllmProvider();

/**
 * `vllm/<model>`, LiteLLM's deprecated prefix. There is no in-process vLLM
 * in Node, so it behaves as `hosted_vllm/` (and so needs an api_base),
 * warning once that the prefix is deprecated.
 */
export const vllmProvider: Provider = createVllmProvider({
  id: 'vllm',
  onFirstUse: () =>
    process.emitWarning(VLLM_PREFIX_DEPRECATION, {
      type: 'DeprecationWarning',
      code: 'SWITCHYARD_VLLM_PREFIX',
    }),
});

/** Every provider of this package; the core registry reads this export. */
export const providers: readonly Provider[] = [hostedVllmProvider, vllmProvider];
