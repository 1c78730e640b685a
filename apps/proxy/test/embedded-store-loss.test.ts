import { join } from 'node:path';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, parseConfig, type RunningProxy, startProxy } from '../src/index';
import { openWorkerDb } from '../src/store/embedded/worker-db';
import { auth, get, post } from './helpers';
import { chat, keysConfig, tempDir } from './keys-helpers';
import { spendRows } from './spend-traffic';

const MASTER = 'sk-store-loss-master';
// Small enough that one wide result kills the worker; PGlite itself works in a few MB of heap.
const HEAP_MB = 32;

/**
 * The embedded store's worker thread dies for real: a statement whose
 * result outgrows the worker's heap limit (`switchyard_store_heap_mb`)
 * ends it with an out-of-memory error, as any runaway result would.
 * Requests waiting on it get a 503 in OpenAI's shape (never a 500 or a
 * hang), readiness answers 503 while the store is reopened, and then the
 * store serves again with its rows, spend included.
 */
describe("the embedded store's worker dies", () => {
  let vllm: VllmEmulator;
  let proxy: RunningProxy;

  beforeAll(async () => {
    vllm = await startVllmEmulator({ model: 'facebook/opt-125m' });
    const raw = keysConfig({ upstream: vllm.url, dataDir: await tempDir(), masterKey: MASTER });
    (raw.general_settings as Record<string, unknown>).switchyard_store_heap_mb = HEAP_MB;
    const { config } = parseConfig(raw, { env: {} });
    proxy = await startProxy({
      config,
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ level: 'silent' }),
    });
    await proxy.keys!.db();
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await vllm?.close();
  });

  it('answers 503 while it is gone, reports it in readiness, and reopens it with its rows', async () => {
    const base = proxy.url;
    const made = await post(base, '/key/generate', { key_alias: 'before' }, auth(MASTER));
    expect(made.status).toBe(200);
    expect(
      (await post(base, '/v1/chat/completions', chat('chat'), auth(made.body.key))).status,
    ).toBe(200);
    await proxy.keys!.spend!.flush();

    const db = await proxy.keys!.db();
    // A real out-of-memory death: a million rows do not fit in the worker's heap.
    const doomed = db
      .query('SELECT g, g::text AS t FROM generate_series(1, 1000000) g')
      .catch((error: unknown) => error);
    // Sent at once: these wait behind that statement in the worker. The
    // readiness probe asks the store too, so it cannot say "connected" until
    // the store has died (or its probe timed out) and been reopened.
    const [readinessDuring, ...during] = await Promise.all([
      get(base, '/health/readiness'),
      get(base, `/key/info?key=${made.body.key}`, auth(MASTER)),
      post(base, '/key/generate', {}, auth(MASTER)),
      post(base, '/team/new', { team_alias: 'during' }, auth(MASTER)),
      get(base, '/spend/logs', auth(MASTER)),
    ]);
    expect(readinessDuring!.status).toBe(503);
    expect(readinessDuring!.body.db).toMatch(/connecting|disconnected/);
    const death = await doomed;
    expect(death).toMatchObject({ status: 503, name: 'StoreUnavailableError' });
    expect(String((death as Error).message)).toContain('memory limit');
    for (const r of during) {
      // Each waited on the dying worker (503) or came after it and was served by the reopened store.
      expect([200, 503], JSON.stringify(r.body)).toContain(r.status);
      if (r.status === 503) {
        expect(r.body.error).toMatchObject({ type: 'no_db_connection', code: '503', param: null });
        expect(r.headers['retry-after']).toBe('1');
      }
    }
    expect(during.filter(r => r.status === 503).length).toBeGreaterThan(0);

    // Reopening starts on the next use after the death (a probe, or the
    // spend writer's timer, which on a quiet machine may already have done
    // it): until it is done readiness says so with a 503.
    let ready = await get(base, '/health/readiness');
    if (ready.status !== 200) expect(ready.body.db).toMatch(/connecting|disconnected/);
    while (ready.status !== 200) ready = await get(base, '/health/readiness');
    expect(ready.body.db).toBe('connected');

    // Reopened with everything written before, and writing again.
    const info = await get(base, `/key/info?key=${made.body.key}`, auth(MASTER));
    expect(info.status).toBe(200);
    expect(info.body.info.key_alias).toBe('before');
    const after = await post(base, '/v1/chat/completions', chat('chat'), auth(made.body.key));
    expect(after.status).toBe(200);
    await proxy.keys!.spend!.flush();
    const rows = await spendRows(base, MASTER, made.body.key);
    expect(rows.map(r => r.litellm_call_id)).toContain(after.headers['x-litellm-call-id']);
    expect(rows).toHaveLength(2);
  }, 120_000);

  it('a Postgres failure inside the worker (a stack overflow in SQL) is a 503, not a hang, and the store reopens', async () => {
    const base = proxy.url;
    const made = await post(base, '/key/generate', { key_alias: 'before the panic' }, auth(MASTER));
    expect(made.status).toBe(200);
    const db = await proxy.keys!.db();
    // Unbounded recursion overflows Postgres' stack in WebAssembly: the next
    // statement answers PANIC and the one after it never answers.
    await db.query(
      "CREATE OR REPLACE FUNCTION sy_recurse(n int) RETURNS int AS 'SELECT sy_recurse(n + 1)' LANGUAGE sql",
    );
    await db.query('SELECT sy_recurse(0)').catch(() => {});
    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push(await get(base, `/key/info?key=${made.body.key}`, auth(MASTER)));
    for (const r of answers) {
      expect([200, 503], JSON.stringify(r.body)).toContain(r.status);
      if (r.status === 503) expect(r.body.error.type).toBe('no_db_connection');
    }
    expect(db.lost).toBe(true);
    let ready = await get(base, '/health/readiness');
    while (ready.status !== 200) ready = await get(base, '/health/readiness');
    expect(await proxy.keys!.db()).not.toBe(db);
    const info = await get(base, `/key/info?key=${made.body.key}`, auth(MASTER));
    expect(info.status).toBe(200);
    expect(info.body.info.key_alias).toBe('before the panic');
  }, 120_000);
});

describe('an embedded store that stops answering', () => {
  it('fails what waits on it with a 503 once the answer timeout passes, instead of hanging', async () => {
    const db = await openWorkerDb({ dataDir: join(await tempDir(), 'db'), answerTimeoutMs: 1_000 });
    try {
      const started = performance.now();
      // A statement that outlasts the timeout stands for a worker that stopped answering.
      const stuck = await db.query('SELECT pg_sleep(30)').catch((error: unknown) => error);
      expect(stuck).toMatchObject({ status: 503, name: 'StoreUnavailableError' });
      expect(performance.now() - started).toBeLessThan(20_000);
      expect(db.lost).toBe(true);
      await expect(db.query('SELECT 1')).rejects.toMatchObject({ status: 503 });
    } finally {
      await db.close();
    }
  }, 120_000);
});
