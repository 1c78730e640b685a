import type { RoutingCandidate, SyncRoutingStrategy } from './routing-strategy';

/** `routing_strategy_args` of latency-based routing. */
export interface LatencyBasedArgs {
  /** Pick at random among deployments within (1 + buffer) × the best mean. Default 0. */
  lowest_latency_buffer?: number;
}

/**
 * Lowest mean of the last ten latencies (whole call; time to first chunk for
 * streams; a timeout counts as the time waited). A deployment with no samples
 * yet is tried first, so every deployment gets measured.
 */
export function latencyBased(args: LatencyBasedArgs = {}): SyncRoutingStrategy {
  const buffer = args.lowest_latency_buffer ?? 0;
  return {
    name: 'latency-based-routing',
    needs: { latency: true },
    pick(candidates, ctx) {
      let best = Number.POSITIVE_INFINITY;
      for (const c of candidates) best = Math.min(best, c.stats.latencyMs ?? 0);
      const limit = best * (1 + buffer);
      const near: RoutingCandidate[] = [];
      for (const c of candidates) if ((c.stats.latencyMs ?? 0) <= limit) near.push(c);
      return near[Math.floor(ctx.random() * near.length)]!;
    },
  };
}
