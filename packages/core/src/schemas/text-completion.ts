import { z } from 'zod';
import { finishReasonAssumedSchema, finishReasonSchema } from './chat-completion';
import { streamOptionsSchema } from './chat-completion-request';
import { usageSchema } from './usage';

/** An OpenAI `/v1/completions` request; unknown fields are kept. */
export const textCompletionRequestSchema = z.looseObject({
  model: z.string().min(1),
  prompt: z.union([
    z.string(),
    z.array(z.string()).min(1),
    z.array(z.number().int()).min(1),
    z.array(z.array(z.number().int())).min(1),
  ]),
  best_of: z.number().int().positive().nullish(),
  echo: z.boolean().nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  logprobs: z.number().int().min(0).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  n: z.number().int().positive().max(128).nullish(),
  seed: z.number().int().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  stream: z.boolean().nullish(),
  stream_options: streamOptionsSchema.nullish(),
  suffix: z.string().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  user: z.string().nullish(),
});

/** One choice of a text completion (or of a streamed text completion chunk). */
export const textCompletionChoiceSchema = z.looseObject({
  index: z.number().int(),
  text: z.string(),
  finish_reason: finishReasonSchema.optional(),
  finish_reason_assumed: finishReasonAssumedSchema,
  logprobs: z.unknown().optional(),
});

/** An OpenAI `text_completion` object; streamed chunks have the same shape. */
export const textCompletionSchema = z.looseObject({
  id: z.string(),
  object: z.literal('text_completion'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(textCompletionChoiceSchema),
  usage: usageSchema.nullish(),
});

export type TextCompletionRequest = z.infer<typeof textCompletionRequestSchema>;
export type TextCompletionChoice = z.infer<typeof textCompletionChoiceSchema>;
export type TextCompletion = z.infer<typeof textCompletionSchema>;
