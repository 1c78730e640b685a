import type { Deployment, RoutingInfo } from '@switchyard/router';
import { Counter, Gauge, Histogram } from './prometheus';

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
export class ProxyMetrics {
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

  /** Records one finished request. */
  record(r: RequestRecord): void {
    const model = r.requestedModel ?? '';
    const group = r.routing?.modelGroup ?? model;
    const failed = r.status >= 400 || r.errorClass !== undefined;
    this.totalRequests.inc({
      route: r.route,
      status_code: String(r.status),
      requested_model: model,
    });
    if (failed) {
      this.failedRequests.inc({
        route: r.route,
        exception_status: String(r.status),
        exception_class: r.errorClass ?? 'UnknownError',
        requested_model: model,
      });
    }
    this.totalLatency.observe({ model_group: group }, r.totalSeconds);
    if (r.ttftSeconds !== undefined) this.ttft.observe({ model_group: group }, r.ttftSeconds);
    const routing = r.routing;
    if (routing) {
      let upstream = 0;
      for (const a of routing.attempts) {
        upstream += a.durationMs;
        const labels = {
          model_id: a.deploymentId,
          model_group: a.modelGroup,
          api_base: a.apiBase ?? '',
        };
        this.deploymentTotal.inc(labels);
        if (a.error)
          this.deploymentFailure.inc({ ...labels, exception_status: String(a.error.status ?? '') });
        else {
          this.deploymentSuccess.inc(labels);
          this.apiLatency.observe(
            { model_group: a.modelGroup, model_id: a.deploymentId },
            a.durationMs / 1000,
          );
        }
      }
      if (routing.attempts.length > 0 && r.ttftSeconds === undefined) {
        this.overhead.observe(
          { model_group: group },
          Math.max(0, r.totalSeconds - upstream / 1000),
        );
      }
      if (routing.attemptedFallbacks > 0) {
        const labels = {
          requested_model: routing.requestedModel,
          fallback_model: routing.modelGroup,
        };
        if (failed) this.fallbacksFailed.inc(labels);
        else this.fallbacksOk.inc(labels);
      }
    }
    const usage = r.usage;
    if (usage) {
      const labels = { model_group: group };
      if (typeof usage.prompt_tokens === 'number')
        this.inputTokens.inc(labels, usage.prompt_tokens);
      if (typeof usage.completion_tokens === 'number')
        this.outputTokens.inc(labels, usage.completion_tokens);
      if (typeof usage.total_tokens === 'number') this.totalTokens.inc(labels, usage.total_tokens);
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
    ]
      .map(m => m.render())
      .join('');
  }
}
