import { anthropicRequestSchema, responsesRequestSchema } from '@switchyard/api-shapes';
import {
  chatCompletionRequestSchema,
  embeddingRequestSchema,
  type ProviderOperation,
  rerankRequestSchema,
  textCompletionRequestSchema,
  transcriptionParamsSchema,
} from '@switchyard/core';
import type { z } from 'zod';

/** The OpenAI request schema each provider operation's request is checked against. */
export const OPERATION_SCHEMAS: Readonly<Record<ProviderOperation, z.ZodType>> = {
  chat: chatCompletionRequestSchema,
  chatStream: chatCompletionRequestSchema,
  textCompletion: textCompletionRequestSchema,
  textCompletionStream: textCompletionRequestSchema,
  embedding: embeddingRequestSchema,
  rerank: rerankRequestSchema,
  transcription: transcriptionParamsSchema,
  countTokens: chatCompletionRequestSchema,
  messages: anthropicRequestSchema,
  messagesStream: anthropicRequestSchema,
  responses: responsesRequestSchema,
  responsesStream: responsesRequestSchema,
};

const LABELS: Readonly<Record<ProviderOperation, string>> = {
  chat: 'chat completions',
  chatStream: 'streaming chat completions',
  textCompletion: 'text completions',
  textCompletionStream: 'streaming text completions',
  embedding: 'embeddings',
  rerank: 'rerank',
  transcription: 'audio transcription',
  countTokens: 'token counting',
  messages: 'the Anthropic Messages API natively',
  messagesStream: 'the Anthropic Messages API natively',
  responses: 'the Responses API natively',
  responsesStream: 'the Responses API natively',
};

/** What an error message calls an operation ("streaming chat completions"). */
export function operationLabel(operation: ProviderOperation): string {
  return LABELS[operation];
}
