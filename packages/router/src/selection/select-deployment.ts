import { isSwitchyardError, ServiceUnavailableError } from '@switchyard/core';
import type { Deployment } from '../deployments/deployment';
import type { ModelGroup } from '../deployments/model-registry';
import { type DeploymentStats, msUntilNextMinute, type RouterState } from '../state/router-state';
import type { RoutingCandidate, RoutingStrategy } from '../strategies/routing-strategy';
import { allAtLimitError, allCooledDownError, promptTooLargeError } from './no-deployments-error';

/** Inputs of one routing decision. */
export interface SelectArgs {
  group: ModelGroup;
  state: RouterState;
  strategy: RoutingStrategy;
  now: number;
  /** Deployments already tried for this request in this group. */
  tried: ReadonlySet<string>;
  /** May a tried deployment be picked again when no untried one is healthy? */
  allowReuse: boolean;
  /** Deployments never to pick again for this request (they answered 401 / 403 / 404). */
  excluded: ReadonlySet<string>;
  /** Prompt size for `max_input_tokens` and tpm checks, when known. */
  estimatedTokens: number | undefined;
  preCallChecks: boolean;
  request: unknown;
  /** The request's router-only metadata and client headers, for affinity strategies. */
  metadata?: Readonly<Record<string, unknown>> | undefined;
  headers?: Readonly<Record<string, string>> | undefined;
  random: () => number;
}

/** The chosen deployment; `reused` when it had been tried before (the caller backs off). */
export interface Selection {
  deployment: Deployment;
  stats: DeploymentStats;
  reused: boolean;
}

/**
 * Picks a deployment for one attempt, in this order: pre-call context check →
 * drop cooled-down deployments → drop those at their rpm / tpm limit → prefer
 * deployments not yet tried → keep the lowest `order` → strategy → reserve a
 * slot in the rpm window (atomically; if another router took the last slot,
 * pick again). Returns undefined when only tried deployments remain and
 * reuse is not allowed. Throws RateLimitError when all are cooling down or at
 * their limits, ContextWindowExceededError when the prompt fits none.
 */
export async function selectDeployment(args: SelectArgs): Promise<Selection | undefined> {
  const { group, now } = args;
  let deployments = group.deployments;
  if (args.preCallChecks && args.estimatedTokens !== undefined) {
    const tokens = args.estimatedTokens;
    const fitting = deployments.filter(
      d => d.maxInputTokens === undefined || d.maxInputTokens >= tokens,
    );
    if (fitting.length === 0) {
      throw promptTooLargeError({
        model: group.name,
        estimatedTokens: tokens,
        largest: Math.max(...deployments.map(d => d.maxInputTokens ?? 0)),
      });
    }
    deployments = fitting;
  }
  const needs = args.strategy.needs ?? NO_NEEDS;
  const usage = group.hasLimits || needs.usage === true;
  const query = {
    ids: deployments === group.deployments ? groupIds(group) : deployments.map(idOf),
    now,
    usage,
    inFlight: needs.inFlight === true,
    latency: needs.latency === true,
  };
  const stats = args.state.snapshotNow
    ? args.state.snapshotNow(query)
    : await args.state.snapshot(query).catch(stateUnavailable);

  let healthy: RoutingCandidate[] = [];
  let firstCooldownEnd = Number.POSITIVE_INFINITY;
  let cooled: string[] | undefined;
  for (let i = 0; i < deployments.length; i++) {
    const s = stats[i]!;
    if (!group.direct && s.cooldownUntil > now) {
      cooled ??= [];
      cooled.push(deployments[i]!.id);
      firstCooldownEnd = Math.min(firstCooldownEnd, s.cooldownUntil);
      continue;
    }
    healthy.push({ deployment: deployments[i]!, stats: s });
  }
  if (healthy.length === 0) {
    throw allCooledDownError({
      model: group.name,
      retryAfterMs: firstCooldownEnd - now,
      preCallChecks: args.preCallChecks,
      cooldownIds: cooled ?? [],
    });
  }
  if (group.hasLimits) {
    healthy = healthy.filter(c => underLimits(c.deployment, c.stats, args.estimatedTokens));
    if (healthy.length === 0)
      throw allAtLimitError({ model: group.name, retryAfterMs: msUntilNextMinute(now) });
  }

  let reused = false;
  if (args.excluded.size > 0) {
    healthy = healthy.filter(c => !args.excluded.has(c.deployment.id));
    if (healthy.length === 0) return undefined;
  }
  if (args.tried.size > 0) {
    const untried = healthy.filter(c => !args.tried.has(c.deployment.id));
    if (untried.length > 0) healthy = untried;
    else if (!args.allowReuse) return undefined;
    else reused = true;
  }
  healthy = lowestOrder(healthy);

  const ctx = {
    modelGroup: group.name,
    request: args.request,
    metadata: args.metadata,
    headers: args.headers,
    random: args.random,
  };
  for (;;) {
    const picked = args.strategy.pick(healthy, ctx);
    // Only strategies that read shared state return a promise; the others stay synchronous.
    const chosen = picked instanceof Promise ? await picked.catch(stateUnavailable) : picked;
    const d = chosen.deployment;
    if (
      !usage ||
      (await args.state.acquireRequest({ id: d.id, now, rpmLimit: d.rpm }).catch(stateUnavailable))
    ) {
      return { deployment: d, stats: chosen.stats, reused };
    }
    // Another router took the last slot of this minute between our read and our reservation.
    healthy = healthy.filter(c => c !== chosen);
    if (healthy.length === 0)
      throw allAtLimitError({ model: group.name, retryAfterMs: msUntilNextMinute(now) });
  }
}

const NO_NEEDS: NonNullable<RoutingStrategy['needs']> = Object.freeze({});

const idsOfGroup = new WeakMap<ModelGroup, readonly string[]>();

/** A group's deployment ids, listed once per group rather than once per request. */
function groupIds(group: ModelGroup): readonly string[] {
  let ids = idsOfGroup.get(group);
  if (ids === undefined || ids.length !== group.deployments.length) {
    ids = group.deployments.map(idOf);
    idsOfGroup.set(group, ids);
  }
  return ids;
}

/**
 * The state store (Redis) failed: say so, instead of passing on a driver
 * error. Not retryable — every attempt would read the same store.
 */
function stateUnavailable(error: unknown): never {
  if (isSwitchyardError(error)) throw error;
  throw new ServiceUnavailableError({
    message: `Router state store unavailable: ${error instanceof Error ? error.message : String(error)}`,
    isRetryable: false,
    cause: error,
  });
}

function idOf(d: Deployment): string {
  return d.id;
}

function underLimits(d: Deployment, s: DeploymentStats, tokens: number | undefined): boolean {
  if (d.rpm !== undefined && s.rpm >= d.rpm) return false;
  if (d.tpm !== undefined && s.tpm + (tokens ?? 0) > d.tpm) return false;
  return true;
}

function lowestOrder(candidates: RoutingCandidate[]): RoutingCandidate[] {
  let lowest = Number.POSITIVE_INFINITY;
  let highest = Number.NEGATIVE_INFINITY;
  for (const c of candidates) {
    const order = c.deployment.order ?? Number.POSITIVE_INFINITY;
    lowest = Math.min(lowest, order);
    highest = Math.max(highest, order);
  }
  if (lowest === highest) return candidates;
  return candidates.filter(c => (c.deployment.order ?? Number.POSITIVE_INFINITY) === lowest);
}
