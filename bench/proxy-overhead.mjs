#!/usr/bin/env node
import { ALL_APIS, API_REQUESTS } from './lib/api-requests.mjs';
/**
 * Proxy overhead (issue 9): one run, one machine, four targets in front of
 * the same zero-latency vLLM emulator — direct, a minimal Node
 * pass-through, Switchyard (one process) and Portkey — at concurrency 1,
 * 16 and 64, non-streaming and streaming (20 chunks). For each cell:
 * autocannon RPS, then a closed-loop probe's p50/p99 latency and TTFB
 * (microsecond timer), and the gateway's CPU share and peak RSS, PSS and
 * USS from /proc. Switchyard also serves the same request as the Anthropic
 * Messages API and the Responses API (`/v1/messages`, `/v1/responses`,
 * translated to chat): those are cells of their own, Switchyard only.
 * Every target runs for the whole benchmark and each cell is measured in
 * ROUNDS short rounds, the targets taking turns within a round (see
 * lib/rounds.mjs): a cell's figures are medians over its rounds.
 *
 *   pnpm build && node bench/proxy-overhead.mjs
 *
 * Environment (all optional):
 *   ROUNDS=3          rounds per cell
 *   DURATION=5        seconds of autocannon per cell and round
 *   PROBE_DURATION=3  seconds of latency probe per cell and round
 *   WARMUP=3          seconds of warm-up per target and mode
 *   CONCURRENCY=1,16,64
 *   MODES=json,stream
 *   TARGETS=direct,minimal,switchyard,portkey
 *                     (also switchyard-b: another build, with
 *                     SWITCHYARD_B_CLI=<its apps/proxy/dist/cli.js>)
 *   APIS=chat,messages,responses  (messages and responses: Switchyard only)
 *   PIN=0             no taskset placement (default: gateway on CPU 0, rest on CPU 1)
 *   CPU_PROF=1        run Switchyard under node --cpu-prof (profiles in bench/results/profiles)
 *   BENCH_VERBOSE=1   show the servers' output
 */
import { runAutocannon } from './lib/autocannon-load.mjs';
import { envIntegers, envList, envNumber } from './lib/env-options.mjs';
import { runLatencyProbe } from './lib/latency-probe.mjs';
import { pinning, pinSelf } from './lib/placement.mjs';
import { rssMb, watchProcess } from './lib/proc-stats.mjs';
import { evaluateTargets, modeTable, targetsTable } from './lib/proxy-report.mjs';
import { machineInfo, writeResults } from './lib/results-file.mjs';
import { combineRounds, roundOrder } from './lib/rounds.mjs';
import {
  ALL_TARGETS,
  B_TARGET,
  PROFILE_DIR,
  startEmulator,
  startTarget,
  switchyardBuilt,
} from './lib/targets.mjs';

const settings = {
  rounds: Math.round(envNumber('ROUNDS', 3)),
  durationS: envNumber('DURATION', 5),
  probeS: envNumber('PROBE_DURATION', 3),
  warmupS: envNumber('WARMUP', 3),
  concurrency: envIntegers('CONCURRENCY', [1, 16, 64]),
  modes: envList('MODES', ['json', 'stream'], ['json', 'stream']),
  targets: envList('TARGETS', ALL_TARGETS, [...ALL_TARGETS, B_TARGET]),
  apis: envList('APIS', ALL_APIS, ALL_APIS),
  pinning: pinning(),
  cpuProfile: process.env.CPU_PROF === '1',
};
const log = message => process.stderr.write(`${message}\n`);

let targets = settings.targets;
const notes = [];
if (targets.includes('switchyard') && !switchyardBuilt()) {
  targets = targets.filter(t => t !== 'switchyard');
  notes.push('Switchyard skipped: apps/proxy/dist/cli.js is missing (run "pnpm build").');
  log(notes.at(-1));
}
if (!targets.includes('direct')) targets = ['direct', ...targets]; // added latency needs it

pinSelf();
log(
  `placement: ${settings.pinning.enabled ? settings.pinning.reason : `OS (${settings.pinning.reason})`}`,
);

const emulator = await startEmulator();
const cells = [];
const startup = {};
const running = {};
const stopAll = async () => {
  for (const target of Object.values(running)) await target.stop();
  await emulator.stop();
};
process.once('SIGINT', async () => {
  await stopAll();
  process.exit(130);
});

/**
 * What runs in each round: every target's chat cell, then Switchyard's
 * other APIs (no other target serves them), as `{ name, api }`.
 */
function runsOf(names) {
  const runs = [];
  for (const name of names) {
    const isSwitchyard = name === 'switchyard' || name === B_TARGET;
    if (settings.apis.includes('chat') || !isSwitchyard) runs.push({ name, api: 'chat' });
    if (!isSwitchyard) continue;
    for (const api of settings.apis) if (api !== 'chat') runs.push({ name, api });
  }
  return runs;
}
const runKey = run => (run.api === 'chat' ? run.name : `${run.name} ${run.api}`);

/** One round of one cell on one target and API: autocannon, then the latency probe. */
async function measure(target, api, mode, concurrency) {
  const shape = API_REQUESTS[api];
  const request = {
    url:
      api === 'chat' ? target.chatUrl : target.chatUrl.replace('/v1/chat/completions', shape.path),
    headers: target.headers,
    body: shape.body(mode === 'stream'),
  };
  const watch = watchProcess(target.pid);
  const load = await runAutocannon({
    ...request,
    connections: concurrency,
    durationS: settings.durationS,
  });
  const gateway = watch.stop();
  const probe = await runLatencyProbe({
    ...request,
    stream: mode === 'stream',
    streamEnd: shape.streamEnd,
    concurrency,
    durationMs: settings.probeS * 1000,
  });
  return { load, probe, gateway };
}

try {
  for (const name of targets) {
    log(`starting ${name}`);
    running[name] = await startTarget(name, {
      emulator,
      cpuProfileDir: settings.cpuProfile && name === 'switchyard' ? PROFILE_DIR : undefined,
    });
    if (running[name].pid) startup[name] = { rssMb: rssMb(running[name].pid) };
  }
  for (const mode of settings.modes) {
    const runs = runsOf(targets);
    for (const run of runs) {
      const shape = API_REQUESTS[run.api];
      const target = running[run.name];
      await runAutocannon({
        url: target.chatUrl.replace('/v1/chat/completions', shape.path),
        headers: target.headers,
        body: shape.body(mode === 'stream'),
        connections: 16,
        durationS: settings.warmupS,
      });
    }
    for (const concurrency of settings.concurrency) {
      const rounds = Object.fromEntries(runs.map(run => [runKey(run), []]));
      for (let round = 0; round < settings.rounds; round++) {
        for (const run of roundOrder(runs, round)) {
          const result = await measure(running[run.name], run.api, mode, concurrency);
          rounds[runKey(run)].push(result);
          const { load, probe, gateway } = result;
          log(
            `${mode} c=${concurrency} round ${round + 1} ${runKey(run)}: ${Math.round(load.rps)} RPS, ` +
              `p50 ${probe.latencyMs.p50?.toFixed(3)} ms, TTFB p50 ${probe.ttfbMs.p50?.toFixed(3)} ms, ` +
              `RSS ${gateway.maxRssMb?.toFixed(0) ?? '-'} MB, USS ${gateway.maxUssMb?.toFixed(0) ?? '-'} MB` +
              (probe.failed + load.non2xx + load.errors > 0
                ? `, FAILED ${probe.failed + load.non2xx + load.errors} ${JSON.stringify(probe.failures)}`
                : ''),
          );
        }
      }
      for (const run of runs) {
        cells.push({
          target: run.name,
          api: run.api,
          mode,
          concurrency,
          ...combineRounds(rounds[runKey(run)]),
        });
      }
    }
  }
} finally {
  await stopAll();
}

const verdicts = targets.includes('switchyard') ? evaluateTargets(cells) : [];
const out = [];
out.push(`# Proxy overhead (${new Date().toISOString().slice(0, 10)})`, '');
out.push(
  `Node ${process.version}, load average ${machineInfo().loadAverage1m} at the end, ${machineInfo().cpus} CPUs, placement: ` +
    `${settings.pinning.enabled ? settings.pinning.reason : `OS scheduling (${settings.pinning.reason})`}; ` +
    `${settings.rounds} rounds per cell (targets in turn), each ${settings.durationS} s autocannon + ${settings.probeS} s probe; ` +
    'figures are medians over the rounds (RSS, PSS, USS: maximum). Latency in ms.',
);
for (const note of notes) out.push('', note);
for (const mode of settings.modes) {
  out.push('', `## ${mode === 'json' ? 'Non-streaming' : 'Streaming (20 chunks + [DONE])'}`, '');
  out.push(modeTable(cells, mode));
}
if (verdicts.length > 0)
  out.push('', '## Switchyard targets (ratios to this run)', '', targetsTable(verdicts));
const idle = Object.entries(startup).map(([name, v]) => `${name} ${v.rssMb?.toFixed(0)} MB`);
if (idle.length > 0) out.push('', `RSS right after start: ${idle.join(', ')}.`);
process.stdout.write(`${out.join('\n')}\n`);

const file = writeResults('proxy-overhead', {
  machine: machineInfo(),
  settings,
  notes,
  startup,
  cells,
  verdicts,
});
log(`\nresults: ${file}`);
if (settings.cpuProfile && targets.includes('switchyard')) {
  log(
    `CPU profile: ${PROFILE_DIR} (summarise with: node bench/lib/cpu-profile-summary.mjs <file>)`,
  );
}
