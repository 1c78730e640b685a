import {
  APIConnectionError,
  type ChatCompletionChunk,
  ContextWindowExceededError,
} from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostedVllmProvider } from '../src/index';
import { collect, contextFor, rejection } from './support/context';
import {
  json,
  type Reply,
  type ScriptedServer,
  sse,
  startScriptedServer,
} from './support/scripted-server';

const head = { id: 'chatcmpl-9', object: 'chat.completion.chunk', created: 1745383100, model: 'm' };
const chunk = (delta: Record<string, unknown>, finish: string | null = null, index = 0) => ({
  ...head,
  choices: [{ index, delta, logprobs: null, finish_reason: finish }],
});
const usageChunk = {
  ...head,
  choices: [],
  usage: { prompt_tokens: 5, total_tokens: 9, completion_tokens: 4 },
};
const message = (fields: Record<string, unknown>) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', ...fields }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, total_tokens: 5, completion_tokens: 2 },
});

const SCRIPTS: Record<string, Reply> = {
  'reasoning-new': json(message({ content: '4', reasoning: 'Two and two.' })),
  'reasoning-old': json(message({ content: '4', reasoning_content: 'Two and two.' })),
  'reasoning-both': json(
    message({ content: '4', reasoning: 'Two and two.', reasoning_content: 'Two and two.' }),
  ),
  'reasoning-tag': json(message({ content: '<think>Two and two.</think>4' })),
  'no-reasoning': json(message({ content: 'plain <think>x</think>', reasoning: null })),
  'stream-fields': sse([
    chunk({ role: 'assistant', content: '' }),
    chunk({ reasoning: 'Two ' }),
    chunk({ reasoning: 'and two.', reasoning_content: 'and two.' }),
    chunk({ content: '4' }),
    chunk({}, 'length'),
    usageChunk,
  ]),
  'stream-tags': sse([
    chunk({ role: 'assistant', content: '' }),
    chunk({ content: '<th' }),
    chunk({ content: 'ink>Two and' }),
    chunk({ content: ' two.</thi' }),
    chunk({ content: 'nk>The answer' }),
    chunk({ content: ' is 4.' }, 'stop'),
  ]),
  'stream-cut': sse([chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' })], {
    cut: true,
  }),
  'stream-no-done': sse([chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' })], {
    done: false,
  }),
  'stream-in-band': sse([
    chunk({ role: 'assistant', content: '' }),
    {
      error: {
        message:
          'The decoder prompt (length 9000) is longer than the maximum model length of 8192.',
        type: 'BadRequestError',
        param: null,
        code: 400,
      },
    },
  ]),
};

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer(req => {
    const body = req.json as { messages: { content: string }[] };
    return SCRIPTS[body.messages[0]!.content] ?? json({ error: 'no script' }, 500);
  });
});
afterAll(() => server.close());

const ask = (script: string) => ({
  model: 'hosted_vllm/m',
  messages: [{ role: 'user' as const, content: script }],
});

describe('chat responses', () => {
  it.each(['reasoning-new', 'reasoning-old', 'reasoning-both', 'reasoning-tag'])(
    'puts reasoning in reasoning_content (%s)',
    async script => {
      const { data } = await hostedVllmProvider.chat!(ask(script), contextFor(server.url));
      const msg = data.choices[0]!.message as Record<string, unknown>;
      expect(msg.reasoning_content).toBe('Two and two.');
      expect(msg.content).toBe('4');
      expect(msg).not.toHaveProperty('reasoning');
      expect(data.usage).toEqual({ prompt_tokens: 3, total_tokens: 5, completion_tokens: 2 });
    },
  );

  it('leaves content alone when it does not start with a think block', async () => {
    const { data } = await hostedVllmProvider.chat!(ask('no-reasoning'), contextFor(server.url));
    expect(data.choices[0]!.message.content).toBe('plain <think>x</think>');
    expect(data.choices[0]!.message.reasoning_content).toBeUndefined();
  });
});

describe('chat streams', () => {
  const text = (chunks: ChatCompletionChunk[], field: 'content' | 'reasoning_content') =>
    chunks.map(c => c.choices[0]?.delta[field] ?? '').join('');

  it('normalises reasoning deltas and passes usage and finish reasons as sent', async () => {
    const { stream, headers } = await hostedVllmProvider.chatStream!(
      { ...ask('stream-fields'), stream_options: { include_usage: true } },
      contextFor(server.url),
    );
    expect(headers['content-type']).toContain('text/event-stream');
    const chunks = await collect(stream);
    expect(server.requests.at(-1)!.json).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(text(chunks, 'reasoning_content')).toBe('Two and two.');
    expect(text(chunks, 'content')).toBe('4');
    expect(chunks.some(c => 'reasoning' in (c.choices[0]?.delta ?? {}))).toBe(false);
    expect(chunks.map(c => c.choices[0]?.finish_reason ?? null)).toEqual([
      null,
      null,
      null,
      null,
      'length',
      null,
    ]);
    expect(chunks.at(-1)).toEqual(usageChunk);
  });

  it('splits a <think> block whose tags are cut across chunks', async () => {
    const { stream } = await hostedVllmProvider.chatStream!(
      ask('stream-tags'),
      contextFor(server.url),
    );
    const chunks = await collect(stream);
    expect(text(chunks, 'reasoning_content')).toBe('Two and two.');
    expect(text(chunks, 'content')).toBe('The answer is 4.');
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
  });

  it.each(['stream-cut', 'stream-no-done'])(
    'raises APIConnectionError when the stream stops early (%s)',
    async script => {
      const { stream } = await hostedVllmProvider.chatStream!(ask(script), contextFor(server.url));
      const seen: ChatCompletionChunk[] = [];
      const error = await rejection(
        (async () => {
          for await (const c of stream) seen.push(c);
        })(),
      );
      expect(APIConnectionError.isInstance(error)).toBe(true);
      expect(text(seen, 'content')).toBe('Hel');
    },
  );

  it('raises an error event inside a 200 stream, mapped by its text', async () => {
    const { stream } = await hostedVllmProvider.chatStream!(
      ask('stream-in-band'),
      contextFor(server.url),
    );
    const error = await rejection(collect(stream));
    expect(ContextWindowExceededError.isInstance(error)).toBe(true);
    expect(error.provider).toBe('hosted_vllm');
    expect(error.upstreamStatus).toBe(400);
  });
});
