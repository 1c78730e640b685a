import {
  type AnthropicMessage,
  type AnthropicRequest,
  type AnthropicStreamEvent,
  anthropicRequestSchema,
  type ResponseObject,
  type ResponsesRequest,
  type ResponsesStreamEvent,
  responsesRequestSchema,
} from '@switchyard/api-shapes';
import {
  BadRequestError,
  type CallContext,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  chatCompletionRequestSchema,
  type EmbeddingRequest,
  type EmbeddingResponse,
  embeddingRequestSchema,
  getDefaultHttpClient,
  globalProviderRegistry,
  type HttpClient,
  type Provider,
  type ProviderOperation,
  ProviderRegistry,
  type ProviderResponse,
  type ProviderStream,
  parseModel,
  parseOrThrow,
  type RerankRequest,
  type RerankResponse,
  rerankRequestSchema,
  resolveTlsSettings,
  type SslOptions,
  type TextCompletion,
  type TextCompletionRequest,
  type TranscriptionRequest,
  type TranscriptionResponse,
  textCompletionRequestSchema,
  transcriptionParamsSchema,
} from '@switchyard/core';
import type { z } from 'zod';
import { invokeShape, isShapeOperation, type ShapeOperation } from './api-shape-invoke';
import {
  CALL_OPTION_KEYS,
  type CallOptions,
  type ResolvedCallOptions,
  splitCall,
} from './call-options';
import { type CompletionStream, toCompletionStream } from './completion-stream';
import { mockChunks, mockCompletion } from './mock-response';
import { OPERATION_SCHEMAS, operationLabel } from './operation-schemas';
import { attachMeta, type ResponseMeta, type WithMeta } from './response-meta';
import { withRetries } from './retry';
import { runOperation } from './run-operation';

/** An Anthropic Messages call: Anthropic's request plus {@link CallOptions}. */
export type MessagesParams = AnthropicRequest & CallOptions;
/** A Responses call: the Responses request plus {@link CallOptions}. */
export type ResponsesParams = ResponsesRequest & CallOptions;
/** A chat completion call: the OpenAI request plus {@link CallOptions}. */
export type CompletionParams = ChatCompletionRequest & CallOptions;
export type TextCompletionParams = TextCompletionRequest & CallOptions;
export type EmbeddingParams = EmbeddingRequest & CallOptions;
export type RerankParams = RerankRequest & CallOptions;
export type TranscriptionParams = TranscriptionRequest & CallOptions;

/** Settings of a {@link SwitchyardClient}. */
export interface SwitchyardClientOptions {
  /** Where providers are found; defaults to a registry that imports the built-ins on first use. */
  providers?: ProviderRegistry;
  /** The HTTP seam; defaults to the process-wide keep-alive client. */
  http?: HttpClient;
  /**
   * LiteLLM's `litellm.ssl_verify` for every call of this client: `false`, or
   * the path of a CA bundle. A call's own `ssl_verify` and the `SSL_VERIFY`
   * environment variable win over it; `SSL_CERT_FILE` names a CA bundle when
   * none is set. The environment is read at the client's first call.
   */
  ssl_verify?: boolean | string;
  /** LiteLLM's `litellm.ssl_certificate` (client certificate) for every call; `SSL_CERTIFICATE` wins. */
  ssl_certificate?: string | readonly string[];
  /**
   * Check every request against the OpenAI schemas (default true). A caller
   * that has validated already — the proxy does at its front door — turns
   * this off so the same body is not checked twice on the hot path.
   */
  validateRequests?: boolean;
}

/** Imports a provider package from the SDK's own location, where its optional peers resolve. */
const importFromSdk = (name: string) => import(name);

/** The registry behind the module-level functions; sees providers registered in core's too. */
export const sdkProviderRegistry = new ProviderRegistry({
  importer: importFromSdk,
  parent: globalProviderRegistry,
});

interface Prepared<R> {
  provider: Provider;
  request: R;
  options: ResolvedCallOptions;
  ctx: CallContext;
}

/**
 * One OpenAI call shape for every model: `hosted_vllm/…`, `triton/…`, or
 * any registered provider's prefix. Each method validates the request (a bad
 * field is a BadRequestError naming it), finds the provider, and calls it
 * with retries when `num_retries` is set.
 */
export class SwitchyardClient {
  readonly providers: ProviderRegistry;
  readonly http: HttpClient;
  readonly #validate: boolean;
  readonly #sslDefaults: SslOptions;
  /** The HTTP client of calls that set no TLS of their own, worked out at the first call. */
  #defaultHttp: HttpClient | undefined;

  constructor(options: SwitchyardClientOptions = {}) {
    this.providers = options.providers ?? sdkProviderRegistry;
    this.http = options.http ?? getDefaultHttpClient();
    this.#validate = options.validateRequests ?? true;
    this.#sslDefaults = {
      ssl_verify: options.ssl_verify,
      ssl_certificate: options.ssl_certificate,
    };
  }

  /**
   * The HTTP client for a call with these TLS settings (undefined: the call
   * sets none): the call's settings over the environment over the client's
   * defaults, each distinct combination on its own connection pools.
   */
  httpFor(ssl: SslOptions | undefined): HttpClient {
    if (ssl === undefined) {
      this.#defaultHttp ??= this.http.withTls(resolveTlsSettings({}, this.#sslDefaults));
      return this.#defaultHttp;
    }
    return this.http.withTls(resolveTlsSettings(ssl, this.#sslDefaults));
  }

  /** Whether calls are checked against the OpenAI request schemas ({@link SwitchyardClientOptions.validateRequests}). */
  get validatesRequests(): boolean {
    return this.#validate;
  }

  /** Adds a provider to this client's registry. */
  registerProvider(provider: Provider): void {
    this.providers.register(provider);
  }

  /** Chat completion; with `stream: true`, an async iterable of chunks. */
  completion(
    params: CompletionParams & { stream: true },
  ): Promise<CompletionStream<ChatCompletionChunk>>;
  completion(
    params: CompletionParams & { stream?: false | null },
  ): Promise<ChatCompletion & WithMeta>;
  completion(
    params: CompletionParams,
  ): Promise<(ChatCompletion & WithMeta) | CompletionStream<ChatCompletionChunk>>;
  async completion(
    params: CompletionParams,
  ): Promise<(ChatCompletion & WithMeta) | CompletionStream<ChatCompletionChunk>> {
    const streaming = params.stream === true;
    const prep = await this.#prepare(
      streaming ? 'chatStream' : 'chat',
      chatCompletionRequestSchema,
      params,
    );
    const mock = prep.options.mockResponse;
    if (mock !== undefined) {
      if (mock instanceof Error) throw mock;
      const meta = this.#meta(prep, {}, performance.now(), 0);
      return streaming
        ? toCompletionStream(mockChunks(prep.request, mock), meta)
        : attachMeta(mockCompletion(prep.request, mock), meta);
    }
    return streaming ? this.#stream(prep, 'chatStream') : this.#call(prep, 'chat');
  }

  /**
   * The Anthropic Messages API over any model (LiteLLM's
   * `anthropic.messages.create`): translated to chat and back, or with
   * `native_endpoint: true` sent to the upstream's own `/v1/messages`
   * (vLLM). With `stream: true`, an async iterable of Anthropic events.
   */
  messages(
    params: MessagesParams & { stream: true },
  ): Promise<CompletionStream<AnthropicStreamEvent>>;
  messages(params: MessagesParams & { stream?: false }): Promise<AnthropicMessage & WithMeta>;
  messages(
    params: MessagesParams,
  ): Promise<(AnthropicMessage & WithMeta) | CompletionStream<AnthropicStreamEvent>>;
  messages(params: MessagesParams): Promise<unknown> {
    const operation = params.stream === true ? 'messagesStream' : 'messages';
    return this.shapeCall(operation, anthropicRequestSchema, params);
  }

  /**
   * The OpenAI Responses API over any model (LiteLLM's `responses`),
   * translated to chat and back, or with `native_endpoint: true` sent to the
   * upstream's own `/v1/responses`. `previous_response_id` needs a store:
   * the proxy keeps one; here the caller sends the whole conversation as
   * `input`. With `stream: true`, an async iterable of Responses events.
   */
  responses(
    params: ResponsesParams & { stream: true },
  ): Promise<CompletionStream<ResponsesStreamEvent>>;
  responses(
    params: ResponsesParams & { stream?: false | null },
  ): Promise<ResponseObject & WithMeta>;
  responses(
    params: ResponsesParams,
  ): Promise<(ResponseObject & WithMeta) | CompletionStream<ResponsesStreamEvent>>;
  responses(params: ResponsesParams): Promise<unknown> {
    const operation = params.stream === true ? 'responsesStream' : 'responses';
    return this.shapeCall(operation, responsesRequestSchema, params);
  }

  /** Text completion (`/v1/completions`); with `stream: true`, an async iterable. */
  textCompletion(
    params: TextCompletionParams & { stream: true },
  ): Promise<CompletionStream<TextCompletion>>;
  textCompletion(
    params: TextCompletionParams & { stream?: false | null },
  ): Promise<TextCompletion & WithMeta>;
  textCompletion(
    params: TextCompletionParams,
  ): Promise<(TextCompletion & WithMeta) | CompletionStream<TextCompletion>>;
  async textCompletion(
    params: TextCompletionParams,
  ): Promise<(TextCompletion & WithMeta) | CompletionStream<TextCompletion>> {
    const streaming = params.stream === true;
    const operation = streaming ? 'textCompletionStream' : 'textCompletion';
    const prep = await this.#prepare(operation, textCompletionRequestSchema, params);
    return streaming
      ? this.#stream(prep, 'textCompletionStream')
      : this.#call(prep, 'textCompletion');
  }

  /** Embeddings. */
  async embedding(params: EmbeddingParams): Promise<EmbeddingResponse & WithMeta> {
    return this.#call(
      await this.#prepare('embedding', embeddingRequestSchema, params),
      'embedding',
    );
  }

  /** Cohere-style rerank. */
  async rerank(params: RerankParams): Promise<RerankResponse & WithMeta> {
    return this.#call(await this.#prepare('rerank', rerankRequestSchema, params), 'rerank');
  }

  /** Audio transcription (multipart upload of `file`). */
  async transcription(params: TranscriptionParams): Promise<TranscriptionResponse & WithMeta> {
    const { file, ...rest } = params;
    if (
      !file ||
      !(file.data instanceof Uint8Array || file.data instanceof Blob) ||
      !file.filename
    ) {
      throw new BadRequestError({
        message: 'Invalid request: file: expected { data: Uint8Array | Blob, filename: string }',
        param: 'file',
      });
    }
    const prep = await this.#prepare('transcription', transcriptionParamsSchema, rest);
    return this.#call({ ...prep, request: { ...prep.request, file } }, 'transcription');
  }

  /**
   * One provider call, no retries, no mock: what a {@link Router} attempt on
   * a deployment needs. Returns the provider's `{ data, headers }` (or
   * `{ stream, headers }` for streaming operations) as is.
   */
  invokeOperation(
    operation: ProviderOperation,
    params: Record<string, unknown> & CallOptions,
  ): Promise<ProviderResponse<unknown> | ProviderStream<unknown>> {
    if (isShapeOperation(operation)) {
      const { request, carry } = splitShapeCall(params);
      return invokeShape({
        operation,
        request,
        carry,
        native: wantsNative(operation, params),
        call: (op, body) => this.#invokeProvider(op, body),
      });
    }
    return this.#invokeProvider(operation, params);
  }

  /**
   * One call of another API shape with retries (the SDK's `messages()` and
   * `responses()`): checked against the API's schema, then answered through
   * {@link SwitchyardClient.invokeOperation}.
   */
  async shapeCall(
    operation: ShapeOperation,
    schema: z.ZodType,
    params: Record<string, unknown> & CallOptions,
  ): Promise<unknown> {
    const parsed = parseCallModel(params);
    if (this.#validate) {
      const { request } = splitShapeCall(params);
      parseOrThrow(
        schema,
        request,
        operation.startsWith('messages') ? 'messages request' : 'responses request',
      );
    }
    const { options } = splitCall(params);
    const started = performance.now();
    const { value, retries } = await this.#attempts(
      () => this.invokeOperation(operation, params),
      options,
    );
    const meta: ResponseMeta = {
      provider: parsed.provider,
      model: parsed.model,
      apiBase: options.apiBase,
      headers: value.headers,
      latencyMs: performance.now() - started,
      attemptedRetries: retries,
    };
    return 'stream' in value
      ? toCompletionStream(value.stream, meta)
      : attachMeta(value.data as object, meta);
  }

  #invokeProvider(
    operation: ProviderOperation,
    params: Record<string, unknown> & CallOptions,
  ): Promise<ProviderResponse<unknown> | ProviderStream<unknown>> {
    const run = (prep: Prepared<unknown>) =>
      runOperation(prep.provider, operation, prep.request, prep.ctx);
    // A router attempt on a provider that is already loaded starts in the
    // same tick: no await before the upstream request goes out.
    try {
      const ready = this.#prepareLoaded(operation, OPERATION_SCHEMAS[operation], params);
      if (ready) return run(ready);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#prepare(operation, OPERATION_SCHEMAS[operation], params).then(run);
  }

  async #prepare<S extends z.ZodType>(
    operation: ProviderOperation,
    schema: S,
    params: Record<string, unknown> & CallOptions,
  ): Promise<Prepared<z.output<S>>> {
    const parsed = parseCallModel(params);
    const provider = await this.providers.resolve(parsed.provider);
    return this.#prepareWith(provider, parsed.model, operation, schema, params);
  }

  /** {@link SwitchyardClient.#prepare} without an await, when the provider is loaded already. */
  #prepareLoaded<S extends z.ZodType>(
    operation: ProviderOperation,
    schema: S,
    params: Record<string, unknown> & CallOptions,
  ): Prepared<z.output<S>> | undefined {
    const parsed = parseCallModel(params);
    const provider = this.providers.peek(parsed.provider);
    return provider && this.#prepareWith(provider, parsed.model, operation, schema, params);
  }

  #prepareWith<S extends z.ZodType>(
    provider: Provider,
    model: string,
    operation: ProviderOperation,
    schema: S,
    params: Record<string, unknown> & CallOptions,
  ): Prepared<z.output<S>> {
    if (typeof provider[operation] !== 'function') {
      throw new BadRequestError({
        message: `Provider "${provider.id}" does not support ${operationLabel(operation)}.`,
        param: 'model',
      });
    }
    const { request, options } = splitCall(params, provider.optionKeys);
    const ctx: CallContext = {
      model,
      apiBase: options.apiBase,
      apiKey: options.apiKey,
      headers: options.headers,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      dropParams: options.dropParams,
      options: options.providerOptions,
      http: this.httpFor(options.ssl),
    };
    return {
      provider,
      request: this.#validate ? parseOrThrow(schema, request) : (request as z.output<S>),
      options,
      ctx,
    };
  }

  async #call<R, T extends object>(
    prep: Prepared<R>,
    operation: NonStreamingOperation,
  ): Promise<T & WithMeta> {
    const started = performance.now();
    const { value, retries } = await this.#attempts(
      () =>
        runOperation(prep.provider, operation, prep.request, prep.ctx) as Promise<
          ProviderResponse<T>
        >,
      prep.options,
    );
    return attachMeta(value.data, this.#meta(prep, value.headers, started, retries));
  }

  async #stream<R, T>(
    prep: Prepared<R>,
    operation: StreamingOperation,
  ): Promise<CompletionStream<T>> {
    const started = performance.now();
    const { value, retries } = await this.#attempts(
      () =>
        runOperation(prep.provider, operation, prep.request, prep.ctx) as Promise<
          ProviderStream<T>
        >,
      prep.options,
    );
    return toCompletionStream(value.stream, this.#meta(prep, value.headers, started, retries));
  }

  /** One attempt, or several with backoff when the call asked for retries. */
  async #attempts<T>(
    attempt: () => Promise<T>,
    options: ResolvedCallOptions,
  ): Promise<{ value: T; retries: number }> {
    if (options.numRetries <= 0) return { value: await attempt(), retries: 0 };
    return withRetries(attempt, { retries: options.numRetries, signal: options.signal });
  }

  #meta(
    prep: Prepared<unknown>,
    headers: Record<string, string>,
    started: number,
    retries: number,
  ): ResponseMeta {
    return {
      provider: prep.provider.id,
      model: prep.ctx.model,
      apiBase: prep.ctx.apiBase,
      headers,
      latencyMs: performance.now() - started,
      attemptedRetries: retries,
    };
  }
}

/** The keys that turn on a provider's own endpoint for another API shape. */
const NATIVE_KEYS = ['native_endpoint', 'disable_anthropic_translation'];

/**
 * True when the call asks for the provider's own endpoint: `native_endpoint`
 * for either API, or LiteLLM's `disable_anthropic_translation` for messages.
 */
function wantsNative(operation: ShapeOperation, params: Record<string, unknown>): boolean {
  if (params.native_endpoint === true) return true;
  return operation.startsWith('messages') && params.disable_anthropic_translation === true;
}

/** Splits a shape call into the API request and the call's own options, which ride along. */
function splitShapeCall(params: Record<string, unknown>): {
  request: Record<string, unknown>;
  carry: Record<string, unknown> | undefined;
} {
  let carry: Record<string, unknown> | undefined;
  const request: Record<string, unknown> = {};
  for (const key in params) {
    if (NATIVE_KEYS.includes(key)) continue;
    if (CALL_OPTION_KEYS.has(key)) {
      carry ??= {};
      carry[key] = params[key];
    } else request[key] = params[key];
  }
  return { request, carry };
}

type NonStreamingOperation = 'chat' | 'textCompletion' | 'embedding' | 'rerank' | 'transcription';
type StreamingOperation = 'chatStream' | 'textCompletionStream';

/** The provider prefix and model name of a call, or a BadRequestError naming `model`. */
export function parseCallModel(params: Record<string, unknown> & CallOptions) {
  const model = params.model;
  if (typeof model !== 'string' || model.length === 0) {
    throw new BadRequestError({
      message: 'Invalid request: model: expected a string like "hosted_vllm/facebook/opt-125m"',
      param: 'model',
    });
  }
  return parseModel(model, params.custom_llm_provider ?? params.customLlmProvider);
}
