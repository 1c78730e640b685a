import type { ModelGroup } from '../deployments/model-registry';
import { configuredFallbacks, type FallbackTarget } from '../fallbacks/fallback-config';
import { classifyFailure } from '../policy/failure-policy';
import { attachRouting } from '../routing-info';
import type { GroupOutcome, RunContext } from './run-context';
import { runGroup } from './run-group';

/**
 * Serves a request: the requested group first, then fallbacks, depth-first
 * (a fallback group's own fallbacks come before the next entry of the list
 * that led to it, as in LiteLLM). The chain always terminates: a group is
 * never visited twice in one request, each group gets one retry budget, and
 * at most `max_fallbacks` fallback groups are tried. When everything fails,
 * the last error is thrown with the routing information attached.
 */
export async function runRequest(
  run: RunContext,
  request: Record<string, unknown>,
): Promise<GroupOutcome> {
  const { config, controls, info } = run;
  const visited = new Set<string>();
  let pending: FallbackTarget[] = [{ model: request.model as string }];
  let fallbacksTried = -1;
  let clientFallbacksUsed = false;
  let lastError: unknown;
  while (pending.length > 0) {
    const target = pending.shift()!;
    let group: ModelGroup | undefined;
    if (fallbacksTried < 0) {
      try {
        group = config.registry.resolve(target.model);
      } catch (error) {
        throw finish(run, error);
      }
    } else {
      // An unknown fallback name is skipped: the error worth reporting is the upstream's.
      group = config.registry.find(target.model);
      if (group === undefined) continue;
    }
    const key = group.direct ? `id:${group.deployments[0]!.id}` : group.name;
    if (visited.has(key)) continue;
    if (fallbacksTried >= 0 && fallbacksTried >= config.maxFallbacks) break;
    visited.add(key);
    fallbacksTried++;
    info.attemptedFallbacks = fallbacksTried;
    const hopRequest = target.overrides
      ? { ...request, ...target.overrides, model: target.model }
      : request;
    try {
      const outcome = await runGroup(run, group, hopRequest);
      finish(run, undefined);
      return outcome;
    } catch (error) {
      lastError = error;
      if (run.signal?.aborted || classifyFailure(error) === 'fatal') throw finish(run, error);
      if (controls.disableFallbacks) break;
      let next: readonly FallbackTarget[];
      if (controls.fallbacks !== undefined) {
        // Client-side fallbacks replace the configured chain, and are walked once, in order.
        next = clientFallbacksUsed ? [] : controls.fallbacks;
        clientFallbacksUsed = true;
      } else {
        next = configuredFallbacks(config.fallbackTables, group.name, error);
        if (next.length === 0 && target.model !== group.name) {
          next = configuredFallbacks(config.fallbackTables, target.model, error);
        }
      }
      pending = [...next, ...pending];
    }
  }
  throw finish(run, lastError);
}

function finish(run: RunContext, error: unknown): unknown {
  run.info.timings.totalMs = performance.now() - run.startedAt;
  return error === undefined ? undefined : attachRouting(error, run.info);
}
