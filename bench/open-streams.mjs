#!/usr/bin/env node
/**
 * Many open streams (issue 20): STREAMS concurrent streaming chat requests
 * held open through one Switchyard process (one worker) against a slow
 * vLLM emulator (one token a second), with the load generator and the
 * emulator in processes of their own. Measures:
 *   - failures: a stream that does not start, or ends or fails while held;
 *   - the proxy's memory per open stream above idle (RSS, PSS, USS);
 *   - time to first byte of a new request while they are open, vs idle;
 *   - how long after the clients leave every stream is cancelled upstream
 *     (the emulator's vllm:num_requests_running back to 0, and its
 *     finished_reason="abort" count).
 *
 *   pnpm build && node bench/open-streams.mjs
 *
 * Environment (all optional):
 *   STREAMS=5000          streams held open at once (each holds two sockets in the proxy)
 *   HOLD_SECONDS=20       how long they stay open while memory is sampled and TTFB probed
 *   PROBE_SECONDS=5       TTFB probe length, idle and while open (one request at a time)
 *   OPEN_BATCH=250        streams opened at once by the load generator
 *   PIN=0                 no taskset placement (default: proxy on CPU 0, the rest on CPU 1)
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { chatBody } from './lib/chat-request.mjs';
import { httpOnce } from './lib/child-server.mjs';
import { envNumber } from './lib/env-options.mjs';
import { runLatencyProbe } from './lib/latency-probe.mjs';
import { fmt, markdownTable } from './lib/markdown.mjs';
import { BENCH_DIR } from './lib/paths.mjs';
import { LOAD_CPU, pinnedCommand, pinning, pinSelf } from './lib/placement.mjs';
import { privateMemoryMb, rssMb } from './lib/proc-stats.mjs';
import { machineInfo, writeResults } from './lib/results-file.mjs';
import { startEmulator, startTarget } from './lib/targets.mjs';

const settings = {
  streams: Math.round(envNumber('STREAMS', 5000)),
  holdS: envNumber('HOLD_SECONDS', 20),
  probeS: envNumber('PROBE_SECONDS', 5),
  openBatch: Math.round(envNumber('OPEN_BATCH', 250)),
  tokensPerSecond: 1,
  pinning: pinning(),
};
const log = message => process.stderr.write(`${message}\n`);
// Long enough to outlast the hold at one token a second.
const HELD_BODY = chatBody({ stream: true, maxTokens: 1000 });
// One token: the emulator sends it at once, so the probe times the proxy, not the pacing.
const PROBE_BODY = chatBody({ stream: true, maxTokens: 1 });

/** RSS, PSS and USS of `pid`, in MB. */
function memory(pid) {
  return { rssMb: rssMb(pid), ...privateMemoryMb(pid) };
}

/** Samples `pid`'s memory every second for `seconds`; returns the samples. */
async function sampleMemory(pid, seconds) {
  const samples = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    samples.push(memory(pid));
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  return samples;
}

const median = values => {
  const sorted = values.filter(v => v !== undefined).sort((a, b) => a - b);
  return sorted.length === 0 ? undefined : sorted[Math.floor(sorted.length / 2)];
};
const medianOf = (samples, key) => median(samples.map(s => s[key]));

/** The emulator's running streams and aborted count, from its /metrics. */
async function upstreamStreams(emulatorUrl) {
  const { body } = await httpOnce({ url: `${emulatorUrl}/metrics`, timeoutMs: 10_000 });
  const running = /^vllm:num_requests_running\{[^}]*\} (\S+)$/m.exec(body);
  const aborted = /^vllm:request_success_total\{finished_reason="abort",[^}]*\} (\S+)$/m.exec(body);
  return { running: Number(running?.[1] ?? Number.NaN), aborted: Number(aborted?.[1] ?? 0) };
}

/**
 * Starts the load generator and waits for it. It inherits this process's
 * CPU affinity (pinSelf: the load CPU, beside the emulator).
 */
async function startClient() {
  const child = fork(join(BENCH_DIR, 'lib/open-streams-client.mjs'), {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = async type => {
    for (;;) {
      const [message] = await once(child, 'message');
      if (message.type === type) return message;
    }
  };
  await next('ready');
  return { child, next };
}

async function probe(url) {
  const result = await runLatencyProbe({
    url,
    headers: { authorization: 'Bearer sk-bench' },
    body: PROBE_BODY,
    stream: true,
    concurrency: 1,
    durationMs: settings.probeS * 1000,
  });
  return { ok: result.ok, failed: result.failed, ttfbMs: result.ttfbMs };
}

pinSelf();
log(
  `placement: ${settings.pinning.enabled ? settings.pinning.reason : `OS (${settings.pinning.reason})`}`,
);
const emulator = await startEmulator({ tokensPerSecond: settings.tokensPerSecond });
let proxy;
let client;
try {
  proxy = await startTarget('switchyard', { emulator, readyMaxTokens: 1 });
  client = await startClient();
  // Warm-up, so idle is a proxy that has served streams, not a cold one.
  await probe(proxy.chatUrl);
  const idleMemory = await sampleMemory(proxy.pid, 5);
  log('idle: probing TTFB');
  const idleProbe = await probe(proxy.chatUrl);

  log(`opening ${settings.streams} streams`);
  const openedAt = Date.now();
  client.child.send({
    cmd: 'open',
    url: proxy.chatUrl,
    body: HELD_BODY,
    streams: settings.streams,
    batch: settings.openBatch,
  });
  const opened = await client.next('opened');
  const openSeconds = (Date.now() - openedAt) / 1000;
  log(`opened ${opened.ok} (${opened.failed} failed) in ${openSeconds.toFixed(1)} s`);
  const upstreamOpen = await upstreamStreams(emulator.url);
  const holding = sampleMemory(proxy.pid, settings.holdS);
  log('open: probing TTFB');
  const openProbe = await probe(proxy.chatUrl);
  const openMemory = await holding;

  const before = await upstreamStreams(emulator.url);
  client.child.send({ cmd: 'leave' });
  const left = await client.next('left');
  let after = before;
  // Polled: the emulator is another process; its /metrics is how an operator would see it.
  while (Date.now() - left.at < 10_000) {
    after = await upstreamStreams(emulator.url);
    if (after.running === 0) break;
  }
  const cancelledMs = Date.now() - left.at;

  const perStreamKb = key => {
    const idle = medianOf(idleMemory, key);
    const open = medianOf(openMemory, key);
    return idle === undefined || open === undefined
      ? undefined
      : ((open - idle) * 1e6) / 1024 / opened.ok;
  };
  const report = {
    machine: machineInfo(),
    settings,
    opened: { ...opened, seconds: openSeconds },
    upstreamOpenAfterOpening: upstreamOpen.running,
    failedWhileHeld: left.failedWhileHeld,
    failures: left.failures,
    memory: { idle: idleMemory, open: openMemory },
    perStreamKb: {
      rss: perStreamKb('rssMb'),
      pss: perStreamKb('pssMb'),
      uss: perStreamKb('ussMb'),
    },
    ttfbMs: { idle: idleProbe.ttfbMs, open: openProbe.ttfbMs },
    probeFailures: { idle: idleProbe.failed, open: openProbe.failed },
    leave: {
      clientTookMs: left.tookMs,
      cancelledWithinMs: after.running === 0 ? cancelledMs : undefined,
      stillRunning: after.running,
      abortedUpstream: after.aborted - before.aborted,
    },
  };
  const file = writeResults('open-streams', report);
  const mem = (samples, key) => fmt(medianOf(samples, key), 1);
  const out = [
    `# Open streams (${new Date().toISOString().slice(0, 10)})`,
    '',
    `Node ${process.version}, load average ${report.machine.loadAverage1m} at the end, ${report.machine.cpus} CPUs; ` +
      `${settings.streams} streams at ${settings.tokensPerSecond} token/s, held ${settings.holdS} s.`,
    '',
    markdownTable(
      ['figure', 'value'],
      [
        [
          'streams opened / failed to open',
          `${opened.ok} / ${opened.failed} (${openSeconds.toFixed(1)} s to open all)`,
        ],
        ['running upstream once opened', fmt(upstreamOpen.running)],
        ['failed while held', fmt(left.failedWhileHeld)],
        [
          'proxy RSS idle → open (median MB)',
          `${mem(idleMemory, 'rssMb')} → ${mem(openMemory, 'rssMb')}`,
        ],
        [
          'proxy PSS idle → open (median MB)',
          `${mem(idleMemory, 'pssMb')} → ${mem(openMemory, 'pssMb')}`,
        ],
        [
          'proxy USS idle → open (median MB)',
          `${mem(idleMemory, 'ussMb')} → ${mem(openMemory, 'ussMb')}`,
        ],
        [
          'per open stream above idle: RSS / PSS / USS (KB)',
          ['rss', 'pss', 'uss'].map(k => fmt(report.perStreamKb[k], 1)).join(' / '),
        ],
        [
          'TTFB p50 / p90 idle (ms)',
          `${fmt(idleProbe.ttfbMs.p50, 3)} / ${fmt(idleProbe.ttfbMs.p90, 3)} (${idleProbe.ok} requests)`,
        ],
        [
          'TTFB p50 / p90 while open (ms)',
          `${fmt(openProbe.ttfbMs.p50, 3)} / ${fmt(openProbe.ttfbMs.p90, 3)} (${openProbe.ok} requests)`,
        ],
        ['clients left in (ms)', fmt(left.tookMs)],
        [
          'all cancelled upstream within (ms)',
          report.leave.cancelledWithinMs === undefined
            ? `not within 10 s (${after.running} still running)`
            : fmt(cancelledMs),
        ],
        ['aborted upstream (vLLM finished_reason="abort")', fmt(report.leave.abortedUpstream)],
      ],
    ),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  log(`\nresults: ${file}`);
} finally {
  client?.child.send({ cmd: 'exit' });
  if (client) await once(client.child, 'exit').catch(() => undefined);
  await proxy?.stop();
  await emulator.stop();
}
