#!/usr/bin/env node
/**
 * Gateway CPU per request: the minimal pass-through and Switchyard (and,
 * with SWITCHYARD_B_CLI set, a second Switchyard build, "switchyard-b") in
 * front of the same zero-latency vLLM emulator, chat only, at one
 * concurrency. Each round runs the targets in turn (rotated) under
 * autocannon and reads each gateway's CPU seconds from /proc: CPU µs per
 * answered request is what a gateway costs whatever else the machine is
 * doing, where RPS on a shared machine is set by whoever else runs. Ratios
 * are medians over rounds of per-round ratios (RPS and CPU to the
 * pass-through, and each Switchyard's CPU to the B build's).
 *
 *   pnpm build && node bench/gateway-cpu.mjs
 *
 * Environment (all optional):
 *   ROUNDS=5          rounds per mode
 *   DURATION=3        seconds of autocannon per target and round
 *   CONNECTIONS=64    concurrent connections
 *   MODES=json,stream
 *   SWITCHYARD_B_CLI=<file>  another build's apps/proxy/dist/cli.js (a copy of dist/ kept
 *                     aside, or another checkout's): it runs as "switchyard-b"
 *   PIN=0             no taskset placement (default: gateways on CPU 0, rest on CPU 1)
 *   RATE=1500         offered requests per second over all connections, the same for every
 *                     target (default: closed loop, as fast as each answers). CPU per request
 *                     falls as RPS rises (more events per wake-up), so on a busy machine a
 *                     target that got a faster slot looks cheaper; a fixed rate below every
 *                     target's limit removes that.
 */
import { API_REQUESTS } from './lib/api-requests.mjs';
import { cpuPerRequest, warmUp } from './lib/cpu-per-request.mjs';
import { envList, envNumber } from './lib/env-options.mjs';
import { fmt, markdownTable } from './lib/markdown.mjs';
import { pinning, pinSelf } from './lib/placement.mjs';
import { machineInfo, writeResults } from './lib/results-file.mjs';
import { median, roundOrder } from './lib/rounds.mjs';
import { B_TARGET, startEmulator, startTarget } from './lib/targets.mjs';

const settings = {
  rounds: Math.round(envNumber('ROUNDS', 5)),
  durationS: envNumber('DURATION', 3),
  connections: Math.round(envNumber('CONNECTIONS', 64)),
  modes: envList('MODES', ['json', 'stream'], ['json', 'stream']),
  bBuild: process.env.SWITCHYARD_B_CLI,
  rate: process.env.RATE ? Math.round(envNumber('RATE', 0)) : undefined,
  pinning: pinning(),
};
const log = message => process.stderr.write(`${message}\n`);

if (settings.pinning.enabled) pinSelf();
const emulator = await startEmulator();
const targets = {};
const loadAverages = [];

/** One target for one round: RPS and the gateway's CPU µs per answered request. */
function measure(target, stream) {
  return cpuPerRequest({
    label: target.name,
    pid: target.pid,
    url: target.chatUrl,
    headers: target.headers,
    body: API_REQUESTS.chat.body(stream),
    connections: settings.connections,
    durationS: settings.durationS,
    overallRate: settings.rate,
  });
}

const results = {};
try {
  targets.minimal = await startTarget('minimal', { emulator });
  targets.switchyard = await startTarget('switchyard', { emulator });
  if (settings.bBuild) targets[B_TARGET] = await startTarget(B_TARGET, { emulator });
  const names = Object.keys(targets);
  for (const mode of settings.modes) {
    const stream = mode === 'stream';
    for (const name of names) {
      const t = targets[name];
      await warmUp({
        url: t.chatUrl,
        headers: t.headers,
        body: API_REQUESTS.chat.body(stream),
        connections: settings.connections,
      });
    }
    const rounds = [];
    for (let round = 0; round < settings.rounds; round++) {
      const cell = {};
      for (const name of roundOrder(names, round))
        cell[name] = await measure(targets[name], stream);
      rounds.push(cell);
      loadAverages.push(machineInfo().loadAverage1m);
      log(
        `${mode} round ${round + 1} (load ${machineInfo().loadAverage1m}): ` +
          names.map(n => `${n} ${fmt(cell[n].rps)} RPS ${fmt(cell[n].cpuUs)} µs`).join(', '),
      );
    }
    results[mode] = { rounds, summary: summarise(names, rounds) };
  }
} finally {
  for (const target of Object.values(targets)) await target.stop();
  await emulator.stop();
}

/** Medians per target, and the per-round ratios' medians. */
function summarise(names, rounds) {
  const perRound = (name, f) => rounds.map(r => f(r[name], r));
  return Object.fromEntries(
    names.map(name => [
      name,
      {
        rps: median(perRound(name, c => c.rps)),
        cpuUs: median(perRound(name, c => c.cpuUs)),
        rpsRatios: perRound(name, (c, r) => c.rps / r.minimal.rps),
        cpuRatios: perRound(name, (c, r) => c.cpuUs / r.minimal.cpuUs),
        toB: rounds[0][B_TARGET]
          ? perRound(name, (c, r) => c.cpuUs / r[B_TARGET].cpuUs)
          : undefined,
      },
    ]),
  );
}

const list = values => values.map(v => fmt(v, 2)).join(', ');
const rows = [];
for (const [mode, { summary }] of Object.entries(results)) {
  for (const [name, s] of Object.entries(summary)) {
    rows.push([
      mode,
      name,
      fmt(s.rps),
      fmt(s.cpuUs),
      `${fmt(median(s.rpsRatios), 2)} (${list(s.rpsRatios)})`,
      `${fmt(median(s.cpuRatios), 2)} (${list(s.cpuRatios)})`,
      s.toB ? `${fmt(median(s.toB), 2)} (${list(s.toB)})` : '-',
    ]);
  }
}
const info = machineInfo();
process.stdout.write(
  `${markdownTable(
    [
      'mode',
      'target',
      'RPS',
      'CPU µs / request',
      'RPS / pass-through (rounds)',
      'CPU / pass-through (rounds)',
      'CPU / B build (rounds)',
    ],
    rows,
  )}\n\nNode ${process.version}, ${info.cpus} CPUs, load average per round ${loadAverages.join(', ')}; ` +
    `${settings.rounds} rounds × ${settings.durationS} s at ${settings.connections} connections${settings.rate ? `, ${settings.rate} requests/s offered` : ''}, targets in turn.\n`,
);
writeResults('gateway-cpu', { settings, results, machine: info });
