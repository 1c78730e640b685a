import type { Deployment, RoutingInfo } from '@switchyard/router';
import { BudgetGauges } from './budget-gauges';
import { Counter } from './counter';
import { Gauge } from './gauge';
import { HANDLE_CACHE_LIMIT, HandleCache } from './handle-cache';
import { Histogram } from './histogram';
import { KeyRateGauges } from './key-rate-gauges';
import type { RequestMetricSet } from './request-handles';
import { SpendCounter } from './spend-counter';

/** Token counts the upstream reported (never estimated here). */
export interface ReportedUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
}

/** One finished request, as the metrics see it. */
export interface RequestRecord {
  route: string;
  status: number;
  requestedModel: string | undefined;
  routing: RoutingInfo | undefined;
  /** Whole request, seconds. */
  totalSeconds: number;
  /** Time to the first streamed chunk, seconds (streams only). */
  ttftSeconds?: number;
  usage?: ReportedUsage | null;
  /** Error class name when the request failed. */
  errorClass?: string;
}

/**
 * The proxy's Prometheus metrics, under LiteLLM's names so existing
 * dashboards keep working: requests and failures, latency (total, upstream,
 * time to first token, overhead), tokens, and per-deployment outcomes and state.
 */
export class ProxyMetrics implements RequestMetricSet {
  readonly totalRequests = new Counter(
    'litellm_proxy_total_requests_metric',
    'Requests to the proxy',
  );
  readonly failedRequests = new Counter(
    'litellm_proxy_failed_requests_metric',
    'Requests that failed',
  );
  readonly totalLatency = new Histogram(
    'litellm_request_total_latency_metric',
    'Whole request latency, seconds',
  );
  readonly apiLatency = new Histogram(
    'litellm_llm_api_latency_metric',
    'Upstream call latency, seconds',
  );
  readonly ttft = new Histogram(
    'litellm_llm_api_time_to_first_token_metric',
    'Time to the first streamed token, seconds',
  );
  readonly overhead = new Histogram(
    'litellm_overhead_latency_metric',
    'Time spent in the proxy itself, seconds',
  );
  readonly inputTokens = new Counter(
    'litellm_input_tokens_metric',
    'Prompt tokens reported by upstreams',
  );
  readonly outputTokens = new Counter(
    'litellm_output_tokens_metric',
    'Completion tokens reported by upstreams',
  );
  readonly totalTokens = new Counter(
    'litellm_total_tokens_metric',
    'Total tokens reported by upstreams',
  );
  readonly deploymentSuccess = new Counter(
    'litellm_deployment_success_responses',
    'Successful calls per deployment',
  );
  readonly deploymentFailure = new Counter(
    'litellm_deployment_failure_responses',
    'Failed calls per deployment',
  );
  readonly deploymentTotal = new Counter(
    'litellm_deployment_total_requests',
    'Calls per deployment',
  );
  readonly deploymentState = new Gauge(
    'litellm_deployment_state',
    '0 healthy, 1 partial outage, 2 outage (cooling down)',
  );
  readonly fallbacksOk = new Counter(
    'litellm_deployment_successful_fallbacks',
    'Requests answered by a fallback group',
  );
  readonly fallbacksFailed = new Counter(
    'litellm_deployment_failed_fallbacks',
    'Requests that failed after fallbacks',
  );
  /** Switchyard's own: no LiteLLM equivalent. Exposed from 0 so an alert can watch it. */
  readonly spendDeadLetterRows = new Counter(
    'switchyard_spend_dead_letter_rows_total',
    'Spend rows the database refused, moved to the dead-letter file',
  );

  /** Switchyard's own: spans of `callbacks: ["otel"]` that never reached the collector. */
  readonly otelSpansDropped = new Counter(
    'switchyard_otel_spans_dropped_total',
    'OpenTelemetry spans dropped: queue_full (the collector is slower than the traffic) or export_failed',
  );
  /** Switchyard's own: spans the collector accepted. */
  readonly otelSpansExported = new Counter(
    'switchyard_otel_spans_exported_total',
    'OpenTelemetry spans the collector accepted',
  );

  /** `litellm_spend_metric` (written by the spend recorder). */
  readonly spend: SpendCounter;
  /** LiteLLM's key, team and user budget gauges (read from the store at scrape time). */
  readonly budgets: BudgetGauges;
  /** What is left of keys' rpm / tpm limits (key labels only). */
  readonly keyRates: KeyRateGauges;

  readonly #handles: HandleCache;

  /**
   * @param options.handleCacheLimit - bound on cached handle bundles (see
   *   {@link HANDLE_CACHE_LIMIT}); lower only to exercise the bound in tests.
   * @param options.keyLabels - label spend and budgets by key, user and end
   *   user (`general_settings.switchyard_metrics_key_labels`).
   */
  constructor(options: { handleCacheLimit?: number; keyLabels?: boolean } = {}) {
    this.#handles = new HandleCache(this, options.handleCacheLimit);
    this.spend = new SpendCounter(options.keyLabels === true);
    this.budgets = new BudgetGauges(options.keyLabels === true);
    this.keyRates = new KeyRateGauges(options.keyLabels === true);
  }

  /**
   * Records one finished request. The label sets are resolved to handles
   * once per distinct combination (see {@link HandleCache}), so this is a
   * few Map lookups on strings the request already has plus field updates.
   */
  record(r: RequestRecord): void {
    const handles = this.#handles;
    handles.trim();
    const model = r.requestedModel ?? '';
    const routing = r.routing;
    const group = routing?.modelGroup ?? model;
    const failed = r.status >= 400 || r.errorClass !== undefined;
    const outcome = handles.outcome(r.route, r.status, model);
    outcome.total.inc();
    if (failed) outcome.failure(r.errorClass ?? 'UnknownError').inc();
    const g = handles.group(group);
    g.totalLatency.observe(r.totalSeconds);
    if (r.ttftSeconds !== undefined) g.ttft.observe(r.ttftSeconds);
    if (routing) {
      const attempts = routing.attempts;
      let upstream = 0;
      for (let i = 0; i < attempts.length; i++) {
        const a = attempts[i]!;
        upstream += a.durationMs;
        // Cut short because the client left: no verdict on the deployment either way.
        if (a.cancelled) continue;
        const d = handles.deployment(a.deploymentId, a.modelGroup, a.apiBase ?? '');
        d.total.inc();
        if (a.error) d.failure(a.error.status).inc();
        else {
          d.success.inc();
          d.apiLatency.observe(a.durationMs / 1000);
        }
      }
      if (attempts.length > 0 && r.ttftSeconds === undefined) {
        g.overhead.observe(Math.max(0, r.totalSeconds - upstream / 1000));
      }
      if (routing.attemptedFallbacks > 0) {
        const f = handles.fallback(routing.requestedModel, routing.modelGroup);
        if (failed) f.failed.inc();
        else f.ok.inc();
      }
    }
    const usage = r.usage;
    if (usage) {
      if (typeof usage.prompt_tokens === 'number') g.inputTokens.inc(usage.prompt_tokens);
      if (typeof usage.completion_tokens === 'number') g.outputTokens.inc(usage.completion_tokens);
      if (typeof usage.total_tokens === 'number') g.totalTokens.inc(usage.total_tokens);
    }
  }

  /** Sets `litellm_deployment_state` from the router's cooldowns, at scrape time. */
  setDeploymentStates(
    deployments: readonly Deployment[],
    cooldownUntil: readonly number[],
    now: number,
  ): void {
    deployments.forEach((d, i) => {
      const labels = { model_id: d.id, model_group: d.modelName, api_base: d.apiBase ?? '' };
      this.deploymentState.set(labels, (cooldownUntil[i] ?? 0) > now ? 2 : 0);
    });
  }

  /** The exposition text. */
  render(): string {
    return [
      this.totalRequests,
      this.failedRequests,
      this.totalLatency,
      this.apiLatency,
      this.ttft,
      this.overhead,
      this.inputTokens,
      this.outputTokens,
      this.totalTokens,
      this.deploymentSuccess,
      this.deploymentFailure,
      this.deploymentTotal,
      this.deploymentState,
      this.fallbacksOk,
      this.fallbacksFailed,
      this.spendDeadLetterRows,
      this.otelSpansDropped,
      this.otelSpansExported,
    ]
      .map(m => m.render())
      .join('')
      .concat(this.spend.counter.render(), this.budgets.render(), this.keyRates.render());
  }
}
