import { z } from 'zod';
import { toolCallSchema } from './tool';
import { usageSchema } from './usage';

/**
 * Why generation stopped, as the upstream said (`stop`, `length`,
 * `tool_calls`, `content_filter`, vLLM's `abort`, …) or as its answer tells
 * (a reported token count that reached `max_tokens` is `length`), or null
 * while a stream goes on. Where nothing tells, a provider may fall back to
 * LiteLLM's `stop` only with {@link finishReasonAssumedSchema} set.
 */
export const finishReasonSchema = z.string().nullable();

/**
 * Switchyard's mark on a finish reason nobody reported (Triton models that
 * say nothing about why they stopped): `true` means `finish_reason` is
 * LiteLLM's `stop` by assumption — the same kind of mark as `usage.estimated`.
 */
export const finishReasonAssumedSchema = z.boolean().optional();

/** The assistant message of a chat completion choice. */
export const assistantResponseMessageSchema = z.looseObject({
  role: z.literal('assistant'),
  content: z.string().nullable(),
  tool_calls: z.array(toolCallSchema).nullish(),
  /** Reasoning text, whichever field or tag the upstream used for it. */
  reasoning_content: z.string().nullish(),
  refusal: z.string().nullish(),
});

/** One choice of a chat completion. */
export const chatCompletionChoiceSchema = z.looseObject({
  index: z.number().int(),
  message: assistantResponseMessageSchema,
  finish_reason: finishReasonSchema,
  finish_reason_assumed: finishReasonAssumedSchema,
  logprobs: z.unknown().optional(),
});

/** An OpenAI `chat.completion` object. */
export const chatCompletionSchema = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(chatCompletionChoiceSchema),
  usage: usageSchema.nullish(),
  system_fingerprint: z.string().nullish(),
});

export type FinishReason = z.infer<typeof finishReasonSchema>;
export type AssistantResponseMessage = z.infer<typeof assistantResponseMessageSchema>;
export type ChatCompletionChoice = z.infer<typeof chatCompletionChoiceSchema>;
export type ChatCompletion = z.infer<typeof chatCompletionSchema>;
