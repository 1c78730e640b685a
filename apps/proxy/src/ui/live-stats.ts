import { BUCKET_COUNT, bucketOf, quantileOf } from './log-buckets';

/** Seconds of history kept: the Overview charts' longest window. */
export const LIVE_WINDOW_S = 300;
/** One slot more than the window: the current second fills while a whole window is read. */
const SLOTS = LIVE_WINDOW_S + 1;

/** One finished request as the live aggregates count it. */
export interface LiveSample {
  /** Model group ('' when the request named none the proxy serves). */
  group: string;
  failed: boolean;
  totalMs: number;
  ttftMs: number | undefined;
  /** Completion tokens the upstream reported (0 when it reported none). */
  outputTokens: number;
}

/** One step of a series, as the Overview page draws it. */
export interface LivePoint {
  /** Unix seconds at the step's start. */
  t: number;
  requests: number;
  errors: number;
  /** Latency percentiles, ms (upper bound of a log bucket, see `log-buckets.ts`). */
  p50Ms: number | null;
  p95Ms: number | null;
  ttftP50Ms: number | null;
  /** Completion tokens reported in the step. */
  outputTokens: number;
}

/**
 * Per-second counts of one model group in fixed arrays indexed by
 * `second % SLOTS`: recording is a few array writes, nothing is
 * allocated per request, and memory is bounded whatever the traffic.
 */
class GroupSeries {
  readonly stamp = new Float64Array(SLOTS).fill(-1);
  readonly requests = new Uint32Array(SLOTS);
  readonly errors = new Uint32Array(SLOTS);
  readonly outputTokens = new Float64Array(SLOTS);
  readonly latency = new Uint32Array(SLOTS * BUCKET_COUNT);
  readonly ttft = new Uint32Array(SLOTS * BUCKET_COUNT);

  /** The slot of `second`, cleared when it still holds an older second. */
  slot(second: number): number {
    const i = second % SLOTS;
    if (this.stamp[i] !== second) {
      this.stamp[i] = second;
      this.requests[i] = 0;
      this.errors[i] = 0;
      this.outputTokens[i] = 0;
      this.latency.fill(0, i * BUCKET_COUNT, (i + 1) * BUCKET_COUNT);
      this.ttft.fill(0, i * BUCKET_COUNT, (i + 1) * BUCKET_COUNT);
    }
    return i;
  }
}

/** What {@link LiveStats.series} answers. */
export interface LiveSeries {
  /** Unix seconds of the first step. */
  from: number;
  stepS: number;
  /** All groups together. */
  total: LivePoint[];
  groups: Record<string, LivePoint[]>;
}

/**
 * Requests per second, errors, latency and time-to-first-token percentiles
 * and reported output tokens, per model group, over the last
 * {@link LIVE_WINDOW_S} seconds. Groups are model names the proxy serves
 * (the caller passes '' for any other), so their number is bounded by the
 * config.
 */
export class LiveStats {
  readonly #groups = new Map<string, GroupSeries>();
  readonly #clock: () => number;

  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
  }

  record(s: LiveSample): void {
    let g = this.#groups.get(s.group);
    if (g === undefined) {
      g = new GroupSeries();
      this.#groups.set(s.group, g);
    }
    const i = g.slot(Math.floor(this.#clock() / 1000));
    g.requests[i]!++;
    if (s.failed) g.errors[i]!++;
    g.outputTokens[i]! += s.outputTokens;
    g.latency[i * BUCKET_COUNT + bucketOf(s.totalMs)]!++;
    if (s.ttftMs !== undefined) g.ttft[i * BUCKET_COUNT + bucketOf(s.ttftMs)]!++;
  }

  /**
   * The last `windowS` seconds in steps of `stepS`, the current (partial)
   * second excluded so that a rate is never read off half a second.
   */
  series(windowS: number, stepS: number): LiveSeries {
    const window = Math.min(Math.max(1, Math.floor(windowS)), LIVE_WINDOW_S);
    const step = Math.min(Math.max(1, Math.floor(stepS)), window);
    const steps = Math.floor(window / step);
    const end = Math.floor(this.#clock() / 1000);
    const from = end - steps * step;
    const totalLatency = new Uint32Array(steps * BUCKET_COUNT);
    const totalTtft = new Uint32Array(steps * BUCKET_COUNT);
    const totalCounts = emptyCounts(steps);
    const groups: Record<string, LivePoint[]> = {};
    for (const [name, g] of this.#groups) {
      const latency = new Uint32Array(steps * BUCKET_COUNT);
      const ttft = new Uint32Array(steps * BUCKET_COUNT);
      const counts = emptyCounts(steps);
      for (let second = from; second < end; second++) {
        const i = second % SLOTS;
        if (g.stamp[i] !== second) continue;
        const k = Math.floor((second - from) / step);
        for (const c of [counts, totalCounts]) {
          c.requests[k]! += g.requests[i]!;
          c.errors[k]! += g.errors[i]!;
          c.tokens[k]! += g.outputTokens[i]!;
        }
        for (let b = 0; b < BUCKET_COUNT; b++) {
          const l = g.latency[i * BUCKET_COUNT + b]!;
          const t = g.ttft[i * BUCKET_COUNT + b]!;
          latency[k * BUCKET_COUNT + b]! += l;
          totalLatency[k * BUCKET_COUNT + b]! += l;
          ttft[k * BUCKET_COUNT + b]! += t;
          totalTtft[k * BUCKET_COUNT + b]! += t;
        }
      }
      groups[name] = points({ from, step, counts, latency, ttft });
    }
    const total = points({
      from,
      step,
      counts: totalCounts,
      latency: totalLatency,
      ttft: totalTtft,
    });
    return { from, stepS: step, total, groups };
  }
}

interface StepCounts {
  requests: Float64Array;
  errors: Float64Array;
  tokens: Float64Array;
}

function emptyCounts(steps: number): StepCounts {
  return {
    requests: new Float64Array(steps),
    errors: new Float64Array(steps),
    tokens: new Float64Array(steps),
  };
}

function points(args: {
  from: number;
  step: number;
  counts: StepCounts;
  latency: Uint32Array;
  ttft: Uint32Array;
}): LivePoint[] {
  const { counts } = args;
  const out: LivePoint[] = [];
  for (let k = 0; k < counts.requests.length; k++) {
    const at = k * BUCKET_COUNT;
    out.push({
      t: args.from + k * args.step,
      requests: counts.requests[k]!,
      errors: counts.errors[k]!,
      p50Ms: quantileOf(args.latency, 0.5, at) ?? null,
      p95Ms: quantileOf(args.latency, 0.95, at) ?? null,
      ttftP50Ms: quantileOf(args.ttft, 0.5, at) ?? null,
      outputTokens: counts.tokens[k]!,
    });
  }
  return out;
}
