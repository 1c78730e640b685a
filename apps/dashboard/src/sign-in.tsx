import { useState } from 'preact/hooks';
import { ApiError, api } from './api';
import type { Session } from './types';

/**
 * The master key form. The input has no `name`, so even a browser running
 * no script has nothing to put in a URL or a body; the key goes out only
 * as the `Authorization` header of the check below.
 */
export function SignIn(props: { onSignedIn: (key: string, session: Session) => void }) {
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).querySelector('input')!;
    const key = input.value.trim();
    if (key === '') {
      setError('Enter the master key.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const session = await api<Session>('/ui/api/session', { key });
      input.value = '';
      props.onSignedIn(key, session);
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 401
          ? 'That is not the master key of this proxy.'
          : (e as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>Switchyard admin</h1>
      <form onSubmit={submit} method="post" action="#">
        <label for="master-key">Master key</label>
        <input
          id="master-key"
          type="password"
          autoComplete="current-password"
          aria-describedby="master-key-hint"
          aria-invalid={error ? 'true' : undefined}
          required
        />
        <p id="master-key-hint" class="hint">
          general_settings.master_key (or LITELLM_MASTER_KEY). Kept in this tab only.
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
