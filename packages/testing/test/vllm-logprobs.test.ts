/**
 * `logprobs` / `top_logprobs` in vLLM's shapes for chat and completions,
 * streamed too, and parallel tool calls — through the official `openai`
 * client, as LiteLLM's hosted_vllm passes these fields through.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVllmEmulator, type VllmEmulator } from '../src/index';

let emu: VllmEmulator;
let client: OpenAI;
beforeAll(async () => {
  emu = await startVllmEmulator({ model: 'm' });
  client = new OpenAI({ baseURL: `${emu.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => emu.close());

const messages = [{ role: 'user' as const, content: 'tell me about rivers' }];

describe('chat logprobs', () => {
  it('one entry per generated token, sampled token first among its candidates', async () => {
    const res = await client.chat.completions.create({
      model: 'm',
      messages,
      logprobs: true,
      top_logprobs: 3,
    });
    const choice = res.choices[0]!;
    const content = choice.logprobs!.content!;
    expect(content.map(c => c.token).join('')).toBe(choice.message.content);
    expect(content).toHaveLength(res.usage!.completion_tokens);
    for (const entry of content) {
      expect(entry.logprob).toBeLessThan(0);
      expect(entry.bytes).toEqual([...Buffer.from(entry.token, 'utf8')]);
      expect(entry.top_logprobs).toHaveLength(3);
      expect(entry.top_logprobs[0]).toEqual({
        token: entry.token,
        logprob: entry.logprob,
        bytes: entry.bytes,
      });
      const probabilities = entry.top_logprobs.map(t => Math.exp(t.logprob));
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeLessThan(1);
      expect([...probabilities].sort((a, b) => b - a)).toEqual(probabilities);
    }
    const again = await client.chat.completions.create({
      model: 'm',
      messages,
      logprobs: true,
      top_logprobs: 3,
    });
    expect(again.choices[0]!.logprobs).toEqual(choice.logprobs);
  });

  it('logprobs without top_logprobs lists no candidates; without logprobs it is null', async () => {
    const plain = await client.chat.completions.create({ model: 'm', messages, logprobs: true });
    expect(plain.choices[0]!.logprobs!.content![0]!.top_logprobs).toEqual([]);
    const none = await client.chat.completions.create({ model: 'm', messages });
    expect(none.choices[0]!.logprobs).toBeNull();
  });

  it('a stream carries the same entries, one per content delta', async () => {
    const whole = await client.chat.completions.create({
      model: 'm',
      messages,
      logprobs: true,
      top_logprobs: 2,
    });
    const stream = await client.chat.completions.create({
      model: 'm',
      messages,
      logprobs: true,
      top_logprobs: 2,
      stream: true,
    });
    const entries: unknown[] = [];
    for await (const chunk of stream) entries.push(...(chunk.choices[0]?.logprobs?.content ?? []));
    expect(entries).toEqual(whole.choices[0]!.logprobs!.content);
  });

  it('more than 20 candidates is the engine 400; a negative value is a validation 400', async () => {
    const over = await fetch(`${emu.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages, logprobs: true, top_logprobs: 21 }),
    });
    expect(((await over.json()) as { error: { message: string } }).error.message).toBe(
      'Requested sample logprobs of 21, which is greater than max allowed: 20',
    );
    const negative = await fetch(`${emu.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages, logprobs: true, top_logprobs: -2 }),
    });
    expect(negative.status).toBe(400);
    expect(await negative.text()).toContain('`top_logprobs` must be a positive value or -1.');
  });
});

describe('completions logprobs', () => {
  it('text_offset, token_logprobs, tokens and top_logprobs line up with the text', async () => {
    const res = await client.completions.create({
      model: 'm',
      prompt: 'Once upon a time',
      max_tokens: 8,
      logprobs: 2,
    });
    const choice = res.choices[0]!;
    const lp = choice.logprobs!;
    expect(lp.tokens!.join('')).toBe(choice.text);
    expect(lp.tokens).toHaveLength(res.usage!.completion_tokens);
    let offset = 0;
    lp.tokens!.forEach((token, i) => {
      expect(lp.text_offset![i]).toBe(offset);
      offset += token.length;
      const top = lp.top_logprobs![i]!;
      expect(Object.keys(top)).toHaveLength(2);
      expect(top[token]).toBe(lp.token_logprobs![i]);
    });
    const stream = await client.completions.create({
      model: 'm',
      prompt: 'Once upon a time',
      max_tokens: 8,
      logprobs: 2,
      stream: true,
    });
    const streamed: number[] = [];
    const offsets: number[] = [];
    for await (const chunk of stream) {
      streamed.push(...(chunk.choices[0]?.logprobs?.token_logprobs ?? []));
      offsets.push(...(chunk.choices[0]?.logprobs?.text_offset ?? []));
    }
    expect(streamed).toEqual(lp.token_logprobs);
    expect(offsets).toEqual(lp.text_offset);
  });

  it('logprobs: 0 maps only the sampled token', async () => {
    const res = await client.completions.create({ model: 'm', prompt: 'x', logprobs: 0 });
    const lp = res.choices[0]!.logprobs!;
    expect(lp.top_logprobs!.every(t => Object.keys(t).length === 1)).toBe(true);
  });
});

describe('parallel tool calls', () => {
  const tool = (name: string) => ({
    type: 'function' as const,
    function: {
      name,
      parameters: {
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
      },
    },
  });
  const tools = [tool('get_weather'), tool('get_time'), tool('get_news'), tool('get_traffic')];

  it('parallel_tool_calls: true with several tools calls up to three distinct ones', async () => {
    const res = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'weather and time in Paris?' }],
      tools,
      parallel_tool_calls: true,
    });
    const calls = res.choices[0]!.message.tool_calls!;
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map(c => c.id)).size).toBe(3);
    expect(new Set(calls.map(c => (c as { function: { name: string } }).function.name)).size).toBe(
      3,
    );
    expect(res.choices[0]!.finish_reason).toBe('tool_calls');
    const stream = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'weather and time in Paris?' }],
      tools,
      parallel_tool_calls: true,
      stream: true,
    });
    const args = new Map<number, string>();
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        args.set(delta.index, (args.get(delta.index) ?? '') + (delta.function?.arguments ?? ''));
      }
    }
    expect([...args.values()]).toEqual(
      calls.map(c => (c as { function: { arguments: string } }).function.arguments),
    );
  });

  it('without parallel_tool_calls the model calls one tool', async () => {
    const res = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'weather and time in Paris?' }],
      tools,
    });
    expect(res.choices[0]!.message.tool_calls).toHaveLength(1);
  });
});
