import {
  type AdmitRequest,
  LEASE_MS,
  type Limiter,
  type LimitScope,
  type Refusal,
  type SettleRequest,
  WINDOW_SECONDS,
} from './limiter';

interface ScopeState {
  /** second → count, for rpm and tpm. */
  requests: Map<number, number>;
  tokens: Map<number, number>;
  /** requestId → lease end. */
  inFlight: Map<string, number>;
  /** period → spend; requestId → reserved USD. */
  spend: Map<string, number>;
  reserved: Map<string, number>;
}

/**
 * The single-process {@link Limiter}: the same rules as the Redis one, on
 * Maps. Each process counts alone, so several processes without Redis each
 * enforce the full limit (what LiteLLM does without Redis too).
 */
export class MemoryLimiter implements Limiter {
  readonly #scopes = new Map<string, ScopeState>();
  readonly #revoked = new Set<string>();

  async admit(request: AdmitRequest): Promise<Refusal | undefined> {
    return this.admitSync(request);
  }

  /** Synchronous form: admission needs no I/O here. */
  admitSync(request: AdmitRequest): Refusal | undefined {
    const { now } = request;
    if (request.token !== undefined && this.#revoked.has(request.token))
      return {
        reason: 'revoked',
        scope: `key:${request.token}`,
        limit: 0,
        current: 0,
        retryAfterSec: 0,
      };
    const sec = Math.floor(now / 1000);
    for (const scope of request.scopes) {
      const state = this.#state(scope.id);
      const refusal = check(scope, state, sec, now, request.estimatedCost);
      if (refusal) return refusal;
    }
    for (const scope of request.scopes) {
      const state = this.#state(scope.id);
      if (scope.rpm !== undefined) state.requests.set(sec, (state.requests.get(sec) ?? 0) + 1);
      if (scope.parallel !== undefined) state.inFlight.set(request.requestId, now + LEASE_MS);
      if (scope.budget) {
        if (!state.spend.has(scope.budget.period))
          state.spend.set(scope.budget.period, scope.budget.spent);
        state.reserved.set(request.requestId, request.estimatedCost);
      }
    }
    return undefined;
  }

  async settle(request: SettleRequest): Promise<void> {
    const sec = Math.floor(request.now / 1000);
    for (const scope of request.scopes) {
      const state = this.#state(scope.id);
      state.inFlight.delete(request.requestId);
      if (scope.budget) {
        state.reserved.delete(request.requestId);
        const period = scope.budget.period;
        state.spend.set(
          period,
          (state.spend.get(period) ?? scope.budget.spent) + request.actualCost,
        );
      }
      if (scope.tpm !== undefined && request.tokens > 0)
        state.tokens.set(sec, (state.tokens.get(sec) ?? 0) + request.tokens);
    }
  }

  async windowUsage(scopeId: string, now: number): Promise<{ requests: number; tokens: number }> {
    const state = this.#scopes.get(scopeId);
    if (state === undefined) return { requests: 0, tokens: 0 };
    const sec = Math.floor(now / 1000);
    return {
      requests: windowSum(state.requests, sec).total,
      tokens: windowSum(state.tokens, sec).total,
    };
  }

  async revoke(token: string): Promise<void> {
    this.#revoked.add(token);
  }

  async close(): Promise<void> {}

  #state(id: string): ScopeState {
    let state = this.#scopes.get(id);
    if (!state) {
      state = {
        requests: new Map(),
        tokens: new Map(),
        inFlight: new Map(),
        spend: new Map(),
        reserved: new Map(),
      };
      this.#scopes.set(id, state);
    }
    return state;
  }
}

function windowSum(buckets: Map<number, number>, sec: number): { total: number; oldest: number } {
  let total = 0;
  let oldest = sec;
  for (const [s, n] of buckets) {
    if (s <= sec - WINDOW_SECONDS) buckets.delete(s);
    else {
      total += n;
      if (s < oldest) oldest = s;
    }
  }
  return { total, oldest };
}

function check(
  scope: LimitScope,
  state: ScopeState,
  sec: number,
  now: number,
  estimate: number,
): Refusal | undefined {
  const retry = (oldest: number) => Math.max(1, oldest + WINDOW_SECONDS - sec);
  if (scope.rpm !== undefined) {
    const { total, oldest } = windowSum(state.requests, sec);
    if (total >= scope.rpm)
      return {
        reason: 'rpm',
        scope: scope.id,
        limit: scope.rpm,
        current: total,
        retryAfterSec: retry(oldest),
      };
  }
  if (scope.tpm !== undefined) {
    const { total, oldest } = windowSum(state.tokens, sec);
    if (total >= scope.tpm)
      return {
        reason: 'tpm',
        scope: scope.id,
        limit: scope.tpm,
        current: total,
        retryAfterSec: retry(oldest),
      };
  }
  if (scope.parallel !== undefined) {
    for (const [id, until] of state.inFlight) if (until <= now) state.inFlight.delete(id);
    if (state.inFlight.size >= scope.parallel)
      return {
        reason: 'parallel',
        scope: scope.id,
        limit: scope.parallel,
        current: state.inFlight.size,
        retryAfterSec: 1,
      };
  }
  if (scope.budget) {
    const spent = state.spend.get(scope.budget.period) ?? scope.budget.spent;
    let reserved = 0;
    for (const v of state.reserved.values()) reserved += v;
    if (!fitsBudget(scope.budget.max, spent, reserved, state.reserved.size, estimate))
      return {
        reason: 'budget',
        scope: scope.id,
        limit: scope.budget.max,
        current: spent,
        retryAfterSec: 0,
      };
  }
  return undefined;
}

/**
 * The budget rule both limiters share: under budget, a request may start
 * alone; next to others in flight it must fit with all their reservations.
 * With estimates at or above real costs, spend then ends at most one
 * request's cost above `max`.
 */
export function fitsBudget(
  max: number,
  spent: number,
  reserved: number,
  inFlight: number,
  estimate: number,
): boolean {
  if (spent >= max) return false;
  return inFlight === 0 || spent + reserved + estimate <= max;
}
