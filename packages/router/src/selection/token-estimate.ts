import { estimateTokens } from '@switchyard/core';

/**
 * Counts a request's prompt tokens for pre-call checks (`max_input_tokens`)
 * and tpm limits. Return undefined when the request has no prompt to count.
 */
export type TokenCounter = (request: unknown) => number | undefined;

/**
 * The default {@link TokenCounter}: an estimate of one token per four
 * characters of prompt text (chat message text, `prompt`, embedding
 * `input`), rounded up per piece; token-id arrays count exactly. It runs on the hot path
 * without a tokenizer, so it is deliberately rough: inject a real counter
 * (`token_counter`) when a limit must be exact.
 */
export const estimatePromptTokens: TokenCounter = request => {
  if (typeof request !== 'object' || request === null) return undefined;
  const r = request as { messages?: unknown; prompt?: unknown; input?: unknown };
  let tokens = 0;
  let found = false;
  const add = (value: unknown): void => {
    if (typeof value === 'string') {
      // core's rule (one token per four characters), applied per text piece.
      tokens += estimateTokens(value);
      found = true;
    } else if (typeof value === 'number') {
      tokens++;
      found = true;
    } else if (Array.isArray(value)) {
      for (const item of value) add(item);
    }
  };
  if (Array.isArray(r.messages)) {
    for (const m of r.messages) {
      const content = (m as { content?: unknown } | null)?.content;
      if (typeof content === 'string') add(content);
      else if (Array.isArray(content)) {
        for (const part of content) {
          const text = (part as { text?: unknown } | null)?.text;
          if (typeof text === 'string') add(text);
        }
      }
    }
  }
  if (r.prompt !== undefined) add(r.prompt);
  if (r.input !== undefined) add(r.input);
  return found ? tokens : undefined;
};
