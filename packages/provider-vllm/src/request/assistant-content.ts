import { isRecord } from './is-record';

/**
 * Assistant history as vLLM's chat templates take it (LiteLLM's hosted_vllm
 * message transformation): a content list of text parts only becomes one
 * string (parts joined by a newline), Anthropic-style `tool_use` blocks
 * become OpenAI `tool_calls`, and any other part (an image, say) keeps the
 * list form. Many templates index `content` as a string, and none knows
 * `tool_use` blocks.
 */

/** One OpenAI tool call built from a `tool_use` block. */
interface ToolCallFromBlock {
  id: unknown;
  type: 'function';
  function: { name: unknown; arguments: string };
}

/**
 * The assistant message with its content list rewritten (see the module
 * comment), or the message itself when its content is not a list. Tool calls
 * from `tool_use` blocks are appended to the message's own `tool_calls`,
 * except those whose id is already there (a client that sends both forms
 * must not get each call twice).
 */
export function assistantContentForVllm(message: Record<string, unknown>): Record<string, unknown> {
  const content = message.content;
  if (!Array.isArray(content)) return message;
  const texts: string[] = [];
  const kept: unknown[] = [];
  const fromBlocks: ToolCallFromBlock[] = [];
  let structured = false;
  for (const part of content) {
    const type = isRecord(part) ? part.type : undefined;
    if (type === 'text') {
      const text = (part as Record<string, unknown>).text;
      texts.push(typeof text === 'string' ? text : '');
      kept.push(part);
    } else if (type === 'tool_use') {
      fromBlocks.push(toolCallFromBlock(part as Record<string, unknown>));
    } else {
      kept.push(part);
      structured = true;
    }
  }
  const out: Record<string, unknown> = {
    ...message,
    content: structured ? kept : texts.join('\n'),
  };
  const toolCalls = mergeToolCalls(message.tool_calls, fromBlocks);
  if (toolCalls !== undefined) out.tool_calls = toolCalls;
  return out;
}

function toolCallFromBlock(block: Record<string, unknown>): ToolCallFromBlock {
  const input = block.input ?? {};
  return {
    id: block.id,
    type: 'function',
    function: {
      name: block.name,
      // A string input is already the arguments text; anything else is JSON.
      arguments: typeof input === 'string' ? input : JSON.stringify(input),
    },
  };
}

function mergeToolCalls(existing: unknown, fromBlocks: ToolCallFromBlock[]): unknown[] | undefined {
  if (fromBlocks.length === 0) return undefined;
  if (!Array.isArray(existing)) return fromBlocks;
  const known = new Set<unknown>(
    existing.filter(isRecord).flatMap(call => (call.id == null ? [] : [call.id])),
  );
  const added = fromBlocks.filter(call => !known.has(call.id));
  return added.length === 0 ? existing : [...existing, ...added];
}
