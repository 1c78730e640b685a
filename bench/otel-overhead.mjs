#!/usr/bin/env node
/**
 * Tracing overhead (issue 21): Switchyard with `callbacks: ["otel"]`
 * against the same proxy without it, in front of one zero-latency vLLM
 * emulator, non-streaming and streaming. The traced proxy exports OTLP
 * protobuf (default batch settings) to a collector sink in this process
 * that reads and counts every export, so the figure includes building,
 * encoding and posting the spans. Both proxies run the whole time and take
 * turns within each round; the ratio is the median of the per-round
 * ratios (same round, same machine).
 *
 *   pnpm build && node bench/otel-overhead.mjs
 *
 * Environment (all optional):
 *   ROUNDS=5  DURATION=5  WARMUP=3  CONCURRENCY=16  MODES=json,stream  PIN=0
 *   CPU_PROF=1  (both proxies under `node --cpu-prof`, profiles in bench/results/profiles)
 */
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { runAutocannon } from './lib/autocannon-load.mjs';
import { chatBody, MODEL } from './lib/chat-request.mjs';
import { freePort, httpOnce, spawnNode, stopChild, waitUntil } from './lib/child-server.mjs';
import { envIntegers, envList, envNumber } from './lib/env-options.mjs';
import { DIST, ROOT, requireBuilt } from './lib/paths.mjs';
import { GATEWAY_CPU, pinning, pinSelf } from './lib/placement.mjs';
import { watchProcess } from './lib/proc-stats.mjs';
import { machineInfo, writeResults } from './lib/results-file.mjs';
import { median, roundOrder } from './lib/rounds.mjs';
import { writeSwitchyardConfig } from './lib/switchyard-config.mjs';
import { PROFILE_DIR, startEmulator } from './lib/targets.mjs';

const settings = {
  rounds: Math.round(envNumber('ROUNDS', 5)),
  durationS: envNumber('DURATION', 5),
  warmupS: envNumber('WARMUP', 3),
  concurrency: envIntegers('CONCURRENCY', [16]),
  modes: envList('MODES', ['json', 'stream'], ['json', 'stream']),
  pinning: pinning(),
  cpuProfile: process.env.CPU_PROF === '1',
};
const log = message => process.stderr.write(`${message}\n`);
requireBuilt(DIST.proxyCli, '@switchyard/proxy');
pinSelf();

/** A collector that accepts every export: reads the body, counts requests and bytes, answers 200. */
async function startSink() {
  const seen = { exports: 0, bytes: 0 };
  const server = createServer((req, res) => {
    req.on('data', chunk => {
      seen.bytes += chunk.length;
    });
    req.on('end', () => {
      seen.exports++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => server.close() };
}

async function startProxy(name, { emulator, extra, env }) {
  const config = writeSwitchyardConfig({ emulatorUrl: emulator.url, model: MODEL, extra, name });
  const port = await freePort();
  const nodeFlags = [];
  if (settings.cpuProfile) {
    mkdirSync(PROFILE_DIR, { recursive: true });
    nodeFlags.push(
      '--cpu-prof',
      `--cpu-prof-dir=${PROFILE_DIR}`,
      `--cpu-prof-name=${name}.cpuprofile`,
    );
  }
  const child = spawnNode({
    name,
    args: [
      ...nodeFlags,
      DIST.proxyCli,
      '--config',
      config,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    cpu: GATEWAY_CPU,
    cwd: ROOT,
    env,
  });
  const url = `http://127.0.0.1:${port}`;
  const chatUrl = `${url}/v1/chat/completions`;
  await waitUntil(
    child,
    async () =>
      (
        await httpOnce({
          url: chatUrl,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: chatBody({ stream: false }),
        })
      ).status === 200,
    { what: 'a 200 chat completion' },
  );
  return { name, url, chatUrl, pid: child.pid, stop: () => stopChild(child) };
}

const emulator = await startEmulator();
const sink = await startSink();
const targets = [
  await startProxy('tracing-off', { emulator, extra: {}, env: {} }),
  await startProxy('tracing-on', {
    emulator,
    extra: { litellm_settings: { callbacks: ['otel'] } },
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_SERVICE_NAME: 'bench' },
  }),
];
const results = [];
try {
  for (const mode of settings.modes) {
    const body = chatBody({ stream: mode === 'stream' });
    for (const target of targets) {
      await runAutocannon({
        url: target.chatUrl,
        body,
        connections: 8,
        durationS: settings.warmupS,
      });
    }
    for (const connections of settings.concurrency) {
      const perRound = { 'tracing-off': [], 'tracing-on': [] };
      const cpu = { 'tracing-off': [], 'tracing-on': [] };
      for (let round = 0; round < settings.rounds; round++) {
        for (const target of roundOrder(targets, round)) {
          const watch = watchProcess(target.pid);
          const load = await runAutocannon({
            url: target.chatUrl,
            body,
            connections,
            durationS: settings.durationS,
          });
          const failed = load.non2xx + load.errors + load.timeouts;
          if (failed > 0) throw new Error(`${target.name}: ${failed} failed requests`);
          perRound[target.name].push(load.rps);
          cpu[target.name].push(watch.stop().cpuPercent);
        }
      }
      const ratios = perRound['tracing-on'].map((on, i) => on / perRound['tracing-off'][i]);
      const cell = {
        mode,
        connections,
        rpsOff: median(perRound['tracing-off']),
        rpsOn: median(perRound['tracing-on']),
        ratio: median(ratios),
        ratios,
        cpuOff: median(cpu['tracing-off']),
        cpuOn: median(cpu['tracing-on']),
        // CPU per answered request: on a machine shared with other jobs the
        // gateway may not get a whole core, and then RPS says more about
        // the neighbours than about tracing; CPU per request does not.
        cpuMsPerRequestOff: median(
          cpu['tracing-off'].map((c, i) => (c * 10) / perRound['tracing-off'][i]),
        ),
        cpuMsPerRequestOn: median(
          cpu['tracing-on'].map((c, i) => (c * 10) / perRound['tracing-on'][i]),
        ),
      };
      results.push(cell);
      log(
        `${mode} c=${connections}: off ${cell.rpsOff.toFixed(0)} rps, on ${cell.rpsOn.toFixed(0)} rps, ratio ${cell.ratio.toFixed(3)} (rounds ${ratios.map(r => r.toFixed(3)).join(' ')})`,
      );
    }
  }
  const metrics = await httpOnce({ url: `${targets[1].url}/metrics` });
  const count = name =>
    [...metrics.body.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'gm'))].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
  const spans = {
    exported: count('switchyard_otel_spans_exported_total'),
    dropped: count('switchyard_otel_spans_dropped_total'),
    sinkExports: sink.seen.exports,
    sinkBytes: sink.seen.bytes,
  };
  log(
    `spans exported ${spans.exported}, dropped ${spans.dropped}; sink got ${spans.sinkExports} exports, ${(spans.sinkBytes / 1e6).toFixed(1)} MB`,
  );
  process.stdout.write(
    `\n| mode | c | RPS tracing off | RPS tracing on | on/off (median of rounds) | gw CPU % off / on | gw CPU ms per request off / on |\n| --- | --- | --- | --- | --- | --- | --- |\n`,
  );
  for (const c of results) {
    process.stdout.write(
      `| ${c.mode} | ${c.connections} | ${c.rpsOff.toFixed(0)} | ${c.rpsOn.toFixed(0)} | ${c.ratio.toFixed(3)} | ${c.cpuOff?.toFixed(0)} / ${c.cpuOn?.toFixed(0)} | ${c.cpuMsPerRequestOff?.toFixed(3)} / ${c.cpuMsPerRequestOn?.toFixed(3)} |\n`,
    );
  }
  const path = writeResults('otel-overhead', { settings, machine: machineInfo(), results, spans });
  log(`results: ${path}`);
} finally {
  for (const t of targets) await t.stop();
  await emulator.stop();
  sink.close();
  if (settings.cpuProfile)
    log(
      `CPU profiles: ${PROFILE_DIR}/tracing-{off,on}.cpuprofile (summarise with: node bench/lib/cpu-profile-summary.mjs <file>)`,
    );
}
