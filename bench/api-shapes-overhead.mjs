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
 *   SWITCHYARD_B_CLI=<file>  another build's apps/proxy/dist/cli.js (a copy of dist/ kept aside):
 *                     it runs beside this one, every API measured on both in the same rounds,
 *                     so a change's effect on the ratios is read from one run (rows "(B)")
 */
import { cpuPerRequest, warmUp } from './lib/cpu-per-request.mjs';
import { envList, envNumber } from './lib/env-options.mjs';
import { fmt, markdownTable } from './lib/markdown.mjs';
import { pinning, pinSelf } from './lib/placement.mjs';
import { machineInfo, writeResults } from './lib/results-file.mjs';
import { median, roundOrder } from './lib/rounds.mjs';
import { B_TARGET, PROFILE_DIR, startEmulator, startTarget } from './lib/targets.mjs';

const settings = {
  rounds: Math.round(envNumber('ROUNDS', 5)),
  durationS: envNumber('DURATION', 4),
  connections: Math.round(envNumber('CONNECTIONS', 16)),
  modes: envList('MODES', ['json', 'stream'], ['json', 'stream']),
  pinning: pinning(),
  apis: envList('APIS', ALL_APIS, ALL_APIS),
  cpuProfile: process.env.CPU_PROF === '1',
  bBuild: process.env.SWITCHYARD_B_CLI,
};
const log = message => process.stderr.write(`${message}\n`);

// The same request in each API's shape (same prompt, same token cap): bench/lib/api-requests.mjs.
const APIS = API_REQUESTS;
const API_NAMES = Object.keys(APIS).filter(name => settings.apis.includes(name));
/** Suffix of the B build's cells: `responses (B)` is /v1/responses on the B build. */
const B = ' (B)';
/** The cells of a round: each API, then (with a B build) each API on it. */
const NAMES = settings.bBuild ? [...API_NAMES, ...API_NAMES.map(n => n + B)] : API_NAMES;

if (settings.pinning.enabled) pinSelf();
const emulator = await startEmulator();
const gateways = {
  '': await startTarget('switchyard', {
    emulator,
    cpuProfileDir: settings.cpuProfile ? PROFILE_DIR : undefined,
  }),
};
if (settings.bBuild) gateways[B] = await startTarget(B_TARGET, { emulator });

/** A cell's API and the gateway serving it. */
function cellOf(name) {
  const b = name.endsWith(B);
  const gateway = gateways[b ? B : ''];
  const api = APIS[b ? name.slice(0, -B.length) : name];
  return { api, gateway, url: gateway.chatUrl.replace('/v1/chat/completions', api.path) };
}

/** One API for one round: requests served and the gateway's CPU microseconds per request. */
async function measure(name, stream) {
  const { api, gateway, url } = cellOf(name);
  const { rps, cpuUs } = await cpuPerRequest({
    label: name,
    pid: gateway.pid,
    url,
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
        url: cellOf(name).url,
        headers: cellOf(name).gateway.headers,
        body: cellOf(name).api.body(stream),
        connections: settings.connections,
      });
    const rounds = [];
    for (let round = 0; round < settings.rounds; round++) {
      const cell = {};
      for (const name of roundOrder(NAMES, round)) cell[name] = await measure(name, stream);
      rounds.push(cell);
      log(
        `${mode} round ${round + 1} (load ${machineInfo().loadAverage1m}): ${NAMES.map(n => `${n} ${fmt(cell[n].cpuUsPerRequest)} µs`).join(', ')}`,
      );
    }
    results[mode] = Object.fromEntries(NAMES.map(name => [name, summarise(name, rounds)]));
  }
} finally {
  for (const gateway of Object.values(gateways)) await gateway.stop();
  await emulator.stop();
}

/** A cell's medians over rounds; its ratio to chat is to chat on the same build, same round. */
function summarise(name, rounds) {
  const chat = name.endsWith(B) ? `chat${B}` : 'chat';
  // Without chat in the run (a profile of one API) there is nothing to compare with.
  const ratios = rounds[0][chat]
    ? rounds.map(r => r[name].cpuUsPerRequest / r[chat].cpuUsPerRequest)
    : [];
  return {
    rps: median(rounds.map(r => r[name].rps)),
    cpuUsPerRequest: median(rounds.map(r => r[name].cpuUsPerRequest)),
    ratioToChat: median(ratios) ?? Number.NaN,
    ratiosToChat: ratios,
  };
}

const rows = [];
for (const [mode, byApi] of Object.entries(results)) {
  for (const name of NAMES) {
    const r = byApi[name];
    const rounds = r.ratiosToChat.map(v => fmt(v, 2)).join(', ');
    rows.push([
      mode,
      cellOf(name).api.path + (name.endsWith(B) ? B : ''),
      fmt(r.rps),
      fmt(r.cpuUsPerRequest),
      rounds ? `${fmt(r.ratioToChat, 2)} (${rounds})` : '',
    ]);
  }
}
const table = markdownTable(
  ['mode', 'route', 'RPS', 'gateway CPU µs / request', 'ratio to chat: median (rounds)'],
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
