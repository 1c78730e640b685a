#!/usr/bin/env node
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, httpOnce, spawnNode, stopChild, waitUntil } from './lib/child-server.mjs';
import { envList, envNumber } from './lib/env-options.mjs';
import { freshDatabase } from './lib/fresh-database.mjs';
import { fmt, markdownTable } from './lib/markdown.mjs';
import { DIST, importBuilt, ROOT, requireBuilt } from './lib/paths.mjs';
import { GATEWAY_CPU, pinning, pinSelf } from './lib/placement.mjs';
import { machineInfo, writeResults } from './lib/results-file.mjs';

const runs = envNumber('FUZZ_RUNS', 20_000);
const seed = envNumber('FUZZ_SEED', 1);
const concurrency = envNumber('FUZZ_CONCURRENCY', 4);
const stores = envList('FUZZ_STORES', ['embedded', 'postgres'], ['embedded', 'postgres']);
const pgAdminUrl = process.env.FUZZ_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const MASTER = 'sk-fuzz-bench-master';
const log = message => process.stderr.write(`${message}\n`);

requireBuilt(DIST.proxyCli, '@switchyard/proxy');
const placement = pinning();
pinSelf();
const { tsImport } = await tsxApi();
const fuzzDir = join(ROOT, 'apps/proxy/test/fuzz');
const load = file => tsImport(pathToFileURL(join(fuzzDir, file)).href, import.meta.url);
const { runFuzz } = await load('fuzz-run.ts');
const { fuzzModels, makeFixtures } = await load('fixtures.ts');
const { startVllmEmulator } = await importBuilt(DIST.testing, '@switchyard/testing');

/**
 * tsx's ESM API (`tsx/esm/api`), found through the proxy's dependency on
 * tsx: `require.resolve` would give its CommonJS entry, which cannot
 * register the loader from here, so the `import` entry of its exports map is used.
 */
async function tsxApi() {
  const manifestPath = createRequire(join(ROOT, 'apps/proxy/package.json')).resolve(
    'tsx/package.json',
  );
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const entry = manifest.exports['./esm/api'].import.default;
  return import(pathToFileURL(join(dirname(manifestPath), entry)).href);
}

/** The test's stack as a config file: priced `chat` plus one model of each other kind, keys and spend on. */
function writeConfig({ workDir, upstream, databaseUrl }) {
  const config = {
    model_list: [
      {
        model_name: 'chat',
        litellm_params: { model: 'hosted_vllm/facebook/opt-125m', api_base: upstream },
        model_info: { input_cost_per_token: 0.0001, output_cost_per_token: 0.0002 },
      },
      ...fuzzModels(upstream),
    ],
    router_settings: { num_retries: 0 },
    general_settings: {
      master_key: MASTER,
      switchyard_data_dir: join(workDir, 'data'),
      proxy_batch_write_at: 0.2,
      ...(databaseUrl ? { database_url: databaseUrl } : {}),
    },
  };
  const path = join(workDir, 'config.yaml');
  // YAML is a superset of JSON.
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/** A normal chat on `key`, then waits for its spend row: how many rows carry its call id. */
async function spendRowsAfter(url, key) {
  const chat = await httpOnce({
    url: `${url}/v1/chat/completions`,
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'chat',
      messages: [{ role: 'user', content: 'after' }],
      max_tokens: 2,
    }),
    timeoutMs: 30_000,
  });
  if (chat.status !== 200) return `chat ${chat.status}`;
  const callId = chat.headers['x-litellm-call-id'];
  const rows = async () => {
    const r = await httpOnce({
      url: `${url}/spend/logs?request_id=${encodeURIComponent(callId)}`,
      headers: { authorization: `Bearer ${MASTER}` },
      timeoutMs: 30_000,
    });
    return r.status === 200 ? JSON.parse(r.body).length : -1;
  };
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    const n = await rows();
    if (n !== 0) return n;
    await new Promise(r => setTimeout(r, 100));
  }
  return 0;
}

async function fuzzStore(store, upstream) {
  const workDir = mkdtempSync(join(tmpdir(), `switchyard-fuzz-${store}-`));
  const db =
    store === 'postgres'
      ? await freshDatabase({ adminUrl: pgAdminUrl, prefix: 'sy_fuzz' })
      : undefined;
  const port = await freePort();
  const child = spawnNode({
    name: `switchyard-${store}`,
    args: [
      DIST.proxyCli,
      '--config',
      writeConfig({ workDir, upstream, databaseUrl: db?.url }),
      ...['--host', '127.0.0.1', '--port', String(port)],
    ],
    cpu: GATEWAY_CPU,
    cwd: ROOT,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(
      child,
      async () => (await httpOnce({ url: `${url}/health/liveliness` })).status === 200,
      {
        timeoutMs: 120_000,
        what: '/health/liveliness',
      },
    );
    const fixtures = await makeFixtures(url, MASTER);
    const keys = { master: MASTER, virtual: fixtures.virtualKey };
    log(`${store}: ${runs} requests, seed ${seed}, ${concurrency} at a time`);
    const started = performance.now();
    const tally = await runFuzz({ base: url, keys, fixtures, seed, runs, concurrency });
    const seconds = (performance.now() - started) / 1000;
    const crashed = child.exitCode !== null || child.signalCode !== null;
    const spendRows = crashed ? 'crashed' : await spendRowsAfter(url, fixtures.virtualKey);
    return { store, seconds, tally, crashed, spendRows };
  } finally {
    await stopChild(child);
    await db?.drop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

const emulator = await startVllmEmulator({ model: 'facebook/opt-125m' });
const results = [];
try {
  for (const store of stores) results.push(await fuzzStore(store, emulator.url));
} finally {
  await emulator.close();
}

const classes = ['2xx', '4xx', '5xx', 'none'];
const where = placement.enabled ? placement.reason : `OS placement (${placement.reason})`;
console.log(
  `\nFuzz of every JSON route: ${runs} requests per store, seed ${seed}, concurrency ${concurrency}; ` +
    `Node ${process.version}, load average ${machineInfo().loadAverage1m} at the end, ${where}\n`,
);
console.log(
  markdownTable(
    [
      'store',
      'requests',
      ...classes,
      'problems',
      'crashes',
      'distinct error messages',
      'spend rows after',
      'req/s',
    ],
    results.map(r => [
      r.store,
      fmt(r.tally.requests),
      ...classes.map(c => fmt(r.tally.byClass[c] ?? 0)),
      fmt([...r.tally.problems.values()].reduce((a, p) => a + p.count, 0)),
      r.crashed ? '1' : '0',
      fmt(r.tally.messages.size),
      String(r.spendRows),
      fmt(r.tally.requests / r.seconds),
    ]),
  ),
);
for (const r of results) {
  for (const [problem, { count, example }] of r.tally.problems)
    console.log(`\n${r.store}: ${count}× ${problem}\n  e.g. ${example}`);
}
writeResults('fuzz', {
  machine: machineInfo(),
  runs,
  seed,
  concurrency,
  results: results.map(r => ({
    store: r.store,
    seconds: r.seconds,
    byClass: r.tally.byClass,
    crashed: r.crashed,
    spendRowsAfter: r.spendRows,
    problems: Object.fromEntries(r.tally.problems),
    messages: Object.fromEntries(r.tally.messages),
  })),
});
const failed = results.some(r => r.crashed || r.tally.problems.size > 0 || r.spendRows !== 1);
process.exitCode = failed ? 1 : 0;
