import {
  BadRequestError,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type EmbeddingRequest,
  type EmbeddingResponse,
  type ProviderOperation,
  type RerankRequest,
  type RerankResponse,
  type TextCompletion,
  type TextCompletionRequest,
  type TokenCount,
  type TranscriptionRequest,
  type TranscriptionResponse,
} from '@switchyard/core';
import type { Deployment } from './deployments/deployment';
import type { ModelGroup } from './deployments/model-registry';
import { type CallOptions, splitRequest } from './execution/request-controls';
import type { RunContext } from './execution/run-context';
import { resolveGroup, runRequest } from './execution/run-request';
import { normalizeOptions, type RouterConfig } from './options/normalize-options';
import type { RouterOptions } from './options/router-options';
import type { RoutingInfo } from './routing-info';
import { selectDeployment } from './selection/select-deployment';
import type { RouterState } from './state/router-state';
import type { RoutingStrategy } from './strategies/routing-strategy';

/** A routed non-streaming result. */
export interface RouterResponse<T> {
  data: T;
  /** The upstream's response headers, lower-cased. */
  headers: Record<string, string>;
  /** What the router did (see {@link routingHeaders} for the `x-litellm-*` headers). */
  routing: RoutingInfo;
}

/**
 * A routed stream. The promise that yields it resolves once the first chunk
 * has arrived, so a stream that failed before its first chunk was retried or
 * fallen back from like any call; errors after that are thrown by the iterator.
 */
export interface RouterStream<T> {
  stream: AsyncIterable<T>;
  headers: Record<string, string>;
  routing: RoutingInfo;
}

/**
 * LiteLLM's Router in TypeScript: load balancing across the deployments of a
 * model group, retries that move to untried deployments, fallbacks to other
 * groups, cooldowns, timeouts, rpm / tpm limits; state in memory or shared
 * through Redis. The router performs calls through the `invoke` function it
 * is given and knows nothing of HTTP or providers.
 *
 * Streaming uses separate methods ({@link Router.completionStream},
 * {@link Router.textCompletionStream}) so each method has one result type;
 * `stream: true` on the non-streaming methods is rejected.
 */
export class Router {
  readonly #config: RouterConfig;

  constructor(options: RouterOptions) {
    this.#config = normalizeOptions(options);
  }

  /** Chat completion (`/v1/chat/completions`). */
  completion(
    request: ChatCompletionRequest & Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<RouterResponse<ChatCompletion>> {
    return this.#respond('chat', request, opts);
  }

  /** Streaming chat completion; resolves at the first chunk. */
  completionStream(
    request: ChatCompletionRequest & Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<RouterStream<ChatCompletionChunk>> {
    return this.#stream('chatStream', request, opts);
  }

  /** Text completion (`/v1/completions`). */
  textCompletion(
    request: TextCompletionRequest & Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<RouterResponse<TextCompletion>> {
    return this.#respond('textCompletion', request, opts);
  }

  /** Streaming text completion; resolves at the first chunk. */
  textCompletionStream(
    request: TextCompletionRequest & Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<RouterStream<TextCompletion>> {
    return this.#stream('textCompletionStream', request, opts);
  }

  /** Embeddings (`/v1/embeddings`). */
  embedding(
    request: EmbeddingRequest & Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<RouterResponse<EmbeddingResponse>> {
    return this.#respond('embedding', request, opts);
  }

  /** Rerank (`/v1/rerank`). */
  rerank(
    request: RerankRequest & Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<RouterResponse<RerankResponse>> {
    return this.#respond('rerank', request, opts);
  }

  /** Audio transcription (`/v1/audio/transcriptions`). */
  transcription(
    request: TranscriptionRequest & Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<RouterResponse<TranscriptionResponse>> {
    return this.#respond('transcription', request, opts);
  }

  /**
   * The Anthropic Messages API (`/v1/messages`). Each deployment answers it
   * natively or through chat, as its settings say (the invoke function
   * decides); the router treats it like any call.
   */
  messages(
    request: { model: string } & Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<RouterResponse<Record<string, unknown>>> {
    return this.#respond('messages', request, opts);
  }

  /** Streaming Anthropic Messages; resolves at the first event. */
  messagesStream(
    request: { model: string } & Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<RouterStream<Record<string, unknown>>> {
    return this.#stream('messagesStream', request, opts);
  }

  /** The OpenAI Responses API (`/v1/responses`), native or through chat like {@link Router.messages}. */
  responses(
    request: { model: string } & Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<RouterResponse<Record<string, unknown>>> {
    return this.#respond('responses', request, opts);
  }

  /** Streaming Responses; resolves at the first event. */
  responsesStream(
    request: { model: string } & Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<RouterStream<Record<string, unknown>>> {
    return this.#stream('responsesStream', request, opts);
  }

  /** A chat request's prompt token count, counted by a deployment of the group. */
  countTokens(
    request: ChatCompletionRequest & Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<RouterResponse<TokenCount>> {
    return this.#respond('countTokens', request, opts);
  }

  /**
   * The routing decision alone: which deployment the next call to `model`
   * would go to (it counts against rpm limits like a real call). For
   * benchmarks and diagnostics.
   */
  async pickDeployment(
    model: string,
    request: Record<string, unknown> = { model },
    opts?: Pick<CallOptions, 'metadata' | 'headers'>,
  ): Promise<Deployment> {
    const c = this.#config;
    const group = await resolveGroup({ config: c }, model);
    const { body, controls } = splitRequest({ ...request, model }, opts);
    const selection = await selectDeployment({
      group,
      state: c.state,
      strategy: c.strategy,
      now: c.clock(),
      tried: EMPTY,
      allowReuse: true,
      excluded: EMPTY,
      estimatedTokens: c.preCallChecks || group.hasLimits ? c.tokenCounter(body) : undefined,
      preCallChecks: c.preCallChecks,
      request: body,
      metadata: controls.metadata,
      headers: controls.headers,
      random: c.random,
    });
    return selection!.deployment;
  }

  /**
   * The public model names: every group and every alias not marked hidden,
   * then the LoRA adapters served (with `lora_adapters`).
   */
  modelGroups(): string[] {
    const names = this.#config.registry.modelGroupNames();
    const adapters = this.#config.lora?.names().filter(n => !names.includes(n)) ?? [];
    return [...names, ...adapters];
  }

  /** Every deployment, resolved, with its id. */
  deployments(): Deployment[] {
    return this.#config.registry.deployments();
  }

  /**
   * The group a model name resolves to, or undefined. A LoRA adapter
   * resolves to its base model's group, restricted to the replicas serving
   * it (all of them when it may be loaded on demand).
   */
  modelGroup(model: string): ModelGroup | undefined {
    return this.#config.registry.find(model) ?? this.#config.lora?.find(model);
  }

  /**
   * Reads every vLLM replica's LoRA adapters now (`/v1/models`), as the
   * background refresh does; resolves at once without `lora_adapters`.
   */
  async refreshLoraAdapters(): Promise<void> {
    await this.#config.lora?.refresh();
  }

  /** The state store in use (memory or Redis). */
  get state(): RouterState {
    return this.#config.state;
  }

  /** Ends a deployment's cooldown now (after an external health check passed). */
  async clearCooldown(deploymentId: string): Promise<void> {
    await this.#config.state.clearCooldown(deploymentId);
  }

  /** The routing strategy in use (to reach a built-in strategy's own methods, e.g. `refresh()`). */
  get strategy(): RoutingStrategy {
    return this.#config.strategy;
  }

  /** Stops the strategy's background work (engine metrics polling) and releases the state store's connections (Redis). */
  async close(): Promise<void> {
    await this.#config.strategy.close?.();
    await this.#config.lora?.close();
    await this.#config.state.close();
  }

  async #respond<T>(
    operation: ProviderOperation,
    request: unknown,
    opts: CallOptions | undefined,
  ): Promise<RouterResponse<T>> {
    const { run, body } = this.#start(operation, false, request, opts);
    const outcome = await runRequest(run, body);
    if (outcome.kind !== 'response')
      throw new Error('unreachable: a non-streaming call produced a stream');
    return { data: outcome.data as T, headers: outcome.headers, routing: run.info };
  }

  async #stream<T>(
    operation: ProviderOperation,
    request: unknown,
    opts: CallOptions | undefined,
  ): Promise<RouterStream<T>> {
    const { run, body } = this.#start(operation, true, request, opts);
    const outcome = await runRequest(run, body);
    if (outcome.kind !== 'stream')
      throw new Error('unreachable: a streaming call produced a response');
    return {
      stream: outcome.stream as AsyncIterable<T>,
      headers: outcome.headers,
      routing: run.info,
    };
  }

  #start(
    operation: ProviderOperation,
    stream: boolean,
    request: unknown,
    opts: CallOptions | undefined,
  ) {
    const { body, controls } = splitRequest(request, opts, operation);
    if (!stream && body.stream === true) {
      throw new BadRequestError({
        message: `Invalid request: stream: true is not accepted by ${operation}(); use the streaming method (completionStream / textCompletionStream)`,
        param: 'stream',
      });
    }
    const run: RunContext = {
      config: this.#config,
      operation,
      stream,
      controls,
      signal: opts?.signal,
      frames: opts?.frames === true,
      startedAt: performance.now(),
      info: {
        requestedModel: body.model as string,
        modelGroup: body.model as string,
        deploymentId: undefined,
        apiBase: undefined,
        attemptedRetries: 0,
        maxRetries: controls.numRetries ?? this.#config.numRetries,
        attemptedFallbacks: 0,
        attempts: [],
        timings: { startedAt: Date.now(), totalMs: 0, upstreamMs: undefined },
      },
    };
    return { run, body };
  }
}

const EMPTY: ReadonlySet<string> = new Set();
