#!/usr/bin/env node
// Engine-aware routing under a multi-turn chat workload: many concurrent
// conversations, each several turns whose prompts grow (every turn resends
// the whole history), against emulated vLLM replicas with a prefix cache, a
// realistic cold time to first token and a max_num_seqs limit. Each routing
// strategy gets fresh replicas (empty caches) and the same conversations.
// Reports the prefix-cache hit rate (tokens, from the replicas' /metrics),
// TTFT p50 / p99 (to the first content token of a stream), throughput, and
// each replica's share of the requests.
//
// Runs against the built packages:
//   pnpm build   (or: pnpm turbo run build --filter=@switchyard/router... --filter=@switchyard/testing... --filter=@switchyard/provider-vllm...)
//   node bench/engine-routing.mjs [--conversations 192] [--turns 6] [--concurrency 48 | 1,48]
//        [--replicas 4] [--ttft-ms 40] [--tokens-per-second 400] [--max-num-seqs 12]
//        [--cache-blocks 512] [--strategies simple-shuffle,prefix-affinity]
//        [--workload multi-turn|shared-system] [--system-prompts 4] [--system-words 600]
//        [--restart-replica]
//
// `--concurrency` takes a list: each strategy runs once per value, so
// `--concurrency 1,24` compares conversations sent one at a time (nothing
// in flight when a new one is placed) with many at once.
// `shared-system`: many users sharing a few long system prompts (RAG and
// agent traffic), each conversation on one of them. `kv-aware` runs the
// replicas with KV events (the router follows their prefix caches).
// `--restart-replica` restarts replica 1 (same ports, empty cache, sequence
// from 0) when half of the conversations have started; requests cut by it
// are retried elsewhere and counted.
import { parseArgs } from 'node:util';
import { HttpClient } from '../packages/core/dist/index.js';
import { hostedVllmProvider } from '../packages/provider-vllm/dist/index.js';
import { Router } from '../packages/router/dist/index.js';
import { startVllmEmulator } from '../packages/testing/dist/index.js';
import { fmt, markdownTable } from './lib/markdown.mjs';
import { percentile } from './lib/stats.mjs';

const { values: opt } = parseArgs({
  options: {
    conversations: { type: 'string', default: '192' },
    turns: { type: 'string', default: '6' },
    concurrency: { type: 'string', default: '48' },
    replicas: { type: 'string', default: '4' },
    'ttft-ms': { type: 'string', default: '40' },
    'tokens-per-second': { type: 'string', default: '400' },
    'max-num-seqs': { type: 'string', default: '12' },
    'cache-blocks': { type: 'string', default: '512' },
    'user-words': { type: 'string', default: '80' },
    'reply-tokens': { type: 'string', default: '24' },
    workload: { type: 'string', default: 'multi-turn' },
    'system-prompts': { type: 'string', default: '4' },
    'system-words': { type: 'string', default: '600' },
    'restart-replica': { type: 'boolean', default: false },
    strategies: {
      type: 'string',
      default: 'simple-shuffle,least-busy,session-affinity,prefix-affinity,load-aware',
    },
  },
});
const num = name => {
  const n = Number(opt[name]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
};
const CONVERSATIONS = num('conversations');
const TURNS = num('turns');
const CONCURRENCIES = opt.concurrency.split(',').map(v => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error('--concurrency must be positive integers');
  return n;
});
const REPLICAS = num('replicas');
const USER_WORDS = num('user-words');
const REPLY_TOKENS = num('reply-tokens');
const EMULATOR = {
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  ttftMs: num('ttft-ms'),
  tokensPerSecond: num('tokens-per-second'),
  maxNumSeqs: num('max-num-seqs'),
  prefixCache: { blocks: num('cache-blocks'), blockSize: 16 },
};
const STRATEGY_ARGS = {
  // The poller's default is 1 s; a run of a few seconds needs fresher samples.
  'load-aware': { poll_interval: 0.2 },
  'kv-aware': { poll_interval: 0.2 },
};
const WORKLOAD = opt.workload;
if (!['multi-turn', 'shared-system'].includes(WORKLOAD)) {
  throw new Error('--workload must be multi-turn or shared-system');
}
const SYSTEM_PROMPTS = num('system-prompts');
const SYSTEM_WORDS = num('system-words');

/** A deterministic word stream, so every strategy sees the same conversations. */
function wordsFor(seed, count) {
  let x = seed >>> 0 || 1;
  const out = [];
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.push(`w${(x >>> 0) % 5000}`);
  }
  return out.join(' ');
}
const SYSTEM = { role: 'system', content: `You are a helpful assistant. ${wordsFor(7, 40)}` };
const SHARED_SYSTEMS = Array.from({ length: SYSTEM_PROMPTS }, (_, i) => ({
  role: 'system',
  content: `Answer from these documents. ${wordsFor(90_000 + i, SYSTEM_WORDS)}`,
}));
const systemFor = c => (WORKLOAD === 'shared-system' ? SHARED_SYSTEMS[c % SYSTEM_PROMPTS] : SYSTEM);

const http = new HttpClient();
const invoke = ({ deployment, operation, request, signal, timeoutMs }) =>
  hostedVllmProvider[operation](request, {
    model: deployment.model.slice('hosted_vllm/'.length),
    apiBase: deployment.apiBase,
    apiKey: deployment.apiKey,
    options: {},
    http,
    signal,
    timeoutMs,
  });

async function scrape(emulator) {
  const text = await (await fetch(`${emulator.url}/metrics`)).text();
  const out = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line === '') continue;
    const name = line.slice(0, line.indexOf('{'));
    out[name] = (out[name] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return out;
}

/** One conversation: TURNS streamed requests, each resending the history. */
async function converse(router, c, record) {
  const messages = [systemFor(c)];
  for (let t = 0; t < TURNS; t++) {
    messages.push({ role: 'user', content: wordsFor(c * 1000 + t + 1, USER_WORDS) });
    const t0 = performance.now();
    let ttft;
    let text = '';
    let res;
    try {
      res = await router.completionStream(
        { model: 'chat', messages: [...messages], max_tokens: REPLY_TOKENS, stream: true },
        { metadata: { session_id: `conversation-${c}` } },
      );
      for await (const chunk of res.stream) {
        const piece = chunk.choices[0]?.delta?.content;
        if (piece) {
          ttft ??= performance.now() - t0;
          text += piece;
        }
      }
    } catch {
      // A stream cut by the restarted replica: counted, and the conversation goes on.
      record({ failed: true });
      text = 'interrupted';
    }
    if (res && ttft !== undefined)
      record({ ttft, deploymentId: res.routing.deploymentId, conversation: c });
    messages.push({ role: 'assistant', content: text });
  }
}

async function runStrategy(strategy, concurrency) {
  const kvEvents = strategy === 'kv-aware';
  const emulators = await Promise.all(
    Array.from({ length: REPLICAS }, () => startVllmEmulator({ ...EMULATOR, kvEvents })),
  );
  const router = new Router({
    model_list: emulators.map((e, i) => ({
      model_name: 'chat',
      litellm_params: { model: `hosted_vllm/${e.model}`, api_base: `${e.url}/v1` },
      model_info: {
        id: `replica-${i}`,
        ...(kvEvents
          ? {
              kv_events: {
                endpoint: e.kvEvents.endpoint,
                replay_endpoint: e.kvEvents.replayEndpoint,
              },
            }
          : {}),
      },
    })),
    routing_strategy: strategy,
    routing_strategy_args: STRATEGY_ARGS[strategy] ?? {},
    num_retries: opt['restart-replica'] ? 2 : 0,
    invoke,
  });
  await router.strategy.ready?.();
  await router.strategy.refresh?.();
  const ttfts = [];
  let failed = 0;
  const share = new Map(emulators.map((_, i) => [`replica-${i}`, 0]));
  /** Conversation → the replica of each of its turns (stickiness). */
  const placements = new Map();
  const record = ({ ttft, deploymentId, conversation, failed: cut }) => {
    if (cut) {
      failed++;
      return;
    }
    placements.set(conversation, [...(placements.get(conversation) ?? []), deploymentId]);
    ttfts.push(ttft);
    share.set(deploymentId, share.get(deploymentId) + 1);
  };
  const retired = [];
  let restarting;
  const restart = async () => {
    const old = emulators[1];
    const { endpoint, replayEndpoint } = old.kvEvents ?? {};
    await old.close();
    retired.push(await scrape(old).catch(() => undefined));
    emulators[1] = await startVllmEmulator({
      ...EMULATOR,
      port: old.port,
      ...(kvEvents ? { kvEvents: { endpoint, replayEndpoint } } : {}),
    });
  };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < CONVERSATIONS) {
        const c = next++;
        if (opt['restart-replica'] && c === Math.floor(CONVERSATIONS / 2)) restarting = restart();
        await converse(router, c, record);
      }
    }),
  );
  await restarting;
  const seconds = (performance.now() - started) / 1000;
  const metrics = [...(await Promise.all(emulators.map(scrape))), ...retired.filter(Boolean)];
  await router.close();
  await Promise.all(emulators.map(e => e.close()));
  const hits = metrics.reduce((s, m) => s + m['vllm:prefix_cache_hits_total'], 0);
  const queries = metrics.reduce((s, m) => s + m['vllm:prefix_cache_queries_total'], 0);
  const sorted = Float64Array.from(ttfts).sort();
  const fair = ttfts.length / REPLICAS;
  const sticky = [...placements.values()].filter(ids => new Set(ids).size === 1).length;
  return {
    strategy,
    concurrency,
    requests: ttfts.length,
    sticky: sticky / placements.size,
    hitRate: hits / queries,
    ttftP50: percentile(sorted, 50),
    ttftP99: percentile(sorted, 99),
    rps: ttfts.length / seconds,
    shares: [...share.values()].map(n => n / ttfts.length),
    maxOverFair: Math.max(...share.values()) / fair,
    failed,
  };
}

const strategies = opt.strategies.split(',').map(s => s.trim());
console.log(
  `${WORKLOAD}${WORKLOAD === 'shared-system' ? ` (${SYSTEM_PROMPTS} system prompts of ${SYSTEM_WORDS} words)` : ''}` +
    `${opt['restart-replica'] ? ', replica 1 restarted mid-run' : ''}: ` +
    `${CONVERSATIONS} conversations × ${TURNS} turns, ${CONCURRENCIES.join(' or ')} at a time, ${REPLICAS} replicas ` +
    `(ttft ${EMULATOR.ttftMs} ms cold, ${EMULATOR.tokensPerSecond} tok/s, max_num_seqs ${EMULATOR.maxNumSeqs}, ` +
    `prefix cache ${EMULATOR.prefixCache.blocks} blocks of 16 tokens); Node ${process.version}\n`,
);
const results = [];
for (const concurrency of CONCURRENCIES)
  for (const strategy of strategies) {
    const r = await runStrategy(strategy, concurrency);
    results.push(r);
    console.log(
      `${strategy} (${concurrency} at a time): hit rate ${fmt(r.hitRate * 100, 1)} %, ttft p50 ${fmt(r.ttftP50, 1)} ms, p99 ${fmt(r.ttftP99, 1)} ms, ${fmt(r.rps, 0)} req/s, max share ${fmt(r.maxOverFair, 2)}× fair, ${fmt(r.sticky * 100, 0)} % of conversations on one replica${r.failed ? `, ${r.failed} cut by the restart` : ''}`,
    );
  }
await http.close();

console.log(
  `\n${markdownTable(
    [
      'strategy',
      'at a time',
      'prefix-cache hit rate',
      'TTFT p50',
      'TTFT p99',
      'throughput',
      'requests per replica',
      'busiest / fair share',
      'conversations on one replica',
    ],
    results.map(r => [
      `\`${r.strategy}\``,
      r.concurrency,
      `${fmt(r.hitRate * 100, 1)} %`,
      `${fmt(r.ttftP50, 1)} ms`,
      `${fmt(r.ttftP99, 1)} ms`,
      `${fmt(r.rps, 0)} req/s`,
      r.shares.map(s => `${fmt(s * 100, 0)} %`).join(' / '),
      `${fmt(r.maxOverFair, 2)}×`,
      `${fmt(r.sticky * 100, 0)} %`,
    ]),
  )}`,
);

for (const concurrency of CONCURRENCIES) {
  const at = strategy =>
    results.find(r => r.strategy === strategy && r.concurrency === concurrency);
  const shuffle = at('simple-shuffle');
  const prefix = at('prefix-affinity');
  const kv = at('kv-aware');
  const checks = [];
  if (shuffle && prefix) {
    checks.push(
      [`prefix-affinity hit rate ≥ 2× simple-shuffle`, prefix.hitRate >= 2 * shuffle.hitRate],
      [`prefix-affinity TTFT p50 below simple-shuffle`, prefix.ttftP50 < shuffle.ttftP50],
    );
  }
  if (prefix) {
    checks.push(
      [`prefix-affinity busiest replica ≤ 1.25× fair share`, prefix.maxOverFair <= 1.25],
      [`prefix-affinity keeps ≥ 90 % of conversations on one replica`, prefix.sticky >= 0.9],
    );
  }
  if (kv && prefix && shuffle) {
    checks.push(
      [`kv-aware hit rate ≥ prefix-affinity`, kv.hitRate >= prefix.hitRate],
      [`kv-aware TTFT p99 no worse than simple-shuffle`, kv.ttftP99 <= shuffle.ttftP99],
    );
  }
  if (checks.length > 0) console.log(`\n${concurrency} at a time:`);
  for (const [what, ok] of checks) console.log(`${ok ? 'met   ' : 'MISSED'} ${what}`);
}
