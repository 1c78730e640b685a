import { BadRequestError } from '@switchyard/core';
import { assistantContentForVllm } from './assistant-content';
import { fileToVideoPart } from './video-file-parts';

/** Options of {@link chatMessagesForVllm}. */
export interface ChatMessagesOptions {
  /**
   * Send assistant `reasoning_content` back upstream (LiteLLM's
   * `forward_reasoning_content`). Off by default: chat templates differ in
   * whether they accept it.
   */
  forwardReasoningContent?: boolean;
  /** Name of the field forwarded reasoning goes in: `reasoning_content` (default) or `reasoning`. */
  reasoningContentField?: 'reasoning_content' | 'reasoning';
}

/**
 * Messages as vLLM takes them: video `file` parts become `video_url` parts,
 * assistant `thinking_blocks` are dropped, assistant reasoning is dropped
 * unless asked for, and assistant content lists are flattened (see
 * {@link assistantContentForVllm}). A message is copied only when something
 * in it changes.
 */
export function chatMessagesForVllm(
  messages: unknown,
  options: ChatMessagesOptions = {},
): unknown[] {
  if (!Array.isArray(messages)) {
    throw new BadRequestError({
      message: 'messages must be an array of chat messages',
      param: 'messages',
    });
  }
  return messages.map((message, index) => {
    if (typeof message !== 'object' || message === null) {
      throw new BadRequestError({
        message: `messages[${index}] must be an object with a role; got ${JSON.stringify(message)}`,
        param: `messages[${index}]`,
      });
    }
    let out = message as Record<string, unknown>;
    if (Array.isArray(out.content)) {
      const parts = out.content.map((part, partIndex) =>
        fileToVideoPart(part, { message: index, part: partIndex }),
      );
      if (parts.some((part, i) => part !== (out.content as unknown[])[i]))
        out = { ...out, content: parts };
    }
    if (out.role === 'assistant') out = assistantContentForVllm(assistantForVllm(out, options));
    return out;
  });
}

function assistantForVllm(
  message: Record<string, unknown>,
  options: ChatMessagesOptions,
): Record<string, unknown> {
  const hasBlocks = 'thinking_blocks' in message;
  const hasReasoning = 'reasoning_content' in message || 'reasoning' in message;
  if (!hasBlocks && !hasReasoning) return message;
  const { thinking_blocks: _blocks, reasoning_content: rc, reasoning, ...rest } = message;
  if (!options.forwardReasoningContent) return rest;
  // `reasoning` wins when both are there; a null one falls back to the other.
  const value = reasoning ?? rc;
  if (value === undefined || value === null) return rest;
  return { ...rest, [options.reasoningContentField ?? 'reasoning_content']: value };
}
