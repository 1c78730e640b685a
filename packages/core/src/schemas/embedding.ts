import { z } from 'zod';
import { usageSchema } from './usage';

/** An OpenAI `/v1/embeddings` request; unknown fields are kept. */
export const embeddingRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([
    z.string(),
    z.array(z.string()).min(1),
    z.array(z.number().int()).min(1),
    z.array(z.array(z.number().int())).min(1),
  ]),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  dimensions: z.number().int().positive().nullish(),
  user: z.string().nullish(),
});

/** One embedding: a float vector, or base64 of little-endian float32 when asked for. */
export const embeddingSchema = z.looseObject({
  object: z.literal('embedding'),
  index: z.number().int(),
  embedding: z.union([z.array(z.number()), z.string()]),
});

/** An OpenAI embeddings response. */
export const embeddingResponseSchema = z.looseObject({
  object: z.literal('list'),
  data: z.array(embeddingSchema),
  model: z.string(),
  usage: usageSchema.nullish(),
});

export type EmbeddingRequest = z.infer<typeof embeddingRequestSchema>;
export type Embedding = z.infer<typeof embeddingSchema>;
export type EmbeddingResponse = z.infer<typeof embeddingResponseSchema>;
