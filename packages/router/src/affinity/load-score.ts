import type { RoutingCandidate } from '../strategies/routing-strategy';

/** How busy a candidate is; lower is better. */
export type LoadScore = (candidate: RoutingCandidate) => number;

/** The router's own count of requests in flight (shared through Redis when configured). */
export const inFlightLoad: LoadScore = c => c.stats.inFlight;

/** The smallest load among candidates. */
export function minimumLoad(candidates: readonly RoutingCandidate[], load: LoadScore): number {
  let min = Number.POSITIVE_INFINITY;
  for (const c of candidates) min = Math.min(min, load(c));
  return min;
}
