import { useState } from 'preact/hooks';
import { api } from '../api';
import { BarChart } from '../charts/bar-chart';
import { download, toCsv } from '../csv';
import { keyLabel, num, usd } from '../format';
import type { Session, SpendRow } from '../types';
import { usePoll } from '../use-poll';
import { ErrorNote, PageHead } from './page-parts';

interface SpendAnswer {
  days: number;
  truncated: boolean;
  rows: SpendRow[];
}

type Dimension = 'key' | 'team' | 'user' | 'model';

const DIMENSIONS: Record<Dimension, { label: string; of: (r: SpendRow) => string }> = {
  key: { label: 'Key', of: r => keyLabel(r) },
  team: { label: 'Team', of: r => r.team_id ?? '(no team)' },
  user: { label: 'User', of: r => r.user_id ?? '(no user)' },
  model: { label: 'Model', of: r => r.model || '(none)' },
};

/** Every day of the window, oldest first, as YYYY-MM-DD (UTC), so days without spend show as zero. */
function daysOf(count: number): string[] {
  const today = Date.UTC(
    new Date().getUTCFullYear(),
    new Date().getUTCMonth(),
    new Date().getUTCDate(),
  );
  return Array.from({ length: count }, (_, i) =>
    new Date(today - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}

/** Spend over time by key, team, user or model, with daily totals and CSV export. */
export function SpendPage(props: { session: Session }) {
  const [days, setDays] = useState(30);
  const [by, setBy] = useState<Dimension>('key');
  const { data, error } = usePoll(() => api<SpendAnswer>(`/ui/api/spend?days=${days}`), 15_000, [
    days,
  ]);
  if (!props.session.key_management) {
    return (
      <section aria-labelledby="page-title">
        <PageHead title="Spend" />
        <p>Spend is recorded with virtual keys: set general_settings.master_key.</p>
      </section>
    );
  }
  const rows = data?.rows ?? [];
  const daily = new Map<string, number>(daysOf(days).map(d => [d, 0]));
  const totals = new Map<string, { spend: number; requests: number; tokens: number }>();
  for (const r of rows) {
    daily.set(r.day, (daily.get(r.day) ?? 0) + r.spend);
    const name = DIMENSIONS[by].of(r);
    const t = totals.get(name) ?? { spend: 0, requests: 0, tokens: 0 };
    t.spend += r.spend;
    t.requests += r.requests;
    t.tokens += r.tokens ?? 0;
    totals.set(name, t);
  }
  const ranked = [...totals].sort((a, b) => b[1].spend - a[1].spend);
  const exportCsv = () =>
    download(
      `switchyard-spend-${days}d.csv`,
      toCsv(
        [
          'day',
          'key',
          'key_alias',
          'team_id',
          'user_id',
          'model',
          'spend_usd',
          'requests',
          'tokens',
        ],
        rows.map(r => [
          r.day,
          r.key,
          r.key_alias,
          r.team_id,
          r.user_id,
          r.model,
          r.spend,
          r.requests,
          r.tokens,
        ]),
      ),
    );
  return (
    <section aria-labelledby="page-title">
      <PageHead
        title="Spend"
        note="From the spend log: written in batches, so the last seconds may be missing."
      />
      <ErrorNote error={error} />
      <div class="toolbar">
        <label for="spend-days">Period</label>
        <select id="spend-days" value={days} onChange={e => setDays(Number(e.currentTarget.value))}>
          <option value={7}>Last 7 days</option>
          <option value={30}>Last 30 days</option>
          <option value={90}>Last 90 days</option>
        </select>
        <label for="spend-by">Group by</label>
        <select id="spend-by" value={by} onChange={e => setBy(e.currentTarget.value as Dimension)}>
          {Object.entries(DIMENSIONS).map(([value, d]) => (
            <option key={value} value={value}>
              {d.label}
            </option>
          ))}
        </select>
        <button type="button" onClick={exportCsv} disabled={rows.length === 0}>
          Export CSV
        </button>
      </div>
      {data?.truncated && <p class="error">Only the first rows are shown: narrow the period.</p>}
      <BarChart
        title="Spend per day (USD)"
        format={usd}
        bars={[...daily].map(([label, value]) => ({ label, value }))}
      />
      <table>
        <caption>Spend by {DIMENSIONS[by].label.toLowerCase()}</caption>
        <thead>
          <tr>
            <th scope="col">{DIMENSIONS[by].label}</th>
            <th scope="col">Spend</th>
            <th scope="col">Requests</th>
            <th scope="col">Tokens</th>
          </tr>
        </thead>
        <tbody>
          {ranked.length === 0 && (
            <tr>
              <td colSpan={4}>No spend in this period.</td>
            </tr>
          )}
          {ranked.map(([name, t]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{usd(t.spend)}</td>
              <td>{num(t.requests)}</td>
              <td>{num(t.tokens)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>Daily totals</caption>
        <thead>
          <tr>
            <th scope="col">Day (UTC)</th>
            <th scope="col">Spend</th>
          </tr>
        </thead>
        <tbody>
          {[...daily]
            .filter(([, v]) => v > 0)
            .reverse()
            .map(([day, v]) => (
              <tr key={day}>
                <th scope="row">{day}</th>
                <td>{usd(v)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}
