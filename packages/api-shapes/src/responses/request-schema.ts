import { z } from 'zod';
import { required, typedUnion } from '../shared/schema-helpers';
import type { ResponsesInputItem, ResponsesInputPart, ResponsesRequest } from './types';

const part = typedUnion<ResponsesInputPart>('input content part', {
  input_text: z.looseObject({
    type: z.literal('input_text'),
    text: z.string(required('a string')),
  }),
  output_text: z.looseObject({
    type: z.literal('output_text'),
    text: z.string(required('a string')),
  }),
  refusal: z.looseObject({ type: z.literal('refusal'), refusal: z.string() }),
  input_image: z.looseObject({
    type: z.literal('input_image'),
    image_url: z.string().nullish(),
    file_id: z.string().nullish(),
    detail: z.string().nullish(),
  }),
  input_file: z.looseObject({
    type: z.literal('input_file'),
    file_data: z.string().nullish(),
    file_id: z.string().nullish(),
    filename: z.string().nullish(),
  }),
});

const messageItem = z.looseObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer'], required('a role')),
  content: z.union([z.string(), z.array(part)], required('a string or content parts')),
});

const ITEMS = {
  message: messageItem,
  function_call: z.looseObject({
    type: z.literal('function_call'),
    call_id: z.string(required('the call id')),
    name: z.string(required('the function name')),
    arguments: z.string(required('the arguments as a JSON string')),
  }),
  function_call_output: z.looseObject({
    type: z.literal('function_call_output'),
    call_id: z.string(required('the id of the call it answers')),
    output: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]),
  }),
  reasoning: z.looseObject({
    type: z.literal('reasoning'),
    summary: z.array(z.looseObject({ type: z.string(), text: z.string() })).optional(),
    content: z.array(z.looseObject({ type: z.string(), text: z.string() })).nullish(),
  }),
  item_reference: z.looseObject({
    type: z.literal('item_reference'),
    id: z.string(required('a stored item id')),
  }),
};

const typedItem = typedUnion<ResponsesInputItem>('input item', ITEMS);

/** An input item: a typed item, or a message written without `type` (the easy form). */
const inputItem = z.looseObject({}).superRefine((item, ctx) => {
  const schema = 'type' in item ? typedItem : messageItem;
  const result = schema.safeParse(item);
  if (result.success) return;
  for (const issue of result.error.issues)
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
}) as unknown as z.ZodType<ResponsesInputItem>;

const functionTool = z.looseObject({
  type: z.literal('function'),
  name: z.string(required('the function name')).min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

const textFormat = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    name: z.string(required('a name for the schema')),
    schema: z.record(z.string(), z.unknown(), required('a JSON Schema object')),
    strict: z.boolean().nullish(),
    description: z.string().optional(),
  }),
]);

/**
 * A `POST /v1/responses` body. Every field Switchyard translates is
 * checked (a bad one is named in the error); other fields are kept.
 */
export const responsesRequestSchema = z.looseObject({
  model: z.string(required('a model name')).min(1),
  input: z.union([z.string(), z.array(inputItem)]).optional(),
  instructions: z.string().nullish(),
  tools: z
    .array(z.looseObject({ type: z.string(required('a tool type')) }))
    .nullish()
    .superRefine((tools, ctx) => {
      tools?.forEach((tool, index) => {
        if (tool.type !== 'function') return;
        const result = functionTool.safeParse(tool);
        if (result.success) return;
        for (const issue of result.error.issues)
          ctx.addIssue({ code: 'custom', message: issue.message, path: [index, ...issue.path] });
      });
    }),
  tool_choice: z
    .union([
      z.enum(['auto', 'none', 'required']),
      z.looseObject({ type: z.string(), name: z.string().optional() }),
    ])
    .nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  reasoning: z
    .looseObject({
      effort: z.enum(['none', 'minimal', 'low', 'medium', 'high']).nullish(),
      summary: z.string().nullish(),
    })
    .nullish(),
  text: z.looseObject({ format: textFormat.optional() }).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  store: z.boolean().nullish(),
  previous_response_id: z.string().min(1).nullish(),
  user: z.string().nullish(),
  stream: z.boolean().nullish(),
}) as unknown as z.ZodType<ResponsesRequest>;
