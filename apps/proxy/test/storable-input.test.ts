import type { VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProxy } from '../src/index';
import { auth, get, MASTER_KEY, post } from './helpers';
import { chat, type KeysStack, startKeysStack } from './keys-helpers';

const POISON = {
  nul: 'a\u0000b',
  lone: '\ud800x',
  huge: 'x'.repeat(1_048_576),
} as const;

const deep = (depth: number): Record<string, unknown> => {
  let v: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < depth; i++) v = { n: v };
  return v;
};

/**
 * Values the database cannot hold as sent (NUL, unpaired surrogates, a
 * megabyte, a thousand levels) are refused at the door with a 400 naming
 * the field, on both stores, and the store keeps working afterwards.
 */
describe.each([
  ['embedded store', false],
  ['PostgreSQL', true],
] as const)('unstorable input on the %s', (_name, usePostgres) => {
  let stack: KeysStack;
  let proxy: RunningProxy;
  let vllm: VllmEmulator;

  beforeAll(async () => {
    stack = await startKeysStack({ postgres: usePostgres, masterKey: MASTER_KEY });
    ({ proxy, vllm } = stack);
  }, 180_000);

  afterAll(() => stack?.close());

  it.each([
    ['/key/generate', 'key_alias', (v: unknown) => ({ key_alias: v })],
    ['/key/generate', 'user_id', (v: unknown) => ({ user_id: v })],
    ['/key/generate', 'models[0]', (v: unknown) => ({ models: [v] })],
    ['/key/generate', 'metadata.tags[1]', (v: unknown) => ({ metadata: { tags: ['ok', v] } })],
    ['/key/generate', 'key', (v: unknown) => ({ key: `sk-custom-${v}` })],
    ['/user/new', 'user_alias', (v: unknown) => ({ user_alias: v })],
    ['/user/new', 'user_email', (v: unknown) => ({ user_email: v })],
    ['/team/new', 'team_alias', (v: unknown) => ({ team_alias: v })],
    [
      '/team/new',
      'members_with_roles[0].note',
      (v: unknown) => ({ members_with_roles: [{ role: 'user', user_id: 'u1', note: v }] }),
    ],
  ])('%s refuses an unstorable %s with 400 naming it', async (path, param, body) => {
    for (const value of [POISON.nul, POISON.lone, ...(param.includes('.') ? [] : [POISON.huge])]) {
      const r = await post(proxy.url, path, body(value), auth());
      expect(r.status).toBe(400);
      expect(r.body.error.param).toBe(param);
      expect(r.body.error.type).toBe('invalid_request_error');
    }
  });

  it('refuses metadata nested deeper than 32 levels, naming where', async () => {
    const r = await post(proxy.url, '/key/generate', { metadata: deep(40) }, auth());
    expect(r.status).toBe(400);
    expect(r.body.error.param).toMatch(/^metadata\.n\.n/);
    expect(r.body.error.message).toContain('deeper than 32 levels');
    const fine = await post(proxy.url, '/key/generate', { metadata: deep(20) }, auth());
    expect(fine.status).toBe(200);
  });

  it('refuses an unstorable query parameter with 400 naming it', async () => {
    for (const path of [
      '/user/info?user_id=a%00b',
      '/spend/logs?request_id=%00',
      '/key/list?key_alias=%00',
    ]) {
      const r = await get(proxy.url, path, auth());
      expect(r.status).toBe(400);
      expect(r.body.error.param).toMatch(/user_id|request_id|key_alias/);
    }
  });

  it('refuses an unstorable end-user id (`user`) before anything is reserved or sent upstream', async () => {
    const made = await post(proxy.url, '/key/generate', { max_parallel_requests: 1 }, auth());
    const before = vllm.requests.entries.length;
    for (const user of [POISON.nul, POISON.lone, POISON.huge]) {
      const r = await post(
        proxy.url,
        '/v1/chat/completions',
        chat('chat', 'hi', { user }),
        auth(made.body.key),
      );
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ param: 'user', type: 'invalid_request_error' });
    }
    expect(vllm.requests.entries.length).toBe(before);
    // The single parallel slot was never taken: a clean request still passes.
    const ok = await post(
      proxy.url,
      '/v1/chat/completions',
      chat('chat', 'hi', { user: 'u-😀' }),
      auth(made.body.key),
    );
    expect(ok.status).toBe(200);
  });
});
