#!/usr/bin/env node
// The kv-aware router's costs off and on a request's path:
//  - index lookup + scoring with a million blocks indexed (p50 / p99),
//  - naming an 8,000-token prompt's blocks (the prompt-to-blocks step, done
//    in the background: the engine's /tokenize round trip, then hashing),
//  - the whole routing decision for an 8,000-token conversation whose
//    earlier turns are known (what a request pays), through Router.pickDeployment.
//
//   pnpm build
//   node bench/kv-index.mjs [--blocks 1000000] [--replicas 8] [--prompt-tokens 8000] [--iterations 20000]
import { parseArgs } from 'node:util';
import { chainBlocks, KvBlockIndex, Router } from '../packages/router/dist/index.js';
import { startVllmEmulator } from '../packages/testing/dist/index.js';
import { fmt } from './lib/markdown.mjs';
import { percentile } from './lib/stats.mjs';

const { values: opt } = parseArgs({
  options: {
    blocks: { type: 'string', default: '1000000' },
    replicas: { type: 'string', default: '8' },
    'prompt-tokens': { type: 'string', default: '8000' },
    iterations: { type: 'string', default: '20000' },
  },
});
const BLOCKS = Number(opt.blocks);
const REPLICAS = Number(opt.replicas);
const PROMPT_TOKENS = Number(opt['prompt-tokens']);
const ITERATIONS = Number(opt.iterations);
const BLOCK_SIZE = 16;
const us = ms => `${fmt(ms * 1000, 1)} µs`;

function timings(n, run) {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    run(i);
    out[i] = performance.now() - t0;
  }
  return out.sort();
}

// 1. A million blocks over the replicas: conversations of 64 blocks each, as events would store them.
const index = new KvBlockIndex({ maxBlocks: BLOCKS });
const prompts = [];
let engineHash = 1;
for (let stored = 0, conv = 0; stored < BLOCKS; conv++) {
  const tokens = Array.from(
    { length: 64 * BLOCK_SIZE },
    (_, i) => (conv * 7919 + i * 31) % 128_000,
  );
  const hashes = Array.from({ length: 64 }, () => engineHash++);
  index.apply(`replica-${conv % REPLICAS}`, {
    type: 'BlockStored',
    blockHashes: hashes,
    parentBlockHash: null,
    tokenIds: tokens,
    blockSize: BLOCK_SIZE,
  });
  if (conv % 100 === 0) prompts.push(chainBlocks(tokens, BLOCK_SIZE));
  stored += 64;
}
let mask = 0;
for (let r = 0; r < REPLICAS; r++) mask |= index.bitOf(`replica-${r}`);
const depths = new Int32Array(32);
const lookup = timings(ITERATIONS, i => {
  index.depths(prompts[i % prompts.length], mask, depths);
  let best = -Infinity;
  for (let r = 0; r < REPLICAS; r++) best = Math.max(best, depths[r] - 4 * ((i + r) % 3));
  return best;
});
console.log(
  `index of ${fmt(index.size, 0)} blocks over ${REPLICAS} replicas, 64-block prompts: lookup + scoring p50 ${us(percentile(lookup, 50))}, p90 ${us(percentile(lookup, 90))}, p99 ${us(percentile(lookup, 99))}`,
);

// 2. Prompt → blocks for an 8,000-token conversation: /tokenize on an emulator, then hashing.
const emu = await startVllmEmulator({
  prefixCache: { blockSize: BLOCK_SIZE },
  kvEvents: true,
  maxModelLen: 32_768,
});
const words = n => Array.from({ length: n }, (_, i) => `w${(i * 7919) % 5000}`).join(' ');
const messages = [
  { role: 'system', content: words(PROMPT_TOKENS - 200) },
  { role: 'user', content: words(150) },
];
const tokenizeMs = [];
let tokens;
for (let i = 0; i < 50; i++) {
  const t0 = performance.now();
  const res = await fetch(`${emu.url}/tokenize`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages, add_generation_prompt: false }),
  });
  tokens = (await res.json()).tokens;
  tokenizeMs.push(performance.now() - t0);
}
const hashing = timings(2000, () => chainBlocks(tokens, BLOCK_SIZE));
const tok = Float64Array.from(tokenizeMs).sort();
console.log(
  `prompt → blocks, ${tokens.length} tokens (background): /tokenize p50 ${fmt(percentile(tok, 50), 2)} ms, p99 ${fmt(percentile(tok, 99), 2)} ms; hashing into ${Math.floor(tokens.length / BLOCK_SIZE)} blocks p50 ${us(percentile(hashing, 50))}, p99 ${us(percentile(hashing, 99))}`,
);

// 3. The whole decision for the next turn of that conversation (its earlier turns named).
const router = new Router({
  model_list: [0, 1, 2, 3].map(i => ({
    model_name: 'chat',
    litellm_params: { model: `hosted_vllm/${emu.model}`, api_base: `${emu.url}/v1` },
    model_info: {
      id: `r${i}`,
      kv_events: { endpoint: emu.kvEvents.endpoint, replay_endpoint: emu.kvEvents.replayEndpoint },
    },
  })),
  routing_strategy: 'kv-aware',
  // No engine traffic follows these picks: keep the replicas from counting as stale.
  routing_strategy_args: { poll_interval: 60, stale_after: 3600 },
  invoke: async () => {
    throw new Error('not called');
  },
});
await router.strategy.ready();
await router.pickDeployment('chat', { messages });
await router.strategy.settle();
// The engine serves the first turn, so its blocks are cached and published.
await fetch(`${emu.url}/v1/chat/completions`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ messages, max_tokens: 1 }),
});
const full = Math.floor(tokens.length / BLOCK_SIZE) * BLOCK_SIZE;
for (
  let i = 0;
  i < 500 && router.strategy.predictCachedTokens('chat', { messages }, 'r0') < full;
  i++
) {
  await new Promise(resolve => setTimeout(resolve, 20));
}
const next = [
  ...messages,
  { role: 'assistant', content: words(40) },
  { role: 'user', content: words(60) },
];
const predicted =
  router.strategy.predictCachedTokens('chat', { messages: next }, 'r0') / BLOCK_SIZE;
const decisions = [];
for (let i = 0; i < 3000; i++) {
  const t0 = performance.now();
  await router.pickDeployment('chat', { messages: next });
  decisions.push(performance.now() - t0);
}
const dec = Float64Array.from(decisions).sort();
console.log(
  `routing decision, ${tokens.length}-token conversation (earlier turns named): p50 ${us(percentile(dec, 50))}, p90 ${us(percentile(dec, 90))}, p99 ${us(percentile(dec, 99))}; blocks predicted cached: ${predicted}`,
);
await router.close();
await emu.close();
