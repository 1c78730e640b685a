import type { Deployment } from '../deployments/deployment';
import type { DeploymentStats, RouterState } from '../state/router-state';

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
  /** The request's `metadata` (never sent upstream), e.g. `{ session_id: "…" }`. */
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
  /** Client headers handed to the router through `CallOptions.headers`, names lower-cased. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
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
  /**
   * Ranks and picks. May return a promise when the decision reads shared
   * state (prefix ownership in Redis); a plain value keeps the decision
   * synchronous and cheap.
   */
  pick(
    candidates: readonly RoutingCandidate[],
    ctx: PickContext,
  ): RoutingCandidate | Promise<RoutingCandidate>;
  /**
   * Called once by the router that uses the strategy, before any pick: the
   * deployments it routes and its state store (engine pollers and shared
   * affinity indexes start here).
   */
  attach?(env: StrategyEnvironment): void;
  /** Stops background work (pollers); called by `router.close()`. */
  close?(): Promise<void> | void;
}

/** A strategy that always decides synchronously (every built-in one except shared prefix affinity). */
export interface SyncRoutingStrategy extends RoutingStrategy {
  pick(candidates: readonly RoutingCandidate[], ctx: PickContext): RoutingCandidate;
}

/** What {@link RoutingStrategy.attach} receives. */
export interface StrategyEnvironment {
  /** Every deployment of the router's `model_list`. */
  readonly deployments: readonly Deployment[];
  readonly state: RouterState;
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
