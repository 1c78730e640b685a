#!/usr/bin/env node
import { ALL_APIS, API_REQUESTS } from './lib/api-requests.mjs';
/**
 * Gateway CPU per request of the Anthropic Messages API (`/v1/messages`)
 * and the Responses API (`/v1/responses`, `store: false`), both translated
 * to chat, against `/v1/chat/completions` in the same run: one Switchyard
 * process in front of the zero-latency vLLM emulator, non-streaming and
 * streaming (20 chunks). Each round runs the three APIs in turn (rotated)
 * under autocannon and reads the gateway's CPU seconds from /proc; a
 * ratio is the median over rounds of (API's CPU per request) / (chat's
 * CPU per request) in the same round. Target: at most 1.2.
 *
 *   pnpm build && node bench/api-shapes-overhead.mjs
 *
 * Environment (all optional):
 *   ROUNDS=5          rounds per mode
 *   DURATION=4        seconds of autocannon per API and round
 *   CONNECTIONS=16    concurrent connections
 *   MODES=json,stream
 *   PIN=0             no taskset placement (default: gateway on CPU 0, rest on CPU 1)
 *   APIS=chat,messages,responses  the APIs to run (ratios need chat; one API alone
 *                     makes a clean CPU profile of it)
 *   CPU_PROF=1        run the gateway under node --cpu-prof (profiles in bench/results/profiles;
 *                     summarise with: node bench/lib/cpu-profile-summary.mjs <file>)
 */
import { cpuPerRequest, warmUp } from './lib/cpu-per-request.mjs';
import { envList, envNumber } from './lib/env-options.mjs';
import { fmt, markdownTable } from './lib/markdown.mjs';
import { pinning, pinSelf } from './lib/placement.mjs';
import { machineInfo, writeResults } from './lib/results-file.mjs';
import { median, roundOrder } from './lib/rounds.mjs';
import { PROFILE_DIR, startEmulator, startTarget } from './lib/targets.mjs';

const settings = {
  rounds: Math.round(envNumber('ROUNDS', 5)),
  durationS: envNumber('DURATION', 4),
  connections: Math.round(envNumber('CONNECTIONS', 16)),
  modes: envList('MODES', ['json', 'stream'], ['json', 'stream']),
  pinning: pinning(),
  apis: envList('APIS', ALL_APIS, ALL_APIS),
  cpuProfile: process.env.CPU_PROF === '1',
};
const log = message => process.stderr.write(`${message}\n`);

// The same request in each API's shape (same prompt, same token cap): bench/lib/api-requests.mjs.
const APIS = API_REQUESTS;
const NAMES = Object.keys(APIS).filter(name => settings.apis.includes(name));

if (settings.pinning.enabled) pinSelf();
const emulator = await startEmulator();
const gateway = await startTarget('switchyard', {
  emulator,
  cpuProfileDir: settings.cpuProfile ? PROFILE_DIR : undefined,
});
const base = gateway.chatUrl.replace('/v1/chat/completions', '');

/** One API for one round: requests served and the gateway's CPU microseconds per request. */
async function measure(name, stream) {
  const api = APIS[name];
  const { rps, cpuUs } = await cpuPerRequest({
    label: name,
    pid: gateway.pid,
    url: `${base}${api.path}`,
    headers: gateway.headers,
    body: api.body(stream),
    connections: settings.connections,
    durationS: settings.durationS,
  });
  return { rps, cpuUsPerRequest: cpuUs };
}

const results = {};
try {
  for (const mode of settings.modes) {
    const stream = mode === 'stream';
    // Warm-up: every API once, so JIT and pools are ready before measuring.
    for (const name of NAMES)
      await warmUp({
        url: `${base}${APIS[name].path}`,
        headers: gateway.headers,
        body: APIS[name].body(stream),
        connections: settings.connections,
      });
    const rounds = [];
    for (let round = 0; round < settings.rounds; round++) {
      const cell = {};
      for (const name of roundOrder(NAMES, round)) cell[name] = await measure(name, stream);
      rounds.push(cell);
      log(
        `${mode} round ${round + 1}: ${NAMES.map(n => `${n} ${fmt(cell[n].cpuUsPerRequest)} µs`).join(', ')}`,
      );
    }
    results[mode] = Object.fromEntries(
      NAMES.map(name => [
        name,
        {
          rps: median(rounds.map(r => r[name].rps)),
          cpuUsPerRequest: median(rounds.map(r => r[name].cpuUsPerRequest)),
          // Without chat in the run (a profile of one API) there is nothing to compare with.
          ratioToChat: rounds[0].chat
            ? median(rounds.map(r => r[name].cpuUsPerRequest / r.chat.cpuUsPerRequest))
            : Number.NaN,
        },
      ]),
    );
  }
} finally {
  await gateway.stop();
  await emulator.stop();
}

const rows = [];
for (const [mode, byApi] of Object.entries(results)) {
  for (const name of NAMES) {
    const r = byApi[name];
    rows.push([mode, APIS[name].path, fmt(r.rps), fmt(r.cpuUsPerRequest), fmt(r.ratioToChat, 2)]);
  }
}
const table = markdownTable(
  ['mode', 'route', 'RPS', 'gateway CPU µs / request', 'ratio to chat (median of rounds)'],
  rows,
);
const info = machineInfo();
process.stdout.write(
  `${table}\n\nNode ${process.version}, ${info.cpus} CPUs, load average ${info.loadAverage1m}; ` +
    `${settings.rounds} rounds × ${settings.durationS} s at ${settings.connections} connections; target ≤ 1.2.\n`,
);
writeResults('api-shapes-overhead', { settings, results, machine: info });
if (settings.cpuProfile)
  log(
    `CPU profile: ${PROFILE_DIR} (summarise with: node bench/lib/cpu-profile-summary.mjs <file>)`,
  );
