import type { ChatCompletion } from '@switchyard/core';
import { idFromChatId } from '../shared/ids';
import { parseToolArguments } from '../shared/tool-arguments';
import { anthropicStopReason, reportedFinishReason } from './stop-reason';
import type { AnthropicMessage, AnthropicResponseBlock } from './types';
import { anthropicUsage } from './usage';

/** Options for {@link chatToAnthropicMessage}. */
export interface ToAnthropicOptions {
  /** The model name to report (the one the client asked for); default the upstream's. */
  model?: string;
  /** The request's `stop_sequences`, to tell `stop_sequence` from `end_turn`. */
  stopSequences?: readonly string[];
}

/**
 * A chat completion as an Anthropic `message`: the first choice's
 * reasoning as a `thinking` block (with an empty signature: no upstream
 * signs it), its text as a `text` block, each tool call as a `tool_use`
 * block with its arguments parsed.
 */
export function chatToAnthropicMessage(
  completion: ChatCompletion,
  options: ToAnthropicOptions = {},
): AnthropicMessage {
  const choice = completion.choices[0];
  const message = choice?.message;
  const content: AnthropicResponseBlock[] = [];
  const reasoning = message?.reasoning_content;
  if (typeof reasoning === 'string' && reasoning !== '')
    content.push({ type: 'thinking', thinking: reasoning, signature: '' });
  if (typeof message?.content === 'string' && message.content !== '')
    content.push({ type: 'text', text: message.content });
  const calls = message?.tool_calls ?? [];
  for (const call of calls) {
    content.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseToolArguments(call.function.arguments),
    });
  }
  const stop = anthropicStopReason({
    finishReason: reportedFinishReason(choice),
    matched: (choice as { stop_reason?: unknown } | undefined)?.stop_reason,
    stopSequences: options.stopSequences,
    hasToolCalls: calls.length > 0,
  });
  return {
    id: idFromChatId('msg_', completion.id),
    type: 'message',
    role: 'assistant',
    model: options.model ?? completion.model,
    content,
    stop_reason: stop.stop_reason,
    stop_sequence: stop.stop_sequence,
    usage: anthropicUsage(completion.usage),
  };
}
