import { z } from 'zod';
import { contentPartSchema } from './content-part';
import { toolCallSchema } from './tool';

const partsOrText = z.union([z.string(), z.array(contentPartSchema)]);

/** `{"role":"system","content":…}` */
export const systemMessageSchema = z.looseObject({
  role: z.literal('system'),
  content: partsOrText,
  name: z.string().optional(),
});

/** `{"role":"developer","content":…}` — the newer name for a system message. */
export const developerMessageSchema = z.looseObject({
  role: z.literal('developer'),
  content: partsOrText,
  name: z.string().optional(),
});

/** `{"role":"user","content":…}` */
export const userMessageSchema = z.looseObject({
  role: z.literal('user'),
  content: partsOrText,
  name: z.string().optional(),
});

/** `{"role":"assistant","content"?,"tool_calls"?,"reasoning_content"?}` */
export const assistantMessageSchema = z.looseObject({
  role: z.literal('assistant'),
  content: z.union([partsOrText, z.null()]).optional(),
  name: z.string().optional(),
  tool_calls: z.array(toolCallSchema).optional(),
  reasoning_content: z.string().nullish(),
});

/** `{"role":"tool","content":…,"tool_call_id":"…"}` */
export const toolMessageSchema = z.looseObject({
  role: z.literal('tool'),
  content: partsOrText,
  tool_call_id: z.string(),
});

/** `{"role":"function","content":…,"name":"…"}` — deprecated by OpenAI, still seen. */
export const functionMessageSchema = z.looseObject({
  role: z.literal('function'),
  content: z.union([z.string(), z.null()]),
  name: z.string(),
});

/** Any chat message, told apart by `role`. */
export const chatMessageSchema = z.discriminatedUnion('role', [
  systemMessageSchema,
  developerMessageSchema,
  userMessageSchema,
  assistantMessageSchema,
  toolMessageSchema,
  functionMessageSchema,
]);

export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type ChatRole = ChatMessage['role'];
