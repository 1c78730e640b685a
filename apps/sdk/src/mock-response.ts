import {
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  estimatedUsage,
} from '@switchyard/core';

/**
 * LiteLLM's `mock_response` testing aid: a chat completion that says
 * `text`, made without any network call. Usage is estimated from the text
 * and marked `estimated: true`.
 */
export function mockCompletion(request: ChatCompletionRequest, text: string): ChatCompletion {
  return {
    id: `chatcmpl-mock-${Math.random().toString(16).slice(2, 14)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: estimatedUsage(promptText(request), text),
  };
}

/** The same mock as a stream: one chunk per word, then the finish chunk. */
export async function* mockChunks(
  request: ChatCompletionRequest,
  text: string,
): AsyncGenerator<ChatCompletionChunk> {
  const whole = mockCompletion(request, text);
  const base = {
    id: whole.id,
    object: 'chat.completion.chunk' as const,
    created: whole.created,
    model: whole.model,
  };
  const words = text.match(/\s*\S+/g) ?? [];
  yield { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] };
  for (const word of words) yield { ...base, choices: [{ index: 0, delta: { content: word } }] };
  yield { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
  if (request.stream_options?.include_usage) yield { ...base, choices: [], usage: whole.usage };
}

function promptText(request: ChatCompletionRequest): string {
  return request.messages
    .map(message =>
      typeof message.content === 'string'
        ? message.content
        : Array.isArray(message.content)
          ? message.content.map(part => (part.type === 'text' ? String(part.text) : '')).join('')
          : '',
    )
    .join('\n');
}
