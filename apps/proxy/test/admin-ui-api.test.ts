/**
 * The admin page's JSON endpoints over real HTTP, in front of the vLLM
 * emulator: what the page shows is what the proxy served (counts, tokens,
 * status, cost), only the master key reads it, bad parameters are 400s
 * naming the field, and the page's own polling is not counted as traffic.
 */
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, get, MASTER_KEY, post, type Stack, startStack } from './helpers';

/** Polls `read` until `done` holds of its value (at most 5 s). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise<void>(resolve => setTimeout(resolve, 50));
  }
}

const chat = (marker: string, model = 'chat') => ({
  model,
  messages: [{ role: 'user', content: marker }],
  max_tokens: 5,
});

describe('admin page endpoints', () => {
  let stack: Stack;
  let pricedEngine: VllmEmulator;
  let base: string;

  beforeAll(async () => {
    // A second engine for a priced deployment: its URL must be known before the config is.
    pricedEngine = await startVllmEmulator({ model: 'facebook/opt-125m' });
    stack = await startStack({
      masterKey: MASTER_KEY,
      extra: {
        router_settings: { num_retries: 0, routing_strategy: 'load-aware' },
        general_settings: { store_prompts_in_spend_logs: true },
      },
      extraModels: [
        {
          model_name: 'priced',
          litellm_params: { model: 'hosted_vllm/facebook/opt-125m', api_base: pricedEngine.url },
          model_info: { input_cost_per_token: 0.001, output_cost_per_token: 0.002 },
        },
      ],
    });
    base = stack.proxy.url;
    // Opening the embedded store takes seconds under load: not what these tests time.
    await stack.proxy.keys!.db();
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await pricedEngine?.close();
  });

  it('answers only the master key, in OpenAI error shape', async () => {
    const none = await get(base, '/ui/api/session');
    expect(none.status).toBe(401);
    expect(none.body.error.type).toBe('auth_error');
    const wrong = await get(base, '/ui/api/requests', auth('sk-not-a-key-at-all'));
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({
      type: expect.any(String),
      message: expect.any(String),
    });
    const ok = await get(base, '/ui/api/session', auth());
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ admin: true, key_management: true, store_prompts: true });
    expect(ok.body.model_groups).toContain('chat');
  });

  it('lists each request with what the upstream reported, newest first, prompt text included when turned on', async () => {
    const answers = [];
    for (const marker of ['first-marker', 'second-marker']) {
      const r = await post(base, '/v1/chat/completions', chat(marker), auth());
      expect(r.status).toBe(200);
      answers.push(r);
    }
    const missing = await post(base, '/v1/chat/completions', chat('x', 'no-such-model'), auth());
    expect(missing.status).toBe(404);

    const { status, body } = await get(base, '/ui/api/requests?limit=3', auth());
    expect(status).toBe(200);
    const [notFound, second, first] = body.requests;
    expect(notFound).toMatchObject({ status: 404, model: 'no-such-model', model_group: null });
    expect(notFound.cost).toBeNull();
    expect(second.call_id).toBe(answers[1]!.headers['x-litellm-call-id']);
    expect(first.call_id).toBe(answers[0]!.headers['x-litellm-call-id']);
    const usage = answers[1]!.body.usage;
    expect(second).toMatchObject({
      status: 200,
      route: '/v1/chat/completions',
      model: 'chat',
      model_group: 'chat',
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
      total_tokens: usage.total_tokens,
      key: 'master',
      error: null,
    });
    expect(second.model_id).toEqual(expect.any(String));
    expect(second.latency_ms).toBeGreaterThan(0);
    expect(second.prompt).toBe('user: second-marker');
  });

  it('prices a request from model_info at read time', async () => {
    const r = await post(base, '/v1/chat/completions', chat('priced', 'priced'), auth());
    expect(r.status).toBe(200);
    const { body } = await get(base, '/ui/api/requests?limit=1', auth());
    const [row] = body.requests;
    const expected = r.body.usage.prompt_tokens * 0.001 + r.body.usage.completion_tokens * 0.002;
    expect(row.cost_source).toBe('model_info');
    expect(row.cost).toBeCloseTo(expected, 10);
    // The same figure the client was told.
    expect(Number(r.headers['x-litellm-response-cost'])).toBeCloseTo(expected, 10);
  });

  it('counts requests, errors and reported tokens per model group in the live series', async () => {
    const sum = (points: Array<{ requests: number }>) => points.reduce((n, p) => n + p.requests, 0);
    const series = async () => (await get(base, '/ui/api/overview?window=60&step=1', auth())).body;
    const chatBefore = sum((await series()).groups.chat ?? []);
    const sent = [];
    for (let i = 0; i < 3; i++)
      sent.push(await post(base, '/v1/chat/completions', chat(`s${i}`), auth()));
    await post(base, '/v1/chat/completions', chat('x', 'no-such-model'), auth());
    // A series ends at the last whole second: these requests show once their second is over.
    const after = {
      body: await until(series, b => sum(b.groups.chat) - chatBefore >= 3 && '' in b.groups),
    };
    const tokens = after.body.groups.chat.reduce(
      (n: number, p: { outputTokens: number }) => n + p.outputTokens,
      0,
    );
    expect(tokens).toBeGreaterThanOrEqual(
      sent.reduce((n, r) => n + r.body.usage.completion_tokens, 0),
    );
    const unserved = after.body.groups[''];
    expect(unserved.reduce((n: number, p: { errors: number }) => n + p.errors, 0)).toBeGreaterThan(
      0,
    );
    const busy = after.body.total.filter((p: { requests: number }) => p.requests > 0);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.every((p: { p50Ms: number; p95Ms: number }) => p.p95Ms >= p.p50Ms)).toBe(true);
  });

  it('does not count its own polling or management calls as traffic', async () => {
    const before = await get(base, '/ui/api/requests?limit=500', auth());
    for (let i = 0; i < 5; i++) await get(base, '/ui/api/overview', auth());
    await get(base, '/ui', {});
    // Nor the page's management reads (the Keys page polls the key list).
    await get(base, '/key/list', auth());
    const after = await get(base, '/ui/api/requests?limit=500', auth());
    expect(after.body.requests.length).toBe(before.body.requests.length);
    const metrics = await get(base, '/metrics');
    expect(metrics.body).not.toContain('route="/ui');
  });

  it('shows every deployment with its state, in-flight count and the engine load the router read', async () => {
    const strategy = stack.proxy.router.strategy as unknown as { refresh(): Promise<void> };
    await strategy.refresh();
    const { status, body } = await get(base, '/ui/api/models', auth());
    expect(status).toBe(200);
    expect(body.routing_strategy).toBe('load-aware');
    const chatRow = body.deployments.find((d: { model_name: string }) => d.model_name === 'chat');
    expect(chatRow).toMatchObject({
      state: 'healthy',
      cooldown_until: null,
      in_flight: 0,
      api_base: stack.vllm.url,
    });
    expect(chatRow.engine_load).toMatchObject({ running: 0, waiting: 0 });
  });

  it('refuses bad parameters with a 400 naming the field', async () => {
    for (const [path, param] of [
      ['/ui/api/requests?limit=0', 'limit'],
      ['/ui/api/requests?limit=abc', 'limit'],
      ['/ui/api/overview?step=0', 'step'],
      ['/ui/api/spend?days=9999', 'days'],
    ] as const) {
      const r = await get(base, path, auth());
      expect(r.status, path).toBe(400);
      expect(r.body.error.param, path).toBe(param);
    }
  });

  it('answers a GET-only endpoint called with POST with 405', async () => {
    const r = await post(base, '/ui/api/requests', {}, auth());
    expect(r.status).toBe(405);
    expect(r.body.error.message).toContain('GET');
  });
});

describe('prompt text off by default', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ masterKey: MASTER_KEY });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('keeps no prompt text unless the operator turned it on', async () => {
    await post(stack.proxy.url, '/v1/chat/completions', chat('secret-prompt'), auth());
    const { body } = await get(stack.proxy.url, '/ui/api/requests?limit=1', auth());
    expect(body.store_prompts).toBe(false);
    expect(body.requests[0].prompt).toBeNull();
    expect(JSON.stringify(body)).not.toContain('secret-prompt');
  });
});

describe('admin page turned off', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ masterKey: MASTER_KEY, adminUi: { enabled: false } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('serves neither the page nor its endpoints', async () => {
    for (const path of ['/ui', '/ui/assets/index.js', '/ui/api/requests']) {
      const r = await get(stack.proxy.url, path, auth());
      expect(r.status, path).toBe(404);
      expect(r.body.error.type, path).toBe('not_found_error');
    }
  });
});
