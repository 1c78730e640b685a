import { useState } from 'preact/hooks';
import { api } from '../api';
import { dateTime, ms, num, percent } from '../format';
import type { DeploymentRow } from '../types';
import { usePoll } from '../use-poll';
import { ErrorNote, PageHead } from './page-parts';

interface ModelsAnswer {
  routing_strategy: string;
  deployments: DeploymentRow[];
}

interface HealthAnswer {
  healthy_endpoints: Array<{ model_id?: string }>;
  unhealthy_endpoints: Array<{ model_id?: string; error?: string }>;
}

/** Deployments as the router sees them, and an on-demand health probe of each. */
export function ModelsPage() {
  const { data, error } = usePoll(() => api<ModelsAnswer>('/ui/api/models'), 5000);
  const [health, setHealth] = useState<HealthAnswer | undefined>(undefined);
  const [probing, setProbing] = useState(false);
  const [probeError, setProbeError] = useState<string | undefined>(undefined);
  const probe = async () => {
    setProbing(true);
    setProbeError(undefined);
    try {
      setHealth(await api<HealthAnswer>('/health'));
    } catch (e) {
      setProbeError((e as Error).message);
    } finally {
      setProbing(false);
    }
  };
  const probed = (id: string): string => {
    if (!health) return 'not probed';
    if (health.healthy_endpoints.some(e => e.model_id === id)) return 'answered';
    const bad = health.unhealthy_endpoints.find(e => e.model_id === id);
    return bad ? `failed: ${bad.error ?? 'error'}` : 'not probed';
  };
  const rows = data?.deployments ?? [];
  return (
    <section aria-labelledby="page-title">
      <PageHead
        title="Models"
        note={data ? `Routing strategy: ${data.routing_strategy}. Refreshed every 5 s.` : undefined}
      />
      <ErrorNote error={error} />
      <p>
        <button type="button" onClick={probe} disabled={probing}>
          {probing ? 'Probing…' : 'Run health check'}
        </button>{' '}
        <span class="note">Sends one tiny real request to every deployment.</span>
      </p>
      <ErrorNote error={probeError} />
      <table>
        <caption>Deployments</caption>
        <thead>
          <tr>
            <th scope="col">Model group</th>
            <th scope="col">Deployment</th>
            <th scope="col">State</th>
            <th scope="col">In flight</th>
            <th scope="col">Requests this minute</th>
            <th scope="col">Tokens this minute</th>
            <th scope="col">Recent latency</th>
            <th scope="col">Engine load</th>
            <th scope="col">Health check</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(d => (
            <tr key={d.model_id}>
              <th scope="row">{d.model_name}</th>
              <td>
                <code>{d.model}</code>
                <div class="note">
                  {d.model_id}
                  {d.api_base ? ` · ${d.api_base}` : ''}
                </div>
              </td>
              <td>
                <span class={`badge ${d.state}`}>{d.state}</span>
                {d.cooldown_until && <div class="note">until {dateTime(d.cooldown_until)}</div>}
              </td>
              <td>{num(d.in_flight)}</td>
              <td>{num(d.rpm)}</td>
              <td>{num(d.tpm)}</td>
              <td>{ms(d.latency_ms)}</td>
              <td>
                {d.engine_load
                  ? `${d.engine_load.running} running, ${d.engine_load.waiting} waiting, KV ${percent(d.engine_load.kv_cache_usage)}`
                  : '—'}
              </td>
              <td>{probed(d.model_id)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="note">
        Engine load is what load-aware routing last read from the engine's /metrics.
      </p>
    </section>
  );
}
