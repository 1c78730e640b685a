import { z } from 'zod';

/** A function tool: `{"type":"function","function":{"name","description"?,"parameters"?,"strict"?}}`. */
export const functionToolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

/**
 * An OpenAI custom tool: `{"type":"custom","custom":{"name","description"?,"format"?}}`
 * (free-text input, optionally held to a grammar). LiteLLM also reads `name`,
 * `description` and `input_schema` beside `custom`; providers that know only
 * function tools convert it (provider-vllm does, as LiteLLM does).
 */
export const customToolSchema = z.looseObject({
  type: z.literal('custom'),
  custom: z
    .looseObject({
      name: z.string().min(1).optional(),
      description: z.string().optional(),
      format: z.looseObject({ type: z.string() }).optional(),
      input_schema: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
});

/** A tool offered to the model: a function tool or a custom tool. */
export const toolSchema = z.discriminatedUnion('type', [functionToolSchema, customToolSchema]);

/**
 * `"none" | "auto" | "required" | {"type":"function","function":{"name"}} |
 * {"type":"custom","custom":{"name"}}`
 */
export const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
  z.looseObject({ type: z.literal('custom'), custom: z.looseObject({ name: z.string() }) }),
]);

/** A tool call made by the assistant. */
export const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

export type Tool = z.infer<typeof toolSchema>;
export type FunctionTool = z.infer<typeof functionToolSchema>;
export type CustomTool = z.infer<typeof customToolSchema>;
export type ToolChoice = z.infer<typeof toolChoiceSchema>;
export type ToolCall = z.infer<typeof toolCallSchema>;
