import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_DEPTH } from '../src/http/body-hazards';
import { auth, get, MASTER_KEY, post, type Stack, startStack } from './helpers';
import { freshDatabase } from './keys-helpers';

/**
 * Inputs that once answered 500 (a crash inside the proxy). Each must be a
 * 400 in OpenAI's error shape whose `param` names the field, and the proxy
 * must keep serving.
 */
describe('bad input is a 400 naming the field', () => {
  let stack: Stack;
  let base: string;
  let drop: () => Promise<void>;
  const messages = [{ role: 'user', content: 'hi' }];

  beforeAll(async () => {
    const db = await freshDatabase();
    drop = db.drop;
    stack = await startStack({
      masterKey: MASTER_KEY,
      extra: { general_settings: { database_url: db.url } },
    });
    base = stack.proxy.url;
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await drop?.();
  });

  /** A 400 in OpenAI's error shape naming `param`. */
  function expectRefused(res: { status: number; body: unknown }, param: string | null): void {
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    const error = (res.body as { error: Record<string, unknown> }).error;
    expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(error.param).toBe(param);
    expect(error.code).toBe('400');
    expect(typeof error.message).toBe('string');
  }

  const ROUTES: Array<[string, Record<string, unknown>]> = [
    ['/v1/chat/completions', { model: 'chat', messages }],
    ['/v1/completions', { model: 'text', prompt: 'hi' }],
    ['/v1/embeddings', { model: 'embed', input: 'hi' }],
    ['/v1/rerank', { model: 'rerank', query: 'q', documents: ['a'] }],
    ['/key/generate', {}],
    ['/team/new', {}],
    ['/user/new', { auto_create_key: false }],
  ];

  it.each(
    ROUTES.flatMap(([path, body]) =>
      ['__proto__', 'hasOwnProperty', 'valueOf', 'constructor', 'toString'].map(
        key => [path, key, body] as const,
      ),
    ),
  )('%s with a top-level %s key', async (path, key, body) => {
    // Written by hand: JSON.stringify of an object literal cannot carry an own __proto__ key.
    const text = `${JSON.stringify(body).slice(0, -1)}${Object.keys(body).length ? ',' : ''}"${key}":{"polluted":true}}`;
    expectRefused(await post(base, path, text, auth()), key);
  });

  it('refuses __proto__ at any depth, also when spelled with escapes', async () => {
    const nested = `{"model":"chat","messages":[{"role":"user","content":"hi"}],"metadata":{"a":[{"__proto__":{"x":1}}]}}`;
    expectRefused(
      await post(base, '/v1/chat/completions', nested, auth()),
      'metadata.a[0].__proto__',
    );
    const escaped = `{"model":"chat","messages":[{"role":"user","content":"hi"}],"extra_body":{"\\u005f_proto__":{"x":1}}}`;
    expectRefused(
      await post(base, '/v1/chat/completions', escaped, auth()),
      'extra_body.__proto__',
    );
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses nesting deeper than the limit and accepts it up to the limit', async () => {
    const nest = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    // The body is level 1, so metadata's value may be nested MAX - 1 deep.
    const deep = `{"model":"chat","messages":[{"role":"user","content":"hi"}],"metadata":{"m":${nest(MAX_BODY_DEPTH - 1)}}}`;
    expectRefused(
      await post(base, '/v1/chat/completions', deep, auth()),
      `metadata.m${'[0]'.repeat(MAX_BODY_DEPTH - 2)}`,
    );
    const huge = `{"model":"chat","messages":[{"role":"user","content":"hi"}],"metadata":{"m":${nest(100_000)}}}`;
    expect((await post(base, '/v1/chat/completions', huge, auth())).status).toBe(400);
    const fine = `{"model":"chat","messages":[{"role":"user","content":"hi"}],"max_tokens":2,"metadata":{"m":${nest(MAX_BODY_DEPTH - 2)}}}`;
    expect((await post(base, '/v1/chat/completions', fine, auth())).status).toBe(200);
  });

  it.each([1, {}, [], true])('refuses api_key given as %j', async apiKey => {
    for (const [path, body] of ROUTES.slice(0, 4)) {
      expectRefused(await post(base, path, { ...body, api_key: apiKey }, auth()), 'api_key');
    }
  });

  it.each([
    ['extra_headers', { 'x-a': 1 }],
    ['headers', 'x-a: 1'],
    ['extra_body', [1]],
    ['signal', {}],
    ['drop_params', 'yes'],
    ['mock_response', 42],
    ['custom_llm_provider', ['triton']],
    ['provider_options', 'x'],
    ['timeoutMs', -1],
  ])('refuses the call option %s of the wrong type', async (field, value) => {
    const res = await post(
      base,
      '/v1/chat/completions',
      { model: 'chat', messages, [field]: value },
      auth(),
    );
    expectRefused(res, field);
  });

  it('refuses durations too long to be a date, for keys, users and teams', async () => {
    for (const field of ['duration', 'budget_duration']) {
      for (const value of ['99999999999999d', '1201mo', '5300w', '36600d', '876700h']) {
        expectRefused(await post(base, '/key/generate', { [field]: value }, auth()), field);
      }
    }
    expectRefused(
      await post(base, '/team/new', { budget_duration: '99999999999999d' }, auth()),
      'budget_duration',
    );
    expectRefused(
      await post(base, '/user/new', { duration: '99999999999999h' }, auth()),
      'duration',
    );
    const ok = await post(
      base,
      '/key/generate',
      { duration: '36500d', budget_duration: '1200mo' },
      auth(),
    );
    expect(ok.status).toBe(200);
    expect(new Date(ok.body.expires).getUTCFullYear()).toBeGreaterThan(2100);
  });

  it('refuses limits beyond what the INTEGER columns hold', async () => {
    for (const field of ['rpm_limit', 'tpm_limit', 'max_parallel_requests']) {
      expectRefused(await post(base, '/key/generate', { [field]: 2 ** 31 }, auth()), field);
      expectRefused(await post(base, '/team/new', { [field]: 1e20 }, auth()), field);
    }
  });

  it('a malformed escape in /key/{key}/regenerate is a 400', async () => {
    const res = await post(base, '/key/%E0%A4%A/regenerate', {}, auth());
    expectRefused(res, 'key');
  });

  it('transcription form fields follow the same rules as JSON bodies', async () => {
    const send = async (name: string, value: string) => {
      const form = new FormData();
      form.set('model', 'whisper');
      form.set(name, value);
      form.set('file', new Blob([new Uint8Array(64)], { type: 'audio/wav' }), 'a.wav');
      const res = await fetch(`${base}/v1/audio/transcriptions`, {
        method: 'POST',
        headers: auth(),
        body: form,
      });
      return { status: res.status, body: await res.json() };
    };
    expectRefused(await send('api_base', 'http://127.0.0.1:9'), 'api_base');
    expectRefused(await send('extra_body', 'x'), 'extra_body');
    expectRefused(await send('hasOwnProperty', 'x'), 'hasOwnProperty');
  });

  it('a response id the database cannot hold is not found, in the path or the body (once a 500)', async () => {
    for (const path of ['/v1/responses/a%00b', '/responses/%00', '/v1/responses/%00/input_items']) {
      for (const method of path.endsWith('input_items') ? ['GET'] : ['GET', 'DELETE']) {
        const res = await request(`${base}${path}`, { method: method as 'GET', headers: auth() });
        const body = (await res.body.json()) as { error: { param: string; type: string } };
        expect(res.statusCode, `${method} ${path}`).toBe(404);
        expect(body.error.param).toBe('response_id');
      }
    }
    const res = await post(
      base,
      '/v1/responses',
      { model: 'chat', input: 'hi', previous_response_id: 'resp_\u0000' },
      auth(),
    );
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.param).toBe('previous_response_id');
  });

  it('refuses a spend-log date that is not on the calendar (once a 500)', async () => {
    for (const [name, value] of [
      ['start_date', '2025-02-30'],
      ['end_date', '2025-02-29'],
      ['start_date', '2025-04-31T10:00:00Z'],
      ['end_date', '0000-01-01'],
      ['start_date', '2025-01-01 not a time'],
    ]) {
      const res = await get(base, `/spend/logs?${name}=${encodeURIComponent(value!)}`, auth());
      expectRefused(res, name!);
    }
    const leap = await get(
      base,
      '/spend/logs?start_date=2024-02-29T00:00:00Z&end_date=2024-02-29',
      auth(),
    );
    expect(leap.status).toBe(200);
  });

  it('still serves after all of it', async () => {
    const res = await post(base, '/v1/chat/completions', { model: 'chat', messages }, auth());
    expect(res.status).toBe(200);
    const live = await get(base, '/health/liveliness');
    expect(live.status).toBe(200);
    const raw = await request(`${base}/v1/models`, { headers: auth() });
    expect(raw.statusCode).toBe(200);
    await raw.body.text();
  });
});
