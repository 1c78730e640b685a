import { z } from 'zod';

/** A Cohere-style rerank request (what LiteLLM and the proxy accept). */
export const rerankRequestSchema = z.looseObject({
  model: z.string().min(1),
  query: z.string(),
  documents: z.array(z.union([z.string(), z.looseObject({ text: z.string() })])).min(1),
  /** How many results to return; absent or 0 means all. */
  top_n: z.number().int().nonnegative().nullish(),
  return_documents: z.boolean().nullish(),
  max_chunks_per_doc: z.number().int().positive().nullish(),
});

/** One rerank result, best first. */
export const rerankResultSchema = z.looseObject({
  index: z.number().int(),
  relevance_score: z.number(),
  document: z.looseObject({ text: z.string() }).optional(),
});

/** A Cohere-style rerank response. */
export const rerankResponseSchema = z.looseObject({
  id: z.string(),
  results: z.array(rerankResultSchema),
  meta: z
    .looseObject({
      billed_units: z
        .looseObject({ search_units: z.number().optional(), total_tokens: z.number().optional() })
        .optional(),
      tokens: z
        .looseObject({ input_tokens: z.number().optional(), output_tokens: z.number().optional() })
        .optional(),
    })
    .optional(),
});

export type RerankRequest = z.infer<typeof rerankRequestSchema>;
export type RerankResult = z.infer<typeof rerankResultSchema>;
export type RerankResponse = z.infer<typeof rerankResponseSchema>;
