/**
 * The clocks of open-streams.mjs's close storm, read from files other
 * processes write: the gateway's own (`socket-close-clock.cjs`: when its
 * client and upstream sockets closed) and the emulator's abort log (when it
 * saw each stream cut, `emulator-main.mjs --abort-log`).
 */
import { readFileSync } from 'node:fs';
import { percentile } from './stats.mjs';

/** A JSON file another process rewrites (the gateway's preload, the emulator), or undefined. */
function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // not written yet, or caught mid-write
  }
}

/**
 * The gateway's own clock for the close storm: from the first sign of a
 * client leaving it saw at or after `leftAt` (a client socket reading its
 * end, or closing) to the moment its `streams`-th upstream socket closed
 * since then (the stream sockets: an idle kept-alive socket the probe left
 * may time out in the same window and is not waited for). Waits up to 10 s
 * more for the preload's next write. Times in ms of `leftAt`.
 */
export async function gatewayCloseClock(file, leftAt, streams) {
  let closes;
  const deadline = Date.now() + 10_000;
  const since = times => (times ?? []).filter(t => t >= leftAt).sort((a, b) => a - b);
  for (;;) {
    closes = readJson(file);
    if (since(closes?.upstream).length >= streams || Date.now() > deadline) break;
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  const client = since(closes?.client);
  const clientEnd = since(closes?.clientEnd);
  const upstream = since(closes?.upstream);
  const counts = {
    clientEnded: clientEnd.length,
    clientClosed: client.length,
    upstreamClosed: upstream.length,
    upstreamOpened: since(closes?.upstreamOpened).length,
  };
  if (client.length === 0 || upstream.length < streams) return counts;
  const firstSign = Math.min(client[0], clientEnd[0] ?? Number.POSITIVE_INFINITY);
  const lastStream = upstream[streams - 1];
  return {
    ...counts,
    cpuMs: stormCpuMs(closes, leftAt, streams),
    firstClientEndedMs: clientEnd.length === 0 ? undefined : clientEnd[0] - leftAt,
    firstClientClosedMs: client[0] - leftAt,
    lastClientClosedMs: client[client.length - 1] - leftAt,
    lastUpstreamClosedMs: lastStream - leftAt,
    clientLeaveToLastUpstreamMs: lastStream - firstSign,
  };
}

/**
 * The gateway's CPU time (ms) from the first sign of a client leaving to its
 * `streams`-th upstream socket closing: what the storm costs it, which a busy
 * machine does not stretch as it stretches the wall-clock span (it also
 * holds the tokens relayed meanwhile on streams not yet cut). The events are
 * pushed in time order, so each CPU array is read at its time array's index.
 */
function stormCpuMs(closes, leftAt, streams) {
  const firstAt = (times, cpu) => {
    const i = (times ?? []).findIndex(t => t >= leftAt);
    return i === -1 ? undefined : { at: times[i], cpu: cpu?.[i] };
  };
  const end = firstAt(closes.clientEnd, closes.clientEndCpu);
  const close = firstAt(closes.client, closes.clientCpu);
  const first = end !== undefined && (close === undefined || end.at <= close.at) ? end : close;
  const i = (closes.upstream ?? []).findIndex(t => t >= leftAt);
  const last = i === -1 ? undefined : closes.upstreamCpu?.[i + streams - 1];
  return first?.cpu === undefined || last === undefined ? undefined : last - first.cpu;
}

/**
 * Each stream's cancel, end to end: from its client's `destroy()` (the load
 * generator's `leftAt`) to the emulator seeing that same stream's response
 * cut (its abort log, keyed by the request's `user`), waiting up to 10 s
 * for the log to hold every stream. Percentiles in ms; `missing` streams
 * were not seen cut.
 */
export async function perStreamCancel(file, leftAt) {
  const markers = Object.keys(leftAt);
  const deadline = Date.now() + 10_000;
  let cut = {};
  for (;;) {
    cut = readJson(file) ?? cut;
    if (Object.keys(cut).length >= markers.length || Date.now() > deadline) break;
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  const delays = markers
    .filter(marker => cut[marker] !== undefined)
    .map(marker => cut[marker] - leftAt[marker])
    .sort((a, b) => a - b);
  return {
    streams: delays.length,
    missing: markers.length - delays.length,
    p50Ms: percentile(delays, 50),
    p99Ms: percentile(delays, 99),
    maxMs: delays.at(-1),
    // Not above 1,000 ms: the "cancelled within a second when their clients leave", per stream.
    withinOneSecond: delays.filter(ms => ms <= 1000).length,
  };
}
