import {
  APIConnectionError,
  AuthenticationError,
  type ChatCompletionChunk,
  ContextWindowExceededError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  ServiceUnavailableError,
} from '@switchyard/core';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostedVllmProvider } from '../src/index';
import { collect, contextFor, deepFreeze, rejection } from './support/context';

const MODEL = 'facebook/opt-125m';
const ask = (content: string) =>
  deepFreeze({
    model: `hosted_vllm/${MODEL}`,
    messages: [{ role: 'user' as const, content }],
    max_tokens: 24,
  });

let plain: VllmEmulator;
let reasoning: VllmEmulator;
let secured: VllmEmulator;
let legacy: VllmEmulator;
beforeAll(async () => {
  [plain, reasoning, secured, legacy] = await Promise.all([
    startVllmEmulator({ model: MODEL, maxModelLen: 256 }),
    startVllmEmulator({ model: MODEL, reasoningParser: 'deepseek_r1', reasoningField: 'both' }),
    startVllmEmulator({ model: MODEL, apiKey: 'sk-emulator' }),
    startVllmEmulator({ model: MODEL, errorShape: 'legacy' }),
  ]);
});
afterAll(() => Promise.all([plain, reasoning, secured, legacy].map(e => e?.close())));

describe('against the vLLM emulator', () => {
  it('chats through both base-URL forms; usage and finish reason are the server’s', async () => {
    for (const base of [plain.url, `${plain.url}/v1/`]) {
      const { data } = await hostedVllmProvider.chat!(ask('Say hello.'), contextFor(base));
      const sent = plain.requests.entries.at(-1)!;
      expect(sent.path).toBe('/v1/chat/completions');
      expect(sent.body).toMatchObject({ model: MODEL, max_tokens: 24, stream: false });
      expect(typeof data.choices[0]!.message.content).toBe('string');
      expect(['stop', 'length']).toContain(data.choices[0]!.finish_reason);
      expect(data.usage!.total_tokens).toBe(
        data.usage!.prompt_tokens + data.usage!.completion_tokens!,
      );
    }
  });

  it('normalises reasoning from a reasoning parser, plain and streaming', async () => {
    const { data } = await hostedVllmProvider.chat!(
      ask('What is 2 + 2?'),
      contextFor(reasoning.url),
    );
    const message = data.choices[0]!.message as Record<string, unknown>;
    expect(typeof message.reasoning_content).toBe('string');
    expect((message.reasoning_content as string).length).toBeGreaterThan(0);
    expect(message).not.toHaveProperty('reasoning');

    const { stream } = await hostedVllmProvider.chatStream!(
      { ...ask('What is 2 + 2?'), stream_options: { include_usage: true } },
      contextFor(reasoning.url),
    );
    const chunks: ChatCompletionChunk[] = await collect(stream);
    const streamed = chunks.map(c => c.choices[0]?.delta.reasoning_content ?? '').join('');
    expect(streamed).toBe(message.reasoning_content);
    expect(chunks.every(c => !c.choices[0] || !('reasoning' in c.choices[0].delta))).toBe(true);
    const usage = chunks.at(-1)!;
    expect(usage.choices).toEqual([]);
    const { prompt_tokens, completion_tokens, total_tokens } = data.usage!;
    expect(usage.usage).toMatchObject({ prompt_tokens, completion_tokens, total_tokens });
  });

  it('sends Bearer auth when a key is set; without one the server answers 401', async () => {
    const { data } = await hostedVllmProvider.embedding!(
      { model: `hosted_vllm/${MODEL}`, input: ['Hello world'] },
      contextFor(secured.url, { apiKey: 'sk-emulator' }),
    );
    expect(data.data[0]!.embedding).toHaveLength(8);
    expect(secured.requests.entries.at(-1)!.headers.authorization).toBe('Bearer sk-emulator');
    const error = await rejection(hostedVllmProvider.chat!(ask('hi'), contextFor(secured.url)));
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(error.message).toBe('Unauthorized');
  });

  it('maps injected faults with retry-after, by header and by inject()', async () => {
    const byHeader = await rejection(
      hostedVllmProvider.chat!(
        ask('hi'),
        contextFor(plain.url, { headers: { 'x-switchyard-fault': 'status=503;retry-after=2' } }),
      ),
    );
    expect(ServiceUnavailableError.isInstance(byHeader)).toBe(true);
    expect(byHeader.retryAfterMs).toBe(2000);
    plain.inject({ status: 429, retryAfter: 1, path: '/v1/chat/completions' });
    const injected = await rejection(
      hostedVllmProvider.chatStream!(ask('hi'), contextFor(plain.url)),
    );
    expect(RateLimitError.isInstance(injected)).toBe(true);
    expect(injected.retryAfterMs).toBe(1000);
  });

  it('raises APIConnectionError on a dropped stream and the mapped error on an in-band one', async () => {
    const dropped = await hostedVllmProvider.chatStream!(
      ask('Count to ten.'),
      contextFor(plain.url, { headers: { 'x-switchyard-fault': 'drop-after=2' } }),
    );
    expect(APIConnectionError.isInstance(await rejection(collect(dropped.stream)))).toBe(true);

    const inBand = await hostedVllmProvider.chatStream!(
      ask('Count to ten.'),
      contextFor(plain.url, { headers: { 'x-switchyard-fault': 'stream-error-after=2' } }),
    );
    const seen: ChatCompletionChunk[] = [];
    const error = await rejection(
      (async () => {
        for await (const chunk of inBand.stream) seen.push(chunk);
      })(),
    );
    expect(InternalServerError.isInstance(error), error.message).toBe(true);
    expect(error.message).toBe('Internal server error');
    expect(error.provider).toBe('hosted_vllm');
    expect(seen.length).toBe(2);
  });

  it('raises ContextWindowExceededError when the prompt is too long for max_model_len', async () => {
    const long = 'lorem ipsum dolor sit amet '.repeat(200);
    const error = await rejection(hostedVllmProvider.chat!(ask(long), contextFor(plain.url)));
    expect(ContextWindowExceededError.isInstance(error), error.message).toBe(true);
  });

  it('reads the legacy error shape', async () => {
    const error = await rejection(
      hostedVllmProvider.chat!(
        { ...ask('hi'), model: 'x' },
        contextFor(legacy.url, { model: 'does-not-exist' }),
      ),
    );
    expect(NotFoundError.isInstance(error)).toBe(true);
    expect(error.message).toContain('does-not-exist');
  });

  it('streams text completions and reranks at /rerank in Cohere shape', async () => {
    const { stream } = await hostedVllmProvider.textCompletionStream!(
      { model: `hosted_vllm/${MODEL}`, prompt: 'Once upon a time', max_tokens: 8 },
      contextFor(`${plain.url}/v1`),
    );
    const chunks = await collect(stream);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.some(c => c.choices[0]?.finish_reason === 'length')).toBe(true);

    const documents = [
      'Paris is in France.',
      'Cows are animals.',
      'The capital of France is Paris.',
    ];
    const { data } = await hostedVllmProvider.rerank!(
      { model: `hosted_vllm/${MODEL}`, query: 'capital of France', documents, top_n: 2 },
      contextFor(`${plain.url}/v1`),
    );
    expect(plain.requests.entries.at(-1)!.path).toBe('/rerank');
    expect(data.results).toHaveLength(2);
    expect(data.results[0]!.relevance_score).toBeGreaterThanOrEqual(
      data.results[1]!.relevance_score,
    );
    for (const result of data.results)
      expect(result.document).toEqual({ text: documents[result.index] });
  });

  it('uploads audio for transcription', async () => {
    const { data } = await hostedVllmProvider.transcription!(
      {
        model: `hosted_vllm/${MODEL}`,
        file: { data: new Uint8Array(64).fill(7), filename: 'audio.wav' },
        language: 'en',
      },
      contextFor(plain.url),
    );
    expect(typeof data.text).toBe('string');
    const sent = plain.requests.entries.at(-1)!;
    expect(sent.path).toBe('/v1/audio/transcriptions');
    expect(sent.body).toMatchObject({ fields: { model: MODEL, language: 'en' } });
  });
});
