import {
  BadRequestError,
  type ChatCompletion,
  type ChatCompletionChunk,
  parseOrThrow,
} from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import {
  type AnthropicRequest,
  type AnthropicStreamEvent,
  anthropicErrorBody,
  anthropicRequestSchema,
  anthropicToChatRequest,
  chatChunksToAnthropicEvents,
  chatToAnthropicMessage,
} from '../src/index';

const parse = (body: unknown) =>
  parseOrThrow(anthropicRequestSchema, body, 'messages request') as AnthropicRequest;

const base = { model: 'm', max_tokens: 64 };

function chunk(
  delta: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): ChatCompletionChunk {
  return {
    id: 'chatcmpl-abc',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'up',
    choices: [{ index: 0, delta, finish_reason: null, ...extra }],
  } as ChatCompletionChunk;
}

async function* from(chunks: ChatCompletionChunk[]) {
  for (const c of chunks) yield c;
}

async function collect(events: AsyncIterable<AnthropicStreamEvent>) {
  const out: AnthropicStreamEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe('Anthropic request → chat request', () => {
  it('translates system, blocks, tools, tool choice, thinking and sampling fields', () => {
    const chat = anthropicToChatRequest(
      parse({
        ...base,
        system: [
          { type: 'text', text: 'Be brief.' },
          { type: 'text', text: 'Be kind.' },
        ],
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Look:' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAA' } },
            ],
          },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'hmm', signature: 'sig' },
              { type: 'text', text: 'Checking.' },
              { type: 'tool_use', id: 'tu_1', name: 'get', input: { q: 1 } },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'tu_1', content: 'boom', is_error: true },
              { type: 'text', text: 'and?' },
            ],
          },
        ],
        tools: [
          { name: 'get', description: 'gets', input_schema: { type: 'object' } },
          { type: 'web_search_20250305', name: 'web_search' },
        ],
        tool_choice: { type: 'any', disable_parallel_tool_use: true },
        stop_sequences: ['END'],
        temperature: 0.5,
        top_k: 3,
        metadata: { user_id: 'u-1' },
        thinking: { type: 'enabled', budget_tokens: 5000 },
        stream: true,
      }),
    );
    expect(chat.messages).toEqual([
      { role: 'system', content: 'Be brief.\nBe kind.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAA' } },
        ],
      },
      {
        role: 'assistant',
        content: 'Checking.',
        reasoning_content: 'hmm',
        tool_calls: [
          { id: 'tu_1', type: 'function', function: { name: 'get', arguments: '{"q":1}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'tu_1', content: 'Error: boom' },
      { role: 'user', content: 'and?' },
    ]);
    expect(chat.tools).toEqual([
      {
        type: 'function',
        function: { name: 'get', description: 'gets', parameters: { type: 'object' } },
      },
    ]);
    expect(chat).toMatchObject({
      tool_choice: 'required',
      parallel_tool_calls: false,
      stop: ['END'],
      temperature: 0.5,
      top_k: 3,
      user: 'u-1',
      reasoning_effort: 'high',
      max_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('refuses a missing max_tokens and an unknown block type, naming the field', () => {
    expect(() => parse({ model: 'm', messages: [] })).toThrow(/max_tokens: Field required/);
    const bad = () =>
      parse({ ...base, messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] });
    expect(bad).toThrow(BadRequestError);
    expect(bad).toThrow(/messages\[0\]\.content\[0\]\.type: unknown content block type "video"/);
  });

  it('refuses a tool_result whose tool_use is not in the previous message', () => {
    const request = parse({
      ...base,
      messages: [
        { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'f', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'b', content: 'x' }] },
      ],
    });
    expect(() => anthropicToChatRequest(request)).toThrow(
      /unexpected tool_use_id found in tool_result blocks: b/,
    );
  });
});

describe('chat completion → Anthropic message', () => {
  const completion = (message: Record<string, unknown>, finish: string, extra = {}) =>
    ({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: 'up',
      choices: [
        { index: 0, message: { role: 'assistant', ...message }, finish_reason: finish, ...extra },
      ],
      usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
    }) as unknown as ChatCompletion;

  it('maps reasoning, text, tool calls, stop reason and usage', () => {
    const message = chatToAnthropicMessage(
      completion(
        {
          content: 'Hi',
          reasoning_content: 'think',
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
          ],
        },
        'tool_calls',
      ),
      { model: 'asked' },
    );
    expect(message).toEqual({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'asked',
      content: [
        { type: 'thinking', thinking: 'think', signature: '' },
        { type: 'text', text: 'Hi' },
        { type: 'tool_use', id: 'c1', name: 'f', input: { a: 1 } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 7, output_tokens: 3 },
    });
  });

  it('tells a stop sequence from an end of turn, and leaves unknown reasons null', () => {
    const stopped = chatToAnthropicMessage(
      completion({ content: 'x' }, 'stop', { stop_reason: 'END' }),
      {
        stopSequences: ['END'],
      },
    );
    expect([stopped.stop_reason, stopped.stop_sequence]).toEqual(['stop_sequence', 'END']);
    expect(chatToAnthropicMessage(completion({ content: 'x' }, 'stop')).stop_reason).toBe(
      'end_turn',
    );
    expect(chatToAnthropicMessage(completion({ content: 'x' }, 'length')).stop_reason).toBe(
      'max_tokens',
    );
    expect(chatToAnthropicMessage(completion({ content: 'x' }, 'abort')).stop_reason).toBeNull();
  });

  it('leaves a finish reason the provider marked assumed null, plain and streamed', async () => {
    const assumed = { finish_reason_assumed: true };
    expect(
      chatToAnthropicMessage(completion({ content: 'x' }, 'stop', assumed)).stop_reason,
    ).toBeNull();
    const events = await collect(
      chatChunksToAnthropicEvents(
        from([
          chunk({ role: 'assistant', content: 'x' }),
          chunk({}, { finish_reason: 'stop', ...assumed }),
        ]),
        { model: 'm' },
      ),
    );
    const delta = events.find(e => e.type === 'message_delta') as {
      delta: { stop_reason: unknown };
    };
    expect(delta.delta.stop_reason).toBeNull();
  });
});

describe('chat chunks → Anthropic events', () => {
  it('emits the event sequence as chunks arrive, with tool input streamed as partial JSON', async () => {
    const events = await collect(
      chatChunksToAnthropicEvents(
        from([
          chunk({ role: 'assistant', content: '' }),
          chunk({ reasoning_content: 'r1' }),
          chunk({ content: 'Hel' }),
          chunk({ content: 'lo' }),
          chunk({ tool_calls: [{ index: 0, id: 'c1', function: { name: 'f', arguments: '' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a"' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }),
          chunk({}, { finish_reason: 'tool_calls' }),
          {
            ...chunk({}),
            choices: [],
            usage: { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 },
          },
        ]),
        { model: 'asked' },
      ),
    );
    expect(events.map(e => e.type)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]).toMatchObject({
      message: { id: 'msg_abc', model: 'asked', usage: { input_tokens: null, output_tokens: 0 } },
    });
    expect(events[9]).toEqual({
      type: 'content_block_start',
      index: 2,
      content_block: { type: 'tool_use', id: 'c1', name: 'f', input: {} },
    });
    expect(events[11]).toEqual({
      type: 'content_block_delta',
      index: 2,
      delta: { type: 'input_json_delta', partial_json: ':1}' },
    });
    expect(events[13]).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 5, output_tokens: 4 },
    });
  });

  it('hands out the first events before later chunks exist (no buffering to the end)', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    async function* slow() {
      yield chunk({ content: 'first' });
      await gate;
      yield chunk({}, { finish_reason: 'stop' });
    }
    const events = chatChunksToAnthropicEvents(slow());
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) seen.push((await events.next()).value.type);
    expect(seen).toEqual(['message_start', 'ping', 'content_block_start', 'content_block_delta']);
    release();
    const rest = await collect(events);
    expect(rest.map(e => e.type)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(rest[1]).toMatchObject({ usage: { input_tokens: null, output_tokens: null } });
  });

  it('passes an upstream failure on to the consumer', async () => {
    async function* failing() {
      yield chunk({ content: 'a' });
      throw new Error('upstream cut');
    }
    await expect(collect(chatChunksToAnthropicEvents(failing()))).rejects.toThrow('upstream cut');
  });
});

describe('Anthropic errors', () => {
  it('uses Anthropic error types by status', () => {
    expect(anthropicErrorBody(400, 'bad')).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'bad' },
    });
    expect(anthropicErrorBody(401, 'x').error.type).toBe('authentication_error');
    expect(anthropicErrorBody(404, 'x').error.type).toBe('not_found_error');
    expect(anthropicErrorBody(429, 'x').error.type).toBe('rate_limit_error');
    expect(anthropicErrorBody(500, 'x').error.type).toBe('api_error');
  });
});
