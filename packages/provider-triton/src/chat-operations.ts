import {
  type CallContext,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  chatCompletionRequestSchema,
  type ProviderResponse,
  type ProviderStream,
  parseOrThrow,
} from '@switchyard/core';
import type { PromptTemplateRegistry } from '@switchyard/prompt-templates';
import type { BackendDetector } from './backend-detection';
import { chatChunks } from './chat-stream';
import { generationFinish } from './finish-reason';
import { chatCompletionOf } from './openai-objects';
import { type PreparedGeneration, prepareGeneration } from './prepare-generation';
import { renderChatPrompt } from './prompt';
import { generateOnce, openGenerationEvents } from './triton-transport';
import { generationUsage } from './usage';

/** Settings a provider instance gives every chat call. */
export interface ChatSettings {
  /** Prompt templates to consult before the global registry. */
  registry?: PromptTemplateRegistry;
  /** Reads each model's backend from its configuration when `triton_backend` is not set. */
  detector?: BackendDetector;
}

function prepareChat(
  request: ChatCompletionRequest,
  ctx: CallContext,
  stream: boolean,
  settings: ChatSettings,
): Promise<PreparedGeneration> {
  const checked = parseOrThrow(chatCompletionRequestSchema, request);
  return prepareGeneration({
    request: checked,
    ctx,
    stream,
    inputFields: ['messages'],
    ...(settings.detector ? { detector: settings.detector } : {}),
    renderPrompt: chatTemplateKwargs =>
      renderChatPrompt({
        model: ctx.model,
        messages: checked.messages,
        chatTemplateKwargs,
        registry: settings.registry,
      }),
  });
}

/** `triton/` chat completion: `/generate` or `/infer`, one answer. */
export async function tritonChat(
  request: ChatCompletionRequest,
  ctx: CallContext,
  settings: ChatSettings = {},
): Promise<ProviderResponse<ChatCompletion>> {
  const prepared = await prepareChat(request, ctx, false, settings);
  const { generation, headers } = await generateOnce(prepared, ctx);
  return {
    data: chatCompletionOf({
      model: ctx.model,
      text: generation.text,
      finish: generationFinish(prepared, generation),
      usage: generationUsage(prepared, generation),
    }),
    headers,
  };
}

/**
 * `triton/` streamed chat completion over `/generate_stream`. On the
 * `/infer` route, which answers once, the one answer is sent as a stream.
 */
export async function tritonChatStream(
  request: ChatCompletionRequest,
  ctx: CallContext,
  settings: ChatSettings = {},
): Promise<ProviderStream<ChatCompletionChunk>> {
  const prepared = await prepareChat(request, ctx, true, settings);
  const { events, headers } = await openGenerationEvents(prepared, ctx);
  return {
    stream: chatChunks({
      events,
      model: ctx.model,
      prompt: prepared.prompt,
      counter: prepared.counter,
      includeUsage: request.stream_options?.include_usage === true,
      maxTokens: prepared.maxTokens,
    }),
    headers,
  };
}
