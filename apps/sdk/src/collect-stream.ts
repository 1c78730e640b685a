import type {
  ChatCompletion,
  ChatCompletionChoice,
  ChatCompletionChunk,
  ToolCall,
  Usage,
} from '@switchyard/core';

interface ChoiceDraft {
  content: string | null;
  reasoning: string | null;
  toolCalls: ToolCall[];
  finishReason: string | null;
  /** The provider's mark that the finish reason was assumed, kept with it. */
  finishAssumed: boolean;
}

/**
 * Builds the full `chat.completion` a stream amounts to (LiteLLM's
 * `stream_chunk_builder`): contents and reasoning concatenated per choice,
 * tool-call fragments merged by index, the last finish reason (with its
 * `finish_reason_assumed` mark, when the provider set one), and the usage
 * chunk's usage when the stream carried one (absent otherwise — not zero).
 */
export async function collectStream(
  stream: AsyncIterable<ChatCompletionChunk>,
): Promise<ChatCompletion> {
  const drafts = new Map<number, ChoiceDraft>();
  let head: ChatCompletionChunk | undefined;
  let usage: Usage | undefined;
  for await (const chunk of stream) {
    head ??= chunk;
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      let draft = drafts.get(choice.index);
      if (!draft) {
        draft = {
          content: null,
          reasoning: null,
          toolCalls: [],
          finishReason: null,
          finishAssumed: false,
        };
        drafts.set(choice.index, draft);
      }
      const { delta } = choice;
      if (typeof delta.content === 'string') draft.content = (draft.content ?? '') + delta.content;
      if (typeof delta.reasoning_content === 'string') {
        draft.reasoning = (draft.reasoning ?? '') + delta.reasoning_content;
      }
      for (const fragment of delta.tool_calls ?? []) mergeToolCall(draft.toolCalls, fragment);
      if (choice.finish_reason) {
        draft.finishReason = choice.finish_reason;
        draft.finishAssumed = choice.finish_reason_assumed === true;
      }
    }
  }
  const choices: ChatCompletionChoice[] = [...drafts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, draft]) => ({
      index,
      message: {
        role: 'assistant' as const,
        content: draft.content,
        ...(draft.reasoning !== null ? { reasoning_content: draft.reasoning } : {}),
        ...(draft.toolCalls.length > 0 ? { tool_calls: draft.toolCalls } : {}),
      },
      finish_reason: draft.finishReason,
      ...(draft.finishAssumed ? { finish_reason_assumed: true } : {}),
    }));
  return {
    id: head?.id ?? '',
    object: 'chat.completion',
    created: head?.created ?? Math.floor(Date.now() / 1000),
    model: head?.model ?? '',
    choices,
    ...(usage ? { usage } : {}),
  };
}

function mergeToolCall(
  calls: ToolCall[],
  fragment: NonNullable<ChatCompletionChunk['choices'][number]['delta']['tool_calls']>[number],
): void {
  let call = calls[fragment.index];
  if (!call) {
    call = { id: fragment.id ?? '', type: 'function', function: { name: '', arguments: '' } };
    calls[fragment.index] = call;
  }
  if (fragment.id) call.id = fragment.id;
  if (fragment.function?.name) call.function.name += fragment.function.name;
  if (fragment.function?.arguments) call.function.arguments += fragment.function.arguments;
}
