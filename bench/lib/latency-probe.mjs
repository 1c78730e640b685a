/**
 * A small closed-loop latency probe: `concurrency` workers, each sending
 * the next request as soon as the last one finished, over keep-alive
 * connections, timed with a microsecond clock. Records total latency and
 * time to first byte (first body byte: the first SSE chunk of a stream).
 * Bounded by time and by count; stops by itself.
 */
import { Agent, request } from 'node:http';
import { summarize } from './stats.mjs';

/** What a complete chat stream ends with; other APIs pass their own `streamEnd`. */
const DONE_MARK = 'data: [DONE]';

/** One timed request: `{ ok, ttfbUs, totalUs }`; never rejects. */
function timedRequest({ agent, url, headers, body, stream, streamEnd }) {
  return new Promise(resolve => {
    const start = process.hrtime.bigint();
    let ttfb;
    let tail = '';
    const req = request(url, { method: 'POST', headers, agent }, res => {
      res.on('data', chunk => {
        if (ttfb === undefined) ttfb = process.hrtime.bigint();
        // A stream counts as complete only when its end marker arrived.
        if (stream) tail = (tail + chunk.toString('latin1')).slice(-4096);
      });
      res.on('end', () => {
        const end = process.hrtime.bigint();
        const ok = res.statusCode === 200 && (!stream || tail.includes(streamEnd));
        resolve({
          ok,
          status: res.statusCode,
          ttfbUs: Number((ttfb ?? end) - start) / 1000,
          totalUs: Number(end - start) / 1000,
        });
      });
      res.on('error', () => resolve({ ok: false }));
    });
    req.on('error', () => resolve({ ok: false }));
    req.end(body);
  });
}

/**
 * Runs the probe.
 * @param {{ url: string, headers: Record<string,string>, body: string, stream: boolean,
 *   concurrency: number, durationMs: number, maxRequests?: number, streamEnd?: string }} options
 *   `streamEnd`: what the end of a complete stream contains (default `data: [DONE]`).
 * @returns {Promise<{ rps: number, ok: number, failed: number, latencyMs: object, ttfbMs: object }>}
 */
export async function runLatencyProbe(options) {
  const { url, body, stream, concurrency, durationMs } = options;
  const streamEnd = options.streamEnd ?? DONE_MARK;
  const maxRequests = options.maxRequests ?? 2_000_000;
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    ...options.headers,
  };
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const totals = [];
  const ttfbs = [];
  let failed = 0;
  let started = 0;
  const failures = new Map();
  const begin = performance.now();
  const deadline = begin + durationMs;

  const worker = async () => {
    while (performance.now() < deadline && started < maxRequests) {
      started += 1;
      const result = await timedRequest({ agent, url, headers, body, stream, streamEnd });
      if (result.ok) {
        totals.push(result.totalUs / 1000);
        ttfbs.push(result.ttfbUs / 1000);
      } else {
        failed += 1;
        const key = String(result.status ?? 'network error');
        failures.set(key, (failures.get(key) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - begin) / 1000;
  agent.destroy();
  return {
    rps: totals.length / seconds,
    ok: totals.length,
    failed,
    failures: Object.fromEntries(failures),
    latencyMs: summarize(totals),
    ttfbMs: summarize(ttfbs),
  };
}
