import type { AttemptRecord, RoutingInfo } from '@switchyard/router';
import { describe, expect, it } from 'vitest';
import { HANDLE_CACHE_LIMIT, HandleCache } from './handle-cache';
import { LATENCY_BUCKETS } from './histogram';
import { ProxyMetrics, type RequestRecord } from './proxy-metrics';

/** Every metric in exposition order: name, help, type. Pins the names dashboards use. */
const SPEC: [string, string, 'counter' | 'histogram' | 'gauge'][] = [
  ['litellm_proxy_total_requests_metric', 'Requests to the proxy', 'counter'],
  ['litellm_proxy_failed_requests_metric', 'Requests that failed', 'counter'],
  ['litellm_request_total_latency_metric', 'Whole request latency, seconds', 'histogram'],
  ['litellm_llm_api_latency_metric', 'Upstream call latency, seconds', 'histogram'],
  [
    'litellm_llm_api_time_to_first_token_metric',
    'Time to the first streamed token, seconds',
    'histogram',
  ],
  ['litellm_overhead_latency_metric', 'Time spent in the proxy itself, seconds', 'histogram'],
  ['litellm_input_tokens_metric', 'Prompt tokens reported by upstreams', 'counter'],
  ['litellm_output_tokens_metric', 'Completion tokens reported by upstreams', 'counter'],
  ['litellm_total_tokens_metric', 'Total tokens reported by upstreams', 'counter'],
  ['litellm_deployment_success_responses', 'Successful calls per deployment', 'counter'],
  ['litellm_deployment_failure_responses', 'Failed calls per deployment', 'counter'],
  ['litellm_deployment_total_requests', 'Calls per deployment', 'counter'],
  ['litellm_deployment_state', '0 healthy, 1 partial outage, 2 outage (cooling down)', 'gauge'],
  ['litellm_deployment_successful_fallbacks', 'Requests answered by a fallback group', 'counter'],
  ['litellm_deployment_failed_fallbacks', 'Requests that failed after fallbacks', 'counter'],
  [
    'switchyard_spend_dead_letter_rows_total',
    'Spend rows the database refused, moved to the dead-letter file',
    'counter',
  ],
  [
    'switchyard_otel_spans_dropped_total',
    'OpenTelemetry spans dropped: queue_full (the collector is slower than the traffic) or export_failed',
    'counter',
  ],
  ['switchyard_otel_spans_exported_total', 'OpenTelemetry spans the collector accepted', 'counter'],
  ['litellm_spend_metric', 'Spend on LLM requests, USD', 'counter'],
  [
    'litellm_remaining_api_key_budget_metric',
    "Remaining budget for api key, USD (max budget minus the current period's recorded spend)",
    'gauge',
  ],
  ['litellm_api_key_max_budget_metric', 'Maximum budget set for api key, USD', 'gauge'],
  [
    'litellm_api_key_budget_remaining_hours_metric',
    'Hours until the api key budget resets',
    'gauge',
  ],
  [
    'litellm_remaining_team_budget_metric',
    "Remaining budget for team, USD (max budget minus the current period's recorded spend)",
    'gauge',
  ],
  ['litellm_team_max_budget_metric', 'Maximum budget set for team, USD', 'gauge'],
  ['litellm_team_budget_remaining_hours_metric', 'Hours until the team budget resets', 'gauge'],
  [
    'litellm_remaining_user_budget_metric',
    "Remaining budget for user, USD (max budget minus the current period's recorded spend)",
    'gauge',
  ],
  ['litellm_user_max_budget_metric', 'Maximum budget set for user, USD', 'gauge'],
  ['litellm_user_budget_remaining_hours_metric', 'Hours until the user budget resets', 'gauge'],
  [
    'litellm_remaining_api_key_requests_for_model',
    "Requests the api key may still make in the current minute (its rpm limit minus the window's requests)",
    'gauge',
  ],
  [
    'litellm_remaining_api_key_tokens_for_model',
    "Tokens the api key may still use in the current minute (its tpm limit minus the window's tokens)",
    'gauge',
  ],
];

/**
 * The obvious implementation: every observation kept, label text rendered
 * on every call, buckets counted at render time. Slow, and independent of
 * the handles, caches and bucket search under test.
 */
class ReferenceExposition {
  readonly #series = new Map<string, Map<string, number[]>>();

  add(metric: string, labels: [string, string][], value: number): void {
    const text = labels
      .map(
        ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`,
      )
      .join(',');
    const byLabels = this.#series.get(metric) ?? new Map<string, number[]>();
    this.#series.set(metric, byLabels);
    const values = byLabels.get(text) ?? [];
    byLabels.set(text, values);
    values.push(value);
  }

  render(): string {
    let out = '';
    for (const [name, help, type] of SPEC) {
      out += `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
      for (const [labels, values] of this.#series.get(name) ?? []) {
        const sum = values.reduce((s, v) => s + v, 0);
        if (type === 'counter') out += `${name}{${labels}} ${sum}\n`;
        else if (type === 'gauge') out += `${name}{${labels}} ${values.at(-1)}\n`;
        else {
          for (const le of LATENCY_BUCKETS) {
            const n = values.filter(v => v <= le).length;
            out += `${name}_bucket{${labels},le="${le}"} ${n}\n`;
          }
          out += `${name}_bucket{${labels},le="+Inf"} ${values.length}\n`;
          out += `${name}_sum{${labels}} ${sum}\n${name}_count{${labels}} ${values.length}\n`;
        }
      }
    }
    return out;
  }

  /** What one request adds, spelled out label by label. */
  record(r: RequestRecord): void {
    const model = r.requestedModel ?? '';
    const group = r.routing?.modelGroup ?? model;
    const failed = r.status >= 400 || r.errorClass !== undefined;
    const status = String(r.status);
    const total = 'litellm_proxy_total_requests_metric';
    this.add(
      total,
      [
        ['route', r.route],
        ['status_code', status],
        ['requested_model', model],
      ],
      1,
    );
    if (failed) {
      this.add(
        'litellm_proxy_failed_requests_metric',
        [
          ['route', r.route],
          ['exception_status', status],
          ['exception_class', r.errorClass ?? 'UnknownError'],
          ['requested_model', model],
        ],
        1,
      );
    }
    const byGroup: [string, string][] = [['model_group', group]];
    this.add('litellm_request_total_latency_metric', byGroup, r.totalSeconds);
    if (r.ttftSeconds !== undefined)
      this.add('litellm_llm_api_time_to_first_token_metric', byGroup, r.ttftSeconds);
    if (r.routing) {
      let upstreamMs = 0;
      for (const a of r.routing.attempts) {
        upstreamMs += a.durationMs;
        const dep: [string, string][] = [
          ['model_id', a.deploymentId],
          ['model_group', a.modelGroup],
          ['api_base', a.apiBase ?? ''],
        ];
        this.add('litellm_deployment_total_requests', dep, 1);
        if (a.error) {
          const st: [string, string] = ['exception_status', String(a.error.status ?? '')];
          this.add('litellm_deployment_failure_responses', [...dep, st], 1);
        } else {
          this.add('litellm_deployment_success_responses', dep, 1);
          const latency: [string, string][] = [
            ['model_group', a.modelGroup],
            ['model_id', a.deploymentId],
          ];
          this.add('litellm_llm_api_latency_metric', latency, a.durationMs / 1000);
        }
      }
      if (r.routing.attempts.length > 0 && r.ttftSeconds === undefined) {
        const overhead = Math.max(0, r.totalSeconds - upstreamMs / 1000);
        this.add('litellm_overhead_latency_metric', byGroup, overhead);
      }
      if (r.routing.attemptedFallbacks > 0) {
        this.add(
          `litellm_deployment_${failed ? 'failed' : 'successful'}_fallbacks`,
          [
            ['requested_model', r.routing.requestedModel],
            ['fallback_model', r.routing.modelGroup],
          ],
          1,
        );
      }
    }
    const u = r.usage;
    if (typeof u?.prompt_tokens === 'number')
      this.add('litellm_input_tokens_metric', byGroup, u.prompt_tokens);
    if (typeof u?.completion_tokens === 'number')
      this.add('litellm_output_tokens_metric', byGroup, u.completion_tokens);
    if (typeof u?.total_tokens === 'number')
      this.add('litellm_total_tokens_metric', byGroup, u.total_tokens);
  }
}

/** Deterministic mixed traffic: successes, failures, streams, retries, fallbacks. */
function* traffic(count: number, distinctModels: number): Generator<RequestRecord> {
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  // Names that would collide if a label were escaped or keyed carelessly.
  const odd = ['chat', 'chat ', 'say "hi"', 'a\\b', 'two\nlines', 'a,b="c"', ''];
  for (let i = 0; i < count; i++) {
    const model = rnd() < 0.05 ? undefined : rnd() < 0.5 ? `m${i % distinctModels}` : pick(odd);
    const failed = rnd() < 0.3;
    const attempts: AttemptRecord[] = [];
    for (let n = pick([0, 1, 1, 1, 2, 3]); n > 0; n--) {
      const attempt: AttemptRecord = {
        modelGroup: pick(['chat', 'text', 'say "hi"']),
        deploymentId: pick(['d1', 'd2', 'd"3']),
        apiBase: pick([undefined, 'http://a:8000/v1', '']),
        startedAt: 0,
        durationMs: pick([0, 0.5, 1, 250, 1000, 400_000, rnd() * 3000]),
      };
      if (n > 1 || (failed && rnd() < 0.7))
        attempt.error = { name: 'E', status: pick([undefined, 429, 500, 503]), message: '' };
      attempts.push(attempt);
    }
    const routing = {
      requestedModel: model ?? 'none',
      modelGroup: pick(['chat', 'text', 'say "hi"', model ?? '']),
      attemptedFallbacks: pick([0, 0, 0, 1]),
      attempts,
    } as Partial<RoutingInfo> as RoutingInfo;
    yield {
      route: pick(['/v1/chat/completions', '/v1/completions', '/v1/embeddings']),
      status: failed ? pick([400, 401, 429, 500, 502]) : pick([200, 200, 201]),
      requestedModel: model,
      routing: rnd() < 0.15 ? undefined : routing,
      totalSeconds: pick([0, 0.0005, 0.0007, 0.25, 2.5, 301, rnd() * 4]),
      ttftSeconds: rnd() < 0.3 ? rnd() : undefined,
      usage: pick([
        undefined,
        null,
        { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 },
        { prompt_tokens: 0, completion_tokens: null },
      ]),
      errorClass: failed && rnd() < 0.8 ? pick(['RateLimitError', 'BadRequestError']) : undefined,
    };
  }
}

/** The first differing line, so a mismatch in megabytes of text reads in one line. */
function firstDifference(actual: string, expected: string): string | undefined {
  if (actual === expected) return undefined;
  const a = actual.split('\n');
  const e = expected.split('\n');
  const i = a.findIndex((line, n) => line !== e[n]);
  const at = i === -1 ? a.length : i;
  return `line ${at + 1}: got ${JSON.stringify(a[at])}, expected ${JSON.stringify(e[at])}`;
}

function compare(metrics: ProxyMetrics, records: Iterable<RequestRecord>): void {
  const reference = new ReferenceExposition();
  for (const r of records) {
    metrics.record(r);
    reference.record(r);
  }
  expect(firstDifference(metrics.render(), reference.render())).toBeUndefined();
}

describe('ProxyMetrics exposition', () => {
  it('matches a straightforward reference over mixed traffic', () => {
    compare(new ProxyMetrics(), traffic(5_000, 40));
  });

  it('stays exact when the handle cache starts over again and again', () => {
    // A tiny bound makes nearly every request drop and re-resolve its handles.
    compare(new ProxyMetrics({ handleCacheLimit: 3 }), traffic(3_000, 500));
  });

  it('stays exact past the default bound with client-chosen model names', () => {
    const records: RequestRecord[] = [];
    for (let i = 0; i < HANDLE_CACHE_LIMIT + 500; i++) {
      const model = `random-${i % (HANDLE_CACHE_LIMIT + 100)}`;
      records.push({
        route: '/v1/chat/completions',
        status: 200,
        requestedModel: model,
        routing: undefined,
        totalSeconds: 0.01 * (i % 7),
      });
    }
    compare(new ProxyMetrics(), [...records, ...traffic(500, 20)]);
  });

  it('renders a series without labels as a bare name, from 0 once resolved', () => {
    const metrics = new ProxyMetrics();
    metrics.spendDeadLetterRows.handle({}).inc(0);
    expect(metrics.render()).toContain('\nswitchyard_spend_dead_letter_rows_total 0\n');
    metrics.spendDeadLetterRows.inc({}, 3);
    expect(metrics.render()).toContain('\nswitchyard_spend_dead_letter_rows_total 3\n');
  });

  it('renders the deployment state gauge set at scrape time', () => {
    const metrics = new ProxyMetrics();
    const deployments = [
      { id: 'd1', modelName: 'chat', apiBase: 'http://a' },
      { id: 'd"2', modelName: 'chat', apiBase: undefined },
    ] as unknown as Parameters<ProxyMetrics['setDeploymentStates']>[0];
    metrics.setDeploymentStates(deployments, [0, 2_000], 1_000);
    expect(metrics.render()).toContain(
      'litellm_deployment_state{model_id="d1",model_group="chat",api_base="http://a"} 0\n' +
        'litellm_deployment_state{model_id="d\\"2",model_group="chat",api_base=""} 2\n',
    );
  });
});

describe('HandleCache', () => {
  it('keeps its size within the bound however many model names clients send', () => {
    const cache = new HandleCache(new ProxyMetrics(), 100);
    let largest = 0;
    for (let i = 0; i < 5_000; i++) {
      cache.trim();
      cache.outcome('/v1/chat/completions', 200, `random-${i}`).failure('E').inc();
      cache.group(`random-${i}`).totalLatency.observe(0.1);
      largest = Math.max(largest, cache.size);
    }
    // One request adds at most a few entries past the bound before the next trim.
    expect(largest).toBeLessThanOrEqual(103);
  });

  it('hands out the same bundle for the same values until it starts over', () => {
    const cache = new HandleCache(new ProxyMetrics(), 2);
    const first = cache.deployment('d1', 'chat', '');
    expect(cache.deployment('d1', 'chat', '')).toBe(first);
    expect(cache.deployment('d1', 'text', '')).not.toBe(first);
    cache.trim();
    expect(cache.deployment('d1', 'chat', '')).not.toBe(first);
  });
});
