#!/usr/bin/env node
// Median cost of one routing decision (resolve the model group, read state,
// filter cooldowns / limits, run the strategy, reserve an rpm slot when limits
// are set), in memory, for groups of 3 and 5 deployments. No call is made.
// Runs against the built package:
//   pnpm --filter @switchyard/router build && node bench/router-decision.mjs
import { Router } from '../packages/router/dist/index.js';

const BATCH = 500; // decisions per timed sample, so timer resolution does not matter
const SAMPLES = 200;
const WARMUP_BATCHES = 40;
const TARGET_US = 10;

const invoke = () => Promise.reject(new Error('the benchmark makes no calls'));
const request = {
  model: 'chat',
  messages: [
    { role: 'system', content: 'You are a concise assistant.' },
    { role: 'user', content: 'Which platform does the 10:04 to Leeds leave from?' },
  ],
};

function modelList(count, params = () => ({})) {
  return Array.from({ length: count }, (_, i) => ({
    model_name: 'chat',
    litellm_params: {
      model: 'hosted_vllm/meta-llama/Llama-3.1-8B-Instruct',
      api_base: `http://10.0.0.${i + 1}:8000/v1`,
      ...params(i),
    },
    model_info: { max_input_tokens: 8192 },
  }));
}

const cases = [
  ['simple-shuffle, 3 deployments', { model_list: modelList(3) }],
  ['simple-shuffle, 5 weighted', { model_list: modelList(5, i => ({ weight: i + 1 })) }],
  ['least-busy, 5', { model_list: modelList(5), routing_strategy: 'least-busy' }],
  ['latency-based, 5', { model_list: modelList(5), routing_strategy: 'latency-based-routing' }],
  [
    'usage-based-v2, 5 with rpm/tpm limits',
    {
      model_list: modelList(5, () => ({ rpm: 1e12, tpm: 1e15 })),
      routing_strategy: 'usage-based-routing-v2',
    },
  ],
  [
    'simple-shuffle, 5, pre-call checks',
    { model_list: modelList(5), enable_pre_call_checks: true },
  ],
];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

let sink = 0;
console.log(`node ${process.version}, ${SAMPLES} samples × ${BATCH} decisions, in-memory state`);
for (const [label, options] of cases) {
  const router = new Router({ ...options, invoke });
  const pick = () => router.pickDeployment('chat', request);
  for (let i = 0; i < WARMUP_BATCHES * BATCH; i++) sink += (await pick()).id.length;
  const perDecisionUs = [];
  for (let s = 0; s < SAMPLES; s++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) sink += (await pick()).id.length;
    perDecisionUs.push(Number(process.hrtime.bigint() - start) / 1000 / BATCH);
  }
  const med = median(perDecisionUs);
  const verdict = med < TARGET_US ? 'ok' : 'MISSED';
  console.log(
    `${label.padEnd(40)} median ${med.toFixed(2)} µs  (target < ${TARGET_US} µs: ${verdict})`,
  );
  await router.close();
}
if (sink === 0) console.log('(sink)');
