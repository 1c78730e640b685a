import { ProxyError } from '../http/proxy-error';
import type { LimitScope, Refusal } from '../limits/limiter';
import type { AuthRecord, EntityLimits } from './auth-record';
import { currentPeriodEnd } from './duration';

/** LiteLLM's wildcard model names in an allow-list. */
const ALL_MODELS = new Set(['*', 'all-proxy-models']);

/**
 * Which allow-list refuses `model` (served as `group`) to the key: the
 * key's own, its team's or its user's, or undefined when all allow it. An
 * empty list allows every model.
 */
export function modelDenial(
  record: AuthRecord,
  model: string,
  group: string,
): { who: 'key' | 'team' | 'user'; models: readonly string[] } | undefined {
  const allows = (limits: EntityLimits | undefined) =>
    !limits ||
    limits.models.length === 0 ||
    limits.models.some(m => ALL_MODELS.has(m) || m === model || m === group);
  if (!allows(record.key)) return { who: 'key', models: record.key.models };
  if (!allows(record.team)) return { who: 'team', models: record.team!.models };
  if (!allows(record.user)) return { who: 'user', models: record.user!.models };
  return undefined;
}

/**
 * Refuses a model the key or its team may not use: 401 with LiteLLM's
 * `key_model_access_denied` / `team_model_access_denied`.
 */
export function assertModelAllowed(record: AuthRecord, model: string, group: string): void {
  const denial = modelDenial(record, model, group);
  if (denial === undefined) return;
  const { who, models } = denial;
  throw new ProxyError({
    status: 401,
    type: `${who}_model_access_denied`,
    param: 'model',
    message: `${who} not allowed to access model. This ${who} can only access models=${JSON.stringify(models)}. Tried to access ${model}`,
  });
}

/**
 * The scopes a request counts against: the key, its team and its user for
 * rate limits; for budgets the key, and the team when the key has one, else
 * the user (LiteLLM's rule: a team key spends the team's budget, not the
 * user's personal one).
 */
export function limitScopes(record: AuthRecord, now: number): LimitScope[] {
  const scopes: LimitScope[] = [];
  const add = (limits: EntityLimits | undefined, withBudget: boolean) => {
    if (!limits) return;
    const scope: LimitScope = { id: limits.scope };
    if (limits.rpm !== undefined) scope.rpm = limits.rpm;
    if (limits.tpm !== undefined) scope.tpm = limits.tpm;
    if (limits.parallel !== undefined) scope.parallel = limits.parallel;
    if (withBudget && limits.maxBudget !== undefined) scope.budget = budgetOf(limits, now);
    if (
      scope.rpm !== undefined ||
      scope.tpm !== undefined ||
      scope.parallel !== undefined ||
      scope.budget
    )
      scopes.push(scope);
  };
  add(record.key, true);
  add(record.team, true);
  add(record.user, record.team === undefined);
  return scopes;
}

function budgetOf(limits: EntityLimits, now: number): NonNullable<LimitScope['budget']> {
  const max = limits.maxBudget!;
  if (limits.budgetDuration === undefined || limits.budgetResetAt === undefined)
    return { max, spent: limits.spend, period: 'all' };
  const stored = limits.budgetResetAt;
  const end =
    stored > now
      ? stored
      : currentPeriodEnd(new Date(stored), limits.budgetDuration, new Date(now)).getTime();
  // The row's spend belongs to the period ending at its reset time; a later period starts at 0.
  return { max, spent: end === stored ? limits.spend : 0, period: String(end), periodEndsAt: end };
}

const LIMIT_TYPES: Record<string, string> = {
  rpm: 'requests',
  tpm: 'tokens',
  parallel: 'max_parallel_requests',
};

/** The error for a refused request, in LiteLLM's wording and types. */
export function refusalError(refusal: Refusal, now: number): ProxyError {
  if (refusal.reason === 'revoked') return invalidKeyError();
  if (refusal.reason === 'budget') {
    const entity = refusal.scope.split(':')[0];
    return new ProxyError({
      status: 400,
      type: 'budget_exceeded',
      message: `Budget has been exceeded! ${entity === 'key' ? '' : `${entity} `}Current cost: ${refusal.current}, Max budget: ${refusal.limit}`,
    });
  }
  const resetAt = new Date(now + refusal.retryAfterSec * 1000).toISOString();
  const [kind, ...id] = refusal.scope.split(':');
  const descriptor = kind === 'key' ? 'api_key' : `${kind}_id`;
  const value = id.join(':');
  return new ProxyError({
    status: 429,
    type: 'rate_limit_error',
    retryAfterMs: refusal.retryAfterSec * 1000,
    message: `Rate limit exceeded for ${descriptor}: ${value}. Limit type: ${LIMIT_TYPES[refusal.reason]}. Current limit: ${refusal.limit}, Remaining: 0. Limit resets at: ${resetAt}`,
  });
}

/** The 401 for a key that does not exist (or no longer does). */
export function invalidKeyError(): ProxyError {
  return new ProxyError({
    status: 401,
    type: 'auth_error',
    message:
      'Authentication Error, Invalid proxy server token passed. Key not found in the database; it may have been deleted.',
  });
}
