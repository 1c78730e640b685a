import { pickLowest, type SyncRoutingStrategy } from './routing-strategy';

/** Fewest requests in flight (ties broken at random). */
export const leastBusy: SyncRoutingStrategy = {
  name: 'least-busy',
  needs: { inFlight: true },
  pick: (candidates, ctx) => pickLowest(candidates, c => c.stats.inFlight, ctx.random),
};
