import type { Deployment } from '../deployments/deployment';
import type { RouterConfig } from '../options/normalize-options';
import { cooldownDurationMs, coolsImmediately, countsForCooldown } from '../policy/failure-policy';

/**
 * After a failed call: count it and maybe cool the deployment down. Resolves
 * to the end of the cooldown this failure started or extended (ms since
 * epoch), or undefined when the deployment was not cooled.
 * A deployment that is the only one of its group is never cooled: there is
 * nothing to route to instead, so cooling it would only turn the upstream's
 * own error into "No deployments available" (LiteLLM's default behaves the
 * same way for single-deployment groups). Writes are best-effort: a state
 * store that is down must not turn an upstream error into a different one.
 */
export async function recordFailure(
  config: RouterConfig,
  d: Deployment,
  error: unknown,
): Promise<number | undefined> {
  if (config.disableCooldowns || !countsForCooldown(error)) return undefined;
  const groupSize = config.registry.groupSize(d.modelName);
  if (groupSize <= 1) return undefined;
  const cooldownMs = cooldownDurationMs({
    deploymentCooldownMs: d.cooldownTimeMs,
    error,
    routerCooldownMs: config.cooldownMs,
  });
  if (cooldownMs <= 0) return undefined;
  const outcome = await config.state
    .recordFailure({
      id: d.id,
      now: config.clock(),
      allowedFails: config.allowedFails,
      immediate: coolsImmediately(error, groupSize),
      cooldownMs,
    })
    .catch(() => undefined);
  return outcome?.cooldownUntil;
}

/** After a successful call: latency, tokens, and the end of a cooldown the call probed. */
export function recordSuccess(
  config: RouterConfig,
  d: Deployment,
  args: { wasCooling: boolean; latencyMs: number | undefined; totalTokens: number | undefined },
): Promise<void> | undefined {
  const needs = config.strategy.needs ?? {};
  const latency = needs.latency === true && args.latencyMs !== undefined;
  const tokens = args.totalTokens !== undefined && (d.tpm !== undefined || needs.usage === true);
  // The common case (no cooldown to clear, nothing tracked) writes nothing and allocates nothing.
  if (!args.wasCooling && !latency && !tokens) return undefined;
  const writes: Promise<unknown>[] = [];
  // A success on a cooling deployment (a request addressed to its id) is a probe that passed.
  if (args.wasCooling) writes.push(config.state.clearCooldown(d.id));
  if (latency) writes.push(config.state.recordLatency({ id: d.id, ms: args.latencyMs! }));
  if (tokens) {
    writes.push(
      config.state.recordTokens({ id: d.id, now: config.clock(), tokens: args.totalTokens! }),
    );
  }
  return Promise.all(writes).then(
    () => undefined,
    () => undefined,
  );
}

/**
 * The total token count of an answer or a streamed event, in any of the
 * shapes the router carries: chat (`usage.total_tokens`), an Anthropic
 * message or `message_delta` (`usage.input_tokens + output_tokens`), a
 * Responses object or its final event (`response.usage.total_tokens`).
 */
export function totalTokensOf(value: unknown): number | undefined {
  const v = value as { usage?: unknown; response?: { usage?: unknown } } | null;
  const usage = (v?.usage ?? v?.response?.usage) as
    | { total_tokens?: unknown; input_tokens?: unknown; output_tokens?: unknown }
    | null
    | undefined;
  if (usage === null || typeof usage !== 'object') return undefined;
  if (typeof usage.total_tokens === 'number') return usage.total_tokens;
  if (typeof usage.input_tokens === 'number' && typeof usage.output_tokens === 'number')
    return usage.input_tokens + usage.output_tokens;
  return undefined;
}
