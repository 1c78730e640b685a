/**
 * A rough token count for text when no tokenizer is at hand: one token per
 * four characters, rounded up (the rule of thumb for English with BPE
 * vocabularies). Anything built from it must be marked `estimated: true`.
 */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

/** A usage object from estimated counts, marked as such. */
export function estimatedUsage(promptText: string, completionText: string) {
  const prompt_tokens = estimateTokens(promptText);
  const completion_tokens = estimateTokens(completionText);
  return {
    prompt_tokens,
    completion_tokens,
    total_tokens: prompt_tokens + completion_tokens,
    estimated: true as const,
  };
}
