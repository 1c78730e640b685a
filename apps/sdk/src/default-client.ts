import type {
  AnthropicMessage,
  AnthropicStreamEvent,
  ResponseObject,
  ResponsesStreamEvent,
} from '@switchyard/api-shapes';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  Provider,
  TextCompletion,
} from '@switchyard/core';
import { type BatchCompletionParams, batchCompletion as runBatch } from './batch-completion';
import type { CompletionStream } from './completion-stream';
import type { WithMeta } from './response-meta';
import {
  type CompletionParams,
  type EmbeddingParams,
  type MessagesParams,
  type RerankParams,
  type ResponsesParams,
  SwitchyardClient,
  type TextCompletionParams,
  type TranscriptionParams,
} from './switchyard-client';

/** The client behind the module-level functions. */
export const defaultClient = new SwitchyardClient();

/**
 * Chat completion through the default client: `completion({ model:
 * 'hosted_vllm/facebook/opt-125m', messages, api_base })`. With
 * `stream: true` it resolves to an async iterable of chunks.
 */
export function completion(
  params: CompletionParams & { stream: true },
): Promise<CompletionStream<ChatCompletionChunk>>;
export function completion(
  params: CompletionParams & { stream?: false | null },
): Promise<ChatCompletion & WithMeta>;
export function completion(
  params: CompletionParams,
): Promise<(ChatCompletion & WithMeta) | CompletionStream<ChatCompletionChunk>>;
export function completion(params: CompletionParams) {
  return defaultClient.completion(params);
}

/** The Anthropic Messages API through the default client (see {@link SwitchyardClient.messages}). */
export function messages(
  params: MessagesParams & { stream: true },
): Promise<CompletionStream<AnthropicStreamEvent>>;
export function messages(
  params: MessagesParams & { stream?: false },
): Promise<AnthropicMessage & WithMeta>;
export function messages(params: MessagesParams) {
  return defaultClient.messages(params);
}

/** The OpenAI Responses API through the default client (see {@link SwitchyardClient.responses}). */
export function responses(
  params: ResponsesParams & { stream: true },
): Promise<CompletionStream<ResponsesStreamEvent>>;
export function responses(
  params: ResponsesParams & { stream?: false | null },
): Promise<ResponseObject & WithMeta>;
export function responses(params: ResponsesParams) {
  return defaultClient.responses(params);
}

/** Text completion through the default client. */
export function textCompletion(
  params: TextCompletionParams & { stream: true },
): Promise<CompletionStream<TextCompletion>>;
export function textCompletion(
  params: TextCompletionParams & { stream?: false | null },
): Promise<TextCompletion & WithMeta>;
export function textCompletion(params: TextCompletionParams) {
  return defaultClient.textCompletion(params);
}

/** Embeddings through the default client. */
export function embedding(params: EmbeddingParams) {
  return defaultClient.embedding(params);
}

/** Rerank through the default client. */
export function rerank(params: RerankParams) {
  return defaultClient.rerank(params);
}

/** Audio transcription through the default client. */
export function transcription(params: TranscriptionParams) {
  return defaultClient.transcription(params);
}

/** Many completions at once through the default client (LiteLLM's `batch_completion`). */
export function batchCompletion(params: BatchCompletionParams) {
  return runBatch(defaultClient, params);
}

/** Plugs a provider into the default client (e.g. one published as its own package). */
export function registerProvider(provider: Provider): void {
  defaultClient.registerProvider(provider);
}
