import type { Deployment } from '../deployments/deployment';
import type { DeploymentStats } from '../state/router-state';

/** A deployment that passed every filter, with what the state knows about it. */
export interface RoutingCandidate {
  readonly deployment: Deployment;
  readonly stats: DeploymentStats;
}

/** What a strategy may look at besides the candidates. */
export interface PickContext {
  /** The model group being routed. */
  readonly modelGroup: string;
  /** The request (OpenAI-shaped) — for affinity strategies keyed on its content. */
  readonly request: unknown;
  /** Uniform random number in [0, 1); injectable so tests are reproducible. */
  readonly random: () => number;
}

/** Which state a strategy reads, so the router fetches and records only that. */
export interface StrategyNeeds {
  /** rpm / tpm counts of the current minute. */
  usage?: boolean;
  /** Requests in flight per deployment. */
  inFlight?: boolean;
  /** Recent latency per deployment. */
  latency?: boolean;
}

/**
 * A routing strategy: picks one deployment among healthy candidates.
 * Cooldowns, rpm / tpm limits, pre-call checks, `order` and "not a
 * deployment already tried" are applied before `pick` is called, so a
 * strategy only ranks. `candidates` is never empty. Implement this to plug in
 * your own (session or prefix affinity, engine-load aware, …) and pass the
 * object as `routing_strategy`.
 */
export interface RoutingStrategy {
  readonly name: string;
  readonly needs?: StrategyNeeds;
  pick(candidates: readonly RoutingCandidate[], ctx: PickContext): RoutingCandidate;
}

/** Uniform choice among candidates whose score equals the best (lowest) one. */
export function pickLowest(
  candidates: readonly RoutingCandidate[],
  score: (c: RoutingCandidate) => number,
  random: () => number,
): RoutingCandidate {
  let best = Number.POSITIVE_INFINITY;
  let ties = 0;
  let chosen = candidates[0]!;
  for (const c of candidates) {
    const s = score(c);
    if (s < best) {
      best = s;
      chosen = c;
      ties = 1;
    } else if (s === best) {
      // Reservoir sampling: each tied candidate ends up chosen with equal probability.
      ties++;
      if (random() * ties < 1) chosen = c;
    }
  }
  return chosen;
}
