import fc from 'fast-check';
import { type Answer, type Callers, problemWith, send } from './check-answer';
import { type FuzzRequest, fuzzRequest } from './fuzz-request';
import { type FuzzFixtures, ROUTE_TARGETS } from './route-targets';

/** What a fuzz run saw. */
export interface FuzzTally {
  requests: number;
  /** Answers by status class (`2xx`, `4xx`, `5xx`; `none` for no answer). */
  byClass: Record<string, number>;
  /** Each distinct problem (see `problemWith`) with how often it came and one request that caused it. */
  problems: Map<string, { count: number; example: string }>;
  /** Distinct error messages (numbers and quoted text folded), with counts. */
  messages: Map<string, number>;
}

/** Requests are drawn in batches of this many, each from its own seed: none of it sits in memory at once. */
const BATCH = 200;

/**
 * Sends `runs` fuzz requests (`concurrency` at a time) and tallies every
 * answer instead of stopping at the first problem: the long run's report.
 * The same seed draws the same requests.
 */
export async function runFuzz(o: {
  base: string;
  keys: Callers;
  fixtures: FuzzFixtures;
  seed: number;
  runs: number;
  concurrency: number;
}): Promise<FuzzTally> {
  const tally: FuzzTally = { requests: 0, byClass: {}, problems: new Map(), messages: new Map() };
  const arbitrary = fuzzRequest(ROUTE_TARGETS, o.fixtures);
  for (let start = 0; start < o.runs; start += BATCH) {
    const batch = fc.sample(arbitrary, {
      seed: o.seed + start,
      numRuns: Math.min(BATCH, o.runs - start),
    });
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const r = batch[next++]!;
        record(tally, r, await send(o.base, r, o.keys));
      }
    };
    await Promise.all(Array.from({ length: o.concurrency }, worker));
  }
  return tally;
}

function record(tally: FuzzTally, r: FuzzRequest, a: Answer): void {
  tally.requests++;
  const cls = a.status === 0 ? 'none' : `${Math.floor(a.status / 100)}xx`;
  tally.byClass[cls] = (tally.byClass[cls] ?? 0) + 1;
  const problem = problemWith(r, a);
  if (problem) {
    const key = `${r.target.route} ${problem.replace(/\d+/g, '#').slice(0, 240)}`;
    const seen = tally.problems.get(key);
    if (seen) seen.count++;
    else tally.problems.set(key, { count: 1, example: describeRequest(r) });
  }
  if (a.status >= 400) {
    let message = a.text;
    try {
      message = JSON.parse(a.text)?.error?.message ?? a.text;
    } catch {}
    const key = `${a.status} ${fold(String(message))}`;
    tally.messages.set(key, (tally.messages.get(key) ?? 0) + 1);
  }
}

/** The same message for different values: numbers and quoted text folded, cut at 120 characters. */
function fold(message: string): string {
  return message
    .replace(/"[^"]*"|'[^']*'/g, '"…"')
    .replace(/\d+/g, '#')
    .slice(0, 120);
}

/** A request in one line, its body cut short. */
export function describeRequest(r: FuzzRequest): string {
  const body = r.body && r.body.length > 300 ? `${r.body.slice(0, 300)}…` : r.body;
  return `${r.method} ${r.path.slice(0, 200)} as ${r.caller} (${r.kind}; ${r.contentType}) ${body ?? ''}`;
}
