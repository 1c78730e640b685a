/**
 * One target of open-streams.mjs: a fresh paced emulator, the gateway, the
 * load generator (a process of its own); idle memory and TTFB, STREAMS
 * opened and held while memory is sampled and TTFB probed again, then every
 * client leaves at once and the emulator is watched until nothing runs.
 */
import { execFile, fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chatBody } from './chat-request.mjs';
import { httpOnce } from './child-server.mjs';
import { runLatencyProbe } from './latency-probe.mjs';
import { gatewayCloseClock, perStreamCancel } from './open-streams-clocks.mjs';
import { BENCH_DIR, RESULTS_DIR } from './paths.mjs';
import { cpuSeconds, privateMemoryMb, rssMb } from './proc-stats.mjs';
import { startEmulator, startTarget } from './targets.mjs';

// Long enough to outlast the hold at one token a second.
const HELD_BODY = chatBody({ stream: true, maxTokens: 1000 });
// One token: the emulator sends it at once, so the probe times the gateway, not the pacing.
const PROBE_BODY = chatBody({ stream: true, maxTokens: 1 });

const median = values => {
  const sorted = values.filter(v => v !== undefined).sort((a, b) => a - b);
  return sorted.length === 0 ? undefined : sorted[Math.floor(sorted.length / 2)];
};

/** The heap-sampler lines written between `from` and `to` (ms), as `{ usedMb, totalMb }`. */
function heapSamples(file, from, to) {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map(line => JSON.parse(line))
    .filter(s => s.at >= from && s.at <= to);
}

/** Samples `pid`'s RSS / PSS / USS every second for `seconds`; medians, in MB. */
async function sampleMemory(pid, heapFile, seconds) {
  const samples = [];
  const from = Date.now();
  while (Date.now() - from < seconds * 1000) {
    samples.push({ rssMb: rssMb(pid), ...privateMemoryMb(pid) });
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  const heap = heapSamples(heapFile, from, Date.now());
  return {
    samples: samples.length,
    rssMb: median(samples.map(s => s.rssMb)),
    pssMb: median(samples.map(s => s.pssMb)),
    ussMb: median(samples.map(s => s.ussMb)),
    // The heap's low points are the live objects; its median counts garbage not yet collected.
    heapUsedMb: heap.length === 0 ? undefined : Math.min(...heap.map(s => s.usedMb)),
    heapTotalMb: median(heap.map(s => s.totalMb)),
  };
}

/** The emulator's running streams and aborted count, from its /metrics. */
async function upstreamStreams(emulatorUrl) {
  const { body } = await httpOnce({ url: `${emulatorUrl}/metrics`, timeoutMs: 10_000 });
  const running = /^vllm:num_requests_running\{[^}]*\} (\S+)$/m.exec(body);
  const aborted = /^vllm:request_success_total\{finished_reason="abort",[^}]*\} (\S+)$/m.exec(body);
  return { running: Number(running?.[1] ?? Number.NaN), aborted: Number(aborted?.[1] ?? 0) };
}

/**
 * Established TCP connections to `port` on this machine (`ss`; undefined
 * without it): the gateway's upstream sockets, since the emulator listens
 * there. It tells when the gateway destroyed them apart from when the
 * emulator got round to counting its streams aborted.
 */
function connectionsTo(port) {
  return new Promise(resolve => {
    execFile(
      'ss',
      ['-Htn', 'state', 'established', `( dport = :${port} )`],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => resolve(error ? undefined : stdout.split('\n').filter(Boolean).length),
    );
  });
}

/** Polls until at most `baseline` connections to `port` remain; ms after `from`, or undefined. */
async function upstreamClosedWithin(port, baseline, from, limitMs) {
  while (Date.now() - from < limitMs) {
    const open = await connectionsTo(port);
    if (open === undefined) return undefined;
    if (open <= baseline) return Date.now() - from;
  }
  return undefined;
}

/** Starts the load generator (it inherits this process's CPU: the load CPU). */
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

async function probe(url, seconds) {
  const result = await runLatencyProbe({
    url,
    headers: { authorization: 'Bearer sk-bench' },
    body: PROBE_BODY,
    stream: true,
    concurrency: 1,
    durationMs: seconds * 1000,
  });
  return { ok: result.ok, failed: result.failed, ttfbMs: result.ttfbMs };
}

/** Measures `target` ('minimal' or 'switchyard'); see the file comment. */
export async function measureOpenStreams(target, settings, log) {
  const heapFile = join(RESULTS_DIR, `open-streams-heap-${process.pid}-${target}.jsonl`);
  const closeFile = join(RESULTS_DIR, `open-streams-closes-${process.pid}-${target}.json`);
  const abortFile = join(RESULTS_DIR, `open-streams-aborts-${process.pid}-${target}.json`);
  for (const file of [heapFile, closeFile, abortFile]) rmSync(file, { force: true });
  const emulator = await startEmulator({
    tokensPerSecond: settings.tokensPerSecond,
    abortLog: abortFile,
  });
  const env = {
    NODE_OPTIONS: ['heap-sampler.cjs', 'socket-close-clock.cjs']
      .map(preload => `--require ${join(BENCH_DIR, 'lib', preload)}`)
      .join(' '),
    SWITCHYARD_BENCH_HEAP_FILE: heapFile,
    SWITCHYARD_BENCH_CLOSE_FILE: closeFile,
    SWITCHYARD_BENCH_UPSTREAM_PORT: new URL(emulator.url).port,
  };
  let gateway;
  let client;
  try {
    gateway = await startTarget(target, {
      emulator,
      readyMaxTokens: 1,
      env,
      cpuProfileDir: settings.cpuProfileDir,
    });
    client = await startClient();
    // Warm-up, so idle is a gateway that has served streams, not a cold one.
    await probe(gateway.chatUrl, settings.probeS);
    const idleMemory = await sampleMemory(gateway.pid, heapFile, 5);
    log('idle: probing TTFB');
    const idleProbe = await probe(gateway.chatUrl, settings.probeS);

    // Kept-alive upstream connections stay open after the streams are gone: those
    // of now, and a few the probe opens while the streams hold the others.
    const idleConnections = ((await connectionsTo(Number(new URL(emulator.url).port))) ?? 0) + 5;
    log(`opening ${settings.streams} streams`);
    const openedAt = Date.now();
    client.child.send({
      cmd: 'open',
      url: gateway.chatUrl,
      body: HELD_BODY,
      streams: settings.streams,
      batch: settings.openBatch,
    });
    const opened = await client.next('opened');
    const openSeconds = (Date.now() - openedAt) / 1000;
    log(`opened ${opened.ok} (${opened.failed} failed) in ${openSeconds.toFixed(1)} s`);
    const upstreamOpen = await upstreamStreams(emulator.url);
    const holdCpu = { seconds: cpuSeconds(gateway.pid), at: performance.now() };
    const holding = sampleMemory(gateway.pid, heapFile, settings.holdS);
    log('open: probing TTFB');
    const openProbe = await probe(gateway.chatUrl, settings.probeS);
    const openMemory = await holding;
    // The upstream's own cost, to tell a slow gateway from a struggling emulator.
    const emulatorRssMb = rssMb(emulator.pid);
    // CPU share of the gateway while it relays one token a second on every stream (plus the probe).
    const holdCpuShare =
      (cpuSeconds(gateway.pid) - holdCpu.seconds) / ((performance.now() - holdCpu.at) / 1000);

    const before = await upstreamStreams(emulator.url);
    const port = Number(new URL(emulator.url).port);
    // The gateway's CPU time from the leave until the emulator saw every stream
    // cancelled: a cost per close that CPU contention does not stretch as it stretches
    // the wall-clock times (it includes the few tokens still relayed meanwhile).
    const leaveCpuSeconds = cpuSeconds(gateway.pid);
    client.child.send({ cmd: 'leave' });
    const left = await client.next('left');
    const socketsClosed = upstreamClosedWithin(port, idleConnections, left.at, 10_000);
    let after = before;
    // Polled: the emulator is another process; its /metrics is how an operator would see it.
    while (Date.now() - left.at < 10_000) {
      after = await upstreamStreams(emulator.url);
      if (after.running === 0) break;
    }
    const cancelledMs = Date.now() - left.at;
    const leaveCpuMs = (cpuSeconds(gateway.pid) - leaveCpuSeconds) * 1000;
    const upstreamSocketsClosedMs = await socketsClosed;
    const gatewayClock = await gatewayCloseClock(closeFile, left.at, opened.ok);
    const perStream = await perStreamCancel(abortFile, left.leftAt);
    const perStreamKb = key =>
      idleMemory[key] === undefined || openMemory[key] === undefined
        ? undefined
        : ((openMemory[key] - idleMemory[key]) * 1e6) / 1024 / opened.ok;
    return {
      opened: { ...opened, seconds: openSeconds },
      upstreamOpenAfterOpening: upstreamOpen.running,
      failedWhileHeld: left.failedWhileHeld,
      failures: left.failures,
      memoryMb: { idle: idleMemory, open: openMemory },
      holdCpuShare,
      emulatorRssMb,
      perStreamKb: {
        rss: perStreamKb('rssMb'),
        pss: perStreamKb('pssMb'),
        uss: perStreamKb('ussMb'),
        heapUsed: perStreamKb('heapUsedMb'),
      },
      ttfbMs: { idle: idleProbe.ttfbMs, open: openProbe.ttfbMs },
      probeOk: { idle: idleProbe.ok, open: openProbe.ok },
      probeFailures: { idle: idleProbe.failed, open: openProbe.failed },
      leave: {
        clientTookMs: left.tookMs,
        cancelledWithinMs: after.running === 0 ? cancelledMs : undefined,
        gatewayCpuMs: leaveCpuMs,
        gatewayCpuUsPerStream: (leaveCpuMs * 1000) / opened.ok,
        upstreamSocketsClosedMs,
        gateway: gatewayClock,
        perStream,
        stillRunning: after.running,
        abortedUpstream: after.aborted - before.aborted,
      },
    };
  } finally {
    client?.child.send({ cmd: 'exit' });
    if (client) await once(client.child, 'exit').catch(() => undefined);
    await gateway?.stop();
    await emulator.stop();
    for (const file of [heapFile, closeFile, abortFile]) rmSync(file, { force: true });
  }
}
