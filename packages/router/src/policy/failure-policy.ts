import {
  APIConnectionError,
  AuthenticationError,
  ContentPolicyViolationError,
  ContextWindowExceededError,
  isSwitchyardError,
  NotFoundError,
  PermissionDeniedError,
  type SwitchyardError,
  Timeout,
} from '@switchyard/core';

/**
 * What a failed attempt means for the rest of the request:
 * - `retryable`: try again (another deployment first; backoff when none is left);
 * - `deployment`: this deployment is wrong for the request (401, 403, 404) —
 *   try another untried deployment of the group, never the same one, then fall back;
 * - `request`: the request itself is at fault (400, 422, context window,
 *   content policy) — no retry, go straight to fallbacks;
 * - `fatal`: not an upstream failure (a bug in `invoke`, or the caller
 *   aborted) — surface it as is, no retry, no fallback.
 */
export type FailureKind = 'retryable' | 'deployment' | 'request' | 'fatal';

export function classifyFailure(error: unknown): FailureKind {
  if (!isSwitchyardError(error)) return 'fatal';
  if (
    ContextWindowExceededError.isInstance(error) ||
    ContentPolicyViolationError.isInstance(error)
  ) {
    return 'request';
  }
  if (
    AuthenticationError.isInstance(error) ||
    PermissionDeniedError.isInstance(error) ||
    NotFoundError.isInstance(error)
  ) {
    return 'deployment';
  }
  if (Timeout.isInstance(error) || APIConnectionError.isInstance(error) || error.isRetryable) {
    return 'retryable';
  }
  return 'request';
}

/** The status that decides cooldowns: the upstream's when there was one. */
function statusOf(error: SwitchyardError): number {
  return error.upstreamStatus ?? error.status;
}

/**
 * Does this failure count towards cooling the deployment down? 429, 401,
 * 404, 408, every 5xx, timeouts and connection errors do (unlike LiteLLM,
 * connection errors count: a dead host must leave the rotation). Other 4xx
 * are the request's fault, not the deployment's.
 */
export function countsForCooldown(error: unknown): boolean {
  if (!isSwitchyardError(error)) return false;
  if (Timeout.isInstance(error) || APIConnectionError.isInstance(error)) return true;
  const status = statusOf(error);
  return status === 429 || status === 401 || status === 404 || status === 408 || status >= 500;
}

/**
 * Cool down at once rather than after `allowed_fails`: a 429 when the group
 * has other deployments to take the load, and 401 / 404 (a wrong key or a
 * model that is not served there will not fix itself within a minute).
 */
export function coolsImmediately(error: unknown, groupSize: number): boolean {
  if (!isSwitchyardError(error)) return false;
  const status = statusOf(error);
  if (status === 429) return groupSize > 1;
  return status === 401 || status === 404;
}

/**
 * How long a cooldown lasts: the deployment's own `cooldown_time`, else the
 * upstream's `retry-after`, else the router's `cooldown_time`.
 */
export function cooldownDurationMs(args: {
  deploymentCooldownMs: number | undefined;
  error: unknown;
  routerCooldownMs: number;
}): number {
  if (args.deploymentCooldownMs !== undefined) return args.deploymentCooldownMs;
  const retryAfter = isSwitchyardError(args.error) ? args.error.retryAfterMs : undefined;
  if (retryAfter !== undefined && retryAfter > 0) return retryAfter;
  return args.routerCooldownMs;
}
