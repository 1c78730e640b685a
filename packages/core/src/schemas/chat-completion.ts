import { z } from 'zod';
import { toolCallSchema } from './tool';
import { usageSchema } from './usage';

/**
 * Why generation stopped, exactly as the upstream said (`stop`, `length`,
 * `tool_calls`, `content_filter`, vLLM's `abort`, …), or null when the
 * upstream did not say. Never defaulted to `stop`.
 */
export const finishReasonSchema = z.string().nullable();

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
