#!/usr/bin/env node
/**
 * What the embedded store (PGlite) costs a running proxy, against the same
 * proxy on PostgreSQL: the worst stall of the proxy's event loop
 * (`perf_hooks.monitorEventLoopDelay`, read inside the proxy) during
 * start-up up to `listen` (loading modules, reading the config), from
 * `listen` to the first liveliness answer, and while serving, how long the store takes to open (the
 * proxy's own "store opened" log line), how long the first `/key/generate`
 * and the first ready `/health/readiness` take, the worst `/health/liveliness`
 * answer seen from outside, and the proxy's RSS after the same work.
 *
 * Each round starts three proxies one after another: the embedded store in
 * a fresh folder, the same folder again (reopen), and PostgreSQL (a fresh
 * database; skipped when PostgreSQL cannot be reached). Work per proxy:
 * one key, then CHATS chat requests with it (4 at a time), spend written
 * every 0.2 s, then the spend rows read back.
 *
 *   pnpm build
 *   node bench/embedded-store.mjs
 *   # knobs: ROUNDS=3 CHATS=300 PIN=0 (no CPU pinning) DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test
 *   #        PROXY_CLI=<another build's apps/proxy/dist/cli.js> (to measure a baseline)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, httpOnce, spawnNode, stopChild, waitUntil } from './lib/child-server.mjs';
import { envNumber } from './lib/env-options.mjs';
import { fmt, markdownTable } from './lib/markdown.mjs';
import { DIST, importBuilt, importTool, requireBuilt } from './lib/paths.mjs';
import { GATEWAY_CPU, pinning, pinSelf } from './lib/placement.mjs';
import { summarize } from './lib/stats.mjs';

const ROUNDS = envNumber('ROUNDS', 3);
const CHATS = envNumber('CHATS', 300);
const PG_ADMIN = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const CLI = requireBuilt(process.env.PROXY_CLI ?? DIST.proxyCli, '@switchyard/proxy');
const PRELOAD = new URL('./lib/loop-delay-preload.mjs', import.meta.url).href;
const MASTER = 'sk-bench-master';

// The proxy (its store's worker thread included) on one CPU, this script and the emulator on the other.
pinSelf();
const { startVllmEmulator } = await importBuilt(DIST.testing, '@switchyard/testing');
const { default: pg } = await importTool('pg');
const emulator = await startVllmEmulator({ model: 'bench-model' });

/** A fresh database on the PostgreSQL server, or undefined when none answers. */
async function freshDatabase() {
  const name = `sy_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch {
    return undefined;
  } finally {
    await admin.end().catch(() => {});
  }
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const timed = async fn => {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
};

/** Polls `/health/liveliness` every 10 ms; `stop()` returns the slowest answer (ms). */
function livelinessWatch(url) {
  let worst = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { ms } = await timed(() =>
        httpOnce({ url: `${url}/health/liveliness`, timeoutMs: 60_000 }).catch(() => undefined),
      );
      worst = Math.max(worst, ms);
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return worst;
  };
}

/** Runs `CHATS` chat requests, `concurrency` at a time; throws on any non-200. */
async function chats(url, key, concurrency = 4) {
  let next = 0;
  const body = JSON.stringify({
    model: 'chat',
    messages: [{ role: 'user', content: 'hi' }],
    max_tokens: 8,
  });
  const worker = async () => {
    while (next++ < CHATS) {
      const r = await httpOnce({
        url: `${url}/v1/chat/completions`,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body,
        timeoutMs: 60_000,
      });
      if (r.status !== 200) throw new Error(`chat answered ${r.status}: ${r.body}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** One proxy life: start, the work above, the figures. */
async function measure({ dataDir, databaseUrl }) {
  const dir = mkdtempSync(join(tmpdir(), 'sy-bench-store-'));
  const configPath = join(dir, 'config.yaml');
  const loopFile = join(dir, 'loop.jsonl');
  const listenFile = join(dir, 'listen.jsonl');
  writeFileSync(
    configPath,
    JSON.stringify({
      model_list: [
        {
          model_name: 'chat',
          litellm_params: { model: 'hosted_vllm/bench-model', api_base: `${emulator.url}/v1` },
          model_info: { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 },
        },
      ],
      general_settings: {
        master_key: MASTER,
        switchyard_data_dir: dataDir,
        proxy_batch_write_at: 0.2,
        ...(databaseUrl ? { database_url: databaseUrl } : {}),
      },
    }),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnNode({
    name: 'proxy',
    cpu: GATEWAY_CPU,
    args: [
      '--import',
      PRELOAD,
      CLI,
      '--config',
      configPath,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    env: { LOOP_DELAY_FILE: loopFile, LOOP_DELAY_LISTEN_FILE: listenFile },
  });
  let log = '';
  child.stdout.on('data', text => {
    log += text;
  });
  const admin = { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` };
  try {
    await waitUntil(
      child,
      async () => (await httpOnce({ url: `${url}/health/liveliness` })).status === 200,
      {
        timeoutMs: 120_000,
        what: 'liveliness',
      },
    );
    child.kill('SIGUSR2'); // end of the start-up period
    const stopWatch = livelinessWatch(url);
    const ready = await timed(async () => {
      for (;;) {
        const r = await httpOnce({ url: `${url}/health/readiness`, timeoutMs: 60_000 });
        if (r.status === 200) return;
      }
    });
    const key = await timed(() =>
      httpOnce({
        url: `${url}/key/generate`,
        method: 'POST',
        headers: admin,
        body: '{}',
        timeoutMs: 120_000,
      }),
    );
    if (key.value.status !== 200)
      throw new Error(`/key/generate answered ${key.value.status}: ${key.value.body}`);
    const apiKey = JSON.parse(key.value.body).key;
    await chats(url, apiKey);
    // Spend is written every 0.2 s: wait until every row is in.
    await waitUntil(
      child,
      async () => {
        const r = await httpOnce({
          url: `${url}/spend/logs?api_key=${apiKey}&limit=1000`,
          headers: admin,
          timeoutMs: 30_000,
        });
        return r.status === 200 && JSON.parse(r.body).length === CHATS;
      },
      { timeoutMs: 60_000, what: 'spend rows' },
    );
    const livelinessWorstMs = await stopWatch();
    child.kill('SIGUSR2'); // end of the serving period
    await waitUntil(
      child,
      async () => readFileSync(loopFile, 'utf8').trim().split('\n').length >= 2,
      {
        timeoutMs: 10_000,
        what: 'loop figures',
      },
    );
    const [startup, serving] = readFileSync(loopFile, 'utf8').trim().split('\n').map(JSON.parse);
    const [beforeListen] = readFileSync(listenFile, 'utf8').trim().split('\n').map(JSON.parse);
    const opened = log
      .split('\n')
      .filter(line => line.includes('"store opened"'))
      .map(line => JSON.parse(line))[0];
    return {
      beforeListenDelayMs: beforeListen.maxDelayMs,
      startupDelayMs: startup.maxDelayMs,
      servingDelayMs: serving.maxDelayMs,
      livelinessWorstMs,
      openMs: opened?.ms,
      origin: opened?.origin ?? opened?.store,
      readyMs: ready.ms,
      firstKeyMs: key.ms,
      rssMb: serving.rssMb,
    };
  } finally {
    await stopChild(child, { graceMs: 10_000 });
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = { 'embedded, fresh folder': [], 'embedded, reopen': [], PostgreSQL: [] };
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'sy-bench-data-'));
    try {
      results['embedded, fresh folder'].push(await measure({ dataDir }));
      results['embedded, reopen'].push(await measure({ dataDir }));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    const db = await freshDatabase();
    if (db) {
      const pgDir = mkdtempSync(join(tmpdir(), 'sy-bench-data-'));
      try {
        results.PostgreSQL.push(await measure({ dataDir: pgDir, databaseUrl: db.url }));
      } finally {
        rmSync(pgDir, { recursive: true, force: true });
        await db.drop();
      }
    }
    process.stderr.write(`round ${round}/${ROUNDS} done\n`);
  }
} finally {
  await emulator.close();
}

const median = values => summarize(values).p50;
const pgRss = median(results.PostgreSQL.map(r => r.rssMb));
const rows = Object.entries(results)
  .filter(([, runs]) => runs.length > 0)
  .map(([name, runs]) => {
    const med = field => median(runs.map(r => r[field]).filter(v => v !== undefined));
    const worst = field => Math.max(...runs.map(r => r[field]));
    const rss = med('rssMb');
    return [
      name,
      runs.map(r => r.origin).join(', '),
      `${fmt(worst('beforeListenDelayMs'))} (${fmt(med('beforeListenDelayMs'))})`,
      `${fmt(worst('startupDelayMs'))} (${fmt(med('startupDelayMs'))})`,
      `${fmt(worst('servingDelayMs'))} (${fmt(med('servingDelayMs'))})`,
      `${fmt(worst('livelinessWorstMs'))} (${fmt(med('livelinessWorstMs'))})`,
      fmt(med('openMs')),
      fmt(med('readyMs')),
      fmt(med('firstKeyMs')),
      fmt(rss),
      name === 'PostgreSQL' || pgRss === undefined ? '' : fmt(rss - pgRss),
    ];
  });
console.log(
  markdownTable(
    [
      'store',
      'opened from',
      'worst loop delay, start-up before listen, ms (median)',
      'worst loop delay, start-up after listen, ms (median)',
      'worst loop delay, serving, ms (median)',
      'slowest /health/liveliness, ms (median)',
      'store open, ms',
      'first ready /health/readiness, ms',
      'first /key/generate, ms',
      'RSS, MB',
      'RSS over PostgreSQL, MB',
    ],
    rows,
  ),
);
console.log(
  `\n${ROUNDS} rounds, ${CHATS} chats each; worst over all rounds, (median of rounds); pinning: ${pinning().reason}; ${CLI}`,
);
