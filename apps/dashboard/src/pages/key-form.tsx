import { useState } from 'preact/hooks';
import { ApiError } from '../api';

/** The fields of `/key/generate` the form offers, in LiteLLM's names. */
export interface NewKeyFields {
  key_alias?: string;
  models?: string[];
  max_budget?: number;
  budget_duration?: string;
  rpm_limit?: number;
  tpm_limit?: number;
  max_parallel_requests?: number;
  duration?: string;
  team_id?: string;
  user_id?: string;
}

/** Props of {@link KeyForm}. */
export interface KeyFormProps {
  modelGroups: string[];
  onCreate: (fields: NewKeyFields) => Promise<void>;
}

const numberOr = (text: string): number | undefined =>
  text.trim() === '' ? undefined : Number(text);
const textOr = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim());

/**
 * Creating a key: models, budget, limits and expiry. What the proxy refuses
 * comes back as its own message, shown beside the field it names.
 */
export function KeyForm(props: KeyFormProps) {
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
    const models = props.modelGroups.filter(
      m => (form.elements.namedItem(`model-${m}`) as HTMLInputElement | null)?.checked,
    );
    const fields: NewKeyFields = {
      key_alias: textOr(value('key_alias')),
      models: models.length ? models : undefined,
      max_budget: numberOr(value('max_budget')),
      budget_duration: textOr(value('budget_duration')),
      rpm_limit: numberOr(value('rpm_limit')),
      tpm_limit: numberOr(value('tpm_limit')),
      max_parallel_requests: numberOr(value('max_parallel_requests')),
      duration: textOr(value('duration')),
      team_id: textOr(value('team_id')),
      user_id: textOr(value('user_id')),
    };
    setBusy(true);
    setError(undefined);
    try {
      await props.onCreate(fields);
      form.reset();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    } finally {
      setBusy(false);
    }
  };
  const common = (name: string) => ({
    id: `f-${name}`,
    name,
    'aria-describedby': `f-${name}-hint`,
    'aria-invalid': error?.param === name ? ('true' as const) : undefined,
    autoComplete: 'off',
  });
  const field = (name: string, label: string, hint: string, type: 'text' | 'number' = 'text') => (
    <div class={`field${error?.param === name ? ' invalid' : ''}`}>
      <label for={`f-${name}`}>{label}</label>
      {type === 'number' ? (
        <input {...common(name)} type="number" step="any" min={0} />
      ) : (
        <input {...common(name)} type="text" />
      )}
      <span id={`f-${name}-hint`} class="hint">
        {hint}
      </span>
    </div>
  );
  return (
    <form class="key-form" onSubmit={submit} aria-labelledby="new-key-title">
      <h2 id="new-key-title">Create a key</h2>
      <div class="fields">
        {field('key_alias', 'Alias', 'A name people recognise, unique')}
        {field('team_id', 'Team', 'Team id (optional)')}
        {field('user_id', 'User', 'User id (optional)')}
        {field('max_budget', 'Budget (USD)', 'Blank: no budget', 'number')}
        {field('budget_duration', 'Budget period', 'e.g. 30d; blank: never resets')}
        {field('rpm_limit', 'Requests per minute', 'Blank: no limit', 'number')}
        {field('tpm_limit', 'Tokens per minute', 'Blank: no limit', 'number')}
        {field('max_parallel_requests', 'Parallel requests', 'Blank: no limit', 'number')}
        {field('duration', 'Expires after', 'e.g. 30d or 12h; blank: never')}
      </div>
      <fieldset class={error?.param === 'models' ? 'invalid' : undefined}>
        <legend>Models (none checked: every model)</legend>
        {props.modelGroups.map(m => (
          <label key={m} class="check">
            <input type="checkbox" name={`model-${m}`} /> {m}
          </label>
        ))}
      </fieldset>
      {error && (
        <p class="error" role="alert">
          {error.message}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create key'}
      </button>
    </form>
  );
}
