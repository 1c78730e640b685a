#!/usr/bin/env node
/**
 * Chaos (issue 16): the reliability suite's spend checks at a larger scale.
 * For each store (embedded, PostgreSQL) a Switchyard process serves mixed
 * traffic — normal requests, a client call id repeated on every request of
 * its kind, NUL / lone surrogates / a megabyte / 200 levels in metadata and
 * tags, poisoned `user` and model names — on keys with small budgets and
 * without, and is killed with SIGKILL and restarted on the same folder
 * while the load runs. Then every spend row is matched to what was
 * answered. One table: requests, answers, spend rows, lost, doubled,
 * overspend, 5xx, worst event-loop delay (serving, and start-up up to the
 * first liveliness answer), RSS.
 *
 *   pnpm build && node bench/chaos.mjs
 *
 * Environment (all optional):
 *   CHAOS_STORES=embedded,postgres
 *   CHAOS_SECONDS=60        load per store
 *   CHAOS_CONCURRENCY=16
 *   CHAOS_KILLS=2           SIGKILLs spread over the run
 *   CHAOS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres
 *                           a server where a fresh database may be created (and dropped)
 *   PIN=0                   no taskset placement
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chaosRequest, matchRows } from './lib/chaos-traffic.mjs';
import { MODEL } from './lib/chat-request.mjs';
import { freePort, httpOnce, spawnNode, stopChild, waitUntil } from './lib/child-server.mjs';
import { envList, envNumber } from './lib/env-options.mjs';
import { freshDatabase } from './lib/fresh-database.mjs';
import { fmt, markdownTable } from './lib/markdown.mjs';
import { BENCH_DIR, DIST, importTool, ROOT, requireBuilt } from './lib/paths.mjs';
import { GATEWAY_CPU, pinning, pinSelf } from './lib/placement.mjs';
import { watchProcess } from './lib/proc-stats.mjs';
import { machineInfo, writeResults } from './lib/results-file.mjs';
import { startEmulator } from './lib/targets.mjs';

const stores = envList('CHAOS_STORES', ['embedded', 'postgres'], ['embedded', 'postgres']);
const seconds = envNumber('CHAOS_SECONDS', 60);
const concurrency = envNumber('CHAOS_CONCURRENCY', 16);
const kills = envNumber('CHAOS_KILLS', 2);
const pgAdminUrl =
  process.env.CHAOS_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const MASTER = 'sk-chaos-master';
// About 50 requests each: the capped keys run out during the run, across the kills.
const BUDGET = 0.1;
const CAPPED_KEYS = 4;
const OPEN_KEYS = 4;
// Slow on a busy machine: creating the embedded store, first key lookups.
const SLOW_MS = 300_000;
const log = message => process.stderr.write(`${message}\n`);

requireBuilt(DIST.proxyCli, '@switchyard/proxy');
const placement = pinning();
pinSelf();
const { request, Agent } = await importTool('undici');

/**
 * The worst event-loop delays the preload wrote for one process: one line
 * per SIGUSR2, the first ending start-up (up to liveliness), the others
 * serving. Signals the process and waits for its line.
 */
async function loopDelays(child, file, lines) {
  child.kill('SIGUSR2');
  await waitUntil(child, async () => readLines(file).length > lines, {
    timeoutMs: 30_000,
    what: 'event-loop figures',
  });
  return readLines(file);
}

function readLines(file) {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(JSON.parse);
  } catch {
    return [];
  }
}

/** One proxy process on a fixed port, followed for RSS and event-loop delay. */
async function startProxy({ configPath, port, workDir }) {
  const delayFile = join(workDir, `loop-delay-${Date.now()}.jsonl`);
  const child = spawnNode({
    name: 'switchyard',
    args: [
      '--import',
      join(BENCH_DIR, 'lib/loop-delay-preload.mjs'),
      DIST.proxyCli,
      ...['--config', configPath, '--host', '127.0.0.1', '--port', String(port)],
    ],
    cpu: GATEWAY_CPU,
    cwd: ROOT,
    env: { LOOP_DELAY_FILE: delayFile },
  });
  const watch = watchProcess(child.pid, { everyMs: 250 });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    child,
    async () => (await httpOnce({ url: `${url}/health/liveliness` })).status === 200,
    { timeoutMs: SLOW_MS, what: '/health/liveliness' },
  );
  await loopDelays(child, delayFile, 0);
  /** Ends the serving period (call while the process still runs, e.g. right before a kill). */
  const finish = async () => {
    const [startup, ...serving] = await loopDelays(child, delayFile, 1);
    const { maxRssMb } = watch.stop();
    return {
      maxRssMb,
      startupDelayMs: startup?.maxDelayMs,
      servingDelayMs: Math.max(0, ...serving.map(l => l.maxDelayMs)),
    };
  };
  return { child, url, finish };
}

/** JSON request to the proxy as the master key; throws on a non-200 answer. */
async function admin(url, path, body) {
  const reply = await httpOnce({
    url: `${url}${path}`,
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    timeoutMs: SLOW_MS,
  });
  if (reply.status !== 200) throw new Error(`${path} answered ${reply.status}: ${reply.body}`);
  return JSON.parse(reply.body);
}

/**
 * Drives the load for `seconds`, killing and restarting the proxy `kills`
 * times at even intervals; workers wait while it is down.
 */
async function driveLoad({ proxy, restart, keys, runId }) {
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 10_000 });
  const sent = [];
  const stats = [];
  let up = Promise.resolve();
  let next = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      await up;
      const i = next++;
      const { headers, body } = chaosRequest(i, runId);
      const key = keys[i % keys.length];
      const entry = { key, status: 0, callId: headers['x-litellm-call-id'], cost: 0 };
      try {
        const res = await request(`${proxy.url}/v1/chat/completions`, {
          method: 'POST',
          dispatcher: agent,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${key}`,
            ...headers,
          },
          body,
        });
        await res.body.dump();
        entry.status = res.statusCode;
        entry.cost = Number(res.headers['x-litellm-response-cost'] ?? 0);
      } catch {
        // No answer: the proxy was killed with this request in flight.
      }
      sent.push(entry);
    }
  };
  const killer = async () => {
    for (let k = 1; k <= kills; k++) {
      const at = deadline - seconds * 1000 + (seconds * 1000 * k) / (kills + 1);
      while (performance.now() < at) await new Promise(r => setTimeout(r, 50));
      let reopen;
      up = new Promise(r => {
        reopen = r;
      });
      stats.push(await proxy.finish());
      const exited = once(proxy.child, 'exit');
      proxy.child.kill('SIGKILL');
      await exited;
      log(`  killed (SIGKILL) after ${sent.length} requests; restarting`);
      proxy = await restart();
      reopen();
    }
  };
  await Promise.all([killer(), ...Array.from({ length: concurrency }, worker)]);
  await agent.close();
  return { sent, proxy, stats };
}

/** One store: start, make keys, load with kills, stop, then read every row back. */
async function runStore(store) {
  log(`\n${store}:`);
  const workDir = mkdtempSync(join(tmpdir(), 'switchyard-chaos-'));
  const db =
    store === 'postgres'
      ? await freshDatabase({ adminUrl: pgAdminUrl, prefix: 'sy_chaos' })
      : undefined;
  const configPath = join(workDir, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      model_list: [
        {
          model_name: MODEL,
          litellm_params: { model: `hosted_vllm/${MODEL}`, api_base: `${emulator.url}/v1` },
          model_info: { input_cost_per_token: 0.0001, output_cost_per_token: 0.0002 },
        },
      ],
      router_settings: { num_retries: 0 },
      general_settings: {
        master_key: MASTER,
        switchyard_data_dir: join(workDir, 'data'),
        proxy_batch_write_at: 0.5,
        ...(db ? { database_url: db.url } : {}),
      },
    }),
  );
  const port = await freePort();
  const restart = () => startProxy({ configPath, port, workDir });
  try {
    let proxy = await restart();
    const keys = [];
    for (let k = 0; k < CAPPED_KEYS + OPEN_KEYS; k++) {
      const made = await admin(
        proxy.url,
        '/key/generate',
        k < CAPPED_KEYS ? { max_budget: BUDGET } : {},
      );
      keys.push(made.key);
    }
    log(`  ${keys.length} keys made; load for ${seconds} s at concurrency ${concurrency}`);
    const run = await driveLoad({ proxy, restart, keys, runId: randomBytes(4).toString('hex') });
    proxy = run.proxy;
    const stats = [...run.stats, await proxy.finish()];
    await stopChild(proxy.child, { graceMs: 60_000 });
    // A fresh process reads the rows back (the embedded store has one owner at a time).
    const reader = await restart();
    const rows = [];
    const overspend = [];
    const mismatched = [];
    for (const [k, key] of keys.entries()) {
      const mine = await admin(reader.url, `/spend/logs?api_key=${key}&limit=100000`);
      rows.push(...mine);
      const spend = (await admin(reader.url, `/key/info?key=${key}`)).info.spend;
      const sum = mine.reduce((a, r) => a + r.spend, 0);
      if (Math.abs(spend - sum) > 1e-9) mismatched.push(key);
      if (k < CAPPED_KEYS) overspend.push(Math.max(0, spend - BUDGET));
    }
    await stopChild(reader.child);
    return summarise({ store, sent: run.sent, rows, overspend, mismatched, stats });
  } finally {
    await db?.drop().catch(() => {});
    rmSync(workDir, { recursive: true, force: true });
  }
}

function summarise({ store, sent, rows, overspend, mismatched, stats }) {
  const ok = sent.filter(s => s.status === 200);
  const meanCost = ok.reduce((a, s) => a + s.cost, 0) / Math.max(1, ok.length);
  const worstOver = Math.max(0, ...overspend);
  return {
    store,
    requests: sent.length,
    answers: sent.filter(s => s.status !== 0).length,
    ok: ok.length,
    rows: rows.length,
    ...matchRows(sent, rows),
    overspendUsd: worstOver,
    overspendRequests: meanCost > 0 ? worstOver / meanCost : 0,
    spendMismatchKeys: mismatched.length,
    status5xx: sent.filter(s => s.status >= 500).length,
    servingDelayMs: Math.max(...stats.map(s => s.servingDelayMs ?? 0)),
    startupDelayMs: Math.max(...stats.map(s => s.startupDelayMs ?? 0)),
    maxRssMb: Math.max(...stats.map(s => s.maxRssMb ?? 0)),
  };
}

const emulator = await startEmulator();
const results = [];
try {
  for (const store of stores) results.push(await runStore(store));
} finally {
  await emulator.stop();
}

const table = markdownTable(
  [
    'store',
    'requests',
    'answers',
    'spend rows',
    'lost',
    'doubled',
    'overspend (worst key)',
    '5xx',
    'worst event-loop delay',
    'max RSS',
  ],
  results.map(r => [
    r.store,
    fmt(r.requests),
    `${fmt(r.answers)} (${fmt(r.ok)} × 200)`,
    `${fmt(r.rows)} (${fmt(r.unanswered)} unanswered)`,
    fmt(r.lost),
    fmt(r.doubled),
    `$${fmt(r.overspendUsd, 4)} (${fmt(r.overspendRequests, 2)} req)`,
    fmt(r.status5xx),
    `${fmt(r.servingDelayMs, 0)} ms (start-up ${fmt(r.startupDelayMs, 0)} ms)`,
    `${fmt(r.maxRssMb, 0)} MB`,
  ]),
);
const out = [
  `# Chaos: ${seconds} s per store, c=${concurrency}, ${kills} × SIGKILL (${new Date().toISOString().slice(0, 10)})`,
  '',
  `Node ${process.version}, load average ${machineInfo().loadAverage1m} at the end, placement: ${placement.enabled ? placement.reason : `OS (${placement.reason})`}. ` +
    `${CAPPED_KEYS} keys with a $${BUDGET} budget, ${OPEN_KEYS} without.`,
  '',
  table,
  '',
  '"unanswered": rows of requests in flight at a kill (logged, then killed before the answer left). ' +
    `Keys whose spend column differs from the sum of their rows: ${results.map(r => `${r.store} ${r.spendMismatchKeys}`).join(', ')}.`,
];
process.stdout.write(`${out.join('\n')}\n`);
const file = writeResults('chaos', {
  machine: machineInfo(),
  settings: { stores, seconds, concurrency, kills, budget: BUDGET, placement },
  results,
});
log(`\nresults: ${file}`);
const failed = results.some(
  r => r.lost > 0 || r.doubled > 0 || r.status5xx > 0 || r.spendMismatchKeys > 0,
);
process.exitCode = failed ? 1 : 0;
