#!/usr/bin/env node
/**
 * Many open streams (issue 20): STREAMS concurrent streaming chat requests
 * held open through one gateway process against a slow vLLM emulator (one
 * token a second), with the load generator and the emulator in processes of
 * their own. Each target gets a fresh emulator. Measures:
 *   - failures: a stream that does not start, or ends or fails while held;
 *   - the gateway's memory per open stream above idle (RSS, PSS, USS);
 *   - time to first byte of a new request while they are open, vs idle;
 *   - how long after the clients leave every stream is cancelled upstream
 *     (the emulator's vllm:num_requests_running back to 0, and its
 *     finished_reason="abort" count), and per stream: each client's leave
 *     to the emulator seeing that stream cut (p50 / p99 / max).
 * The minimal pass-through (node:http in, http.Agent out, bytes piped) runs
 * first: the floor of what Node's sockets and http objects cost per stream.
 *
 *   pnpm build && ulimit -n 20000 && node bench/open-streams.mjs
 *
 * Environment (all optional):
 *   TARGETS=minimal,switchyard  gateways to measure, in order (switchyard-b: the build SWITCHYARD_B_CLI names)
 *   STREAMS=5000          streams held open at once (each holds two sockets in the gateway)
 *   HOLD_SECONDS=20       how long they stay open while memory is sampled and TTFB probed
 *   PROBE_SECONDS=5       TTFB probe length, idle and while open (one request at a time)
 *   OPEN_BATCH=250        streams opened at once by the load generator
 *   PIN=0                 no taskset placement (default: gateway on CPU 0, the rest on CPU 1)
 *   CPU_PROFILE_DIR=dir   write Switchyard's CPU profile there (the close storm is its tail)
 *   ROUTER_TIMEOUT=s      router_settings.timeout for Switchyard (each held stream then carries the deadline's abort)
 */
import { envList, envNumber } from './lib/env-options.mjs';
import { fmt, markdownTable } from './lib/markdown.mjs';
import { measureOpenStreams } from './lib/open-streams-run.mjs';
import { pinning, pinSelf } from './lib/placement.mjs';
import { machineInfo, writeResults } from './lib/results-file.mjs';
import { B_TARGET, TARGET_LABELS } from './lib/targets.mjs';

const settings = {
  targets: envList('TARGETS', ['minimal', 'switchyard'], ['minimal', 'switchyard', B_TARGET]),
  streams: Math.round(envNumber('STREAMS', 5000)),
  holdS: envNumber('HOLD_SECONDS', 20),
  probeS: envNumber('PROBE_SECONDS', 5),
  openBatch: Math.round(envNumber('OPEN_BATCH', 250)),
  tokensPerSecond: 1,
  pinning: pinning(),
  // Switchyard under `node --cpu-prof` into this folder (the close storm is the profile's tail).
  cpuProfileDir: process.env.CPU_PROFILE_DIR || undefined,
};
const log = message => process.stderr.write(`${message}\n`);

pinSelf();
log(
  `placement: ${settings.pinning.enabled ? settings.pinning.reason : `OS (${settings.pinning.reason})`}`,
);
// One column per entry of TARGETS: a target may come twice (A/B/B/A runs).
const results = [];
for (const target of settings.targets) {
  log(`\n${TARGET_LABELS[target]}`);
  results.push({ target, ...(await measureOpenStreams(target, settings, log)) });
}

const report = { machine: machineInfo(), settings, results };
const file = writeResults('open-streams', report);
const mem = (r, key) => `${fmt(r.memoryMb.idle[key], 1)} → ${fmt(r.memoryMb.open[key], 1)}`;
const rows = [
  ['streams opened / failed to open', r => `${r.opened.ok} / ${r.opened.failed}`],
  ['seconds to open all', r => fmt(r.opened.seconds, 1)],
  ['running upstream once opened', r => fmt(r.upstreamOpenAfterOpening)],
  ['failed while held', r => fmt(r.failedWhileHeld)],
  ['gateway CPU while held (share of one core)', r => fmt(r.holdCpuShare, 2)],
  ['emulator RSS at the end of the hold (MB)', r => fmt(r.emulatorRssMb, 0)],
  ['RSS idle → open (median MB)', r => mem(r, 'rssMb')],
  ['PSS idle → open (median MB)', r => mem(r, 'pssMb')],
  ['USS idle → open (median MB)', r => mem(r, 'ussMb')],
  ['V8 heap, lowest used idle → open (MB)', r => mem(r, 'heapUsedMb')],
  ['V8 heap, reserved idle → open (median MB)', r => mem(r, 'heapTotalMb')],
  [
    'per open stream above idle: RSS / PSS / USS (KB)',
    r => ['rss', 'pss', 'uss'].map(k => fmt(r.perStreamKb[k], 1)).join(' / '),
  ],
  [
    'TTFB p50 / p90 idle (ms)',
    r => `${fmt(r.ttfbMs.idle.p50, 2)} / ${fmt(r.ttfbMs.idle.p90, 2)} (${r.probeOk.idle})`,
  ],
  [
    'TTFB p50 / p90 while open (ms)',
    r => `${fmt(r.ttfbMs.open.p50, 2)} / ${fmt(r.ttfbMs.open.p90, 2)} (${r.probeOk.open})`,
  ],
  ['clients left in (ms)', r => fmt(r.leave.clientTookMs)],
  [
    'all cancelled upstream within (ms of the first client leaving)',
    r =>
      r.leave.cancelledWithinMs === undefined
        ? `not within 10 s (${r.leave.stillRunning} still running)`
        : fmt(r.leave.cancelledWithinMs),
  ],
  [
    'per stream, its client leaving → the emulator seeing it cut: p50 / p99 / max (ms); within 1 s',
    r => {
      const p = r.leave.perStream;
      const missing = p.missing > 0 ? `, ${fmt(p.missing)} not seen` : '';
      return `${fmt(p.p50Ms)} / ${fmt(p.p99Ms)} / ${fmt(p.maxMs)}; ${fmt(p.withinOneSecond)} of ${fmt(p.streams)}${missing}`;
    },
  ],
  [
    'gateway CPU from the leave until all cancelled: ms (µs per stream)',
    r => `${fmt(r.leave.gatewayCpuMs, 0)} (${fmt(r.leave.gatewayCpuUsPerStream, 0)})`,
  ],
  [
    "gateway's upstream sockets closed within (ms of the first client leaving, ss; 5 kept alive)",
    r => fmt(r.leave.upstreamSocketsClosedMs),
  ],
  [
    'gateway clock: first client socket ended (FIN read) / first and last closed (ms of the first client leaving)',
    r =>
      r.leave.gateway
        ? `${fmt(r.leave.gateway.firstClientEndedMs)} / ${fmt(r.leave.gateway.firstClientClosedMs)} / ${fmt(r.leave.gateway.lastClientClosedMs)} (${r.leave.gateway.clientClosed})`
        : 'n/a',
  ],
  [
    "gateway clock: first client socket ended or closed → last stream's upstream socket closed (ms)",
    r =>
      r.leave.gateway
        ? `${fmt(r.leave.gateway.clientLeaveToLastUpstreamMs)} (${r.leave.gateway.upstreamClosed} closed)`
        : 'n/a',
  ],
  [
    'gateway clock: its CPU over that span (ms; µs per stream)',
    r =>
      r.leave.gateway?.cpuMs === undefined
        ? 'n/a'
        : `${fmt(r.leave.gateway.cpuMs, 0)} (${fmt((r.leave.gateway.cpuMs * 1000) / r.opened.ok, 0)})`,
  ],
  [
    'gateway clock: upstream sockets opened after the first client left',
    r => fmt(r.leave.gateway?.upstreamOpened),
  ],
  ['aborted upstream (finished_reason="abort")', r => fmt(r.leave.abortedUpstream)],
];
const out = [
  `# Open streams (${new Date().toISOString().slice(0, 10)})`,
  '',
  `Node ${process.version}, load average ${report.machine.loadAverage1m} at the end, ${report.machine.cpus} CPUs; ` +
    `${settings.streams} streams at ${settings.tokensPerSecond} token/s, held ${settings.holdS} s.`,
  '',
  markdownTable(
    ['figure', ...settings.targets.map(t => TARGET_LABELS[t])],
    rows.map(([label, cell]) => [label, ...results.map(cell)]),
  ),
];
process.stdout.write(`${out.join('\n')}\n`);
log(`\nresults: ${file}`);
