import { z } from 'zod';

/**
 * Token usage. Counts are real or absent: Switchyard never fills in `0` or
 * `-1` for a number nobody counted. When a count is an estimate (no tokenizer
 * was available) `estimated: true` says so.
 */
export const usageSchema = z.looseObject({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative().optional(),
  total_tokens: z.number().int().nonnegative(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
  /** Switchyard's mark on counts that were estimated rather than tokenized. */
  estimated: z.boolean().optional(),
});

export type Usage = z.infer<typeof usageSchema>;
