import {
  startTritonEmulator,
  startVllmEmulator,
  type TritonEmulator,
  type VllmEmulator,
} from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  completion,
  getResponseMeta,
  type ResponseMeta,
  Router,
  routingHeaders,
  routingInfoOf,
} from '../src/index';

// The SDK's Router answers what the SDK's functions answer — the API object
// itself, or the same stream type — with what the router did in
// getResponseMeta(). Two vLLM replicas form the group `chat` (`a` first by
// order, so which one answers is known), a Triton model is the fallback group.

let a: VllmEmulator;
let b: VllmEmulator;
let triton: TritonEmulator;

beforeAll(async () => {
  [a, b, triton] = await Promise.all([
    startVllmEmulator(),
    startVllmEmulator(),
    startTritonEmulator({ models: [{ name: 'llama-3-8b-instruct', profile: 'vllm' }] }),
  ]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close(), triton?.close()]);
});
afterEach(() => {
  for (const e of [a, b]) e.clearFaults();
});

const opt = 'hosted_vllm/facebook/opt-125m';

/** A fresh router per test: cooldowns from one test must not steer the next. */
function newRouter(): Router {
  return new Router({
    model_list: [
      {
        model_name: 'chat',
        litellm_params: { model: opt, api_base: a.url, order: 1 },
        model_info: { id: 'chat-a' },
      },
      {
        model_name: 'chat',
        litellm_params: { model: opt, api_base: b.url, order: 2 },
        model_info: { id: 'chat-b' },
      },
      {
        model_name: 'backup',
        litellm_params: { model: 'triton/llama-3-8b-instruct', api_base: triton.url },
        model_info: { id: 'backup-triton' },
      },
    ],
    num_retries: 1,
    retry_after: 0,
    fallbacks: [{ chat: ['backup'] }],
  });
}

const messages = [{ role: 'user' as const, content: 'hello' }];

/** The meta every answer from replica `a` at the first try carries. */
function expectFirstTryOnA(meta: ResponseMeta | undefined): void {
  expect(meta).toMatchObject({
    provider: 'hosted_vllm',
    model: 'facebook/opt-125m',
    apiBase: a.url,
    deploymentId: 'chat-a',
    modelGroup: 'chat',
    attemptedRetries: 0,
    attemptedFallbacks: 0,
  });
  expect(meta!.routing!.attempts).toHaveLength(1);
  expect(meta!.latencyMs).toBeGreaterThan(0);
}

describe("the SDK's Router answers like completion()", () => {
  it('completion() is the chat.completion itself; the routing is in its meta only', async () => {
    const router = newRouter();
    const res = await router.completion({ model: 'chat', messages, max_tokens: 5 });
    expect(res.object).toBe('chat.completion');
    expect(typeof res.choices[0]?.message.content).toBe('string');
    expect(Object.keys(res)).not.toContain('routing');
    expect(Object.keys(res)).not.toContain('data');
    // Serialised, it is exactly the upstream's object: nothing of the router leaks in.
    expect(JSON.stringify(res)).not.toContain('chat-a');
    const meta = getResponseMeta(res);
    expectFirstTryOnA(meta);
    expect(meta!.headers['content-type']).toContain('application/json');
    expect(routingHeaders(meta!.routing!)).toMatchObject({
      'x-litellm-model-id': 'chat-a',
      'x-litellm-model-group': 'chat',
    });
    // The same keys as the SDK's own completion() answers with.
    const direct = await completion({ model: opt, api_base: a.url, messages, max_tokens: 5 });
    expect(Object.keys(res).sort()).toEqual(Object.keys(direct).sort());
  });

  it('a retry, and the cooldown the failure started, are in the meta', async () => {
    const router = newRouter();
    a.inject({ status: 429, retryAfter: 30, path: '/v1/chat/completions' });
    const before = Date.now();
    const res = await router.completion({ model: 'chat', messages, max_tokens: 5 });
    const meta = getResponseMeta(res)!;
    expect(meta).toMatchObject({ deploymentId: 'chat-b', apiBase: b.url, attemptedRetries: 1 });
    const [failed, answered] = meta.routing!.attempts;
    expect(failed).toMatchObject({ deploymentId: 'chat-a', error: { status: 429 } });
    expect(failed!.cooldownUntil).toBeGreaterThanOrEqual(before + 30_000);
    expect(answered).toMatchObject({ deploymentId: 'chat-b' });
    expect(answered).not.toHaveProperty('error');
  });

  it('a fallback group answers: its deployment, provider and model are in the meta', async () => {
    const router = newRouter();
    for (const e of [a, b]) e.inject({ status: 500, times: 2, path: '/v1/chat/completions' });
    const res = await router.completion({ model: 'chat', messages, max_tokens: 5 });
    expect(res.object).toBe('chat.completion');
    expect(getResponseMeta(res)).toMatchObject({
      provider: 'triton',
      model: 'llama-3-8b-instruct',
      apiBase: triton.url,
      deploymentId: 'backup-triton',
      modelGroup: 'backup',
      attemptedFallbacks: 1,
      attemptedRetries: 0,
    });
    expect(getResponseMeta(res)!.routing!.attempts.map(x => x.deploymentId)).toEqual([
      'chat-a',
      'chat-b',
      'backup-triton',
    ]);
  });

  it('a failure is thrown with the routing details, as the low-level router throws it', async () => {
    const router = newRouter();
    // A 400 is the request's fault: not retried; with fallbacks off for this call, thrown.
    a.inject({ status: 400, path: '/v1/chat/completions' });
    const failed = await router
      .completion({ model: 'chat', messages, disable_fallbacks: true })
      .catch(e => e);
    expect(failed).toBeInstanceOf(Error);
    expect(failed.status).toBe(400);
    expect(routingInfoOf(failed)).toMatchObject({
      deploymentId: 'chat-a',
      attemptedRetries: 0,
      attemptedFallbacks: 0,
    });
  });
});

describe("the SDK's Router streams like completion({ stream: true })", () => {
  it('completion({ stream: true }) is a CompletionStream with the meta, retried before its first chunk', async () => {
    const router = newRouter();
    a.inject({ status: 503, path: '/v1/chat/completions' });
    const stream = await router.completion({
      model: 'chat',
      messages,
      max_tokens: 5,
      stream: true,
    });
    const meta = getResponseMeta(stream)!;
    expect(meta).toMatchObject({ deploymentId: 'chat-b', attemptedRetries: 1 });
    expect(meta.headers['content-type']).toContain('text/event-stream');
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every(c => c.object === 'chat.completion.chunk')).toBe(true);
    // The same shape as the SDK function's stream: an async iterable, meta not enumerable.
    const direct = await completion({ model: opt, api_base: b.url, messages, stream: true });
    for await (const _ of direct);
    expect(Object.keys(stream)).toEqual(Object.keys(direct));
    expect(typeof stream[Symbol.asyncIterator]).toBe('function');
  });
});

describe("every call type of the SDK's Router", () => {
  const audio = new Uint8Array([82, 73, 70, 70, 1, 2, 3]);

  it('text completion, embeddings, rerank, transcription and token counts', async () => {
    const router = newRouter();
    const text = await router.textCompletion({ model: 'chat', prompt: 'Say', max_tokens: 3 });
    expect(text.object).toBe('text_completion');
    expectFirstTryOnA(getResponseMeta(text));
    const textStream = await router.textCompletion({ model: 'chat', prompt: 'Say', stream: true });
    expectFirstTryOnA(getResponseMeta(textStream));
    const pieces = [];
    for await (const piece of textStream) pieces.push(piece.choices[0]?.text);
    expect(pieces.length).toBeGreaterThan(1);

    const embedded = await router.embedding({ model: 'chat', input: ['one', 'two'] });
    expect(embedded.object).toBe('list');
    expect(embedded.data).toHaveLength(2);
    expectFirstTryOnA(getResponseMeta(embedded));

    const ranked = await router.rerank({ model: 'chat', query: 'q', documents: ['x', 'y'] });
    expect(ranked.results).toHaveLength(2);
    expectFirstTryOnA(getResponseMeta(ranked));

    const heard = await router.transcription({
      model: 'chat',
      file: { data: audio, filename: 'audio.wav' },
    });
    expect(typeof heard.text).toBe('string');
    expectFirstTryOnA(getResponseMeta(heard));

    const counted = await router.countTokens({ model: 'chat', messages });
    expect(counted.input_tokens).toBeGreaterThan(0);
    expectFirstTryOnA(getResponseMeta(counted));
    expect(a.requests.entries.at(-1)!.path).toBe('/tokenize');
  });

  it('messages() and responses(), answered and streamed', async () => {
    const router = newRouter();
    const message = await router.messages({ model: 'chat', max_tokens: 8, messages });
    expect(message.type).toBe('message');
    expectFirstTryOnA(getResponseMeta(message));
    const events = await router.messages({ model: 'chat', max_tokens: 8, messages, stream: true });
    expectFirstTryOnA(getResponseMeta(events));
    const types = [];
    for await (const event of events) types.push(event.type);
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');

    const response = await router.responses({ model: 'chat', input: 'hello' });
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expectFirstTryOnA(getResponseMeta(response));
    const stream = await router.responses({ model: 'chat', input: 'hello', stream: true });
    expectFirstTryOnA(getResponseMeta(stream));
    const kinds = [];
    for await (const event of stream) kinds.push(event.type);
    expect(kinds[0]).toBe('response.created');
    expect(kinds.at(-1)).toBe('response.completed');
  });

  it('responses() echoes the metadata sent; the chat upstream never gets it', async () => {
    const router = newRouter();
    const metadata = { a: 'b' };
    const response = await router.responses({ model: 'chat', input: 'hello', metadata });
    expect(response.metadata).toEqual(metadata);
    const stream = await router.responses({ model: 'chat', input: 'hi', metadata, stream: true });
    const echoed = [];
    for await (const event of stream)
      if ('response' in event) echoed.push((event.response as { metadata?: unknown }).metadata);
    expect(echoed).toEqual([metadata, metadata, metadata]);
    expect('metadata' in (a.requests.entries.at(-1)!.body as Record<string, unknown>)).toBe(false);
    // A chat request's metadata is the router's own: not sent upstream.
    await router.completion({ model: 'chat', messages, max_tokens: 4, metadata });
    expect('metadata' in (a.requests.entries.at(-1)!.body as Record<string, unknown>)).toBe(false);
  });
});
