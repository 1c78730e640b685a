/**
 * The load generator of open-streams.mjs, a process of its own (forked
 * with an IPC channel). On `{cmd:"open", url, body, streams, batch}` it
 * opens that many streaming requests, `batch` at a time (so the accept
 * queue never overflows), and answers `{type:"opened", ok, failed,
 * failures}` once every stream has its first byte (or failed: an error, a
 * status other than 200, or no first byte within two minutes). The streams are then
 * read and held; one that ends or fails before it is told to leave counts
 * as failed. On `{cmd:"leave"}` it destroys every socket at once and
 * answers `{type:"left", at, tookMs}` (`at`: wall-clock ms before the
 * first socket went, comparable across processes on one machine) with the
 * failures seen while holding, and `leftAt`: each stream's `user` (the
 * body's OpenAI `user` field, `stream-<n>`, which the upstream sees too)
 * mapped to the wall-clock ms its socket was destroyed, so a bench can pair
 * each client's leave with the upstream's cancel of that same stream.
 */
import { Agent, request } from 'node:http';

const FIRST_BYTE_TIMEOUT_MS = 120_000;
/** Each held stream's request, mapped to its `user` marker. */
const streams = new Map();
let failedWhileHeld = 0;
const failureKinds = {};
let leaving = false;

function fail(kind) {
  failureKinds[kind] = (failureKinds[kind] ?? 0) + 1;
}

/** Opens one stream; resolves true at its first body byte, false if it failed first. */
function openOne(agent, url, body, marker) {
  return new Promise(resolve => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
    });
    let firstByte = false;
    // A stream the gateway never starts is a failure, not a bench that waits forever.
    const noFirstByte = setTimeout(() => {
      lost(`no first byte within ${FIRST_BYTE_TIMEOUT_MS / 1000} s`);
      req.destroy();
    }, FIRST_BYTE_TIMEOUT_MS);
    const lost = kind => {
      clearTimeout(noFirstByte);
      if (leaving || !streams.has(req)) return;
      fail(kind);
      if (firstByte) failedWhileHeld++;
      else resolve(false);
      streams.delete(req);
    };
    req.on('response', res => {
      if (res.statusCode !== 200) {
        res.resume();
        lost(`status ${res.statusCode}`);
        return;
      }
      res.on('data', () => {
        if (firstByte) return;
        firstByte = true;
        clearTimeout(noFirstByte);
        resolve(true);
      });
      res.on('end', () => lost('ended while held'));
      res.on('error', () => lost('response error'));
    });
    req.on('error', error => lost(error.code ?? 'request error'));
    streams.set(req, marker);
    req.end(body);
  });
}

async function open({ url, body, streams: count, batch }) {
  const template = JSON.parse(body);
  // One socket per stream, never reused: each stream is a client of its own.
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  let ok = 0;
  let failed = 0;
  for (let started = 0; started < count; started += batch) {
    const n = Math.min(batch, count - started);
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => {
        const marker = `stream-${started + i}`;
        return openOne(agent, url, JSON.stringify({ ...template, user: marker }), marker);
      }),
    );
    for (const r of results) r ? ok++ : failed++;
  }
  process.send({ type: 'opened', ok, failed, failures: { ...failureKinds } });
}

function leave() {
  leaving = true;
  const at = Date.now();
  const leftAt = {};
  for (const [req, marker] of streams) {
    req.destroy();
    leftAt[marker] = performance.timeOrigin + performance.now();
  }
  const tookMs = Date.now() - at;
  streams.clear();
  process.send({ type: 'left', at, tookMs, leftAt, failedWhileHeld, failures: failureKinds });
}

process.on('message', message => {
  if (message.cmd === 'open') void open(message);
  else if (message.cmd === 'leave') leave();
  else if (message.cmd === 'exit') process.exit(0);
});
process.send({ type: 'ready' });
