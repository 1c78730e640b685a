import {
  startTritonEmulator,
  startVllmEmulator,
  type TritonEmulator,
  type VllmEmulator,
} from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnthropicStreamEvent,
  messages,
  type ResponsesStreamEvent,
  responses,
} from '../src/index';

let vllm: VllmEmulator;
let triton: TritonEmulator;

beforeAll(async () => {
  vllm = await startVllmEmulator({ model: 'qwen/qwen3-8b' });
  triton = await startTritonEmulator({
    models: [{ name: 'llama-3-8b-instruct', profile: 'vllm' }],
  });
});
afterAll(async () => {
  await vllm?.close();
  await triton?.close();
});

describe('messages() and responses() over hosted_vllm/ and triton/', () => {
  it('messages(): translated on vLLM and Triton, natively on vLLM, streamed too', async () => {
    for (const [model, api_base, native] of [
      ['hosted_vllm/qwen/qwen3-8b', () => vllm.url, false],
      ['hosted_vllm/qwen/qwen3-8b', () => vllm.url, true],
      ['triton/llama-3-8b-instruct', () => triton.url, false],
    ] as const) {
      const message = await messages({
        model,
        api_base: api_base(),
        native_endpoint: native,
        max_tokens: 12,
        messages: [{ role: 'user', content: 'hello' }],
      });
      expect(message.type).toBe('message');
      expect(message.content[0]).toMatchObject({ type: 'text' });
      expect(message._hidden_params.provider).toBe(model.split('/')[0]);
      const events: AnthropicStreamEvent[] = [];
      for await (const event of await messages({
        model,
        api_base: api_base(),
        native_endpoint: native,
        max_tokens: 12,
        stream: true,
        messages: [{ role: 'user', content: 'hello' }],
      }))
        events.push(event);
      expect(events[0]?.type).toBe('message_start');
      expect(events.at(-1)?.type).toBe('message_stop');
    }
    // The native call reached vLLM's own endpoint.
    expect(vllm.requests.entries.some(e => e.path === '/v1/messages')).toBe(true);
  });

  it('responses(): a function call, then its result, streamed', async () => {
    const tools = [
      {
        type: 'function' as const,
        name: 'f',
        parameters: { type: 'object', properties: { a: { type: 'string' } } },
      },
    ];
    const first = await responses({
      model: 'hosted_vllm/qwen/qwen3-8b',
      api_base: vllm.url,
      input: 'call f',
      tools,
      tool_choice: 'required',
    });
    // The model that served it (as chat reports it), not the deployment's string.
    expect(first.model).toBe('qwen/qwen3-8b');
    const call = first.output.find(item => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('no function call');
    const events: ResponsesStreamEvent[] = [];
    for await (const event of await responses({
      model: 'triton/llama-3-8b-instruct',
      api_base: triton.url,
      input: [
        { role: 'user', content: 'call f' },
        {
          type: 'function_call',
          call_id: call.call_id,
          name: call.name,
          arguments: call.arguments,
        },
        { type: 'function_call_output', call_id: call.call_id, output: 'done' },
      ],
      max_output_tokens: 12,
      stream: true,
    }))
      events.push(event);
    expect(events[0]?.type).toBe('response.created');
    expect(['response.completed', 'response.incomplete']).toContain(events.at(-1)?.type);
    for (const event of [events[0], events.at(-1)])
      expect((event?.response as { model?: string } | undefined)?.model).toBe(
        'llama-3-8b-instruct',
      );
    expect(events.map(e => e.sequence_number)).toEqual(events.map((_, i) => i));
  });

  it('a bad request is refused naming the field', async () => {
    await expect(
      messages({ model: 'hosted_vllm/qwen/qwen3-8b', api_base: vllm.url, messages: [] } as never),
    ).rejects.toThrow(/max_tokens: Field required/);
  });
});
