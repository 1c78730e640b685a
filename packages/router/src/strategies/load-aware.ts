import type { Deployment } from '../deployments/deployment';
import { EngineLoadPoller } from '../engine-load/engine-load-poller';
import type { EngineLoad } from '../engine-load/engine-sample';
import { metricsTargets } from '../engine-load/metrics-url';
import { optionalNumber } from '../options/checks';
import { pickLowest, type RoutingCandidate, type SyncRoutingStrategy } from './routing-strategy';

/** `routing_strategy_args` of load-aware routing. */
export interface LoadAwareArgs {
  /** Seconds between polls of each engine's `/metrics`. Default 1. */
  poll_interval?: number;
  /** Seconds one poll may take. Default the smaller of the interval and 2. */
  metrics_timeout?: number;
  /** Seconds after which a sample is ignored. Default 3 × the interval. */
  stale_after?: number;
  /** Extra requests a full KV cache counts as (scaled by usage). Default 4. */
  kv_cache_weight?: number;
}

/** The load-aware strategy, with its engine view exposed for diagnostics and tests. */
export interface LoadAwareStrategy extends SyncRoutingStrategy {
  /** Polls every engine now; resolves when done (never rejects). */
  refresh(): Promise<void>;
  /** What the deployment's engine last reported, when known and fresh. */
  engineLoad(deploymentId: string): EngineLoad | undefined;
}

/**
 * Routes to the deployment whose engine is least loaded, as the engines
 * report it on their Prometheus `/metrics` (vLLM running + waiting requests
 * and KV-cache usage; Triton pending requests), polled in the background.
 * A score is the engine's count plus the requests this router sent there
 * since that sample, never less than the router's own in-flight count, plus
 * `kv_cache_weight` × KV-cache usage. Without a fresh sample (engine
 * unreachable, no metrics URL, stale) it is the in-flight count alone, so
 * missing metrics degrade the decision, never fail it.
 */
export function loadAware(
  args: LoadAwareArgs = {},
  clock: () => number = Date.now,
): LoadAwareStrategy {
  const f = (name: string) => `routing_strategy_args.${name}`;
  const intervalMs =
    (optionalNumber(f('poll_interval'), args.poll_interval, { min: 0.01 }) ?? 1) * 1000;
  const timeoutMs =
    (optionalNumber(f('metrics_timeout'), args.metrics_timeout, { min: 0.01 }) ??
      Math.min(intervalMs / 1000, 2)) * 1000;
  const staleAfterMs =
    (optionalNumber(f('stale_after'), args.stale_after, { min: 0.01 }) ?? (3 * intervalMs) / 1000) *
    1000;
  const kvWeight = optionalNumber(f('kv_cache_weight'), args.kv_cache_weight, { min: 0 }) ?? 4;
  let poller: EngineLoadPoller | undefined;

  const score = (c: RoutingCandidate): number => {
    const own = c.stats.inFlight;
    const engine = poller?.load(c.deployment.id);
    if (engine === undefined) return own;
    const reported = engine.running + engine.waiting + poller!.picksSince(c.deployment.id);
    return Math.max(own, reported) + kvWeight * (engine.kvCacheUsage ?? 0);
  };

  return {
    name: 'load-aware',
    needs: { inFlight: true },
    attach(env) {
      const targets = metricsTargets(env.deployments as Deployment[]);
      poller = new EngineLoadPoller({ targets, intervalMs, timeoutMs, staleAfterMs, clock });
      poller.start();
    },
    pick(candidates, ctx) {
      const chosen = pickLowest(candidates, score, ctx.random);
      poller?.notePick(chosen.deployment.id);
      return chosen;
    },
    refresh: () => poller?.refresh() ?? Promise.resolve(),
    engineLoad: id => poller?.load(id),
    async close() {
      await poller?.close();
    },
  };
}
