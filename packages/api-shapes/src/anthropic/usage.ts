import type { Usage } from '@switchyard/core';
import type { AnthropicUsage } from './types';

/**
 * Anthropic's usage from a chat usage object. Counts the upstream did not
 * give stay null (never 0); an estimate keeps its `estimated` mark.
 */
export function anthropicUsage(usage: Usage | null | undefined): AnthropicUsage {
  if (!usage) return { input_tokens: null, output_tokens: null };
  const out: AnthropicUsage = {
    input_tokens: usage.prompt_tokens,
    output_tokens: usage.completion_tokens ?? null,
  };
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number') out.cache_read_input_tokens = cached;
  if (usage.estimated === true) out.estimated = true;
  return out;
}
