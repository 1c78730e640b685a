import { api } from '../api';
import { LineChart } from '../charts/line-chart';
import { ms, num, percent } from '../format';
import type { LivePoint, LiveSeries } from '../types';
import { usePoll } from '../use-poll';
import { ErrorNote, PageHead } from './page-parts';

const REFRESH_MS = 3000;
const STEP_S = 5;

/** Sums of the last `n` points, for the headline figures. */
function recent(points: LivePoint[], n: number) {
  const tail = points.slice(-n);
  const requests = tail.reduce((s, p) => s + p.requests, 0);
  const errors = tail.reduce((s, p) => s + p.errors, 0);
  const tokens = tail.reduce((s, p) => s + p.outputTokens, 0);
  const seconds = tail.length * STEP_S;
  const withLatency = tail.filter(p => p.p50Ms !== null);
  const last = withLatency[withLatency.length - 1];
  const lastTtft = [...tail].reverse().find(p => p.ttftP50Ms !== null);
  return {
    rps: seconds ? requests / seconds : 0,
    errorRate: requests ? errors / requests : null,
    p50: last?.p50Ms ?? null,
    p95: last?.p95Ms ?? null,
    ttft: lastTtft?.ttftP50Ms ?? null,
    tps: seconds ? tokens / seconds : 0,
  };
}

/** Live traffic: headline figures, charts of the last five minutes, and one row per model group. */
export function OverviewPage() {
  const { data, error } = usePoll(
    () => api<LiveSeries>(`/ui/api/overview?window=300&step=${STEP_S}`),
    REFRESH_MS,
  );
  const total = data?.total ?? [];
  const times = total.map(p => p.t);
  const head = recent(total, 2);
  const groups = Object.entries(data?.groups ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section aria-labelledby="page-title">
      <PageHead
        title="Overview"
        note={`Last five minutes, refreshed every ${REFRESH_MS / 1000} s.`}
      />
      <ErrorNote error={error} />
      <dl class="cards">
        <Card label="Requests / s" value={num(head.rps, 2)} />
        <Card label="Error rate" value={percent(head.errorRate)} />
        <Card label="Latency p50" value={ms(head.p50)} />
        <Card label="Latency p95" value={ms(head.p95)} />
        <Card label="Time to first token p50" value={ms(head.ttft)} />
        <Card label="Output tokens / s" value={num(head.tps, 1)} />
      </dl>
      <div class="charts">
        <LineChart
          title="Requests per second"
          times={times}
          format={v => num(v, 1)}
          lines={[{ name: 'all', tone: 'line-1', values: total.map(p => p.requests / STEP_S) }]}
        />
        <LineChart
          title="Error rate"
          times={times}
          format={v => percent(v)}
          lines={[
            {
              name: 'errors',
              tone: 'line-3',
              values: total.map(p => (p.requests ? p.errors / p.requests : null)),
            },
          ]}
        />
        <LineChart
          title="Latency"
          times={times}
          format={v => ms(v)}
          lines={[
            { name: 'p50', tone: 'line-1', values: total.map(p => p.p50Ms) },
            { name: 'p95', tone: 'line-2', values: total.map(p => p.p95Ms) },
          ]}
        />
        <LineChart
          title="Time to first token (p50)"
          times={times}
          format={v => ms(v)}
          lines={[{ name: 'TTFT p50', tone: 'line-4', values: total.map(p => p.ttftP50Ms) }]}
        />
      </div>
      <table>
        <caption>Per model group, last 10 seconds</caption>
        <thead>
          <tr>
            <th scope="col">Model group</th>
            <th scope="col">Requests / s</th>
            <th scope="col">Error rate</th>
            <th scope="col">p50</th>
            <th scope="col">p95</th>
            <th scope="col">TTFT p50</th>
            <th scope="col">Output tokens / s</th>
          </tr>
        </thead>
        <tbody>
          {groups.length === 0 && (
            <tr>
              <td colSpan={7}>No requests in the last five minutes.</td>
            </tr>
          )}
          {groups.map(([name, points]) => {
            const r = recent(points, 2);
            return (
              <tr key={name}>
                <th scope="row">{name || '(no served model)'}</th>
                <td>{num(r.rps, 2)}</td>
                <td>{percent(r.errorRate)}</td>
                <td>{ms(r.p50)}</td>
                <td>{ms(r.p95)}</td>
                <td>{ms(r.ttft)}</td>
                <td>{num(r.tps, 1)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p class="note">
        Percentiles are read from log-scale buckets (within 19%). Tokens are those the engines
        reported; a stream whose engine sent no usage adds none.
      </p>
    </section>
  );
}

function Card(props: { label: string; value: string }) {
  return (
    <div class="card">
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}
