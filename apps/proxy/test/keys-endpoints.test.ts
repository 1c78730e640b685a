import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, parseConfig, type RunningProxy, startProxy } from '../src/index';
import { auth, get, MASTER_KEY, post } from './helpers';
import { chat, freshDatabase, tempDir } from './keys-helpers';

/**
 * Every management endpoint, once against the embedded store (PGlite) and
 * once against PostgreSQL: one schema, one set of statements.
 */
describe.each([
  ['embedded store', false],
  ['PostgreSQL', true],
] as const)('key management on the %s', (_name, usePostgres) => {
  let vllm: VllmEmulator;
  let proxy: RunningProxy;
  let base: string;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    vllm = await startVllmEmulator({ model: 'facebook/opt-125m' });
    const db = usePostgres ? await freshDatabase() : undefined;
    drop = db?.drop;
    const { config } = parseConfig(
      {
        model_list: [
          {
            model_name: 'chat',
            litellm_params: { model: 'hosted_vllm/facebook/opt-125m', api_base: vllm.url },
            model_info: { input_cost_per_token: 0.001, output_cost_per_token: 0.002 },
          },
          {
            model_name: 'free',
            litellm_params: { model: 'hosted_vllm/facebook/opt-125m', api_base: vllm.url },
          },
        ],
        general_settings: {
          master_key: MASTER_KEY,
          switchyard_data_dir: await tempDir(),
          proxy_batch_write_at: 0.05,
          ...(db ? { database_url: db.url } : {}),
        },
        router_settings: { num_retries: 0 },
      },
      { env: {} },
    );
    proxy = await startProxy({
      config,
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ level: 'silent' }),
    });
    base = proxy.url;
    // PGlite's first open creates the cluster (seconds under load); not part of any one test.
    await proxy.keys!.db();
  }, 180_000);

  afterAll(async () => {
    await proxy?.close();
    await vllm?.close();
    await drop?.();
  });

  it('generates a key shown once, stored only as its SHA-256, and serves with it', async () => {
    const made = await post(
      base,
      '/key/generate',
      { key_alias: 'alpha', models: ['chat'], metadata: { team: 'x' } },
      auth(),
    );
    expect(made.status).toBe(200);
    expect(made.body.key).toMatch(/^sk-[A-Za-z0-9_-]{22}$/);
    expect(made.body.token).toMatch(/^[0-9a-f]{64}$/);
    expect(made.body.token).not.toContain(made.body.key);
    expect(made.body.key_name).toBe(`sk-...${made.body.key.slice(-4)}`);
    const info = await get(base, `/key/info?key=${made.body.key}`, auth());
    expect(info.status).toBe(200);
    expect(info.body.info.key_alias).toBe('alpha');
    expect(info.body.info.token).toBe(made.body.token);
    expect(JSON.stringify(info.body.info)).not.toContain(made.body.key.slice(3));
    const answer = await post(base, '/v1/chat/completions', chat('chat'), auth(made.body.key));
    expect(answer.status).toBe(200);
    expect(Number(answer.headers['x-litellm-response-cost'])).toBeGreaterThan(0);
  });

  it('refuses a model outside the allow-list with 401 key_model_access_denied', async () => {
    const made = await post(base, '/key/generate', { models: ['chat'] }, auth());
    const denied = await post(base, '/v1/chat/completions', chat('free'), auth(made.body.key));
    expect(denied.status).toBe(401);
    expect(denied.body.error.type).toBe('key_model_access_denied');
  });

  it('updates a key and the change applies to the next request', async () => {
    const made = await post(base, '/key/generate', {}, auth());
    const updated = await post(
      base,
      '/key/update',
      { key: made.body.key, models: ['free'], rpm_limit: 5 },
      auth(),
    );
    expect(updated.status).toBe(200);
    expect(updated.body.models).toEqual(['free']);
    expect(updated.body.rpm_limit).toBe(5);
    const denied = await post(base, '/v1/chat/completions', chat('chat'), auth(made.body.key));
    expect(denied.status).toBe(401);
    const missing = await post(
      base,
      '/key/update',
      { key: 'sk-nope-nope-nope', rpm_limit: 1 },
      auth(),
    );
    expect(missing.status).toBe(404);
  });

  it('lists keys with paging and filters', async () => {
    await post(base, '/key/generate', { user_id: 'lister', key_alias: 'l1' }, auth());
    await post(base, '/key/generate', { user_id: 'lister', key_alias: 'l2' }, auth());
    const page = await get(base, '/key/list?user_id=lister&size=1&page=2', auth());
    expect(page.status).toBe(200);
    expect(page.body.total_count).toBe(2);
    expect(page.body.total_pages).toBe(2);
    expect(page.body.current_page).toBe(2);
    expect(page.body.keys).toHaveLength(1);
    expect(page.body.keys[0]).toMatch(/^[0-9a-f]{64}$/);
    const full = await get(base, '/key/list?user_id=lister&return_full_object=true', auth());
    expect(full.body.keys.map((k: { key_alias: string }) => k.key_alias).sort()).toEqual([
      'l1',
      'l2',
    ]);
  });

  it('regenerates a key: the old one stops, the new one works with the same settings', async () => {
    const made = await post(base, '/key/generate', { key_alias: 'regen', rpm_limit: 100 }, auth());
    const again = await post(base, `/key/${made.body.key}/regenerate`, {}, auth());
    expect(again.status).toBe(200);
    expect(again.body.key).not.toBe(made.body.key);
    expect(again.body.key_alias).toBe('regen');
    expect(again.body.rpm_limit).toBe(100);
    expect(
      (await post(base, '/v1/chat/completions', chat('chat'), auth(made.body.key))).status,
    ).toBe(401);
    expect(
      (await post(base, '/v1/chat/completions', chat('chat'), auth(again.body.key))).status,
    ).toBe(200);
    const viaBody = await post(base, '/key/regenerate', { key: again.body.key }, auth());
    expect(viaBody.status).toBe(200);
  });

  it('deletes keys by key and by alias; a deleted key is refused at once', async () => {
    const a = await post(base, '/key/generate', {}, auth());
    const b = await post(base, '/key/generate', { key_alias: 'doomed' }, auth());
    expect((await post(base, '/v1/chat/completions', chat('chat'), auth(a.body.key))).status).toBe(
      200,
    );
    const gone = await post(
      base,
      '/key/delete',
      { keys: [a.body.key], key_aliases: ['doomed'] },
      auth(),
    );
    expect(gone.status).toBe(200);
    expect(gone.body.deleted_keys.sort()).toEqual([a.body.key, 'doomed'].sort());
    expect((await post(base, '/v1/chat/completions', chat('chat'), auth(a.body.key))).status).toBe(
      401,
    );
    expect((await post(base, '/v1/chat/completions', chat('chat'), auth(b.body.key))).status).toBe(
      401,
    );
  });

  it('refuses an expired key with expired_key', async () => {
    const made = await post(base, '/key/generate', { duration: '1s' }, auth());
    const expires = Date.parse(made.body.expires);
    expect(expires).toBeGreaterThan(Date.now() - 2000);
    // Push the expiry into the past instead of waiting for the clock.
    await proxy
      .keys!.db()
      .then(db =>
        db.query(
          `UPDATE "LiteLLM_VerificationToken" SET expires = now() - interval '1 minute' WHERE token = $1`,
          [made.body.token],
        ),
      );
    await proxy.keys!.invalidate(made.body.token);
    const refused = await post(base, '/v1/chat/completions', chat('chat'), auth(made.body.key));
    expect(refused.status).toBe(401);
    expect(refused.body.error.type).toBe('expired_key');
  });

  it('creates users (with a key) and teams, and reports them with their keys', async () => {
    const user = await post(
      base,
      '/user/new',
      { user_id: 'ann', max_budget: 5, user_email: 'ann@example.com' },
      auth(),
    );
    expect(user.status).toBe(200);
    expect(user.body.user_id).toBe('ann');
    expect(user.body.key).toMatch(/^sk-/);
    const dup = await post(base, '/user/new', { user_id: 'ann' }, auth());
    expect(dup.status).toBe(400);
    const uinfo = await get(base, '/user/info?user_id=ann', auth());
    expect(uinfo.body.user_info.max_budget).toBe(5);
    expect(uinfo.body.keys).toHaveLength(1);
    const team = await post(
      base,
      '/team/new',
      {
        team_alias: 'core',
        members_with_roles: [{ role: 'admin', user_id: 'ann' }],
        rpm_limit: 10,
      },
      auth(),
    );
    expect(team.status).toBe(200);
    expect(team.body.admins).toEqual(['ann']);
    const key = await post(base, '/key/generate', { team_id: team.body.team_id }, auth());
    const tinfo = await get(base, `/team/info?team_id=${team.body.team_id}`, auth());
    expect(tinfo.body.team_info.rpm_limit).toBe(10);
    expect(tinfo.body.keys.map((k: { token: string }) => k.token)).toEqual([key.body.token]);
    expect((await get(base, '/team/info?team_id=nope', auth())).status).toBe(404);
  });

  it('records spend rows and answers /spend/logs and /global/spend', async () => {
    const made = await post(base, '/key/generate', { user_id: 'spender' }, auth());
    const priced = await post(base, '/v1/chat/completions', chat('chat'), {
      ...auth(made.body.key),
      'x-litellm-call-id': `priced-${usePostgres}`,
    });
    const free = await post(base, '/v1/chat/completions', chat('free'), {
      ...auth(made.body.key),
      'x-litellm-call-id': `free-${usePostgres}`,
    });
    expect(priced.status).toBe(200);
    expect(free.status).toBe(200);
    await proxy.keys!.spend!.flush();
    const logs = await get(base, `/spend/logs?api_key=${made.body.key}`, auth());
    expect(logs.status).toBe(200);
    // Keyed by the proxy's id; the client's own call id is kept for tracing.
    const byId = new Map(logs.body.map((r: { litellm_call_id: string }) => [r.litellm_call_id, r]));
    const p = byId.get(`priced-${usePostgres}`) as Record<string, unknown>;
    const u = priced.body.usage;
    expect(p.spend).toBeCloseTo(u.prompt_tokens * 0.001 + u.completion_tokens * 0.002, 10);
    expect(p).toMatchObject({
      model: 'chat',
      model_group: 'chat',
      status: 'success',
      cost_source: 'model_info',
      user: 'spender',
      prompt_tokens: u.prompt_tokens,
    });
    const f = byId.get(`free-${usePostgres}`) as Record<string, unknown>;
    expect(f).toMatchObject({ spend: 0, cost_source: 'unknown' });
    const info = await get(base, `/key/info?key=${made.body.key}`, auth());
    expect(info.body.info.spend).toBeCloseTo(p.spend as number, 10);
    const today = new Date().toISOString().slice(0, 10);
    const days = await get(
      base,
      `/spend/logs?user_id=spender&start_date=${today}&end_date=${today}`,
      auth(),
    );
    expect(days.body).toHaveLength(1);
    expect(days.body[0].models.chat).toBeCloseTo(p.spend as number, 10);
    const global = await get(base, '/global/spend', auth());
    expect(global.body.spend).toBeGreaterThanOrEqual(p.spend as number);
    expect(global.body.max_budget).toBeNull();
  });

  it('refuses a virtual key whose value is the master key, on generate and regenerate', async () => {
    const same = await post(base, '/key/generate', { key: MASTER_KEY }, auth());
    expect(same.status).toBe(400);
    expect(same.body.error.param).toBe('key');
    expect(same.body.error.message).not.toContain(MASTER_KEY);
    const made = await post(base, '/key/generate', {}, auth());
    const regen = await post(
      base,
      '/key/regenerate',
      { key: made.body.key, new_key: MASTER_KEY },
      auth(),
    );
    expect(regen.status).toBe(400);
    expect(regen.body.error.param).toBe('new_key');
    // Nothing changed: the old key still works.
    const still = await post(base, '/v1/chat/completions', chat('chat'), auth(made.body.key));
    expect(still.status).toBe(200);
  });

  it('answers bad input with 400 naming the field, and only to the master key', async () => {
    const bad = await post(base, '/key/generate', { max_budget: 'lots' }, auth());
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('max_budget');
    const badDuration = await post(base, '/key/generate', { budget_duration: 'soon' }, auth());
    expect(badDuration.status).toBe(400);
    expect(badDuration.body.error.message).toContain('budget_duration');
    expect((await get(base, '/key/info', auth())).status).toBe(400);
    const made = await post(base, '/key/generate', {}, auth());
    const asKey = await post(base, '/key/generate', {}, auth(made.body.key));
    expect(asKey.status).toBe(401);
    expect((await post(base, '/key/generate', {}, auth('sk-unknown-key'))).status).toBe(401);
  });
});
