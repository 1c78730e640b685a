/**
 * Runs the vLLM emulator of @switchyard/testing (zero latency, scripted
 * text) as its own process, prints `{"url":…,"model":…}` once listening,
 * and runs until SIGTERM/SIGINT. Usage: `node bench/lib/emulator-main.mjs
 * [--tokens-per-second N]` (paced tokens after the first; default as fast
 * as possible).
 */
import { parseArgs } from 'node:util';

import { MODEL, SCRIPTED_TEXT } from './chat-request.mjs';
import { DIST, importBuilt } from './paths.mjs';

const { startVllmEmulator } = await importBuilt(DIST.testing, '@switchyard/testing');
const { values } = parseArgs({ options: { 'tokens-per-second': { type: 'string' } } });
const tokensPerSecond =
  values['tokens-per-second'] === undefined ? undefined : Number(values['tokens-per-second']);
// Paced streams must last as long as a benchmark holds them: the scripted text
// (~25 tokens) repeated, so an answer runs to its max_tokens.
const emulator = await startVllmEmulator({
  model: MODEL,
  scripted: { text: tokensPerSecond ? Array(200).fill(SCRIPTED_TEXT).join(' ') : SCRIPTED_TEXT },
  ...(tokensPerSecond ? { tokensPerSecond } : {}),
});

// The request log keeps every request for test assertions; a benchmark sends
// millions, so forget them every second to keep the emulator's memory flat.
const trim = setInterval(() => emulator.requests.clear(), 1000);
trim.unref();

process.stdout.write(`${JSON.stringify({ url: emulator.url, model: emulator.model })}\n`);

const shutdown = async () => {
  clearInterval(trim);
  await emulator.close();
  process.exit(0);
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
