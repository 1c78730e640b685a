import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSpendBatch } from '../src/spend/spend-sql';
import { openPgDb } from '../src/store/pg-db';
import { auth, get, post } from './helpers';
import { chat, freshDatabase, REDIS_URL, redisPrefix, tempDir } from './keys-helpers';
import { type ProxyProcess, spawnProxy } from './proxy-process';

const MASTER = 'sk-multi-master';
const INPUT = 0.0001;
const OUTPUT = 0.0002;

/**
 * Three proxy processes on one Redis and one PostgreSQL: limits are one
 * limit, revocation is immediate everywhere, spend survives kill -9.
 */
describe('three proxy processes on one Redis and one PostgreSQL', () => {
  let vllm: VllmEmulator;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let configPath: string;
  const procs: ProxyProcess[] = [];
  const dataDirs: string[] = [];

  const start = async (dataDir: string) =>
    spawnProxy({ config: configPath, env: { SWITCHYARD_DATA_DIR: dataDir } });

  beforeAll(async () => {
    vllm = await startVllmEmulator({ model: 'facebook/opt-125m', ttftMs: 20 });
    db = await freshDatabase();
    const dir = await tempDir();
    configPath = join(dir, 'config.yaml');
    await writeFile(
      configPath,
      JSON.stringify({
        model_list: [
          {
            model_name: 'chat',
            litellm_params: { model: 'hosted_vllm/facebook/opt-125m', api_base: vllm.url },
            model_info: { input_cost_per_token: INPUT, output_cost_per_token: OUTPUT },
          },
        ],
        router_settings: { num_retries: 0 },
        general_settings: {
          master_key: MASTER,
          database_url: db.url,
          redis_url: REDIS_URL,
          switchyard_redis_prefix: redisPrefix(),
          proxy_batch_write_at: 0.05,
        },
      }),
    );
    for (let i = 0; i < 3; i++) {
      dataDirs.push(await tempDir());
      procs.push(await start(dataDirs[i]!));
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(procs.map(p => p.stop()));
    await vllm?.close();
    await db?.drop();
  });

  const newKey = async (body: Record<string, unknown>) => {
    const made = await post(procs[0]!.url, '/key/generate', body, auth(MASTER));
    expect(made.status).toBe(200);
    return made.body as { key: string; token: string };
  };

  it('rpm_limit 30: exactly 30 of 90 concurrent requests across the three pass', async () => {
    const { key } = await newKey({ rpm_limit: 30 });
    const before = vllm.requests.entries.length;
    const results = await Promise.all(
      Array.from({ length: 90 }, (_, i) =>
        post(procs[i % 3]!.url, '/v1/chat/completions', chat('chat'), auth(key)),
      ),
    );
    const ok = results.filter(r => r.status === 200).length;
    const limited = results.filter(r => r.status === 429);
    expect(ok).toBe(30);
    expect(limited).toHaveLength(60);
    expect(Number(limited[0]!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited[0]!.body.error.message).toContain('Limit type: requests');
    expect(vllm.requests.entries.length - before).toBe(30);
  });

  it('a key deleted on one instance is refused at once on another that had it cached', async () => {
    const { key } = await newKey({});
    expect(
      (await post(procs[1]!.url, '/v1/chat/completions', chat('chat'), auth(key))).status,
    ).toBe(200);
    const gone = await post(procs[0]!.url, '/key/delete', { keys: [key] }, auth(MASTER));
    expect(gone.status).toBe(200);
    const after = await post(procs[1]!.url, '/v1/chat/completions', chat('chat'), auth(key));
    expect(after.status).toBe(401);
    expect(
      (await post(procs[2]!.url, '/v1/chat/completions', chat('chat'), auth(key))).status,
    ).toBe(401);
  });

  it('a key updated on one instance is refused by the new rules on another', async () => {
    const { key } = await newKey({});
    expect(
      (await post(procs[2]!.url, '/v1/chat/completions', chat('chat'), auth(key))).status,
    ).toBe(200);
    const updated = await post(
      procs[0]!.url,
      '/key/update',
      { key, models: ['other'] },
      auth(MASTER),
    );
    expect(updated.status).toBe(200);
    // The invalidation travels by pub/sub; the key cache of instance 2 must drop the entry.
    let status = 200;
    for (let i = 0; i < 50 && status === 200; i++) {
      status = (await post(procs[2]!.url, '/v1/chat/completions', chat('chat'), auth(key))).status;
    }
    expect(status).toBe(401);
  });

  it('an expired key is refused on an instance that cached it before expiry', async () => {
    const { key } = await newKey({ duration: '1s' });
    const info = await get(procs[0]!.url, `/key/info?key=${key}`, auth(MASTER));
    const expires = Date.parse(info.body.info.expires);
    expect(
      (await post(procs[1]!.url, '/v1/chat/completions', chat('chat'), auth(key))).status,
    ).toBe(200);
    // Waiting for the wall clock to pass the expiry is the behaviour under test, not synchronisation.
    await wait(Math.max(0, expires - Date.now() + 10));
    const refused = await post(procs[1]!.url, '/v1/chat/completions', chat('chat'), auth(key));
    expect(refused.status).toBe(401);
    expect(refused.body.error.type).toBe('expired_key');
  });

  it('a $0.01 budget is never exceeded by more than one request under concurrent load', async () => {
    const { key, token } = await newKey({ max_budget: 0.01 });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        post(procs[i % 3]!.url, '/v1/chat/completions', chat('chat', `budget ${i}`), auth(key)),
      ),
    );
    const ok = results.filter(r => r.status === 200);
    const over = results.filter(r => r.status === 400);
    expect(ok.length).toBeGreaterThan(0);
    expect(over.length).toBeGreaterThan(0);
    expect(over[0]!.body.error.type).toBe('budget_exceeded');
    expect(ok.length + over.length).toBe(60);
    const costs = ok.map(
      r => r.body.usage.prompt_tokens * INPUT + r.body.usage.completion_tokens * OUTPUT,
    );
    const total = costs.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(0.01 + Math.max(...costs) + 1e-12);
    // The database agrees once every instance has written its rows.
    const rows = await waitForRows(token, ok.length);
    expect(rows.reduce((a, r) => a + r.spend, 0)).toBeCloseTo(total, 10);
  });

  it('kill -9 mid-load: no spend row lost, none doubled', async () => {
    const { key, token } = await newKey({});
    const victim = procs[2]!;
    const ids = Array.from({ length: 80 }, (_, i) => `kill-${i}-${token.slice(0, 8)}`);
    const answered = new Set<string>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < ids.length && !killed) {
        const id = ids[next++]!;
        const r = await post(victim.url, '/v1/chat/completions', chat('chat', id), {
          ...auth(key),
          'x-litellm-call-id': id,
        }).catch(() => undefined);
        if (r?.status === 200) answered.add(id);
        if (answered.size === 25 && !killed) {
          killed = true;
          victim.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    if (victim.child.exitCode === null && victim.child.signalCode === null)
      await once(victim.child, 'exit');
    expect(victim.child.signalCode).toBe('SIGKILL');
    // The restarted instance finds the dead one's write-ahead log and writes it.
    procs[2] = await start(dataDirs[2]!);
    const rows = await waitForRows(token, answered.size);
    const upstream = new Set(
      vllm.requests.entries
        .map(e => (e.body as { messages?: Array<{ content: string }> })?.messages?.[0]?.content)
        .filter((c): c is string => typeof c === 'string' && c.startsWith('kill-')),
    );
    // Each row is keyed by the proxy's own id and carries the client's call id.
    expect(new Set(rows.map(r => r.request_id)).size).toBe(rows.length);
    const rowIds = rows.map(r => r.litellm_call_id);
    expect(new Set(rowIds).size).toBe(rowIds.length);
    for (const id of answered) expect(rowIds).toContain(id);
    for (const id of rowIds) expect(upstream.has(id)).toBe(true);
    // Only requests in flight at the kill may reach the upstream without a row.
    expect(upstream.size - rowIds.length).toBeLessThanOrEqual(8);
    // Replaying every row (a crash between insert and log delete) adds nothing.
    const direct = await openPgDb({ connectionString: db.url, poolLimit: 1 });
    const full = await direct.query<Record<string, unknown>>(
      'SELECT * FROM "LiteLLM_SpendLogs" WHERE api_key = $1',
      [token],
    );
    // Dates serialise as ISO text, as the write-ahead log holds them.
    expect(await writeSpendBatch(direct, full as never)).toBe(0);
    const keyRow = await direct.query<{ spend: number }>(
      'SELECT spend FROM "LiteLLM_VerificationToken" WHERE token = $1',
      [token],
    );
    await direct.close();
    expect(keyRow[0]!.spend).toBeCloseTo(
      rows.reduce((a, r) => a + r.spend, 0),
      10,
    );
  }, 60_000);

  /** Polls the database until `count` rows of the key are in (the writers run every 50 ms). */
  async function waitForRows(token: string, count: number) {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      for (let i = 0; i < 400; i++) {
        const { rows } = await client.query<{
          request_id: string;
          litellm_call_id: string;
          spend: number;
        }>(
          'SELECT request_id, litellm_call_id, spend FROM "LiteLLM_SpendLogs" WHERE api_key = $1',
          [token],
        );
        if (rows.length >= count) return rows;
        await wait(25);
      }
      throw new Error(`fewer than ${count} spend rows arrived`);
    } finally {
      await client.end();
    }
  }
});
