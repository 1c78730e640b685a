import { splitLeadingThinkBlock } from './think-tags';

/**
 * The reasoning text of a message or delta, whichever field the server used:
 * `reasoning_content` (vLLM ≤ 0.11), `reasoning` (newer), or both (in between).
 */
export function reasoningField(target: Record<string, unknown>): string | undefined {
  const rc = target.reasoning_content;
  if (typeof rc === 'string') return rc;
  const reasoning = target.reasoning;
  return typeof reasoning === 'string' ? reasoning : undefined;
}

/**
 * Rewrites an (already copied) assistant message so its reasoning sits in
 * `reasoning_content`, whether the server sent `reasoning`,
 * `reasoning_content`, or a leading `<think>…</think>` block in `content`.
 * The `reasoning` key is removed so the text is not there twice.
 */
export function normalizeMessageReasoning(message: Record<string, unknown>): void {
  const found = reasoningField(message);
  delete message.reasoning;
  if (found !== undefined) {
    message.reasoning_content = found;
    return;
  }
  if (typeof message.content !== 'string') return;
  const split = splitLeadingThinkBlock(message.content);
  if (!split) return;
  message.reasoning_content = split.reasoning;
  message.content = split.content;
}
