import type { Counter, CounterHandle } from './counter';
import type { Histogram, HistogramHandle } from './histogram';

/** The metrics a finished request writes to (the fields of `ProxyMetrics`). */
export interface RequestMetricSet {
  readonly totalRequests: Counter;
  readonly failedRequests: Counter;
  readonly totalLatency: Histogram;
  readonly apiLatency: Histogram;
  readonly ttft: Histogram;
  readonly overhead: Histogram;
  readonly inputTokens: Counter;
  readonly outputTokens: Counter;
  readonly totalTokens: Counter;
  readonly deploymentSuccess: Counter;
  readonly deploymentFailure: Counter;
  readonly deploymentTotal: Counter;
  readonly fallbacksOk: Counter;
  readonly fallbacksFailed: Counter;
}

/**
 * Counts cached entries across every bundle and level so that one bound
 * covers them all, including the small per-bundle maps below.
 */
export class EntryBudget {
  used = 0;
}

/*
 * Handles that not every request touches are resolved on first use: a
 * resolved-but-unused handle costs a series object per label set, and with
 * client-chosen model names that would be memory spent on nothing.
 */

/** `route` × `status` × `requested_model`: the request counters. */
export class OutcomeHandles {
  readonly total: CounterHandle;
  readonly #failures = new Map<string, CounterHandle>();
  constructor(
    private readonly m: RequestMetricSet,
    private readonly budget: EntryBudget,
    private readonly route: string,
    private readonly status: number,
    private readonly model: string,
  ) {
    this.total = m.totalRequests.handle({
      route,
      status_code: String(status),
      requested_model: model,
    });
  }

  /** `litellm_proxy_failed_requests_metric` for one exception class. */
  failure(errorClass: string): CounterHandle {
    let h = this.#failures.get(errorClass);
    if (h === undefined) {
      this.budget.used++;
      h = this.m.failedRequests.handle({
        route: this.route,
        exception_status: String(this.status),
        exception_class: errorClass,
        requested_model: this.model,
      });
      this.#failures.set(errorClass, h);
    }
    return h;
  }
}

/** `model_group`: latency histograms and token counters. */
export class GroupHandles {
  /** Every request observes its total latency, so this one is resolved up front. */
  readonly totalLatency: HistogramHandle;
  #ttft: HistogramHandle | undefined;
  #overhead: HistogramHandle | undefined;
  #inputTokens: CounterHandle | undefined;
  #outputTokens: CounterHandle | undefined;
  #totalTokens: CounterHandle | undefined;
  constructor(
    private readonly m: RequestMetricSet,
    private readonly group: string,
  ) {
    this.totalLatency = m.totalLatency.handle({ model_group: group });
  }

  get ttft(): HistogramHandle {
    if (this.#ttft === undefined) this.#ttft = this.m.ttft.handle({ model_group: this.group });
    return this.#ttft;
  }
  get overhead(): HistogramHandle {
    if (this.#overhead === undefined)
      this.#overhead = this.m.overhead.handle({ model_group: this.group });
    return this.#overhead;
  }
  get inputTokens(): CounterHandle {
    if (this.#inputTokens === undefined)
      this.#inputTokens = this.m.inputTokens.handle({ model_group: this.group });
    return this.#inputTokens;
  }
  get outputTokens(): CounterHandle {
    if (this.#outputTokens === undefined)
      this.#outputTokens = this.m.outputTokens.handle({ model_group: this.group });
    return this.#outputTokens;
  }
  get totalTokens(): CounterHandle {
    if (this.#totalTokens === undefined)
      this.#totalTokens = this.m.totalTokens.handle({ model_group: this.group });
    return this.#totalTokens;
  }
}

/** `model_id` × `model_group` × `api_base`: one deployment's outcomes. */
export class DeploymentHandles {
  readonly total: CounterHandle;
  #success: CounterHandle | undefined;
  #apiLatency: HistogramHandle | undefined;
  readonly #failures = new Map<number | undefined, CounterHandle>();
  constructor(
    private readonly m: RequestMetricSet,
    private readonly budget: EntryBudget,
    private readonly id: string,
    private readonly group: string,
    private readonly apiBase: string,
  ) {
    this.total = m.deploymentTotal.handle(this.#labels());
  }

  #labels(): Record<string, string> {
    return { model_id: this.id, model_group: this.group, api_base: this.apiBase };
  }

  get success(): CounterHandle {
    if (this.#success === undefined)
      this.#success = this.m.deploymentSuccess.handle(this.#labels());
    return this.#success;
  }
  get apiLatency(): HistogramHandle {
    if (this.#apiLatency === undefined)
      this.#apiLatency = this.m.apiLatency.handle({
        model_group: this.group,
        model_id: this.id,
      });
    return this.#apiLatency;
  }

  /** `litellm_deployment_failure_responses` for one upstream status (or none). */
  failure(status: number | undefined): CounterHandle {
    let h = this.#failures.get(status);
    if (h === undefined) {
      this.budget.used++;
      h = this.m.deploymentFailure.handle({
        ...this.#labels(),
        exception_status: String(status ?? ''),
      });
      this.#failures.set(status, h);
    }
    return h;
  }
}

/** `requested_model` × `fallback_model`: fallback outcomes. */
export class FallbackHandles {
  #ok: CounterHandle | undefined;
  #failed: CounterHandle | undefined;
  constructor(
    private readonly m: RequestMetricSet,
    private readonly requested: string,
    private readonly group: string,
  ) {}

  get ok(): CounterHandle {
    if (this.#ok === undefined) this.#ok = this.m.fallbacksOk.handle(this.#labels());
    return this.#ok;
  }
  get failed(): CounterHandle {
    if (this.#failed === undefined) this.#failed = this.m.fallbacksFailed.handle(this.#labels());
    return this.#failed;
  }

  #labels(): Record<string, string> {
    return { requested_model: this.requested, fallback_model: this.group };
  }
}
