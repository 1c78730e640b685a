/** Every fault mode, seen by a real HTTP client (undici) against the vLLM emulator. */
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startVllmEmulator, type VllmEmulator } from '../src/index';

let emu: VllmEmulator;
const agent = new Agent({ keepAliveTimeout: 10 });
beforeAll(async () => {
  emu = await startVllmEmulator({ model: 'm' });
});
afterEach(() => {
  emu.clearFaults();
  emu.requests.clear();
});
afterAll(async () => {
  await agent.close();
  await emu.close();
});

const chat = { model: 'm', messages: [{ role: 'user', content: 'hello there' }], max_tokens: 6 };

function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  extra: { headersTimeout?: number } = {},
) {
  return request(`${emu.url}${path}`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    ...extra,
  });
}

describe('faults', () => {
  it('status + retry-after for K requests, then normal service', async () => {
    emu.inject({ status: 503, retryAfter: 2, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await post('/v1/chat/completions', chat);
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('2');
      expect(await res.body.json()).toEqual({
        error: {
          message: 'Emulated fault: HTTP 503 Service Unavailable',
          type: 'Service Unavailable',
          param: null,
          code: 503,
        },
      });
    }
    const ok = await post('/v1/chat/completions', chat);
    expect(ok.statusCode).toBe(200);
    expect(((await ok.body.json()) as { object: string }).object).toBe('chat.completion');
  });

  it('the header form applies to that request only', async () => {
    const res = await post('/v1/chat/completions', chat, {
      'x-switchyard-fault': 'status=429;retry-after=7',
    });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    await res.body.dump();
    expect((await post('/v1/chat/completions', chat)).statusCode).toBe(200);
  });

  it('a bad fault header is a 400 naming the key', async () => {
    const res = await post('/v1/chat/completions', chat, { 'x-switchyard-fault': 'explode=1' });
    expect(res.statusCode).toBe(400);
    const body = (await res.body.json()) as { error: { message: string } };
    expect(body.error.message).toContain('unknown key "explode"');
  });

  it('path-scoped faults leave other routes alone', async () => {
    emu.inject({ status: 500, path: '/v1/embeddings' });
    const chatRes = await post('/v1/chat/completions', chat);
    expect(chatRes.statusCode).toBe(200);
    await chatRes.body.dump();
    const embed = await post('/v1/embeddings', { model: 'm', input: 'x' });
    expect(embed.statusCode).toBe(500);
    expect(await embed.body.json()).toEqual({
      error: {
        message: 'Internal server error',
        type: 'InternalServerError',
        param: null,
        code: 500,
      },
    });
  });

  it('delay holds the response until the delay passes', async () => {
    emu.inject({ delayMs: 150 });
    const started = performance.now();
    const res = await post('/v1/chat/completions', chat);
    await res.body.dump();
    expect(res.statusCode).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('drop-after N: the client gets N chunks, then an error, not a clean end', async () => {
    const res = await post(
      '/v1/chat/completions',
      { ...chat, stream: true },
      { 'x-switchyard-fault': 'drop-after=2' },
    );
    expect(res.statusCode).toBe(200);
    let text = '';
    const read = (async () => {
      for await (const chunk of res.body) text += chunk.toString();
    })();
    await expect(read).rejects.toThrow();
    expect(text.split('\n\n').filter(Boolean)).toHaveLength(2);
    expect(text).not.toContain('[DONE]');
    const entry = await emu.requests.waitFor(e => e.path === '/v1/chat/completions' && e.aborted);
    expect(entry.aborted).toBe(true);
  });

  it('drop on a non-stream cuts the body short', async () => {
    const res = await post('/v1/chat/completions', chat, { 'x-switchyard-fault': 'drop-after=0' });
    expect(res.statusCode).toBe(200);
    await expect(res.body.text()).rejects.toThrow();
  });

  it('stream-error-after N: N chunks, the in-band error, then [DONE]', async () => {
    const res = await post(
      '/v1/chat/completions',
      { ...chat, stream: true },
      { 'x-switchyard-fault': 'stream-error-after=2' },
    );
    expect(res.statusCode).toBe(200);
    const events = (await res.body.text()).split('\n\n').filter(Boolean);
    expect(events).toHaveLength(4);
    expect(events[2]).toBe(
      'data: {"error":{"message":"Internal server error","type":"InternalServerError","param":null,"code":500}}',
    );
    expect(events[3]).toBe('data: [DONE]');
  });

  it('stalled headers trip the client headers timeout', async () => {
    await expect(
      post(
        '/v1/chat/completions',
        chat,
        { 'x-switchyard-fault': 'stall-headers-ms=5000' },
        { headersTimeout: 100 },
      ),
    ).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    await emu.requests.waitFor(e => e.aborted);
  });

  it('malformed-json: status 200 with a body that does not parse', async () => {
    emu.inject({ malformedJson: true });
    const res = await post('/v1/chat/completions', chat);
    expect(res.statusCode).toBe(200);
    const text = await res.body.text();
    expect(() => JSON.parse(text)).toThrow();
  });

  it('faults reach every route, GET ones included', async () => {
    emu.inject({ status: 503, times: 3 });
    for (const path of ['/health', '/v1/models', '/metrics']) {
      const res = await request(`${emu.url}${path}`, { dispatcher: agent });
      expect(res.statusCode).toBe(503);
      await res.body.dump();
    }
  });
});
