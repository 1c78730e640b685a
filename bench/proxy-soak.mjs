#!/usr/bin/env node
/**
 * Proxy soak (issue 9): drives Switchyard at concurrency 16 against the
 * zero-latency vLLM emulator for 10 minutes, sampling the gateway's RSS
 * (VmRSS), PSS and USS (/proc/<pid>/smaps_rollup) every 10 s, then says
 * whether memory stayed flat: the mean RSS of the last minute within 5% of
 * the second minute's (issue 20; the first minute is start-up and JIT).
 * Memory under load is judged as a ratio to the pass-through by
 * proxy-overhead.mjs, not against an absolute limit here.
 *
 *   pnpm build && node bench/proxy-soak.mjs
 *
 * Environment (all optional):
 *   SOAK_SECONDS=600   how long to drive the load
 *   SAMPLE_SECONDS=10  RSS sampling interval
 *   CONCURRENCY=16
 *   MODE=json          json | stream
 *   TARGET=switchyard  switchyard | minimal | portkey (to compare)
 *   PIN=0              no taskset placement
 */
import { runAutocannon } from './lib/autocannon-load.mjs';
import { chatBody } from './lib/chat-request.mjs';
import { envList, envNumber } from './lib/env-options.mjs';
import { fmt, markdownTable } from './lib/markdown.mjs';
import { pinning, pinSelf } from './lib/placement.mjs';
import { cpuSeconds, privateMemoryMb, rssMb } from './lib/proc-stats.mjs';
import { machineInfo, writeResults } from './lib/results-file.mjs';
import { judgeRss } from './lib/rss-flatness.mjs';
import { startEmulator, startTarget } from './lib/targets.mjs';

const soakS = envNumber('SOAK_SECONDS', 600);
const sampleS = envNumber('SAMPLE_SECONDS', 10);
const concurrency = envNumber('CONCURRENCY', 16);
const [mode] = envList('MODE', ['json'], ['json', 'stream']);
const [targetName] = envList('TARGET', ['switchyard'], ['switchyard', 'minimal', 'portkey']);
const log = message => process.stderr.write(`${message}\n`);

const placement = pinning();
pinSelf();
const emulator = await startEmulator();
let target;
const series = [];
let load;
try {
  target = await startTarget(targetName, { emulator });
  const startedAt = performance.now();
  const sample = () => {
    const tS = Math.round((performance.now() - startedAt) / 1000);
    if (series.at(-1)?.tS === tS) return;
    const rss = rssMb(target.pid);
    if (rss === undefined) return;
    const { pssMb, ussMb } = privateMemoryMb(target.pid);
    series.push({ tS, rssMb: rss, pssMb, ussMb, cpuS: cpuSeconds(target.pid) });
    log(
      `t=${tS}s RSS ${rss.toFixed(1)} MB, PSS ${pssMb?.toFixed(1)} MB, USS ${ussMb?.toFixed(1)} MB`,
    );
  };
  sample();
  const timer = setInterval(sample, sampleS * 1000);
  load = await runAutocannon({
    url: target.chatUrl,
    headers: target.headers,
    body: chatBody({ stream: mode === 'stream' }),
    connections: concurrency,
    durationS: soakS,
    maxRequests: soakS * 100_000,
  });
  clearInterval(timer);
  sample();
} finally {
  await target?.stop();
  await emulator.stop();
}

const verdict = judgeRss(series, { windowS: Math.min(60, soakS / 5), tolerance: 0.05 });
const out = [
  `# Proxy soak: ${targetName}, c=${concurrency}, ${mode}, ${soakS} s (${new Date().toISOString().slice(0, 10)})`,
  '',
  `Node ${process.version}, load average ${machineInfo().loadAverage1m} at the end, placement: ${placement.enabled ? placement.reason : `OS (${placement.reason})`}. ` +
    `${fmt(load.rps)} RPS, ${fmt(load.ok)} answers, ${load.non2xx + load.errors} failed.`,
  '',
  markdownTable(
    ['t (s)', 'RSS MB', 'PSS MB', 'USS MB'],
    series.map(s => [String(s.tS), fmt(s.rssMb, 1), fmt(s.pssMb, 1), fmt(s.ussMb, 1)]),
  ),
  '',
  `Second ${verdict.windowS} s window mean ${fmt(verdict.secondWindowMeanMb, 1)} MB, last ${verdict.windowS} s ` +
    `mean ${fmt(verdict.lastWindowMeanMb, 1)} MB (${verdict.growth === undefined ? 'n/a' : `${verdict.growth >= 0 ? '+' : ''}${fmt(verdict.growth * 100, 1)}%`}): ` +
    `${verdict.flat === undefined ? 'too short to judge' : verdict.flat ? 'flat (within 5%)' : '**NOT flat** (more than 5%)'}. ` +
    `Max RSS ${fmt(verdict.maxMb, 1)} MB.`,
];
process.stdout.write(`${out.join('\n')}\n`);
const file = writeResults('proxy-soak', {
  machine: machineInfo(),
  settings: { soakS, sampleS, concurrency, mode, target: targetName, placement },
  load,
  series,
  verdict,
});
log(`\nresults: ${file}`);
