import { z } from 'zod';
import { finishReasonAssumedSchema, finishReasonSchema } from './chat-completion';
import { usageSchema } from './usage';

/** A tool-call fragment in a streamed delta (arguments arrive in pieces). */
export const toolCallDeltaSchema = z.looseObject({
  index: z.number().int(),
  id: z.string().optional(),
  type: z.literal('function').optional(),
  function: z
    .looseObject({ name: z.string().optional(), arguments: z.string().optional() })
    .optional(),
});

/** The `delta` of a streamed choice. */
export const chatDeltaSchema = z.looseObject({
  role: z.literal('assistant').optional(),
  content: z.string().nullish(),
  reasoning_content: z.string().nullish(),
  tool_calls: z.array(toolCallDeltaSchema).nullish(),
});

/** One choice of a streamed chunk. */
export const chatChunkChoiceSchema = z.looseObject({
  index: z.number().int(),
  delta: chatDeltaSchema,
  finish_reason: finishReasonSchema.optional(),
  finish_reason_assumed: finishReasonAssumedSchema,
  logprobs: z.unknown().optional(),
});

/**
 * An OpenAI `chat.completion.chunk`. The usage chunk that
 * `stream_options.include_usage` asks for has `choices: []`.
 */
export const chatCompletionChunkSchema = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(chatChunkChoiceSchema),
  usage: usageSchema.nullish(),
});

export type ToolCallDelta = z.infer<typeof toolCallDeltaSchema>;
export type ChatDelta = z.infer<typeof chatDeltaSchema>;
export type ChatChunkChoice = z.infer<typeof chatChunkChoiceSchema>;
export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;
