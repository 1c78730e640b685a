#!/usr/bin/env node
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, httpOnce, spawnNode, stopChild, waitUntil } from './lib/child-server.mjs';
import { envNumber } from './lib/env-options.mjs';
import { freshDatabase } from './lib/fresh-database.mjs';
import { fmt, markdownTable } from './lib/markdown.mjs';
import { DIST, importBuilt, requireBuilt } from './lib/paths.mjs';
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
const emulator = await startVllmEmulator({ model: 'bench-model' });

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
    const db = await freshDatabase({ adminUrl: PG_ADMIN, prefix: 'sy_bench', optional: true });
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
/** Median over PostgreSQL, then each round's own difference (round i of both). */
const overPostgres = (rss, runs) => {
  const pg = results.PostgreSQL;
  const rounds = runs.map((r, i) => (pg[i] ? fmt(r.rssMb - pg[i].rssMb) : '?'));
  return `${fmt(rss - pgRss)} (${rounds.join(', ')})`;
};
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
      `${fmt(rss)} (${runs.map(r => fmt(r.rssMb)).join(', ')})`,
      name === 'PostgreSQL' || pgRss === undefined ? '' : overPostgres(rss, runs),
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
      'RSS, MB: median (each round)',
      'RSS over PostgreSQL, MB: median (each round)',
    ],
    rows,
  ),
);
console.log(
  `\n${ROUNDS} rounds, ${CHATS} chats each; worst over all rounds, (median of rounds); pinning: ${pinning().reason}; ${CLI}`,
);
