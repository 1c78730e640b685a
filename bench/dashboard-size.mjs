#!/usr/bin/env node
/**
 * How light the admin page is (issue 21): the gzipped size of everything
 * the built page ships (gzip level 9, what the proxy serves), against a
 * 150 KB budget, and its first paint in headless Chromium from a built
 * proxy on loopback — the sign-in page, and the Overview with a key in
 * session storage (first contentful paint, and the time until its charts
 * hold the first data). Exits 1 when the page is over budget.
 *
 *   pnpm build && flock /work/wt/.bench.lock node bench/dashboard-size.mjs
 *
 * Environment (all optional):
 *   LOADS=10          page loads per measurement (fresh browser context, no cache)
 *   CHROMIUM_PATH     the browser (default Debian's /usr/bin/chromium)
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { freePort, httpOnce, spawnNode, stopChild, waitUntil } from './lib/child-server.mjs';
import { envNumber } from './lib/env-options.mjs';
import { markdownTable } from './lib/markdown.mjs';
import { DIST, importTool, ROOT, requireBuilt } from './lib/paths.mjs';
import { GATEWAY_CPU } from './lib/placement.mjs';
import { machineInfo, writeResults } from './lib/results-file.mjs';
import { summarize } from './lib/stats.mjs';
import { startEmulator } from './lib/targets.mjs';

const BUDGET_KB = 150;
const LOADS = Math.round(envNumber('LOADS', 10));
const MASTER_KEY = 'sk-bench-dashboard';
const log = message => process.stderr.write(`${message}\n`);

/** Every file of the page as the proxy ships it (dist/ui), gzipped as it serves them. */
function pageSize() {
  const dir = requireBuilt(
    join(ROOT, 'apps/proxy/dist/ui/index.html'),
    '@switchyard/proxy',
  ).replace(/index\.html$/, '');
  const files = readdirSync(dir, { recursive: true })
    .map(f => join(dir, String(f)))
    .filter(f => statSync(f).isFile());
  return files.map(f => {
    const body = readFileSync(f);
    return {
      file: relative(dir, f),
      bytes: body.length,
      gzipBytes: gzipSync(body, { level: 9 }).length,
    };
  });
}

/** The proxy as built, with a master key, on a free loopback port. */
async function startProxy(emulator) {
  requireBuilt(DIST.proxyCli, '@switchyard/proxy');
  const port = await freePort();
  const child = spawnNode({
    name: 'switchyard',
    args: [
      DIST.proxyCli,
      '--model',
      'hosted_vllm/bench',
      '--api-base',
      `${emulator.url}/v1`,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    cpu: GATEWAY_CPU,
    cwd: ROOT,
    // Its own data folder: a developer's ./.switchyard (and a proxy using it) stays untouched.
    env: {
      LITELLM_MASTER_KEY: MASTER_KEY,
      SWITCHYARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'switchyard-bench-ui-')),
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(child, async () => (await httpOnce({ url: `${url}/ui` })).status === 200, {
    what: '/ui',
  });
  return { url, stop: () => stopChild(child) };
}

/** First paint and first contentful paint of one fresh load, plus `ready` ms (a selector shown). */
async function loadOnce(browser, url, { key, readySelector }) {
  const context = await browser.newContext();
  if (key) await context.addInitScript(k => sessionStorage.setItem('switchyard.masterKey', k), key);
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(url, { waitUntil: 'load' });
  // Attached, not visible: a flat line (no traffic yet) has no height.
  await page.waitForSelector(readySelector, { state: 'attached' });
  const ready = Date.now() - started;
  const paints = await page.evaluate(() =>
    Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime])),
  );
  await context.close();
  return { fp: paints['first-paint'], fcp: paints['first-contentful-paint'], ready };
}

const files = pageSize();
const gzipTotal = files.reduce((n, f) => n + f.gzipBytes, 0);
const playwright = await importTool('playwright-core');
// A CommonJS package: its exports arrive as the default export.
const { chromium } = playwright.chromium ? playwright : playwright.default;
const executablePath = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
].find(p => p && existsSync(p));
if (!executablePath)
  throw new Error('no Chromium: apt-get install -y chromium, or set CHROMIUM_PATH');
const emulator = await startEmulator();
const cleanup = [() => emulator.stop()];
const results = {};
try {
  const proxy = await startProxy(emulator);
  cleanup.unshift(() => proxy.stop());
  // The same flags as the browser tests (apps/proxy/test/ui-browser/chromium.ts).
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-extensions',
      '--no-first-run',
    ],
  });
  cleanup.unshift(() => browser.close());
  const cases = {
    'sign-in page': { key: undefined, readySelector: 'input#master-key' },
    'Overview, signed in (ready = charts hold data)': {
      key: MASTER_KEY,
      readySelector: 'figure.chart polyline[points*=","]',
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    await loadOnce(browser, `${proxy.url}/ui`, c); // warm-up: the proxy reads the files on first request
    const loads = [];
    for (let i = 0; i < LOADS; i++) loads.push(await loadOnce(browser, `${proxy.url}/ui`, c));
    results[name] = {
      fcp: summarize(loads.map(l => l.fcp)),
      ready: summarize(loads.map(l => l.ready)),
    };
    log(`${name}: FCP p50 ${results[name].fcp.p50.toFixed(0)} ms`);
  }
} finally {
  for (const stop of cleanup) await stop();
}
const machine = machineInfo();
const sizeTable = markdownTable(
  ['file', 'bytes', 'gzip bytes'],
  [
    ...files.map(f => [f.file, f.bytes, f.gzipBytes]),
    ['total', files.reduce((n, f) => n + f.bytes, 0), gzipTotal],
  ],
);
const paintTable = markdownTable(
  ['load', `first contentful paint p50 / p90 (ms, ${LOADS} loads)`, 'ready p50 / p90 (ms)'],
  Object.entries(results).map(([name, r]) => [
    name,
    `${r.fcp.p50.toFixed(0)} / ${r.fcp.p90.toFixed(0)}`,
    `${r.ready.p50.toFixed(0)} / ${r.ready.p90.toFixed(0)}`,
  ]),
);
process.stdout.write(
  `${sizeTable}\n\nbudget: ${BUDGET_KB} KB gzipped; used ${(gzipTotal / 1024).toFixed(1)} KB\n\n${paintTable}\n\nmachine: ${JSON.stringify(machine)}\n`,
);
log(
  `results: ${writeResults('dashboard-size', { files, gzipTotal, budgetKb: BUDGET_KB, paint: results, machine })}`,
);
if (gzipTotal > BUDGET_KB * 1024) {
  log(`over budget: ${(gzipTotal / 1024).toFixed(1)} KB gzipped > ${BUDGET_KB} KB`);
  process.exitCode = 1;
}
