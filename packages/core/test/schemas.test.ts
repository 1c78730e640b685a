import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  chatCompletionRequestSchema,
  embeddingRequestSchema,
  parseOrThrow,
  rerankRequestSchema,
} from '../src/index';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(BadRequestError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('chat completion request schema', () => {
  it('accepts every content part kind and keeps provider-specific fields', () => {
    const request = parseOrThrow(chatCompletionRequestSchema, {
      model: 'hosted_vllm/m',
      messages: [
        { role: 'system', content: 'be brief' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } },
            { type: 'input_audio', input_audio: { data: 'AA==', format: 'wav' } },
            { type: 'file', file: { file_data: 'data:video/mp4;base64,AA==' } },
            { type: 'video_url', video_url: { url: 'https://example.com/v.mp4' } },
            { type: 'audio_url', audio_url: { url: 'https://example.com/a.wav' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        { role: 'tool', content: '42', tool_call_id: 't' },
      ],
      top_k: 20,
      chat_template_kwargs: { enable_thinking: false },
      stream_options: { include_usage: true },
      reasoning_effort: 'low',
    });
    expect(request.top_k).toBe(20);
    expect(request.chat_template_kwargs).toEqual({ enable_thinking: false });
    expect(request.messages).toHaveLength(4);
  });

  it('names the field path of a bad role', () => {
    const message = messageOf(() =>
      parseOrThrow(chatCompletionRequestSchema, {
        model: 'm',
        messages: [{ role: 'robot', content: 'x' }],
      }),
    );
    expect(message).toMatch(/^Invalid request: messages\[0\]\.role: /);
  });

  it('names the field path inside a malformed content part', () => {
    const message = messageOf(() =>
      parseOrThrow(chatCompletionRequestSchema, {
        model: 'm',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { href: 'x' } }] }],
      }),
    );
    expect(message).toContain('messages[0].content[0].image_url.url');
  });

  it('accepts OpenAI custom tools (and the flat form LiteLLM reads) and a custom tool_choice', () => {
    const tools = [
      {
        type: 'custom',
        custom: { name: 'apply_patch', format: { type: 'grammar', grammar: { syntax: 'lark' } } },
      },
      { type: 'custom', name: 'search', input_schema: { type: 'object' } },
      { type: 'function', function: { name: 'f' } },
    ];
    const request = parseOrThrow(chatCompletionRequestSchema, {
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      tools,
      tool_choice: { type: 'custom', custom: { name: 'search' } },
    });
    expect(request.tools).toEqual(tools);
    expect(
      messageOf(() =>
        parseOrThrow(chatCompletionRequestSchema, {
          model: 'm',
          messages: [{ role: 'user', content: 'x' }],
          tools: [{ type: 'mcp', server_label: 's' }],
        }),
      ),
    ).toContain('tools[0].type');
  });

  it('names out-of-range numbers and missing fields, and sets param', () => {
    try {
      parseOrThrow(chatCompletionRequestSchema, {
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        temperature: 7,
      });
      throw new Error('expected an error');
    } catch (error) {
      expect((error as BadRequestError).param).toBe('temperature');
      expect((error as Error).message).toContain('temperature: Too big');
    }
    expect(messageOf(() => parseOrThrow(chatCompletionRequestSchema, { messages: [] }))).toContain(
      'model:',
    );
    expect(
      messageOf(() => parseOrThrow(chatCompletionRequestSchema, { model: 'm', messages: [] })),
    ).toContain('messages:');
  });
});

describe('other request schemas', () => {
  it('embedding input must be a string or a non-empty list', () => {
    expect(parseOrThrow(embeddingRequestSchema, { model: 'm', input: 'hi' }).input).toBe('hi');
    expect(
      messageOf(() => parseOrThrow(embeddingRequestSchema, { model: 'm', input: 5 })),
    ).toContain('input');
  });

  it('rerank documents accept strings or {text}', () => {
    const ok = parseOrThrow(rerankRequestSchema, {
      model: 'm',
      query: 'q',
      documents: ['a', { text: 'b' }],
      top_n: 1,
    });
    expect(ok.documents).toHaveLength(2);
    expect(
      messageOf(() => parseOrThrow(rerankRequestSchema, { model: 'm', query: 'q', documents: [] })),
    ).toContain('documents');
  });
});

describe('expectChatCompletion (the per-response shape check)', () => {
  it('passes a usable completion through untouched and names the first problem otherwise', async () => {
    const { expectChatCompletion } = await import('../src/index');
    const ok = { id: 'x', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' } }] };
    expect(expectChatCompletion(ok)).toBe(ok);
    expect(() => expectChatCompletion({ choices: {} }, { url: 'POST http://u' })).toThrow(
      'POST http://u answered with an unexpected shape: choices: expected an array',
    );
    expect(() => expectChatCompletion({ choices: [{ index: 0 }] })).toThrow(
      'choices[0].message: expected an object',
    );
    expect(() => expectChatCompletion('nope')).toThrow('expected an object');
  });
});
