import type { Provider } from '@switchyard/core';
import type { PromptTemplateRegistry } from '@switchyard/prompt-templates';
import { BackendDetector } from './backend-detection';
import { tritonChat, tritonChatStream } from './chat-operations';
import { tritonEmbedding } from './embedding-operation';
import { tritonTextCompletion, tritonTextCompletionStream } from './text-completion-operations';
import { TRITON_OPTION_KEYS } from './triton-options';

/** The `triton/` provider as a plain object (see {@link createTritonProvider}). */
export interface TritonProvider extends Provider {
  readonly id: 'triton';
  chat: NonNullable<Provider['chat']>;
  chatStream: NonNullable<Provider['chatStream']>;
  textCompletion: NonNullable<Provider['textCompletion']>;
  textCompletionStream: NonNullable<Provider['textCompletionStream']>;
  embedding: NonNullable<Provider['embedding']>;
}

/** Settings fixed for every call of a provider instance. */
export interface CreateTritonProviderOptions {
  /**
   * Provider options used when a call does not give them (`triton_backend`,
   * `triton_route`, `tokenizer_path`, …); a call's own `ctx.options` win.
   */
  defaults?: Readonly<Record<string, unknown>>;
  /** Prompt templates consulted before the global registry (`registerPromptTemplate`'s). */
  promptTemplates?: PromptTemplateRegistry;
  /**
   * Read a model's backend from `GET /v2/models/{m}/config` when a call sets
   * no `triton_backend` (once per model URL, remembered). Default true; false
   * keeps LiteLLM's generic layout for such calls.
   */
  detectBackend?: boolean;
}

/**
 * Makes a `triton/` provider. Use it to give every call the same defaults
 * (say, `{ triton_backend: 'vllm' }`); otherwise {@link tritonProvider} is it.
 */
export function createTritonProvider(options: CreateTritonProviderOptions = {}): TritonProvider {
  const defaults = options.defaults;
  const detector = options.detectBackend === false ? undefined : new BackendDetector();
  const chatSettings = {
    ...(options.promptTemplates ? { registry: options.promptTemplates } : {}),
    ...(detector ? { detector } : {}),
  };
  const withDefaults = <C extends { options: Readonly<Record<string, unknown>> }>(ctx: C): C =>
    defaults ? { ...ctx, options: { ...defaults, ...ctx.options } } : ctx;
  return {
    id: 'triton',
    optionKeys: TRITON_OPTION_KEYS,
    chat: (request, ctx) => tritonChat(request, withDefaults(ctx), chatSettings),
    chatStream: (request, ctx) => tritonChatStream(request, withDefaults(ctx), chatSettings),
    textCompletion: (request, ctx) => tritonTextCompletion(request, withDefaults(ctx), detector),
    textCompletionStream: (request, ctx) =>
      tritonTextCompletionStream(request, withDefaults(ctx), detector),
    embedding: (request, ctx) => tritonEmbedding(request, withDefaults(ctx), detector),
  };
}

/** The `triton/` provider: NVIDIA Triton `/generate`, `/generate_stream`, `/infer` and embeddings. */
export const tritonProvider: TritonProvider = createTritonProvider();

/** What the provider registry looks for in this package. */
export const providers: readonly Provider[] = [tritonProvider];
