import { z } from 'zod';
import { required, typedUnion } from '../shared/schema-helpers';
import type {
  AnthropicContentBlock,
  AnthropicCountTokensRequest,
  AnthropicImageBlock,
  AnthropicRequest,
  AnthropicTextBlock,
} from './types';

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string(required('a string')) });

const imageBlock = z.looseObject({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.looseObject({
      type: z.literal('base64'),
      media_type: z.string(required('a MIME type such as "image/png"')),
      data: z.string(required('base64 image data')),
    }),
    z.looseObject({ type: z.literal('url'), url: z.string(required('an image URL')) }),
  ]),
});

const toolResultContent = z.union([
  z.string(),
  z.array(
    typedUnion<AnthropicTextBlock | AnthropicImageBlock>('tool_result content block', {
      text: textBlock,
      image: imageBlock,
    }),
  ),
]);

const BLOCKS = {
  text: textBlock,
  image: imageBlock,
  tool_use: z.looseObject({
    type: z.literal('tool_use'),
    id: z.string(required('the tool call id')),
    name: z.string(required('the tool name')),
    input: z.record(z.string(), z.unknown(), required('an object of tool arguments')),
  }),
  tool_result: z.looseObject({
    type: z.literal('tool_result'),
    tool_use_id: z.string(required('the id of the tool_use it answers')),
    content: toolResultContent.optional(),
    is_error: z.boolean().optional(),
  }),
  thinking: z.looseObject({
    type: z.literal('thinking'),
    thinking: z.string(required('a string')),
    signature: z.string().optional(),
  }),
  redacted_thinking: z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() }),
};

const contentBlock = typedUnion<AnthropicContentBlock>('content block', BLOCKS);

const message = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(contentBlock)]),
});

const tool = z.looseObject({
  name: z.string(required('the tool name')).min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
  type: z.string().optional(),
});

const toolChoice = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({
    type: z.literal('tool'),
    name: z.string(required('the tool to call')),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.looseObject({ type: z.literal('none') }),
]);

const common = {
  model: z.string(required('a model name')).min(1),
  messages: z.array(message, required('an array of messages')),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  thinking: z
    .looseObject({ type: z.string(), budget_tokens: z.number().int().nonnegative().optional() })
    .optional(),
};

/**
 * A `POST /v1/messages` body. Every field Anthropic defines that Switchyard
 * translates is checked (a bad one is named in the error); other fields are
 * kept and ignored.
 */
export const anthropicRequestSchema = z.looseObject({
  ...common,
  max_tokens: z.number(required('an integer, the most tokens to generate')).int().positive(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().nonnegative().optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
  stream: z.boolean().optional(),
}) as unknown as z.ZodType<AnthropicRequest>;

/** A `POST /v1/messages/count_tokens` body. */
export const anthropicCountTokensSchema = z.looseObject(
  common,
) as unknown as z.ZodType<AnthropicCountTokensRequest>;
