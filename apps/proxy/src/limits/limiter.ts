/**
 * One thing limits apply to: a key, a user or a team. Absent fields are
 * unlimited. Budgets count per period: `period` names it (the period's end,
 * or `all`), so a new period starts from zero without a reset write racing
 * the requests.
 */
export interface LimitScope {
  /** `key:<hash>`, `user:<id>`, `team:<id>`. */
  id: string;
  rpm?: number;
  tpm?: number;
  parallel?: number;
  budget?: {
    max: number;
    /** Spend the database knows for this period: the starting point of a shared counter. */
    spent: number;
    period: string;
    /** When the period ends (ms since epoch), for the counter's expiry; undefined = no reset. */
    periodEndsAt?: number;
  };
}

/** One request asking to start. */
export interface AdmitRequest {
  requestId: string;
  scopes: readonly LimitScope[];
  /** USD reserved against every budget until {@link Limiter.settle}. */
  estimatedCost: number;
  /** The key's hash: a key deleted on another instance is refused here at once. */
  token?: string;
  now: number;
}

/** Why a request may not start. */
export type Refusal = {
  reason: 'rpm' | 'tpm' | 'parallel' | 'budget' | 'revoked';
  scope: string;
  limit: number;
  current: number;
  /** Seconds until a retry can pass (rate limits only). */
  retryAfterSec: number;
};

/** What happened to a request that was admitted. */
export interface SettleRequest {
  requestId: string;
  scopes: readonly LimitScope[];
  estimatedCost: number;
  /** What it really cost (0 when it failed). */
  actualCost: number;
  /** Tokens used, counted against tpm. */
  tokens: number;
  now: number;
}

/**
 * Rate windows, parallel counts and budgets. Admission checks every scope
 * and takes its share in one atomic step (all or nothing), so two requests
 * racing for the last slot cannot both pass; {@link settle} returns the
 * reservation and books the real cost. In-memory for one process, Redis
 * (Lua) for many.
 */
export interface Limiter {
  /** undefined when admitted. */
  admit(request: AdmitRequest): Promise<Refusal | undefined>;
  settle(request: SettleRequest): Promise<void>;
  /** Marks a key as gone on every instance (deleted or regenerated). */
  revoke(token: string): Promise<void>;
  /**
   * Requests and tokens a scope used in the current 60-second window (what
   * its rpm and tpm limits are checked against), for the remaining-limit
   * metrics.
   */
  windowUsage(scopeId: string, now: number): Promise<{ requests: number; tokens: number }>;
  close(): Promise<void>;
}

/** How long an in-flight slot or reservation is held if its settle never comes (a crash). */
export const LEASE_MS = 10 * 60_000;

/** Rate windows slide over 60 one-second buckets. */
export const WINDOW_SECONDS = 60;
