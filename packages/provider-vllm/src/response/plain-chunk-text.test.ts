import { describe, expect, it } from 'vitest';
import { isPlainChatChunkText } from './plain-chunk-text';

/** A vLLM chat chunk's text, as vLLM writes it (compact JSON). */
function chunk(choice: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, logprobs: null, finish_reason: null, ...choice }],
    ...extra,
  });
}

describe('isPlainChatChunkText', () => {
  it('accepts text and tool-call deltas of choice 0 that carry nothing else', () => {
    expect(isPlainChatChunkText(chunk({ delta: { content: ' quick' } }))).toBe(true);
    expect(isPlainChatChunkText(chunk({ delta: { content: 'x' } }, { usage: null }))).toBe(true);
    const tool = { tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] };
    expect(isPlainChatChunkText(chunk({ delta: tool }))).toBe(true);
    // Keys spelled inside the text are text.
    const tricky = 'say "usage": {"n": 1}, "finish_reason": "stop", "index": 3';
    expect(isPlainChatChunkText(chunk({ delta: { content: tricky } }))).toBe(true);
  });

  it('refuses chunks someone must read: finish, usage, error, reasoning, other choices', () => {
    expect(isPlainChatChunkText(chunk({ delta: {}, finish_reason: 'length' }))).toBe(false);
    const usage = { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 };
    expect(isPlainChatChunkText(chunk({ delta: { content: 'x' } }, { usage }))).toBe(false);
    // Written by a server that spaces its JSON: still seen.
    expect(
      isPlainChatChunkText(
        chunk({ delta: { content: 'x' } }).replace('}]}', '}], "usage" : {"total_tokens": 4}}'),
      ),
    ).toBe(false);
    expect(isPlainChatChunkText('{"error":{"message":"boom","code":500}}')).toBe(false);
    expect(isPlainChatChunkText(chunk({ delta: { reasoning: 'hm' } }))).toBe(false);
    expect(isPlainChatChunkText(chunk({ delta: { reasoning_content: 'hm' } }))).toBe(false);
    expect(isPlainChatChunkText(chunk({ index: 1, delta: { content: 'x' } }))).toBe(false);
    const second = { tool_calls: [{ index: 1, function: { arguments: '{' } }] };
    expect(isPlainChatChunkText(chunk({ delta: second }))).toBe(false);
    expect(isPlainChatChunkText('{"id":"x","object":"chat.completion.chunk"}')).toBe(false);
    expect(isPlainChatChunkText('{"choices":{"index":0}}')).toBe(false);
  });
});
