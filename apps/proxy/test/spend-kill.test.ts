import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, get, post } from './helpers';
import { chat, freshDatabase, keysConfig, tempDir } from './keys-helpers';
import { type ProxyProcess, spawnProxy } from './proxy-process';
import { countRows, mixedTraffic, spendRows } from './spend-traffic';

const MASTER = 'sk-kill-master';
const CONCURRENCY = 6;

/**
 * `kill -9` of a proxy process under mixed load (poison strings, a repeated
 * client call id, a key running into its budget), on both stores. The
 * spend writer is given an hour between batches, so every row is still in
 * the write-ahead log at the kill: the restarted proxy must write them all
 * once, and before it reads any key's spend, or the budget would restart
 * from what the database held.
 */
describe.each([
  ['embedded store', false],
  ['PostgreSQL', true],
] as const)('kill -9 under load on the %s', (_name, postgres) => {
  let vllm: VllmEmulator;
  let drop: (() => Promise<void>) | undefined;
  let configPath: string;
  const procs: ProxyProcess[] = [];

  beforeAll(async () => {
    vllm = await startVllmEmulator({ model: 'facebook/opt-125m', ttftMs: 5 });
    const db = postgres ? await freshDatabase() : undefined;
    drop = db?.drop;
    const dir = await tempDir();
    configPath = join(dir, 'config.json');
    const config = keysConfig({
      upstream: vllm.url,
      databaseUrl: db?.url,
      dataDir: join(dir, 'data'),
      masterKey: MASTER,
      batchWriteSeconds: 3600,
    });
    await writeFile(configPath, JSON.stringify(config));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(procs.map(p => p.stop()));
    await vllm?.close();
    await drop?.();
  });

  const start = async () => {
    const proc = await spawnProxy({ config: configPath });
    procs.push(proc);
    return proc;
  };

  // Generous timeout: a spawned proxy creating the embedded store takes tens of seconds on a busy machine.
  it('no spend row lost or doubled, and the budget holds after the restart', async () => {
    const first = await start();
    const budget = 0.01;
    const made = await Promise.all(
      [{ max_budget: budget }, {}].map(
        async body =>
          (await post(first.url, '/key/generate', body, auth(MASTER))).body.key as string,
      ),
    );
    const [capped, open] = made as [string, string];
    const sent = await mixedTraffic({
      base: first.url,
      keys: [capped, open, open],
      requests: 400,
      concurrency: CONCURRENCY,
      stop: s => {
        const over = s.some(r => r.key === capped && r.errorType === 'budget_exceeded');
        if (!over || s.filter(r => r.status === 200).length < 40) return false;
        first.child.kill('SIGKILL');
        return true;
      },
    });
    if (first.child.exitCode === null && first.child.signalCode === null)
      await once(first.child, 'exit');
    expect(first.child.signalCode).toBe('SIGKILL');

    const second = await start();
    // The first thing the restarted proxy does with the key: refuse it.
    const refused = await post(second.url, '/v1/chat/completions', chat('chat'), auth(capped));
    expect(refused.status).toBe(400);
    expect(refused.body.error.type).toBe('budget_exceeded');

    for (const key of [capped, open]) {
      const rows = await spendRows(second.url, MASTER, key);
      const counts = countRows(
        sent.filter(s => s.key === key),
        rows,
      );
      expect(counts.lost).toBe(0);
      expect(counts.doubled).toBe(0);
      // Only requests in flight at the kill may have a row without an answer.
      expect(counts.unanswered).toBeLessThanOrEqual(CONCURRENCY);
      const info = await get(second.url, `/key/info?key=${key}`, auth(MASTER));
      expect(info.body.info.spend).toBeCloseTo(
        rows.reduce((a, r) => a + r.spend, 0),
        10,
      );
    }
    const cappedCosts = sent.filter(s => s.key === capped && s.status === 200).map(s => s.cost);
    expect(cappedCosts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(
      budget + Math.max(...cappedCosts) + 1e-12,
    );
  }, 300_000);
});
