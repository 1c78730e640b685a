#!/usr/bin/env node
/**
 * SDK overhead (issue 8): what `completion()` adds per call over a raw
 * undici request, next to the official `openai` client, against the same
 * zero-latency vLLM emulator in one run. Sequential calls (concurrency 1),
 * warm-up first; the three clients take turns in rounds so drift on a
 * shared machine hits all of them alike. Reports per-call medians.
 *
 *   pnpm build && node bench/sdk-overhead.mjs
 *
 * Environment (all optional):
 *   CALLS=6000        measured calls per client (split over ROUNDS)
 *   ROUNDS=12         interleaved rounds
 *   WARMUP_CALLS=1000 warm-up calls per client
 *   MAX_SECONDS=300   hard stop for the measured part
 *   PIN=0             no taskset placement (default: this process on CPU 0, emulator on CPU 1)
 */
import { envNumber } from './lib/env-options.mjs';
import { fmt, markdownTable, signed } from './lib/markdown.mjs';
import { GATEWAY_CPU, pinning, pinSelf } from './lib/placement.mjs';
import { machineInfo, writeResults } from './lib/results-file.mjs';
import { assertAnswer, createClients } from './lib/sdk-clients.mjs';
import { summarize } from './lib/stats.mjs';
import { startEmulator } from './lib/targets.mjs';

const settings = {
  calls: envNumber('CALLS', 6000),
  rounds: envNumber('ROUNDS', 12),
  warmupCalls: envNumber('WARMUP_CALLS', 1000),
  maxSeconds: envNumber('MAX_SECONDS', 300),
  pinning: pinning(),
};
const log = message => process.stderr.write(`${message}\n`);

pinSelf(GATEWAY_CPU);
const emulator = await startEmulator();
const { clients, close } = await createClients(emulator);
const samples = new Map(clients.map(c => [c.name, []]));
// Per-round medians: the added time is also taken round by round, which cancels slow drift.
const roundMedians = new Map(clients.map(c => [c.name, []]));
let stoppedEarly = false;

try {
  for (const client of clients) {
    for (let i = 0; i < settings.warmupCalls; i += 1)
      assertAnswer(client.name, await client.call());
  }
  const perRound = Math.ceil(settings.calls / settings.rounds);
  const deadline = performance.now() + settings.maxSeconds * 1000;
  for (let round = 0; round < settings.rounds && !stoppedEarly; round += 1) {
    // Rotate who goes first, so no client always runs right after another's GC debt.
    const order = clients.map((_, i) => clients[(i + round) % clients.length]);
    for (const client of order) {
      const times = [];
      for (let i = 0; i < perRound; i += 1) {
        const start = process.hrtime.bigint();
        await client.call();
        times.push(Number(process.hrtime.bigint() - start) / 1000);
      }
      samples.get(client.name).push(...times);
      roundMedians.get(client.name).push(summarize(times).p50);
    }
    if (performance.now() > deadline) stoppedEarly = true;
    log(`round ${round + 1}/${settings.rounds} done`);
  }
} finally {
  await close();
  await emulator.stop();
}

const stats = clients.map(c => ({ name: c.name, ...summarize(samples.get(c.name)) }));
const rawRounds = roundMedians.get(clients[0].name);
/** Median over rounds of (client's round median - raw's round median). */
const roundAdded = name => summarize(roundMedians.get(name).map((m, i) => m - rawRounds[i])).p50;
const raw = stats[0];
const sdk = stats[1];
const openai = stats[2];
const sdkAdded = sdk.p50 - raw.p50;
const openaiAdded = openai.p50 - raw.p50;
const verdicts = [
  { name: 'SDK added per call (median)', value: sdkAdded, limit: '< 30 µs', pass: sdkAdded < 30 },
  {
    name: 'SDK added vs openai added',
    value: sdkAdded - openaiAdded,
    limit: '<= 0 µs',
    pass: sdkAdded <= openaiAdded,
  },
];

const out = [
  `# SDK overhead (${new Date().toISOString().slice(0, 10)})`,
  '',
  `Node ${process.version}, load average ${machineInfo().loadAverage1m} at the end, placement: ${settings.pinning.enabled ? 'client on CPU 0, emulator on CPU 1' : `OS scheduling (${settings.pinning.reason})`}; ` +
    `${raw.count} sequential calls per client after ${settings.warmupCalls} warm-up calls. Times in µs.` +
    (stoppedEarly ? ` Stopped early at MAX_SECONDS=${settings.maxSeconds}.` : ''),
  '',
  markdownTable(
    ['client', 'p50 µs', 'p90 µs', 'p99 µs', 'added p50 vs raw', 'added, median of rounds'],
    stats.map((s, i) => [
      s.name,
      fmt(s.p50, 1),
      fmt(s.p90, 1),
      fmt(s.p99, 1),
      i === 0 ? '' : signed(s.p50 - raw.p50, 1),
      i === 0 ? '' : signed(roundAdded(s.name), 1),
    ]),
  ),
  '',
  markdownTable(
    ['target', 'measured', 'limit', 'result'],
    verdicts.map(v => [v.name, `${signed(v.value, 1)} µs`, v.limit, v.pass ? 'pass' : '**FAIL**']),
  ),
];
process.stdout.write(`${out.join('\n')}\n`);
const file = writeResults('sdk-overhead', {
  machine: machineInfo(),
  settings,
  stats,
  roundMedians: Object.fromEntries(roundMedians),
  verdicts,
  stoppedEarly,
});
log(`\nresults: ${file}`);
