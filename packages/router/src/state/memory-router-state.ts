import {
  type DeploymentStats,
  type FailureOutcome,
  LATENCY_SAMPLES,
  minuteOf,
  type RecordFailureArgs,
  type RouterState,
  type SnapshotQuery,
} from './router-state';

interface Entry {
  cooldownUntil: number;
  minute: number;
  rpm: number;
  tpm: number;
  fails: number;
  inFlight: number;
  latencies: number[];
  latencyNext: number;
}

/**
 * {@link RouterState} in this process's memory: one small record per
 * deployment, so memory is bounded by the size of `model_list`.
 */
export class MemoryRouterState implements RouterState {
  readonly #entries = new Map<string, Entry>();

  /** The record without touching its minute window (in-flight and latency are not windowed). */
  #get(id: string): Entry {
    let entry = this.#entries.get(id);
    if (entry === undefined) {
      entry = {
        cooldownUntil: 0,
        minute: -1,
        rpm: 0,
        tpm: 0,
        fails: 0,
        inFlight: 0,
        latencies: [],
        latencyNext: 0,
      };
      this.#entries.set(id, entry);
    }
    return entry;
  }

  /** The record with its rpm / tpm / failure counts moved to `now`'s minute. */
  #entry(id: string, now: number): Entry {
    const entry = this.#get(id);
    const minute = minuteOf(now);
    if (entry.minute !== minute) {
      entry.minute = minute;
      entry.rpm = 0;
      entry.tpm = 0;
      entry.fails = 0;
    }
    return entry;
  }

  async snapshot(query: SnapshotQuery): Promise<DeploymentStats[]> {
    return this.snapshotNow(query);
  }

  snapshotNow(query: SnapshotQuery): DeploymentStats[] {
    const out: DeploymentStats[] = new Array(query.ids.length);
    for (let i = 0; i < query.ids.length; i++) {
      const e = this.#entry(query.ids[i]!, query.now);
      out[i] = {
        cooldownUntil: e.cooldownUntil > query.now ? e.cooldownUntil : 0,
        rpm: e.rpm,
        tpm: e.tpm,
        inFlight: e.inFlight,
        latencyMs: query.latency ? mean(e.latencies) : undefined,
      };
    }
    return out;
  }

  async acquireRequest(args: {
    id: string;
    now: number;
    rpmLimit: number | undefined;
  }): Promise<boolean> {
    const e = this.#entry(args.id, args.now);
    if (args.rpmLimit !== undefined && e.rpm >= args.rpmLimit) return false;
    e.rpm++;
    return true;
  }

  async recordTokens(args: { id: string; now: number; tokens: number }): Promise<void> {
    this.#entry(args.id, args.now).tpm += args.tokens;
  }

  async recordFailure(args: RecordFailureArgs): Promise<FailureOutcome> {
    const e = this.#entry(args.id, args.now);
    e.fails++;
    if (!args.immediate && e.fails <= args.allowedFails) {
      return { failures: e.fails, cooldownUntil: undefined };
    }
    e.cooldownUntil = Math.max(e.cooldownUntil, args.now + args.cooldownMs);
    e.fails = 0;
    return { failures: 0, cooldownUntil: e.cooldownUntil };
  }

  async clearCooldown(id: string): Promise<void> {
    const e = this.#entries.get(id);
    if (e) {
      e.cooldownUntil = 0;
      e.fails = 0;
    }
  }

  async changeInFlight(id: string, delta: 1 | -1): Promise<void> {
    const e = this.#get(id);
    e.inFlight = Math.max(0, e.inFlight + delta);
  }

  async recordLatency(args: { id: string; ms: number }): Promise<void> {
    const e = this.#get(args.id);
    if (e.latencies.length < LATENCY_SAMPLES) e.latencies.push(args.ms);
    else e.latencies[e.latencyNext] = args.ms;
    e.latencyNext = (e.latencyNext + 1) % LATENCY_SAMPLES;
  }

  async close(): Promise<void> {
    this.#entries.clear();
  }
}

function mean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
