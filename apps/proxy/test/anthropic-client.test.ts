import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASTER_KEY } from './helpers';
import { type ShapesStack, startShapesStack } from './shapes-helpers';

let stack: ShapesStack;
let client: Anthropic;

beforeAll(async () => {
  stack = await startShapesStack({ masterKey: MASTER_KEY });
  client = new Anthropic({ apiKey: MASTER_KEY, baseURL: stack.proxy.url, maxRetries: 0 });
});
afterAll(() => stack?.close());

const weather: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Weather of a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('the official Anthropic client against the proxy', () => {
  for (const model of ['vllm', 'vllm-native', 'triton']) {
    it(`messages.create and messages.stream on ${model}`, async () => {
      const message = await client.messages.create({
        model,
        max_tokens: 16,
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'hello there' }],
      });
      expect(message.type).toBe('message');
      expect(message.role).toBe('assistant');
      const text = message.content.find(b => b.type === 'text');
      expect(text?.type === 'text' && text.text.length).toBeGreaterThan(0);
      // Triton's vLLM backend (read from the model's config) says why it stopped.
      expect(['end_turn', 'max_tokens']).toContain(message.stop_reason);
      expect(message.usage.input_tokens).toBeGreaterThan(0);
      expect(message.usage.output_tokens).toBeGreaterThan(0);

      const stream = client.messages.stream({
        model,
        max_tokens: 16,
        messages: [{ role: 'user', content: 'stream please' }],
      });
      const types = new Set<string>();
      stream.on('streamEvent', event => types.add(event.type));
      const final = await stream.finalMessage();
      for (const t of [
        'message_start',
        'content_block_start',
        'content_block_delta',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ])
        expect(types).toContain(t);
      const streamed = final.content.find(b => b.type === 'text');
      expect(streamed?.type === 'text' && streamed.text.length).toBeGreaterThan(0);
      expect(final.usage.output_tokens).toBeGreaterThan(0);
      // The native deployment reached vLLM's own endpoint; the others went through chat.
      const paths = stack.vllm.requests.entries.map(e => e.path);
      if (model === 'vllm-native') expect(paths).toContain('/v1/messages');
    });
  }

  it('a tool-use round trip, streamed, with thinking from the upstream reasoning', async () => {
    const first = await client.messages
      .stream({
        model: 'vllm',
        max_tokens: 64,
        tools: [weather],
        tool_choice: { type: 'any' },
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
      })
      .finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content.some(b => b.type === 'thinking')).toBe(true);
    const use = first.content.find(b => b.type === 'tool_use');
    if (use?.type !== 'tool_use') throw new Error('no tool_use block');
    expect(use.name).toBe('get_weather');
    expect(typeof (use.input as { city: unknown }).city).toBe('string');

    const second = await client.messages.create({
      model: 'vllm',
      max_tokens: 400,
      tools: [weather],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: use.id, content: 'Sunny, 21C' }],
        },
      ],
    });
    expect(second.stop_reason).toBe('end_turn');
    // The upstream saw the call and its result as chat messages.
    const upstream = stack.vllm.requests.entries.at(-1)!.body as {
      messages: Array<Record<string, unknown>>;
    };
    expect(upstream.messages.at(-1)).toMatchObject({
      role: 'tool',
      tool_call_id: use.id,
      content: 'Sunny, 21C',
    });
    expect(upstream.messages.at(-2)).toMatchObject({
      role: 'assistant',
      tool_calls: [{ id: use.id, function: { name: 'get_weather' } }],
    });
  });

  it("metadata.user_id reaches a translated upstream as user, and vLLM's own endpoint as metadata", async () => {
    const metadata = { user_id: 'user-42' };
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'hi' }];
    await client.messages.create({ model: 'vllm', max_tokens: 8, messages, metadata });
    const chat = stack.vllm.requests.entries.filter(e => e.path === '/v1/chat/completions').at(-1);
    expect(chat?.body).toMatchObject({ user: 'user-42' });
    expect('metadata' in (chat!.body as Record<string, unknown>)).toBe(false);
    await client.messages.create({ model: 'vllm-native', max_tokens: 8, messages, metadata });
    const native = stack.vllm.requests.entries.filter(e => e.path === '/v1/messages').at(-1);
    expect(native?.body).toMatchObject({ metadata });
  });

  it('countTokens', async () => {
    const counted = await client.messages.countTokens({
      model: 'vllm',
      messages: [{ role: 'user', content: 'count these few words please' }],
    });
    expect(counted.input_tokens).toBeGreaterThan(0);
    const estimated = await client.messages.countTokens({
      model: 'triton',
      messages: [{ role: 'user', content: 'count these few words please' }],
    });
    expect(estimated.input_tokens).toBeGreaterThan(0);
    expect((estimated as { estimated?: boolean }).estimated).toBe(true);
  });

  it('bad input and auth failures arrive as the client error classes, in Anthropic error shape', async () => {
    const missing = await client.messages
      .create({ model: 'vllm', messages: [{ role: 'user', content: 'x' }] } as never)
      .catch(e => e);
    expect(missing).toBeInstanceOf(Anthropic.BadRequestError);
    expect(missing.error).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: expect.stringMatching(/max_tokens: Field required/),
      },
    });

    const unknownBlock = await client.messages
      .create({
        model: 'vllm',
        max_tokens: 5,
        messages: [{ role: 'user', content: [{ type: 'hologram', data: 'x' }] }],
      } as never)
      .catch(e => e);
    expect(unknownBlock).toBeInstanceOf(Anthropic.BadRequestError);
    expect(unknownBlock.error.error.message).toMatch(
      /messages\[0\]\.content\[0\]\.type: unknown content block type "hologram"/,
    );

    const orphan = await client.messages
      .create({
        model: 'vllm',
        max_tokens: 5,
        messages: [
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_nope', content: 'x' }],
          },
        ],
      })
      .catch(e => e);
    expect(orphan).toBeInstanceOf(Anthropic.BadRequestError);
    expect(orphan.message).toMatch(
      /unexpected tool_use_id found in tool_result blocks: toolu_nope/,
    );

    const unknownModel = await client.messages
      .create({ model: 'nope', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch(e => e);
    // Anthropic answers an unknown model with 404 not_found_error, as OpenAI does with model_not_found.
    expect(unknownModel).toBeInstanceOf(Anthropic.NotFoundError);
    expect(unknownModel.error.error.type).toBe('not_found_error');
    expect(unknownModel.error.error.message).toContain('Invalid model name passed in model=nope');

    const badKey = new Anthropic({ apiKey: 'sk-wrong', baseURL: stack.proxy.url, maxRetries: 0 });
    const denied = await badKey.messages
      .create({ model: 'vllm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch(e => e);
    expect(denied).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(denied.error.type).toBe('error');
    expect(denied.error.error.type).toBe('authentication_error');
  });
});
