import { pickLowest, type SyncRoutingStrategy } from './routing-strategy';

/**
 * LiteLLM's `usage-based-routing-v2`: the deployment with the fewest tokens
 * used this minute (then fewest requests). Deployments at their rpm / tpm
 * limit were already filtered out, atomically against the shared state.
 */
export const usageBased: SyncRoutingStrategy = {
  name: 'usage-based-routing-v2',
  needs: { usage: true },
  pick: (candidates, ctx) =>
    pickLowest(candidates, c => c.stats.tpm * 1e6 + c.stats.rpm, ctx.random),
};
