#!/usr/bin/env node
// Median cost of rendering a 10-message conversation into a prompt string,
// with a LiteLLM string template and with a cached Hugging Face (Jinja)
// template. Runs against the built package:
//   pnpm --filter @switchyard/prompt-templates build && node bench/prompt-templates.mjs
import { PromptTemplateRegistry, renderPrompt } from '../packages/prompt-templates/dist/index.js';

const BATCH = 200; // renders per timed sample, so timer resolution does not matter
const SAMPLES = 200;
const WARMUP_BATCHES = 50;

const messages = [
  { role: 'system', content: 'You are a concise assistant for a railway operator.' },
];
for (let i = 0; i < 9; i++) {
  messages.push({
    role: i % 2 === 0 ? 'user' : 'assistant',
    content: `Turn ${i}: which platform does the 10:${String(i).padStart(2, '0')} to Leeds leave from, and is it on time?`,
  });
}

const registry = new PromptTemplateRegistry({ parent: null, onWarning: () => {} });
const cases = [
  ['string template (llama-2-chat)', 'hosted_vllm/meta-llama/Llama-2-7b-chat-hf', 20],
  ['string template (registered custom)', 'hosted_vllm/acme/custom', 20],
  [
    'cached jinja template (llama-3-instruct)',
    'hosted_vllm/meta-llama/Meta-Llama-3-8B-Instruct',
    200,
  ],
  ['cached jinja template (Qwen 2.5 bundled)', 'hosted_vllm/Qwen2.5-7B-Instruct', 200],
];
registry.register({
  model: 'hosted_vllm/acme/custom',
  roles: {
    system: { preMessage: '<|system|>\n', postMessage: '\n' },
    user: { preMessage: '<|user|>\n', postMessage: '\n' },
    assistant: { preMessage: '<|assistant|>\n', postMessage: '\n' },
  },
  finalPromptValue: '<|assistant|>\n',
});

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

let sink = 0;
console.log(
  `node ${process.version}, ${messages.length} messages, ${SAMPLES} samples × ${BATCH} renders`,
);
for (const [label, model, targetUs] of cases) {
  const options = { registry };
  for (let i = 0; i < WARMUP_BATCHES * BATCH; i++)
    sink += renderPrompt(model, messages, options).length;
  const perRenderUs = [];
  for (let s = 0; s < SAMPLES; s++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) sink += renderPrompt(model, messages, options).length;
    perRenderUs.push(Number(process.hrtime.bigint() - start) / 1000 / BATCH);
  }
  const med = median(perRenderUs);
  const verdict = med < targetUs ? 'ok' : 'OVER TARGET';
  console.log(
    `${label.padEnd(42)} median ${med.toFixed(2).padStart(8)} µs   (target < ${targetUs} µs: ${verdict})`,
  );
}
if (sink === 0) console.log('unreachable');
