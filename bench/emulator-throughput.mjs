#!/usr/bin/env node
/**
 * Non-streaming chat requests per second the vLLM emulator serves with
 * zero latency configured. The emulator and autocannon share this process
 * (one Node.js event loop for the server, autocannon's workers off it).
 *
 * Needs the built package: `pnpm turbo run build --filter=@switchyard/testing...`.
 *
 *   node bench/emulator-throughput.mjs [--seconds 10] [--connections 32] [--runs 3]
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    runs: { type: 'string', default: '3' },
  },
});

let testing;
try {
  testing = await import('../packages/testing/dist/index.js');
} catch {
  console.error(
    'Build @switchyard/testing first: pnpm turbo run build --filter=@switchyard/testing...',
  );
  process.exit(1);
}

const emulator = await testing.startVllmEmulator({ model: 'bench-model' });
const body = JSON.stringify({
  model: 'bench-model',
  messages: [{ role: 'user', content: 'Say something short about rivers.' }],
  max_tokens: 16,
});

const rates = [];
try {
  for (let run = 0; run < Number(values.runs); run++) {
    const result = await autocannon({
      url: `${emulator.url}/v1/chat/completions`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      connections: Number(values.connections),
      duration: Number(values.seconds),
    });
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(
        `run ${run + 1}: ${result.non2xx} non-2xx responses, ${result.errors} errors`,
      );
    }
    rates.push(result.requests.average);
    console.log(
      `run ${run + 1}: ${Math.round(result.requests.average)} req/s (p99 latency ${result.latency.p99} ms)`,
    );
  }
} finally {
  await emulator.close();
}
rates.sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)];
console.log(`median: ${Math.round(median)} non-streaming chat req/s (target >= 5000)`);
