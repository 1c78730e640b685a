import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, type Stack, startStack } from './helpers';

const DASHBOARD = new URL('../../../examples/grafana/switchyard-dashboard.json', import.meta.url);

interface Panel {
  title: string;
  targets: Array<{ expr: string }>;
}

describe('the Grafana dashboard in examples/', () => {
  let stack: Stack;
  let exposition: string;

  beforeAll(async () => {
    // With tracing on, so the OpenTelemetry counters are exported too.
    stack = await startStack({
      extra: { litellm_settings: { callbacks: ['otel'], num_retries: 0 } },
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
    });
    exposition = (await get(stack.proxy.url, '/metrics')).body as string;
  });
  afterAll(() => stack?.close());

  it('is valid JSON whose every query names only metrics the proxy exports', async () => {
    const dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8')) as {
      uid: string;
      panels: Panel[];
    };
    expect(dashboard.uid).toBe('switchyard-proxy');
    const types = new Map(
      [...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(m => [m[1]!, m[2]!] as const),
    );
    const queried = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const { expr } of panel.targets) {
        for (const [name] of expr.matchAll(/\b(?:litellm|switchyard)_[a-z0-9_]+/g)) {
          // A histogram is queried through its _bucket / _sum / _count series.
          const base = name.replace(/_(bucket|sum|count)$/, '');
          const exported = types.has(name)
            ? name
            : types.get(base) === 'histogram'
              ? base
              : undefined;
          expect(exported, `${panel.title}: ${name}`).toBeDefined();
          queried.add(exported!);
        }
      }
    }
    // The spend and budget metrics the dashboard is for are among them.
    for (const name of [
      'litellm_spend_metric',
      'litellm_remaining_team_budget_metric',
      'litellm_remaining_api_key_budget_metric',
      'litellm_deployment_state',
      'switchyard_otel_spans_dropped_total',
    ]) {
      expect(queried).toContain(name);
    }
  });
});
