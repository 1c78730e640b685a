import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completion } from '../src/index';

// The SDK's request schema must let through what provider-vllm converts
// (LiteLLM's hosted_vllm transformation): custom tools and Anthropic-style
// tool_use blocks in assistant history.

let vllm: VllmEmulator;
beforeAll(async () => {
  vllm = await startVllmEmulator({ model: 'facebook/opt-125m' });
});
afterAll(() => vllm?.close());

const sent = () => vllm.requests.entries.at(-1)!.body as Record<string, unknown>;

describe('completion() with tools LiteLLM converts for vLLM', () => {
  it('accepts a custom tool and a custom tool_choice; vLLM gets a function tool', async () => {
    const response = await completion({
      model: 'hosted_vllm/facebook/opt-125m',
      api_base: vllm.url,
      messages: [{ role: 'user', content: 'patch the file' }],
      tools: [{ type: 'custom', custom: { name: 'apply_patch' } }],
      tool_choice: { type: 'custom', custom: { name: 'apply_patch' } },
    });
    expect(response.choices[0]!.message.tool_calls![0]!.function.name).toBe('apply_patch');
    expect((sent().tools as { type: string }[])[0]!.type).toBe('function');
  });

  it('accepts tool_use blocks in assistant history and sends them as tool_calls', async () => {
    await completion({
      model: 'hosted_vllm/facebook/opt-125m',
      api_base: vllm.url,
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { c: 'B' } }],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: '12°C' },
      ],
    });
    expect((sent().messages as Record<string, unknown>[])[1]).toEqual({
      role: 'assistant',
      content: '',
      tool_calls: [
        {
          id: 'toolu_1',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"c":"B"}' },
        },
      ],
    });
  });
});
