import { type ChatCompletion, type ChatCompletionChunk, parseOrThrow } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import {
  chatChunksToResponseEvents,
  chatToResponse,
  type ResponsesRequest,
  type ResponsesStreamEvent,
  responsesRequestSchema,
  responsesToChatRequest,
} from '../src/index';

const parse = (body: unknown) =>
  parseOrThrow(responsesRequestSchema, body, 'responses request') as ResponsesRequest;

function chunk(
  delta: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): ChatCompletionChunk {
  return {
    id: 'chatcmpl-xyz',
    object: 'chat.completion.chunk',
    created: 5,
    model: 'up',
    choices: [{ index: 0, delta, finish_reason: null, ...extra }],
  } as ChatCompletionChunk;
}

async function* from(chunks: ChatCompletionChunk[]) {
  for (const c of chunks) yield c;
}

describe('Responses request → chat request', () => {
  it('translates instructions, items, tools, formats and settings', () => {
    const chat = responsesToChatRequest(
      parse({
        model: 'm',
        instructions: 'Be brief.',
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_text', text: 'Hi' },
              { type: 'input_image', image_url: 'https://x/i.png', detail: 'low' },
            ],
          },
          { type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'plan' }] },
          {
            type: 'message',
            role: 'assistant',
            content: [{ type: 'output_text', text: 'Calling.' }],
          },
          { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
          { type: 'function_call', call_id: 'c2', name: 'g', arguments: '{"a":1}' },
          { type: 'function_call_output', call_id: 'c1', output: 'one' },
          {
            type: 'function_call_output',
            call_id: 'c2',
            output: [{ type: 'input_text', text: 'two' }],
          },
        ],
        tools: [
          { type: 'function', name: 'f', parameters: { type: 'object' }, strict: true },
          { type: 'web_search' },
        ],
        tool_choice: { type: 'function', name: 'f' },
        parallel_tool_calls: false,
        max_output_tokens: 50,
        reasoning: { effort: 'low' },
        text: {
          format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
        },
        store: true,
        stream: true,
      }),
    );
    expect(chat.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hi' },
          { type: 'image_url', image_url: { url: 'https://x/i.png', detail: 'low' } },
        ],
      },
      {
        role: 'assistant',
        content: 'Calling.',
        reasoning_content: 'plan',
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } },
          { id: 'c2', type: 'function', function: { name: 'g', arguments: '{"a":1}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'one' },
      { role: 'tool', tool_call_id: 'c2', content: 'two' },
    ]);
    expect(chat).toMatchObject({
      tools: [
        { type: 'function', function: { name: 'f', parameters: { type: 'object' }, strict: true } },
      ],
      tool_choice: { type: 'function', function: { name: 'f' } },
      parallel_tool_calls: false,
      max_tokens: 50,
      reasoning_effort: 'low',
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'out', schema: { type: 'object' }, strict: true },
      },
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(responsesToChatRequest(parse({ model: 'm', input: 'Hello' })).messages).toEqual([
      { role: 'user', content: 'Hello' },
    ]);
  });

  it('names the bad item in its error', () => {
    expect(() => parse({ model: 'm', input: [{ type: 'computer_call', id: 'x' }] })).toThrow(
      /input\[0\]\.type: unknown input item type "computer_call"/,
    );
    expect(() => parse({ model: 'm', input: [{ type: 'function_call', name: 'f' }] })).toThrow(
      /input\[0\]\.call_id: Field required/,
    );
  });
});

describe('chat completion → response object', () => {
  it('builds output items and usage; length makes it incomplete', () => {
    const completion = {
      id: 'chatcmpl-9',
      object: 'chat.completion',
      created: 9,
      model: 'up',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Hi',
            reasoning_content: 'r',
            tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          finish_reason: 'length',
        },
      ],
      usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 },
    } as ChatCompletion;
    const response = chatToResponse(completion, { model: 'asked', previous_response_id: 'resp_0' });
    expect(response).toMatchObject({
      id: 'resp_9',
      object: 'response',
      created_at: 9,
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      // The model that served it, as chat reports it (the request's may name a deployment).
      model: 'up',
      previous_response_id: 'resp_0',
      store: true,
      usage: { input_tokens: 4, output_tokens: 2, total_tokens: 6 },
    });
    expect(response.output.map(item => item.type)).toEqual([
      'reasoning',
      'message',
      'function_call',
    ]);
    expect(response.output[1]).toMatchObject({ content: [{ type: 'output_text', text: 'Hi' }] });
    expect(response.output[2]).toMatchObject({
      call_id: 'c1',
      name: 'f',
      arguments: '{}',
      status: 'completed',
    });
  });
});

describe('chat chunks → Responses events', () => {
  it('numbers every event and closes each item with its done events', async () => {
    const events: ResponsesStreamEvent[] = [];
    const stream = chatChunksToResponseEvents(
      from([
        chunk({ role: 'assistant', content: '' }),
        chunk({ content: 'Hel' }),
        chunk({ content: 'lo' }),
        chunk({ tool_calls: [{ index: 0, id: 'c1', function: { name: 'f', arguments: '{"a"' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }),
        chunk({}, { finish_reason: 'tool_calls' }),
        {
          ...chunk({}),
          choices: [],
          usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
        },
      ]),
      { model: 'asked' },
      { id: 'resp_fixed' },
    );
    for await (const event of stream) events.push(event);
    expect(events.map(e => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map(e => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events[0]).toMatchObject({
      response: { id: 'resp_fixed', status: 'in_progress', output: [], model: 'up' },
    });
    expect(events[6]).toMatchObject({ text: 'Hello', output_index: 0 });
    expect(events[12]).toMatchObject({ arguments: '{"a":1}', output_index: 1 });
    const done = events.at(-1)!.response as Record<string, unknown>;
    expect(done).toMatchObject({
      status: 'completed',
      model: 'up',
      usage: { input_tokens: 3, output_tokens: 5, total_tokens: 8 },
      output: [
        { type: 'message', status: 'completed', content: [{ type: 'output_text', text: 'Hello' }] },
        {
          type: 'function_call',
          call_id: 'c1',
          name: 'f',
          arguments: '{"a":1}',
          status: 'completed',
        },
      ],
    });
  });
});
