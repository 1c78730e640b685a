#!/usr/bin/env node
/**
 * What the admin page costs the request path (issue 21): one built proxy
 * with the page on (the default: every request is recorded in the ring
 * and the per-second aggregates), one with DISABLE_ADMIN_UI=true (nothing
 * recorded), and — "watched" — the page on with a client polling its
 * endpoints every 3 s as an open Overview and Requests page does. All in
 * front of the same zero-latency vLLM emulator, measured in turns within
 * each round (the order rotates), at one concurrency, non-streaming and
 * streaming. Figures are medians over the rounds: throughput, and the
 * gateway's CPU time per answered request (read from /proc, so it holds up
 * better than throughput on a shared machine); ratios are against the page
 * turned off.
 *
 *   pnpm build && flock /work/wt/.bench.lock node bench/dashboard-overhead.mjs
 *
 * Environment (all optional):
 *   ROUNDS=5          rounds
 *   DURATION=5        seconds of autocannon per variant, mode and round
 *   WARMUP=3          seconds of warm-up per variant and mode
 *   CONCURRENCY=16
 *   MODES=json,stream
 */
import { runAutocannon } from './lib/autocannon-load.mjs';
import { chatBody } from './lib/chat-request.mjs';
import { envList, envNumber } from './lib/env-options.mjs';
import { markdownTable } from './lib/markdown.mjs';
import { pinSelf } from './lib/placement.mjs';
import { cpuSeconds } from './lib/proc-stats.mjs';
import { machineInfo, writeResults } from './lib/results-file.mjs';
import { summarize } from './lib/stats.mjs';
import { startEmulator, startTarget } from './lib/targets.mjs';

const settings = {
  rounds: Math.round(envNumber('ROUNDS', 5)),
  durationS: envNumber('DURATION', 5),
  warmupS: envNumber('WARMUP', 3),
  concurrency: Math.round(envNumber('CONCURRENCY', 16)),
  modes: envList('MODES', ['json', 'stream'], ['json', 'stream']),
};
const VARIANTS = {
  off: { label: 'page off (DISABLE_ADMIN_UI=true)', env: { DISABLE_ADMIN_UI: 'true' } },
  on: { label: 'page on, nobody looking', env: {} },
  watched: { label: 'page on, polled every 3 s', env: {}, poll: true },
};
const log = message => process.stderr.write(`${message}\n`);

/** Polls what an open Overview and Requests page poll, until stopped. */
function startPoller(baseUrl) {
  let stopped = false;
  let polls = 0;
  const loop = (async () => {
    while (!stopped) {
      for (const path of ['/ui/api/overview?window=300&step=5', '/ui/api/requests?limit=100']) {
        const res = await fetch(`${baseUrl}${path}`);
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
        await res.arrayBuffer();
        polls++;
      }
      await new Promise(resolve => setTimeout(resolve, 3000));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return polls;
  };
}

pinSelf();
const emulator = await startEmulator();
const targets = {};
try {
  for (const [name, v] of Object.entries(VARIANTS)) {
    if (name === 'watched') continue; // the same process as "on", measured while polled
    log(`starting switchyard (${v.label})`);
    targets[name] = await startTarget('switchyard', { emulator, env: v.env });
  }
  targets.watched = targets.on;
  const samples = {};
  for (const mode of settings.modes) {
    const body = chatBody({ stream: mode === 'stream' });
    const load = (target, durationS) =>
      runAutocannon({
        url: target.chatUrl,
        headers: target.headers,
        body,
        connections: settings.concurrency,
        durationS,
      });
    for (const name of ['off', 'on']) await load(targets[name], settings.warmupS);
    const names = Object.keys(VARIANTS);
    for (let round = 0; round < settings.rounds; round++) {
      // Rotate who goes first, so a slow start of a round is shared out.
      const order = names.map((_, i) => names[(i + round) % names.length]);
      for (const name of order) {
        const stopPolling = VARIANTS[name].poll
          ? startPoller(targets[name].chatUrl.replace('/v1/chat/completions', ''))
          : undefined;
        const before = cpuSeconds(targets[name].pid);
        const r = await load(targets[name], settings.durationS);
        const cpuUs = ((cpuSeconds(targets[name].pid) - before) / r.ok) * 1e6;
        const polls = await stopPolling?.();
        if (r.errors || r.non2xx)
          throw new Error(`${name}/${mode}: ${r.errors} errors, ${r.non2xx} non-2xx`);
        samples[`${mode}/${name}`] ??= { rps: [], cpuUs: [] };
        samples[`${mode}/${name}`].rps.push(r.rps);
        samples[`${mode}/${name}`].cpuUs.push(cpuUs);
        log(
          `${mode} round ${round + 1} ${name}: ${r.rps.toFixed(0)} req/s, ${cpuUs.toFixed(0)} µs CPU/request${polls ? ` (${polls} polls)` : ''}`,
        );
      }
    }
  }
  const rows = [];
  const figures = {};
  for (const mode of settings.modes) {
    const off = samples[`${mode}/off`];
    const offRps = summarize(off.rps).p50;
    const offCpu = summarize(off.cpuUs).p50;
    for (const name of Object.keys(VARIANTS)) {
      const v = samples[`${mode}/${name}`];
      const rps = summarize(v.rps).p50;
      const cpu = summarize(v.cpuUs).p50;
      figures[`${mode}/${name}`] = { medianRps: rps, medianCpuUsPerRequest: cpu, rounds: v };
      rows.push([
        mode,
        VARIANTS[name].label,
        rps.toFixed(0),
        (rps / offRps).toFixed(3),
        cpu.toFixed(0),
        (cpu / offCpu).toFixed(3),
      ]);
    }
  }
  const machine = machineInfo();
  const table = markdownTable(
    [
      'mode',
      'variant',
      `median req/s (c=${settings.concurrency})`,
      '× page off',
      'median gateway CPU µs / request',
      '× page off',
    ],
    rows,
  );
  process.stdout.write(
    `${table}\n\nmachine: ${JSON.stringify(machine)}\nsettings: ${JSON.stringify(settings)}\n`,
  );
  const file = writeResults('dashboard-overhead', { settings, machine, figures });
  log(`results: ${file}`);
} finally {
  for (const name of ['off', 'on']) await targets[name]?.stop();
  await emulator.stop();
}
