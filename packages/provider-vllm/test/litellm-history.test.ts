/**
 * LiteLLM's hosted_vllm request transformation of chat history, tools and
 * embedding input (tests/test_litellm/llms/hosted_vllm/chat and embedding),
 * checked on the wire the vLLM emulator receives.
 */
import type { ChatCompletionRequest } from '@switchyard/core';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostedVllmProvider } from '../src/index';
import { contextFor, deepFreeze } from './support/context';

const MODEL = 'facebook/opt-125m';
let vllm: VllmEmulator;
beforeAll(async () => {
  vllm = await startVllmEmulator({ model: MODEL });
});
afterAll(() => vllm?.close());

const sentBody = () => vllm.requests.entries.at(-1)!.body as Record<string, unknown>;
const sentMessages = () => sentBody().messages as Record<string, unknown>[];

async function chat(messages: unknown[], extra: Record<string, unknown> = {}) {
  const request = deepFreeze({
    model: `hosted_vllm/${MODEL}`,
    messages: [...messages, { role: 'user', content: 'And now?' }],
    max_tokens: 8,
    ...extra,
  }) as unknown as ChatCompletionRequest;
  return hostedVllmProvider.chat!(request, contextFor(vllm.url));
}

const weatherUse = {
  type: 'tool_use',
  id: 'toolu_1',
  name: 'get_weather',
  input: { city: 'Boston' },
};
const weatherCall = {
  id: 'toolu_1',
  type: 'function',
  function: { name: 'get_weather', arguments: '{"city":"Boston"}' },
};

describe('assistant history (LiteLLM _transform_messages)', () => {
  it('joins a content list of text parts into one string and drops thinking_blocks', async () => {
    await chat([
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Response text' },
          { type: 'text', text: 'second part' },
        ],
        thinking_blocks: [{ type: 'thinking', thinking: 'Step 1', signature: 'sig1' }],
      },
    ]);
    expect(sentMessages()[0]).toEqual({
      role: 'assistant',
      content: 'Response text\nsecond part',
    });
  });

  it('keeps a list holding non-text parts as a list', async () => {
    const image = { type: 'image_url', image_url: { url: 'https://example.com/image.png' } };
    await chat([{ role: 'assistant', content: [{ type: 'text', text: 'Here it is' }, image] }]);
    expect(sentMessages()[0]!.content).toEqual([{ type: 'text', text: 'Here it is' }, image]);
  });

  it('turns tool_use blocks into tool_calls, with empty content', async () => {
    await chat([
      { role: 'user', content: 'Weather in Boston?' },
      { role: 'assistant', content: [weatherUse] },
      { role: 'tool', tool_call_id: 'toolu_1', content: '12°C' },
    ]);
    expect(sentMessages()[1]).toEqual({
      role: 'assistant',
      content: '',
      tool_calls: [weatherCall],
    });
  });

  it('adds no duplicate when the same call is already in tool_calls; adds the missing ones', async () => {
    const other = { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: '{"tz":"EST"}' };
    await chat([
      { role: 'user', content: 'Weather and time?' },
      { role: 'assistant', content: [weatherUse, other], tool_calls: [weatherCall] },
      { role: 'tool', tool_call_id: 'toolu_1', content: '12°C' },
      { role: 'tool', tool_call_id: 'toolu_2', content: '09:00' },
    ]);
    expect(sentMessages()[1]!.tool_calls).toEqual([
      weatherCall,
      {
        id: 'toolu_2',
        type: 'function',
        function: { name: 'get_time', arguments: '{"tz":"EST"}' },
      },
    ]);
  });

  it('leaves string content and other roles untouched', async () => {
    await chat([
      { role: 'user', content: [{ type: 'text', text: 'a' }] },
      { role: 'assistant', content: 'b' },
    ]);
    expect(sentMessages().slice(0, 2)).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'a' }] },
      { role: 'assistant', content: 'b' },
    ]);
  });
});

describe('custom tools (LiteLLM _convert_custom_tools_to_function_tools)', () => {
  it('sends custom tools as function tools and points tool_choice at them; the model can call one', async () => {
    const { data } = await chat([], {
      tools: [
        {
          type: 'custom',
          custom: {
            name: 'apply_patch',
            description: 'Apply text patch',
            format: { type: 'grammar', grammar: { syntax: 'lark', definition: 'start: /.*/' } },
          },
        },
        {
          type: 'custom',
          name: 'search',
          description: 'Search docs',
          input_schema: {
            type: 'object',
            properties: { query: { type: 'string' } },
            required: ['query'],
          },
        },
      ],
      tool_choice: { type: 'custom', custom: { name: 'search' } },
    });
    const body = sentBody();
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'apply_patch',
          description: 'Apply text patch',
          parameters: {
            type: 'object',
            properties: { input: { type: 'string', description: 'Raw tool input payload.' } },
            required: ['input'],
          },
        },
      },
      {
        type: 'function',
        function: {
          name: 'search',
          description: 'Search docs',
          parameters: {
            type: 'object',
            properties: { query: { type: 'string' } },
            required: ['query'],
          },
        },
      },
    ]);
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'search' } });
    const call = data.choices[0]!.message.tool_calls![0]!;
    expect(call.function.name).toBe('search');
    expect(typeof JSON.parse(call.function.arguments).query).toBe('string');
  });
});

describe('embeddings input (LiteLLM HostedVLLMEmbeddingConfig)', () => {
  it('sends a string input as a one-element list', async () => {
    const { data } = await hostedVllmProvider.embedding!(
      deepFreeze({ model: `hosted_vllm/${MODEL}`, input: 'Hello world' }),
      contextFor(vllm.url),
    );
    expect(sentBody()).toEqual({ model: MODEL, input: ['Hello world'] });
    expect(data.data).toHaveLength(1);
  });
});
