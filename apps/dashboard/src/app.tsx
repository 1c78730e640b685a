import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from './api';
import { KeysPage } from './pages/keys';
import { ModelsPage } from './pages/models';
import { OverviewPage } from './pages/overview';
import { RequestsPage } from './pages/requests';
import { SpendPage } from './pages/spend';
import { forgetKey, storedKey, storeKey } from './session';
import { SignIn } from './sign-in';
import type { Session } from './types';

const PAGES = [
  { path: 'overview', title: 'Overview' },
  { path: 'models', title: 'Models' },
  { path: 'keys', title: 'Keys' },
  { path: 'spend', title: 'Spend' },
  { path: 'requests', title: 'Requests' },
] as const;
type PagePath = (typeof PAGES)[number]['path'];

/** The page named by the URL's hash (`#/keys`): routing in the hash keeps every page at `/ui`. */
function currentPage(): PagePath {
  const wanted = location.hash.replace(/^#\/?/, '');
  return PAGES.find(p => p.path === wanted)?.path ?? 'overview';
}

type State = { kind: 'checking' } | { kind: 'signed-out' } | { kind: 'in'; session: Session };

/**
 * Signs in (or finds the proxy open: no master key set), then shows the
 * navigation and the page in the hash. Focus moves to each page's heading
 * on navigation, so keyboard and screen-reader users land on what changed.
 */
export function App() {
  const [state, setState] = useState<State>({ kind: 'checking' });
  const [page, setPage] = useState<PagePath>(currentPage);

  useEffect(() => {
    // With a stored key, or none at all on an open proxy, the session may already work.
    api<Session>('/ui/api/session', { key: storedKey() })
      .then(session => setState({ kind: 'in', session }))
      .catch(e => {
        if (e instanceof ApiError && e.status === 401) forgetKey();
        setState({ kind: 'signed-out' });
      });
  }, []);

  useEffect(() => {
    const onHash = () => setPage(currentPage());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    const title = PAGES.find(p => p.path === page)?.title ?? '';
    document.title = `${title} · Switchyard admin`;
    if (state.kind === 'in') document.getElementById('page-title')?.focus();
  }, [page, state.kind]);

  if (state.kind === 'checking') return <p class="boot">Loading…</p>;
  if (state.kind === 'signed-out') {
    return (
      <SignIn
        onSignedIn={(key, session) => {
          storeKey(key);
          setState({ kind: 'in', session });
        }}
      />
    );
  }
  const signOut = () => {
    forgetKey();
    setState({ kind: 'signed-out' });
  };
  const session = state.session;
  return (
    <>
      <button type="button" class="skip" onClick={skipToContent}>
        Skip to content
      </button>
      <header class="top">
        <span class="brand">Switchyard</span>
        <nav aria-label="Admin pages">
          <ul>
            {PAGES.map(p => (
              <li key={p.path}>
                <a href={`#/${p.path}`} aria-current={p.path === page ? 'page' : undefined}>
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main">
        {page === 'overview' && <OverviewPage />}
        {page === 'models' && <ModelsPage />}
        {page === 'keys' && <KeysPage session={session} />}
        {page === 'spend' && <SpendPage session={session} />}
        {page === 'requests' && <RequestsPage />}
      </main>
    </>
  );
}

/** Focuses the page's heading; a button, not a link, because the hash names the page. */
function skipToContent(): void {
  document.getElementById('page-title')?.focus();
}
