import { z } from 'zod';
import { chatMessageSchema } from './chat-message';
import { toolChoiceSchema, toolSchema } from './tool';

const stopSchema = z.union([z.string(), z.array(z.string()).max(64)]);

/** `response_format`: text, JSON object, JSON schema, or a provider's own kind. */
export const responseFormatSchema = z.union([
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: z.string(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
      description: z.string().optional(),
    }),
  }),
  z.looseObject({ type: z.string() }),
]);

/** `stream_options`: `{"include_usage"?: boolean, "continuous_usage_stats"?: boolean}` */
export const streamOptionsSchema = z.looseObject({
  include_usage: z.boolean().optional(),
  continuous_usage_stats: z.boolean().optional(),
});

/**
 * An OpenAI chat completion request. Every OpenAI field is checked; fields
 * this schema does not know (vLLM's `top_k`, `chat_template_kwargs`, …) are
 * kept as given, so they reach providers that understand them.
 */
export const chatCompletionRequestSchema = z.looseObject({
  /** `provider/model`, e.g. `hosted_vllm/facebook/opt-125m`, or a router model group. */
  model: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  /** Deprecated by OpenAI in favour of `max_completion_tokens`; both are understood. */
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  n: z.number().int().positive().max(128).nullish(),
  response_format: responseFormatSchema.nullish(),
  seed: z.number().int().nullish(),
  stop: stopSchema.nullish(),
  stream: z.boolean().nullish(),
  stream_options: streamOptionsSchema.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  tools: z.array(toolSchema).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  user: z.string().nullish(),
  reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  modalities: z.array(z.string()).nullish(),
});

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
export type ResponseFormat = z.infer<typeof responseFormatSchema>;
export type StreamOptions = z.infer<typeof streamOptionsSchema>;
