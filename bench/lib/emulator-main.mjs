/**
 * Runs the vLLM emulator of @switchyard/testing (zero latency, scripted
 * text) as its own process, prints `{"url":…,"model":…}` once listening,
 * and runs until SIGTERM/SIGINT. Usage: `node bench/lib/emulator-main.mjs
 * [--tokens-per-second N] [--abort-log FILE]` (paced tokens after the
 * first, default as fast as possible; FILE: see `followAborts`).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { MODEL, SCRIPTED_TEXT } from './chat-request.mjs';
import { DIST, importBuilt } from './paths.mjs';

const { startVllmEmulator } = await importBuilt(DIST.testing, '@switchyard/testing');
const { values } = parseArgs({
  options: { 'tokens-per-second': { type: 'string' }, 'abort-log': { type: 'string' } },
});
const tokensPerSecond =
  values['tokens-per-second'] === undefined ? undefined : Number(values['tokens-per-second']);
// Paced streams must last as long as a benchmark holds them: the scripted text
// (~25 tokens) repeated, so an answer runs to its max_tokens.
const emulator = await startVllmEmulator({
  model: MODEL,
  scripted: { text: tokensPerSecond ? Array(200).fill(SCRIPTED_TEXT).join(' ') : SCRIPTED_TEXT },
  ...(tokensPerSecond ? { tokensPerSecond } : {}),
});

/**
 * With --abort-log: each request whose body names a `user` is followed until
 * its response is cut (the request log marks the entry aborted when the
 * connection closes first), and FILE is rewritten as `{ user: ms }` at most
 * four times a second while cuts arrive. A bench pairs it with when each
 * client left. The time is when the emulator read the end of (or an error
 * on) the request's connection, noted beside the log entry: the log's own
 * `finishedAt` is taken in the loop's close phase, after every other read of
 * that turn, so in a storm of cuts it bunches them at the turn's end.
 */
function followAborts(file) {
  const log = emulator.requests;
  const begin = log.begin.bind(log);
  log.begin = (req, res) => {
    const entry = begin(req, res);
    const socket = req.socket;
    const cut = () => {
      entry.cutAt ??= Date.now();
    };
    socket.once('end', cut);
    socket.once('error', cut);
    // A kept-alive connection carries the next request: this one's listeners go with it.
    res.once('finish', () => {
      socket.off('end', cut);
      socket.off('error', cut);
    });
    return entry;
  };
  const followed = new Map();
  // Entries whose body was not read yet when last seen (the log is cleared meanwhile).
  let unread = [];
  let written = 0;
  const collect = () => {
    const seen = unread.concat(emulator.requests.entries);
    unread = [];
    for (const entry of seen) {
      if (entry.body === undefined && !entry.aborted && entry.finishedAt === undefined) {
        unread.push(entry);
        continue;
      }
      const user = entry.body?.user;
      if (typeof user === 'string') followed.set(user, entry);
    }
  };
  const timer = setInterval(() => {
    const cut = {};
    let count = 0;
    for (const [user, entry] of followed) {
      if (!entry.aborted) continue;
      cut[user] = entry.cutAt ?? entry.finishedAt;
      count++;
    }
    if (count === written) return;
    written = count;
    writeFileSync(file, JSON.stringify(cut));
  }, 250);
  timer.unref();
  return collect;
}
const collect = values['abort-log'] ? followAborts(values['abort-log']) : () => undefined;

// The request log keeps every request for test assertions; a benchmark sends
// millions, so forget them every second to keep the emulator's memory flat.
const trim = setInterval(() => {
  collect();
  emulator.requests.clear();
}, 1000);
trim.unref();

process.stdout.write(`${JSON.stringify({ url: emulator.url, model: emulator.model })}\n`);

const shutdown = async () => {
  clearInterval(trim);
  await emulator.close();
  process.exit(0);
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
