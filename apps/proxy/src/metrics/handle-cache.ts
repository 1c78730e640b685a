import {
  DeploymentHandles,
  EntryBudget,
  FallbackHandles,
  GroupHandles,
  OutcomeHandles,
  type RequestMetricSet,
} from './request-handles';

/**
 * Cached bundles (plus their per-bundle entries) before the cache starts
 * over. Label values come from clients (requested model names), so the
 * cache must not grow with them; dropping it only costs re-resolving
 * handles, which find the same series again.
 */
export const HANDLE_CACHE_LIMIT = 10_000;

/**
 * Handle bundles keyed, in nested Maps, by the raw values that vary per
 * request: a lookup hashes strings the request already holds and builds no
 * key. The series themselves live in the metrics, not here.
 */
export class HandleCache {
  readonly #budget = new EntryBudget();
  #outcomes = new Map<string, Map<number, Map<string, OutcomeHandles>>>();
  #groups = new Map<string, GroupHandles>();
  #deployments = new Map<string, Map<string, Map<string, DeploymentHandles>>>();
  #fallbacks = new Map<string, Map<string, FallbackHandles>>();

  constructor(
    private readonly metrics: RequestMetricSet,
    readonly limit = HANDLE_CACHE_LIMIT,
  ) {}

  /** Entries cached now (bundles and their per-bundle entries). */
  get size(): number {
    return this.#budget.used;
  }

  /**
   * Starts over once the bound is reached. Called between requests, never
   * in the middle of one, so a bundle being used is never cut off from the
   * maps it is being inserted into; one request adds only a few entries,
   * so the bound is overshot by at most that many.
   */
  trim(): void {
    if (this.#budget.used < this.limit) return;
    this.#budget.used = 0;
    this.#outcomes = new Map();
    this.#groups = new Map();
    this.#deployments = new Map();
    this.#fallbacks = new Map();
  }

  /** Request counters for one route, status and requested model. */
  outcome(route: string, status: number, model: string): OutcomeHandles {
    const byModel = branch(branch(this.#outcomes, route), status);
    let h = byModel.get(model);
    if (h === undefined) {
      this.#budget.used++;
      h = new OutcomeHandles(this.metrics, this.#budget, route, status, model);
      byModel.set(model, h);
    }
    return h;
  }

  /** Latency and token series for one model group. */
  group(group: string): GroupHandles {
    let h = this.#groups.get(group);
    if (h === undefined) {
      this.#budget.used++;
      h = new GroupHandles(this.metrics, group);
      this.#groups.set(group, h);
    }
    return h;
  }

  /** Outcome series for one deployment. */
  deployment(id: string, group: string, apiBase: string): DeploymentHandles {
    const byApiBase = branch(branch(this.#deployments, id), group);
    let h = byApiBase.get(apiBase);
    if (h === undefined) {
      this.#budget.used++;
      h = new DeploymentHandles(this.metrics, this.#budget, id, group, apiBase);
      byApiBase.set(apiBase, h);
    }
    return h;
  }

  /** Fallback counters for one requested model and the group that answered. */
  fallback(requested: string, group: string): FallbackHandles {
    const byGroup = branch(this.#fallbacks, requested);
    let h = byGroup.get(group);
    if (h === undefined) {
      this.#budget.used++;
      h = new FallbackHandles(this.metrics, requested, group);
      byGroup.set(group, h);
    }
    return h;
  }
}

/** The inner Map under `key`, created when missing. */
function branch<K, K2, V>(map: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let next = map.get(key);
  if (next === undefined) {
    next = new Map();
    map.set(key, next);
  }
  return next;
}
