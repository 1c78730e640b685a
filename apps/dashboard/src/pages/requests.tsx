import { api } from '../api';
import { keyLabel, ms, num, time, usd } from '../format';
import type { RequestRow } from '../types';
import { usePoll } from '../use-poll';
import { ErrorNote, PageHead } from './page-parts';

interface RequestsAnswer {
  store_prompts: boolean;
  requests: RequestRow[];
}

/** The latest requests the proxy served, newest first. */
export function RequestsPage() {
  const { data, error } = usePoll(() => api<RequestsAnswer>('/ui/api/requests?limit=100'), 3000);
  const rows = data?.requests ?? [];
  const prompts = data?.store_prompts === true;
  return (
    <section aria-labelledby="page-title">
      <PageHead
        title="Requests"
        note={
          prompts
            ? 'The latest 100, refreshed every 3 s. Prompt text is shown (store_prompts_in_spend_logs is on).'
            : 'The latest 100, refreshed every 3 s. Prompt text is off (general_settings.store_prompts_in_spend_logs).'
        }
      />
      <ErrorNote error={error} />
      <table>
        <caption>Latest requests</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Status</th>
            <th scope="col">Route</th>
            <th scope="col">Model</th>
            <th scope="col">Deployment</th>
            <th scope="col">Latency</th>
            <th scope="col">TTFT</th>
            <th scope="col">Tokens in / out</th>
            <th scope="col">Cost</th>
            <th scope="col">Key</th>
            {prompts && <th scope="col">Prompt</th>}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={prompts ? 11 : 10}>No requests yet.</td>
            </tr>
          )}
          {rows.map(r => (
            <tr key={r.call_id} data-call-id={r.call_id}>
              <td>{time(r.at)}</td>
              <td>
                <span class={r.status >= 400 ? 'badge cooldown' : 'badge healthy'}>{r.status}</span>
                {r.error && <div class="note">{r.error}</div>}
              </td>
              <td>
                <code>{r.route}</code>
              </td>
              <td>{r.model ?? '—'}</td>
              <td class="note">{r.model_id ?? '—'}</td>
              <td>{ms(r.latency_ms)}</td>
              <td>{ms(r.ttft_ms)}</td>
              <td>
                {num(r.prompt_tokens)} / {num(r.completion_tokens)}
              </td>
              <td title={r.cost_source}>{usd(r.cost)}</td>
              <td>{r.key ? keyLabel(r) : '—'}</td>
              {prompts && <td class="prompt">{r.prompt ?? ''}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
