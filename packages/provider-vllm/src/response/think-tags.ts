/** Opening tags reasoning models use when no server-side reasoning parser is configured. */
export const THINK_TAGS = ['think', 'thinking', 'budget:thinking'] as const;

const LEADING_BLOCK = /^\s*<(think|thinking|budget:thinking)>([\s\S]*?)<\/\1>([\s\S]*)$/;

/** A message's content split into its leading reasoning block and the answer. */
export interface SplitContent {
  reasoning: string;
  content: string;
}

/**
 * Splits a leading `<think>…</think>` (or `<thinking>`, `<budget:thinking>`)
 * block off a complete message, as LiteLLM's `_extract_reasoning_content`
 * does. Content that does not start with a closed block gives undefined.
 */
export function splitLeadingThinkBlock(content: string): SplitContent | undefined {
  const match = LEADING_BLOCK.exec(content);
  if (!match) return undefined;
  return { reasoning: match[2] ?? '', content: match[3] ?? '' };
}
