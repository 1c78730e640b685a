/**
 * @switchyard/sdk — one OpenAI call shape for self-hosted vLLM and Triton
 * (and any provider you register), with prompt templates, retries and a
 * router. Install the provider packages you use next to it:
 * `@switchyard/provider-vllm`, `@switchyard/provider-triton`.
 *
 * @packageDocumentation
 */

// registerPromptTemplate: re-exported once @switchyard/prompt-templates exports it.
export * from '@switchyard/core';
export type { BatchCompletionParams } from './batch-completion';
export type { CallOptions } from './call-options';
export { collectStream, collectStream as streamChunkBuilder } from './collect-stream';
export type { CompletionStream } from './completion-stream';
export {
  batchCompletion,
  completion,
  defaultClient,
  embedding,
  registerProvider,
  rerank,
  textCompletion,
  transcription,
} from './default-client';
export { getResponseMeta, type ResponseMeta, type WithMeta } from './response-meta';
export {
  type CompletionParams,
  type EmbeddingParams,
  type RerankParams,
  SwitchyardClient,
  type SwitchyardClientOptions,
  sdkProviderRegistry,
  type TextCompletionParams,
  type TranscriptionParams,
} from './switchyard-client';
