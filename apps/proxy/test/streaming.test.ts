import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers';

describe('streaming', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Paced tokens, so a stream is still running when the test acts on it.
    stack = await startStack({ vllm: { tokensPerSecond: 50 } });
  });
  afterAll(() => stack?.close());

  const streamBody = (max_tokens: number) =>
    JSON.stringify({
      model: 'chat',
      stream: true,
      max_tokens,
      messages: [{ role: 'user', content: 'tell me a story' }],
    });

  it('sends SSE headers that defeat buffering and writes chunks as they arrive', async () => {
    const res = await request(`${stack.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: streamBody(5),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-accel-buffering']).toBe('no');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['x-litellm-model-group']).toBe('chat');
    // The first bytes reach us while the upstream is still generating (50 tokens/s).
    const reader = res.body[Symbol.asyncIterator]();
    const first = await reader.next();
    const entry = stack.vllm.requests.entries.at(-1)!;
    expect(String(first.value)).toMatch(/^data: \{/);
    expect(entry.finishedAt).toBeUndefined();
    let rest = '';
    for (let next = await reader.next(); !next.done; next = await reader.next())
      rest += String(next.value);
    expect(rest.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('aborts the upstream request at once when the client disconnects', async () => {
    stack.vllm.requests.clear();
    const controller = new AbortController();
    const res = await request(`${stack.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: streamBody(500),
      signal: controller.signal,
    });
    const reader = res.body[Symbol.asyncIterator]();
    await reader.next();
    controller.abort();
    // 500 tokens at 50/s would take 10 s; the upstream sees the hang-up instead.
    const entry = await stack.vllm.requests.waitFor(
      e => e.path === '/v1/chat/completions' && e.aborted,
      { timeoutMs: 3000 },
    );
    expect(entry.aborted).toBe(true);
  });

  it('ends a stream that fails mid-way with an OpenAI error event and no [DONE]', async () => {
    stack.vllm.inject({ streamErrorAfter: 2, path: '/v1/chat/completions' });
    const res = await request(`${stack.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: streamBody(20),
    });
    const text = await res.body.text();
    const events = text.split('\n\n').filter(Boolean);
    const last = JSON.parse(events.at(-1)!.slice('data: '.length));
    expect(last.error).toMatchObject({ type: expect.any(String), code: expect.any(String) });
    expect(typeof last.error.message).toBe('string');
    expect(text).not.toContain('[DONE]');
    expect(events.length).toBeGreaterThan(1);
  });

  it('a failure before the first chunk is an ordinary error response with its status', async () => {
    stack.vllm.inject({ status: 503, path: '/v1/chat/completions' });
    const res = await request(`${stack.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: streamBody(5),
    });
    expect(res.statusCode).toBe(503);
    const body = (await res.body.json()) as { error: { code: string } };
    expect(body.error.code).toBe('503');
  });

  it('shutdown drains a stream in flight: it completes, then the server closes', async () => {
    const res = await request(`${stack.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: streamBody(10),
    });
    const reader = res.body[Symbol.asyncIterator]();
    await reader.next();
    const closed = stack.proxy.close();
    let rest = '';
    for (let next = await reader.next(); !next.done; next = await reader.next())
      rest += String(next.value);
    expect(rest.endsWith('data: [DONE]\n\n')).toBe(true);
    await closed;
    const after = await request(`${stack.proxy.url}/health/liveliness`).catch(e => e);
    expect(after).toBeInstanceOf(Error);
  });
});
