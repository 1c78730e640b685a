import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, parseConfig, startProxy } from '../src/index';
import { auth, get, MASTER_KEY, post, type Stack, startStack } from './helpers';

const chatBody = { model: 'chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 3 };

describe('with a master key', () => {
  let stack: Stack;
  let base: string;
  beforeAll(async () => {
    stack = await startStack({
      masterKey: MASTER_KEY,
      extra: { general_settings: { master_key: MASTER_KEY, max_request_size_mb: 0.01 } },
    });
    base = stack.proxy.url;
  });
  afterAll(() => stack?.close());

  it('serves every inference route with and without /v1', async () => {
    for (const path of ['/v1/chat/completions', '/chat/completions']) {
      const r = await post(base, path, chatBody, auth());
      expect(r.status, path).toBe(200);
      expect(r.body.object).toBe('chat.completion');
    }
    for (const path of ['/v1/completions', '/completions']) {
      const r = await post(base, path, { model: 'text', prompt: 'a', max_tokens: 2 }, auth());
      expect(r.status, path).toBe(200);
      expect(r.body.object).toBe('text_completion');
    }
    for (const path of ['/v1/embeddings', '/embeddings']) {
      const r = await post(base, path, { model: 'embed', input: 'a' }, auth());
      expect(r.status, path).toBe(200);
      expect(r.body.data[0].object).toBe('embedding');
    }
    for (const path of ['/v1/rerank', '/rerank', '/v2/rerank']) {
      const r = await post(
        base,
        path,
        {
          model: 'rerank',
          query: 'capital',
          documents: ['Paris is the capital', 'cats'],
          top_n: 1,
        },
        auth(),
      );
      expect(r.status, path).toBe(200);
      expect(r.body.results).toHaveLength(1);
      expect(typeof r.body.results[0].relevance_score).toBe('number');
    }
  });

  it('serves audio transcriptions from a multipart upload', async () => {
    const form = new FormData();
    form.set('model', 'whisper');
    form.set('language', 'en');
    form.set('file', new Blob([new Uint8Array(2048).fill(7)], { type: 'audio/wav' }), 'hello.wav');
    for (const path of ['/v1/audio/transcriptions', '/audio/transcriptions']) {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: auth(), body: form });
      expect(res.status, path).toBe(200);
      const body = (await res.json()) as { text: string };
      expect(typeof body.text).toBe('string');
    }
    const upstream = stack.vllm.requests.entries.at(-1)!;
    expect(upstream.path).toBe('/v1/audio/transcriptions');
    expect(JSON.stringify(upstream.body)).toContain('hello.wav');
  });

  it('a transcription without a file is a 400 naming file', async () => {
    const form = new FormData();
    form.set('model', 'whisper');
    const res = await fetch(`${base}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: auth(),
      body: form,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe('file');
  });

  it('sends LiteLLM response headers and the upstream rate-limit headers', async () => {
    const r = await post(base, '/v1/chat/completions', chatBody, {
      ...auth(),
      'x-litellm-call-id': 'call-123',
    });
    expect(r.headers['x-litellm-call-id']).toBe('call-123');
    expect(r.headers['x-litellm-model-group']).toBe('chat');
    expect(r.headers['x-litellm-model-id']).toBe(stack.proxy.router.deployments()[0]!.id);
    expect(r.headers['x-litellm-model-api-base']).toBe(stack.vllm.url);
    expect(r.headers['x-litellm-attempted-retries']).toBe('0');
    expect(r.headers['x-litellm-attempted-fallbacks']).toBe('0');
    expect(Number(r.headers['x-litellm-response-duration-ms'])).toBeGreaterThan(0);
    expect(Number(r.headers['x-litellm-overhead-duration-ms'])).toBeGreaterThanOrEqual(0);
    expect(Number(r.headers['x-litellm-overhead-duration-ms'])).toBeLessThan(
      Number(r.headers['x-litellm-response-duration-ms']),
    );
  });

  it('refuses a missing or wrong key with 401 in the OpenAI error shape; x-api-key works too', async () => {
    const none = await post(base, '/v1/chat/completions', chatBody);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({
      error: {
        message: expect.stringContaining('No api key'),
        type: 'auth_error',
        param: null,
        code: '401',
      },
    });
    const wrong = await post(base, '/v1/chat/completions', chatBody, auth('sk-nope'));
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toContain('Invalid proxy server token');
    const models = await get(base, '/v1/models', { 'x-api-key': MASTER_KEY });
    expect(models.status).toBe(200);
    expect((await get(base, '/v1/models')).status).toBe(401);
    expect((await get(base, '/health')).status).toBe(401);
  });

  it('leaves probes and metrics open', async () => {
    const live = await get(base, '/health/liveliness');
    expect(live.status).toBe(200);
    expect(live.body).toBe("I'm alive!");
    // The embedded store (its first open is not what this test is about).
    await stack.proxy.keys!.db();
    const ready = await get(base, '/health/readiness');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('healthy');
    expect(ready.body.db).toBe('connected');
    expect(ready.body.redis).toBeNull();
    expect((await get(base, '/metrics')).status).toBe(200);
  });

  it('answers 413 for a body over max_request_size_mb', async () => {
    const big = { ...chatBody, messages: [{ role: 'user', content: 'x'.repeat(20_000) }] };
    const r = await post(base, '/v1/chat/completions', big, auth());
    expect(r.status).toBe(413);
    expect(r.body.error.message).toContain('max_request_size_mb');
    expect(r.body.error.code).toBe('413');
  });

  it('answers 400 for malformed JSON, naming the problem', async () => {
    const r = await post(base, '/v1/chat/completions', '{"model": "chat", "messages": [', auth());
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^Request body is not valid JSON: /);
    const arr = await post(base, '/v1/chat/completions', '[1,2]', auth());
    expect(arr.status).toBe(400);
    expect(arr.body.error.message).toContain('JSON object');
  });

  it('answers 400 naming the field for an invalid request', async () => {
    const r = await post(
      base,
      '/v1/chat/completions',
      { model: 'chat', messages: [{ role: 'wizard', content: 'x' }] },
      auth(),
    );
    expect(r.status).toBe(400);
    expect(r.body.error.param).toBe('messages[0].role');
    const e = await post(base, '/v1/embeddings', { model: 'embed' }, auth());
    expect(e.status).toBe(400);
    expect(e.body.error.message).toContain('input');
  });

  it('answers 404 model_not_found for an unknown model and 404 / 405 for unknown routes and methods', async () => {
    const r = await post(base, '/v1/embeddings', { model: 'gpt-9', input: 'a' }, auth());
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'model_not_found',
      param: 'model',
    });
    expect(r.body.error.message).toContain('Invalid model name passed in model=gpt-9');
    const missing = await get(base, '/v1/nothing', auth());
    expect(missing.status).toBe(404);
    expect(missing.body.error.type).toBe('not_found_error');
    const wrongMethod = await get(base, '/v1/chat/completions', auth());
    expect(wrongMethod.status).toBe(405);
  });

  it('/v1/models/{id} and /models/{id}: a name with a slash, percent-encoded or not; auth required', async () => {
    for (const path of ['/v1/models/chat', '/models/chat', '/v1/models/chat/']) {
      const r = await get(base, path, auth());
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: 'chat', object: 'model' });
    }
    for (const path of ['/v1/models/meta-llama%2FLlama-3', '/v1/models/meta-llama/Llama-3']) {
      const r = await get(base, path, auth());
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('model_not_found');
      expect(r.body.error.message).toContain('model=meta-llama/Llama-3');
    }
    const bad = await get(base, '/v1/models/%E0%A4', auth());
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('model');
    expect((await get(base, '/v1/models/chat')).status).toBe(401);
  });

  it('/model/info lists deployments without secrets', async () => {
    for (const path of ['/model/info', '/v1/model/info']) {
      const r = await get(base, path, auth());
      expect(r.status).toBe(200);
      const chat = r.body.data.find((d: { model_name: string }) => d.model_name === 'chat');
      expect(chat.litellm_params.model).toBe('hosted_vllm/facebook/opt-125m');
      expect(chat.litellm_params.api_key).toBeUndefined();
      expect(JSON.stringify(r.body)).not.toContain('sk-upstream-secret');
      expect(chat.model_info.litellm_provider).toBe('hosted_vllm');
    }
  });

  it('/health probes every deployment and reports the unhealthy one', async () => {
    stack.triton.inject({ status: 503, times: 5 });
    const r = await get(base, '/health', auth());
    expect(r.status).toBe(200);
    expect(r.body.unhealthy_endpoints.map((e: { model_name: string }) => e.model_name)).toContain(
      'triton-chat',
    );
    expect(r.body.healthy_endpoints.map((e: { model_name: string }) => e.model_name)).toEqual(
      expect.arrayContaining(['chat', 'text', 'embed', 'rerank']),
    );
    expect(r.body.healthy_count + r.body.unhealthy_count).toBe(6);
  });

  it('/metrics never grows a series per model name a client makes up', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `made-up-model-${i}`);
    for (const model of names) {
      const r = await post(base, '/v1/chat/completions', { ...chatBody, model }, auth());
      expect(r.status).toBe(404);
    }
    const text = (await get(base, '/metrics')).body as string;
    for (const model of names) expect(text).not.toContain(model);
    expect(text).toMatch(
      /litellm_proxy_total_requests_metric\{route="\/v1\/chat\/completions",status_code="404",requested_model=""\} (\d+)/,
    );
  });

  it('/metrics exposes LiteLLM metric names with real counts', async () => {
    await post(base, '/v1/chat/completions', chatBody, auth());
    const r = await get(base, '/metrics');
    expect(r.headers['content-type']).toContain('text/plain');
    const text = r.body as string;
    expect(text).toMatch(
      /litellm_proxy_total_requests_metric\{route="\/v1\/chat\/completions",status_code="200",requested_model="chat"\} \d+/,
    );
    expect(text).toMatch(
      /litellm_proxy_failed_requests_metric\{route="\/v1\/chat\/completions",exception_status="401"/,
    );
    expect(text).toContain(
      'litellm_request_total_latency_metric_bucket{model_group="chat",le="+Inf"}',
    );
    expect(text).toMatch(/litellm_input_tokens_metric\{model_group="chat"\} [1-9]/);
    expect(text).toContain('litellm_deployment_state{');
    expect(text).toContain('litellm_deployment_success_responses{');
  });
});

describe('without a master key', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it('serves requests without any key', async () => {
    const r = await post(stack.proxy.url, '/v1/chat/completions', chatBody);
    expect(r.status).toBe(200);
    expect((await get(stack.proxy.url, '/v1/models')).body.object).toBe('list');
  });

  it('the default body limit is 10 MiB: a declared larger body is refused before it is read', async () => {
    const res = await request(`${stack.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(11 * 1024 * 1024) },
      body: 'x'.repeat(1024),
    }).catch(e => e);
    // Either the 413 arrives, or the socket is closed after it; never a 200 or a hang.
    if ('statusCode' in res) expect(res.statusCode).toBe(413);
    else expect(res).toBeInstanceOf(Error);
  });
});

it('passes the upstream x-ratelimit-* headers through', async () => {
  // An OpenAI-compatible upstream that reports its limits, as vLLM behind a gateway may.
  const upstream = createServer((_req, res) => {
    const body = JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-ratelimit-remaining-requests': '41',
      'x-ratelimit-limit-requests': '60',
      'x-internal-secret': 'no',
    });
    res.end(body);
  });
  await new Promise<void>(resolve => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  const { config } = parseConfig({
    model_list: [
      {
        model_name: 'm',
        litellm_params: { model: 'hosted_vllm/m', api_base: `http://127.0.0.1:${port}` },
      },
    ],
  });
  const proxy = await startProxy({
    config,
    host: '127.0.0.1',
    port: 0,
    logger: createLogger({ level: 'silent' }),
  });
  try {
    const r = await post(proxy.url, '/v1/chat/completions', {
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(r.status).toBe(200);
    expect(r.headers['x-ratelimit-remaining-requests']).toBe('41');
    expect(r.headers['x-ratelimit-limit-requests']).toBe('60');
    expect(r.headers['x-internal-secret']).toBeUndefined();
  } finally {
    await proxy.close();
    await new Promise(resolve => upstream.close(resolve));
  }
});
