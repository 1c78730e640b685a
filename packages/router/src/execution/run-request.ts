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
  let group: ModelGroup;
  try {
    group = await resolveGroup(run, request.model as string);
  } catch (error) {
    throw finish(run, error);
  }
  run.info.attemptedFallbacks = 0;
  try {
    const outcome = await runGroup(run, group, request);
    finish(run, undefined);
    return outcome;
  } catch (error) {
    // The fallback walk's bookkeeping is built only when a fallback is needed.
    return fallBack(run, request, { group, model: request.model as string, error });
  }
}

/** The model group a name resolves to: a group, alias or deployment, else a LoRA adapter's group. */
export async function resolveGroup(
  run: Pick<RunContext, 'config'>,
  model: string,
): Promise<ModelGroup> {
  const { registry, lora } = run.config;
  const found = registry.find(model) ?? (lora && (await lora.resolve(model)));
  return found ?? registry.resolve(model);
}

/** The group that failed, the name it was reached by, and its error. */
interface FailedGroup {
  group: ModelGroup;
  model: string;
  error: unknown;
}

async function fallBack(
  run: RunContext,
  request: Record<string, unknown>,
  first: FailedGroup,
): Promise<GroupOutcome> {
  const { config, controls, info } = run;
  const visited = new Set<string>([visitKey(first.group)]);
  let fallbacksTried = 0;
  let clientFallbacksUsed = false;
  let lastError: unknown;
  let pending: FallbackTarget[] = [];
  let failed: FailedGroup | undefined = first;
  for (;;) {
    if (failed !== undefined) {
      const { group, model, error } = failed;
      failed = undefined;
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
        if (next.length === 0 && model !== group.name) {
          next = configuredFallbacks(config.fallbackTables, model, error);
        }
      }
      pending = [...next, ...pending];
    }
    const target = pending.shift();
    if (target === undefined) break;
    // An unknown fallback name is skipped: the error worth reporting is the upstream's.
    const group = config.registry.find(target.model);
    if (group === undefined) continue;
    const key = visitKey(group);
    if (visited.has(key)) continue;
    if (fallbacksTried >= config.maxFallbacks) break;
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
      failed = { group, model: target.model, error };
    }
  }
  throw finish(run, lastError);
}

/** A group is visited once per request; a direct deployment id counts as its own group. */
function visitKey(group: ModelGroup): string {
  return group.direct ? `id:${group.deployments[0]!.id}` : group.name;
}

function finish(run: RunContext, error: unknown): unknown {
  run.info.timings.totalMs = performance.now() - run.startedAt;
  return error === undefined ? undefined : attachRouting(error, run.info);
}
