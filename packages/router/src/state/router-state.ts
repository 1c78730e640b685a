/**
 * What the router remembers between requests, behind one interface so that
 * one process keeps it in memory and several processes share it through
 * Redis. Every time is in milliseconds since the epoch, from the router's
 * clock; rate and failure windows are UTC minutes, as in LiteLLM.
 */
export interface RouterState {
  /** Reads what selection needs about some deployments, in one round trip. */
  snapshot(query: SnapshotQuery): Promise<DeploymentStats[]>;
  /**
   * The same read without a promise, for stores that hold the state in this
   * process (selection then costs no await). Stores across a network omit it.
   */
  snapshotNow?(query: SnapshotQuery): DeploymentStats[];
  /**
   * Counts one request in the deployment's current minute, atomically
   * refusing it when `rpmLimit` requests were already counted (so N routers
   * sharing a limit of N admit N, not N × routers).
   */
  acquireRequest(args: { id: string; now: number; rpmLimit: number | undefined }): Promise<boolean>;
  /** Adds tokens the upstream reported to the deployment's current minute. */
  recordTokens(args: { id: string; now: number; tokens: number }): Promise<void>;
  /**
   * Counts a failure in the current minute and cools the deployment down
   * when `immediate` or when the count exceeds `allowedFails`. A cooldown
   * never shortens an existing one: the later deadline wins.
   */
  recordFailure(args: RecordFailureArgs): Promise<FailureOutcome>;
  /** Ends a cooldown early and forgets the minute's failures (after a successful call). */
  clearCooldown(id: string): Promise<void>;
  /** Adjusts the number of requests in flight on a deployment (for least-busy). */
  changeInFlight(id: string, delta: 1 | -1): Promise<void>;
  /** Adds one latency sample (the last {@link LATENCY_SAMPLES} are kept). */
  recordLatency(args: { id: string; ms: number }): Promise<void>;
  /** Releases connections; the state is unusable afterwards. */
  close(): Promise<void>;
  /**
   * Optional, for prefix affinity across router instances: the most recent
   * owners of each prefix key, in order, stopping at the first key nobody
   * owns. A state without it keeps prefix ownership per process.
   */
  prefixOwners?(args: { keys: readonly string[]; maxOwners: number }): Promise<string[][]>;
  /** Records `id` as the newest owner of every key (kept `ttlMs` after the last record). */
  recordPrefixOwner?(args: {
    keys: readonly string[];
    id: string;
    now: number;
    ttlMs: number;
    maxOwners: number;
  }): Promise<void>;
}

/** Which facts a {@link RouterState.snapshot} should read; the rest come back as 0 / undefined. */
export interface SnapshotQuery {
  ids: readonly string[];
  now: number;
  /** rpm / tpm counts of the current minute. */
  usage: boolean;
  inFlight: boolean;
  latency: boolean;
}

/** What is known about one deployment right now. */
export interface DeploymentStats {
  /** Cooldown deadline (ms since epoch), 0 when not cooling down. */
  cooldownUntil: number;
  /** Requests counted in the current minute. */
  rpm: number;
  /** Tokens counted in the current minute. */
  tpm: number;
  inFlight: number;
  /** Mean of the recent latency samples, undefined when there are none. */
  latencyMs: number | undefined;
}

export interface RecordFailureArgs {
  id: string;
  now: number;
  /** Failures tolerated per minute before a cooldown. */
  allowedFails: number;
  /** Cool down now regardless of the count (a 429 in a multi-deployment group, a 401, a 404). */
  immediate: boolean;
  /** How long the cooldown lasts if one starts. */
  cooldownMs: number;
}

export interface FailureOutcome {
  /** Failures counted this minute, this one included (0 after a cooldown reset it). */
  failures: number;
  /** The deployment's cooldown deadline when it is now cooling down. */
  cooldownUntil: number | undefined;
}

/** Latency samples kept per deployment. */
export const LATENCY_SAMPLES = 10;

/** The UTC minute a time falls in, as used for window keys. */
export function minuteOf(now: number): number {
  return Math.floor(now / 60_000);
}

/** Milliseconds until the current minute window ends. */
export function msUntilNextMinute(now: number): number {
  return 60_000 - (now % 60_000);
}
