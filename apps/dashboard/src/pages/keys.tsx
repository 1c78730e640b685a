import { useState } from 'preact/hooks';
import { api } from '../api';
import { dateTime, keyLabel, num, usd } from '../format';
import type { KeyRow, Session } from '../types';
import { usePoll } from '../use-poll';
import { KeyForm, type NewKeyFields } from './key-form';
import { ErrorNote, PageHead } from './page-parts';

interface KeyList {
  keys: KeyRow[];
  total_count: number;
}

/** A key's plaintext, just issued: shown this once, never stored by the page. */
interface Issued {
  label: string;
  key: string;
}

/** Virtual keys: create (the key shown once), revoke, regenerate, and each key's spend. */
export function KeysPage(props: { session: Session }) {
  const { data, error, reload } = usePoll(
    () => api<KeyList>('/key/list?return_full_object=true&size=100'),
    10_000,
  );
  const [issued, setIssued] = useState<Issued | undefined>(undefined);
  const [confirming, setConfirming] = useState<string | undefined>(undefined);
  const [actionError, setActionError] = useState<string | undefined>(undefined);

  if (!props.session.key_management) {
    return (
      <section aria-labelledby="page-title">
        <PageHead title="Keys" />
        <p>Virtual keys need a master key: set general_settings.master_key.</p>
      </section>
    );
  }

  const create = async (fields: NewKeyFields) => {
    const made = await api<{ key: string; key_alias: string | null; key_name: string }>(
      '/key/generate',
      { method: 'POST', body: fields },
    );
    setIssued({ label: made.key_alias ?? made.key_name, key: made.key });
    reload();
  };
  const act = async (run: () => Promise<void>) => {
    setActionError(undefined);
    try {
      await run();
    } catch (e) {
      setActionError((e as Error).message);
    } finally {
      setConfirming(undefined);
      reload();
    }
  };
  const revoke = (k: KeyRow) =>
    act(async () => {
      await api('/key/delete', { method: 'POST', body: { keys: [k.token] } });
    });
  const regenerate = (k: KeyRow) =>
    act(async () => {
      const made = await api<{ key: string }>('/key/regenerate', {
        method: 'POST',
        body: { key: k.token },
      });
      setIssued({ label: keyLabel(k), key: made.key });
    });

  const keys = data?.keys ?? [];
  return (
    <section aria-labelledby="page-title">
      <PageHead title="Keys" note={data ? `${data.total_count} keys.` : undefined} />
      <ErrorNote error={error} />
      {issued && (
        <div class="issued" role="status">
          <p>
            New key for <strong>{issued.label}</strong>. Copy it now: it is shown only this once.
          </p>
          <p>
            <code class="secret" data-testid="issued-key">
              {issued.key}
            </code>{' '}
            <button type="button" onClick={() => void navigator.clipboard?.writeText(issued.key)}>
              Copy key
            </button>{' '}
            <button type="button" onClick={() => setIssued(undefined)}>
              Done
            </button>
          </p>
        </div>
      )}
      <ErrorNote error={actionError} />
      <KeyForm modelGroups={props.session.model_groups} onCreate={create} />
      <table>
        <caption>Keys and their spend</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Models</th>
            <th scope="col">Spend</th>
            <th scope="col">Budget</th>
            <th scope="col">Limits (rpm / tpm / parallel)</th>
            <th scope="col">Team / user</th>
            <th scope="col">Expires</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {keys.length === 0 && (
            <tr>
              <td colSpan={8}>No keys yet.</td>
            </tr>
          )}
          {keys.map(k => {
            const label = keyLabel(k);
            return (
              <tr key={k.token}>
                <th scope="row">
                  {label}
                  {k.key_alias && <div class="note">{k.key_name}</div>}
                  {k.blocked && <span class="badge cooldown">blocked</span>}
                </th>
                <td>{k.models?.length ? k.models.join(', ') : 'all'}</td>
                <td>{usd(k.spend)}</td>
                <td>
                  {k.max_budget === null ? '—' : usd(k.max_budget)}
                  {k.budget_duration && <div class="note">per {k.budget_duration}</div>}
                </td>
                <td>
                  {num(k.rpm_limit)} / {num(k.tpm_limit)} / {num(k.max_parallel_requests)}
                </td>
                <td>
                  {k.team_id ?? '—'} / {k.user_id ?? '—'}
                </td>
                <td>{dateTime(k.expires)}</td>
                <td class="actions">
                  {confirming === k.token ? (
                    <>
                      <button type="button" class="danger" onClick={() => void revoke(k)}>
                        Confirm revoke of {label}
                      </button>{' '}
                      <button type="button" onClick={() => setConfirming(undefined)}>
                        Cancel
                      </button>
                    </>
                  ) : (
                    <>
                      <button
                        type="button"
                        aria-label={`Regenerate ${label}`}
                        onClick={() => void regenerate(k)}
                      >
                        Regenerate
                      </button>{' '}
                      <button
                        type="button"
                        class="danger"
                        aria-label={`Revoke ${label}`}
                        onClick={() => setConfirming(k.token)}
                      >
                        Revoke
                      </button>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
