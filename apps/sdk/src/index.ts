/**
 * @switchyard/sdk — one OpenAI call shape for self-hosted vLLM and Triton
 * (and any provider you register), with prompt templates, retries and a
 * router. Install the provider packages you use next to it:
 * `@switchyard/provider-vllm`, `@switchyard/provider-triton`.
 *
 * @packageDocumentation
 */

export * from '@switchyard/api-shapes';
export * from '@switchyard/core';
export {
  PromptTemplateRegistry,
  promptTemplateFor,
  type RegisterPromptTemplateOptions,
  registerPromptTemplate,
  renderPrompt,
} from '@switchyard/prompt-templates';
export {
  MemoryRouterState,
  RedisRouterState,
  type RouterResponse,
  type RouterSettings,
  type RouterStream,
  type RoutingInfo,
  routingHeaders,
  routingInfoOf,
} from '@switchyard/router';
export type { BatchCompletionParams } from './batch-completion';
export type { CallOptions } from './call-options';
export { collectStream, collectStream as streamChunkBuilder } from './collect-stream';
export type { CompletionStream } from './completion-stream';
export {
  batchCompletion,
  completion,
  defaultClient,
  embedding,
  messages,
  registerProvider,
  rerank,
  responses,
  textCompletion,
  transcription,
} from './default-client';
export { deploymentIsNative, invokeThroughClient } from './invoke-through-client';
export { getResponseMeta, type ResponseMeta, type WithMeta } from './response-meta';
export {
  createRouter,
  type Routed,
  Router,
  type RouterCallOptions,
  type SdkRouterOptions,
} from './sdk-router';
export {
  type CompletionParams,
  type EmbeddingParams,
  type MessagesParams,
  type RerankParams,
  type ResponsesParams,
  SwitchyardClient,
  type SwitchyardClientOptions,
  sdkProviderRegistry,
  type TextCompletionParams,
  type TranscriptionParams,
} from './switchyard-client';
