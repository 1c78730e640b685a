/** Throughput with autocannon (closed loop, keep-alive), bounded by time and by count. */
import { importTool } from './paths.mjs';

let autocannonModule;

/**
 * Runs autocannon for `durationS` seconds (or `maxRequests`, whichever
 * comes first), at `overallRate` requests per second when given, and returns RPS, latency percentiles (autocannon's
 * histogram has 1 ms resolution at these speeds) and error counts.
 */
export async function runAutocannon({
  url,
  headers,
  body,
  connections,
  durationS,
  maxRequests,
  overallRate,
}) {
  autocannonModule ??= (await importTool('autocannon')).default;
  const result = await autocannonModule({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    connections,
    pipelining: 1,
    duration: durationS,
    maxOverallRequests: Math.max(connections, maxRequests ?? durationS * 100_000),
    timeout: 10,
    // Requests per second over all connections; undefined: as fast as answers come.
    ...(overallRate ? { overallRate } : {}),
  });
  const seconds = result.duration > 0 ? result.duration : durationS;
  return {
    rps: result['2xx'] / seconds,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
  };
}
