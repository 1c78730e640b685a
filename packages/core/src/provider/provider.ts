import type { HttpClient } from '../http/http-client';
import type { ChatCompletion } from '../schemas/chat-completion';
import type { ChatCompletionChunk } from '../schemas/chat-completion-chunk';
import type { ChatCompletionRequest } from '../schemas/chat-completion-request';
import type { EmbeddingRequest, EmbeddingResponse } from '../schemas/embedding';
import type { RerankRequest, RerankResponse } from '../schemas/rerank';
import type { TextCompletion, TextCompletionRequest } from '../schemas/text-completion';
import type { TranscriptionRequest, TranscriptionResponse } from '../schemas/transcription';

/**
 * Everything a provider operation needs besides the request itself. The
 * request's `model` field still holds what the caller wrote; `model` here is
 * the name with the provider prefix removed, which is what upstreams expect.
 */
export interface CallContext {
  /** Model name without the provider prefix (`facebook/opt-125m`). */
  model: string;
  /** Server base URL from the call, config or environment. */
  apiBase?: string;
  /** Credential from the call, config or environment. */
  apiKey?: string;
  /** Extra request headers to send upstream. */
  headers?: Record<string, string>;
  /** Deadline for the whole call in milliseconds (streams: until the response starts). */
  timeoutMs?: number;
  /** Aborts the upstream request when fired. */
  signal?: AbortSignal;
  /** Drop OpenAI parameters the provider cannot honour instead of failing. */
  dropParams?: boolean;
  /**
   * Provider-specific settings (LiteLLM `litellm_params` a provider reads,
   * such as `triton_backend`), as given.
   */
  options: Readonly<Record<string, unknown>>;
  /** The HTTP seam every upstream call goes through. */
  http: HttpClient;
}

/** A non-streaming result plus the upstream's response headers. */
export interface ProviderResponse<T> {
  data: T;
  /** Upstream response headers, lower-cased (for rate-limit pass-through and logs). */
  headers: Record<string, string>;
}

/**
 * A streaming result. The promise that yields it settles once the upstream
 * has answered with a status, so errors before the first byte reject it; errors
 * after that are thrown by the iterator. Breaking out of the iteration aborts
 * the upstream request.
 */
export interface ProviderStream<T> {
  stream: AsyncIterable<T>;
  headers: Record<string, string>;
}

/**
 * A provider: a plain object with an `id` (its model prefix) and the
 * operations it supports. Every operation takes the OpenAI-shaped request and
 * a {@link CallContext} and returns the OpenAI-shaped result. An operation a
 * provider does not support is simply absent.
 */
export interface Provider {
  /** The model prefix this provider answers to (`hosted_vllm`, `triton`). */
  readonly id: string;
  /**
   * Call parameters that are settings of this provider rather than request
   * fields (LiteLLM `litellm_params` such as `triton_backend`). The SDK moves
   * them from the call into {@link CallContext.options} instead of sending
   * them upstream.
   */
  readonly optionKeys?: readonly string[];
  chat?(
    request: ChatCompletionRequest,
    ctx: CallContext,
  ): Promise<ProviderResponse<ChatCompletion>>;
  chatStream?(
    request: ChatCompletionRequest,
    ctx: CallContext,
  ): Promise<ProviderStream<ChatCompletionChunk>>;
  textCompletion?(
    request: TextCompletionRequest,
    ctx: CallContext,
  ): Promise<ProviderResponse<TextCompletion>>;
  textCompletionStream?(
    request: TextCompletionRequest,
    ctx: CallContext,
  ): Promise<ProviderStream<TextCompletion>>;
  embedding?(
    request: EmbeddingRequest,
    ctx: CallContext,
  ): Promise<ProviderResponse<EmbeddingResponse>>;
  rerank?(request: RerankRequest, ctx: CallContext): Promise<ProviderResponse<RerankResponse>>;
  transcription?(
    request: TranscriptionRequest,
    ctx: CallContext,
  ): Promise<ProviderResponse<TranscriptionResponse>>;
  /**
   * The prompt's token count for a chat request, counted by the upstream
   * with the model's own tokenizer and chat template (vLLM's `/tokenize`).
   */
  countTokens?(
    request: ChatCompletionRequest,
    ctx: CallContext,
  ): Promise<ProviderResponse<TokenCount>>;
  /**
   * The Anthropic Messages API served by the upstream itself (vLLM's
   * `/v1/messages`): the body goes as given and the answer comes back as
   * sent. Only used when a deployment asks for it; otherwise the SDK
   * translates to {@link Provider.chat}.
   */
  messages?(request: NativeBody, ctx: CallContext): Promise<ProviderResponse<NativeBody>>;
  /** {@link Provider.messages}, streamed: each Anthropic event as sent. */
  messagesStream?(request: NativeBody, ctx: CallContext): Promise<ProviderStream<NativeBody>>;
  /** The OpenAI Responses API served by the upstream itself (vLLM's `/v1/responses`). */
  responses?(request: NativeBody, ctx: CallContext): Promise<ProviderResponse<NativeBody>>;
  /** {@link Provider.responses}, streamed: each Responses event as sent. */
  responsesStream?(request: NativeBody, ctx: CallContext): Promise<ProviderStream<NativeBody>>;
}

/** A request or answer of another API, passed through as JSON. */
export type NativeBody = Record<string, unknown>;

/** A prompt's token count; `estimated` when no tokenizer made it. */
export interface TokenCount {
  input_tokens: number;
  estimated?: boolean;
}

/** The names of the operations a provider may implement. */
export type ProviderOperation = Exclude<keyof Provider, 'id' | 'optionKeys'>;
