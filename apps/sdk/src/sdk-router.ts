import type {
  AnthropicMessage,
  AnthropicRequest,
  AnthropicStreamEvent,
  ResponseObject,
  ResponsesRequest,
  ResponsesStreamEvent,
} from '@switchyard/api-shapes';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  EmbeddingRequest,
  EmbeddingResponse,
  RerankRequest,
  RerankResponse,
  TextCompletion,
  TextCompletionRequest,
  TokenCount,
  TranscriptionRequest,
  TranscriptionResponse,
} from '@switchyard/core';
import {
  type CallOptions as BaseCallOptions,
  Router as BaseRouter,
  type Deployment,
  type ModelGroup,
  type RouterOptions,
  type RouterResponse,
  type RouterState,
  type RouterStream,
  type RoutingStrategy,
} from '@switchyard/router';
import { type CompletionStream, toCompletionStream } from './completion-stream';
import { defaultClient } from './default-client';
import { invokeThroughClient } from './invoke-through-client';
import { attachMeta, type WithMeta } from './response-meta';
import { routedMeta } from './routed-meta';
import type { SwitchyardClient } from './switchyard-client';

/** Router settings without `invoke`: calls go through a {@link SwitchyardClient}. */
export type SdkRouterOptions = Omit<RouterOptions, 'invoke'> & {
  /** The client deployments are called through; the module-level default otherwise. */
  client?: SwitchyardClient;
};

/**
 * A request to a {@link Router}: the API's request with `model` naming a
 * model group (or alias), plus the router's per-request fields
 * (`fallbacks`, `num_retries`, `timeout`, `metadata`, …), which never go
 * upstream. Other fields (provider settings such as `top_k`) go upstream
 * over the deployment's defaults.
 */
export type Routed<R> = R & Omit<BaseCallOptions, 'signal' | 'headers'> & Record<string, unknown>;

/**
 * Per-call options of a {@link Router} method: `signal` aborts the call, its
 * retries and fallbacks; `headers` are the client's headers for strategies
 * keyed on them (never sent upstream); the router fields win over the same
 * fields in the request.
 */
export type RouterCallOptions = BaseCallOptions;

type Stream<T> = CompletionStream<T>;

/**
 * LiteLLM's `Router(model_list=…)` in the SDK. Deployments are called
 * through a {@link SwitchyardClient}: each deployment's `litellm_params`
 * (`model`, `api_base`, `api_key`, provider settings, default sampling
 * parameters) become the call's options, the request's own fields win over
 * those defaults, and the router owns retries.
 *
 * Every method answers what the SDK's function of the same name answers —
 * the `chat.completion` itself, the embeddings list, the Anthropic message,
 * the Responses object; with `stream: true` the same {@link CompletionStream}
 * — and what the router did rides on it: {@link getResponseMeta} gives the
 * deployment that answered (`deploymentId`, `modelGroup`, `apiBase`), the
 * upstream's headers, `attemptedRetries`, `attemptedFallbacks`, and
 * `routing` with every attempt, its error and the cooldown it started.
 * A failure is thrown with the same routing details ({@link routingInfoOf}).
 *
 * The envelope form (`{ data, headers, routing }`), which the proxy uses, is
 * `@switchyard/router`'s `Router` with `invoke` set to {@link invokeThroughClient}.
 */
export class Router {
  readonly #base: BaseRouter;
  /** Deployment by id, for the meta of each answer (the model list is fixed at construction). */
  readonly #byId = new Map<string, Deployment>();

  constructor(options: SdkRouterOptions) {
    const { client = defaultClient, ...settings } = options;
    this.#base = new BaseRouter({ ...settings, invoke: args => invokeThroughClient(client, args) });
    for (const d of this.#base.deployments()) this.#byId.set(d.id, d);
  }

  /** Chat completion (LiteLLM's `router.acompletion`); with `stream: true`, a stream of chunks. */
  completion(
    request: Routed<ChatCompletionRequest> & { stream: true },
    opts?: RouterCallOptions,
  ): Promise<Stream<ChatCompletionChunk>>;
  completion(
    request: Routed<ChatCompletionRequest> & { stream?: false | null },
    opts?: RouterCallOptions,
  ): Promise<ChatCompletion & WithMeta>;
  completion(
    request: Routed<ChatCompletionRequest>,
    opts?: RouterCallOptions,
  ): Promise<(ChatCompletion & WithMeta) | Stream<ChatCompletionChunk>>;
  completion(request: Routed<ChatCompletionRequest>, opts?: RouterCallOptions): Promise<unknown> {
    return request.stream === true
      ? this.#stream(this.#base.completionStream(request, opts))
      : this.#answer(this.#base.completion(request, opts));
  }

  /** Text completion (`/v1/completions`); with `stream: true`, a stream of completion chunks. */
  textCompletion(
    request: Routed<TextCompletionRequest> & { stream: true },
    opts?: RouterCallOptions,
  ): Promise<Stream<TextCompletion>>;
  textCompletion(
    request: Routed<TextCompletionRequest> & { stream?: false | null },
    opts?: RouterCallOptions,
  ): Promise<TextCompletion & WithMeta>;
  textCompletion(
    request: Routed<TextCompletionRequest>,
    opts?: RouterCallOptions,
  ): Promise<(TextCompletion & WithMeta) | Stream<TextCompletion>>;
  textCompletion(
    request: Routed<TextCompletionRequest>,
    opts?: RouterCallOptions,
  ): Promise<unknown> {
    return request.stream === true
      ? this.#stream(this.#base.textCompletionStream(request, opts))
      : this.#answer(this.#base.textCompletion(request, opts));
  }

  /** Embeddings (LiteLLM's `router.aembedding`). */
  embedding(
    request: Routed<EmbeddingRequest>,
    opts?: RouterCallOptions,
  ): Promise<EmbeddingResponse & WithMeta> {
    return this.#answer(this.#base.embedding(request, opts));
  }

  /** Rerank, in Cohere's shape. */
  rerank(
    request: Routed<RerankRequest>,
    opts?: RouterCallOptions,
  ): Promise<RerankResponse & WithMeta> {
    return this.#answer(this.#base.rerank(request, opts));
  }

  /** Audio transcription; `file` is `{ data: Uint8Array | Blob, filename }`. */
  transcription(
    request: Routed<TranscriptionRequest>,
    opts?: RouterCallOptions,
  ): Promise<TranscriptionResponse & WithMeta> {
    return this.#answer(this.#base.transcription(request, opts));
  }

  /**
   * The Anthropic Messages API over the group (LiteLLM's
   * `anthropic.messages.create` through a Router): each deployment answers
   * natively or through chat, as its settings say. With `stream: true`, a
   * stream of Anthropic events.
   */
  messages(
    request: Routed<AnthropicRequest> & { stream: true },
    opts?: RouterCallOptions,
  ): Promise<Stream<AnthropicStreamEvent>>;
  messages(
    request: Routed<AnthropicRequest> & { stream?: false | null },
    opts?: RouterCallOptions,
  ): Promise<AnthropicMessage & WithMeta>;
  messages(
    request: Routed<AnthropicRequest>,
    opts?: RouterCallOptions,
  ): Promise<(AnthropicMessage & WithMeta) | Stream<AnthropicStreamEvent>>;
  messages(request: Routed<AnthropicRequest>, opts?: RouterCallOptions): Promise<unknown> {
    return request.stream === true
      ? this.#stream(this.#base.messagesStream(request, opts))
      : this.#answer(this.#base.messages(request, opts));
  }

  /**
   * The OpenAI Responses API over the group, native or through chat like
   * {@link Router.messages}. With `stream: true`, a stream of Responses events.
   */
  responses(
    request: Routed<ResponsesRequest> & { stream: true },
    opts?: RouterCallOptions,
  ): Promise<Stream<ResponsesStreamEvent>>;
  responses(
    request: Routed<ResponsesRequest> & { stream?: false | null },
    opts?: RouterCallOptions,
  ): Promise<ResponseObject & WithMeta>;
  responses(
    request: Routed<ResponsesRequest>,
    opts?: RouterCallOptions,
  ): Promise<(ResponseObject & WithMeta) | Stream<ResponsesStreamEvent>>;
  responses(request: Routed<ResponsesRequest>, opts?: RouterCallOptions): Promise<unknown> {
    return request.stream === true
      ? this.#stream(this.#base.responsesStream(request, opts))
      : this.#answer(this.#base.responses(request, opts));
  }

  /** A chat request's prompt token count, counted by a deployment of the group. */
  countTokens(
    request: Routed<ChatCompletionRequest>,
    opts?: RouterCallOptions,
  ): Promise<TokenCount & WithMeta> {
    return this.#answer(this.#base.countTokens(request, opts));
  }

  /** The deployment the next call to `model` would go to (counts against rpm limits like a call). */
  pickDeployment(
    model: string,
    request?: Record<string, unknown>,
    opts?: Pick<RouterCallOptions, 'metadata' | 'headers'>,
  ): Promise<Deployment> {
    return this.#base.pickDeployment(model, request, opts);
  }

  /** The public model names: every group and every alias not marked hidden. */
  modelGroups(): string[] {
    return this.#base.modelGroups();
  }

  /** Every deployment, resolved, with its id. */
  deployments(): Deployment[] {
    return this.#base.deployments();
  }

  /** The group a model name resolves to, or undefined. */
  modelGroup(model: string): ModelGroup | undefined {
    return this.#base.modelGroup(model);
  }

  /** The state store in use (memory or Redis). */
  get state(): RouterState {
    return this.#base.state;
  }

  /** The routing strategy in use (to reach a built-in strategy's own methods). */
  get strategy(): RoutingStrategy {
    return this.#base.strategy;
  }

  /** Ends a deployment's cooldown now (after an external health check passed). */
  clearCooldown(deploymentId: string): Promise<void> {
    return this.#base.clearCooldown(deploymentId);
  }

  /** Stops the strategy's background work and releases the state store's connections. */
  close(): Promise<void> {
    return this.#base.close();
  }

  async #answer<T>(call: Promise<RouterResponse<T>>): Promise<T & WithMeta> {
    const { data, headers, routing } = await call;
    return attachMeta(data as T & object, this.#meta(headers, routing));
  }

  async #stream<T>(call: Promise<RouterStream<T>>): Promise<Stream<T>> {
    const { stream, headers, routing } = await call;
    return toCompletionStream(stream, this.#meta(headers, routing));
  }

  #meta(headers: Record<string, string>, routing: RouterResponse<unknown>['routing']) {
    const id = routing.deploymentId;
    return routedMeta(id === undefined ? undefined : this.#byId.get(id), headers, routing);
  }
}

/** The same as `new Router(options)`. */
export function createRouter(options: SdkRouterOptions): Router {
  return new Router(options);
}
