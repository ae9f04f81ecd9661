/**
 * The page: a token prompt while the manager wants one, else the shell: navigation, a banner for
 * waiting questions, notices, and the page of the route. The shell starts the live stores (events,
 * VMs, stats, progress, questions) and stops them when it goes (a token refused later).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, messageOf } from './lib/api.js';
import { href, useRoute } from './lib/router.js';
import { useStore } from './lib/store.js';
import { auth, setToken, token } from './lib/token.js';
import { PAGES } from './pages/index.js';
import { asks, startAsks } from './state/asks.js';
import { hub } from './state/events.js';
import { dismiss, notices } from './state/notices.js';
import { startProgress } from './state/progress.js';
import { startStats } from './state/stats.js';
import { startVms } from './state/vms.js';

/** Asks the API whether this page may talk to it (without a token on loopback, or with the kept one). */
async function probe(): Promise<void> {
  try {
    await get('/api/v1/vms?limit=1');
    auth.set({ state: 'ok' });
  } catch (err) {
    if (!(err instanceof ApiError && err.problem.status === 401)) auth.set({ state: 'ok' }); // other refusals show on the pages
  }
}

function TokenPrompt({ message }: { message: string }) {
  const [value, setValue] = useState('');
  const had = token.get() !== null;
  const submit = (e: Event) => {
    e.preventDefault();
    setToken(value);
    auth.set({ state: 'checking' });
    void probe();
  };
  return (
    <main id="main" class="token-page">
      <form class="card token-form" onSubmit={submit} aria-labelledby="token-title">
        <h1 id="token-title">Cella</h1>
        <p>This manager needs an API token (the <code>CELLA_TOKEN</code> it was started with, or a token made with <code>POST /api/v1/tokens</code>).</p>
        {had && <p class="error" role="alert" id="token-error">The token was not accepted: {message}</p>}
        <label for="token">API token</label>
        <input id="token" type="password" autoComplete="current-password" value={value} required autoFocus
          aria-describedby={had ? 'token-error' : undefined} onInput={(e) => setValue(e.currentTarget.value)} />
        <p class="hint">Kept in this tab only (sessionStorage), sent as a bearer token.</p>
        <button type="submit" class="primary" disabled={!value}>Connect</button>
      </form>
    </main>
  );
}

function Notices() {
  const list = useStore(notices);
  return (
    <div class="notices" aria-live="polite" aria-relevant="additions">
      {list.map((n) => (
        <div key={n.id} class={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span>{n.text}</span>
          <button type="button" class="small" aria-label="Dismiss" onClick={() => dismiss(n.id)}>×</button>
        </div>
      ))}
    </div>
  );
}

function AskBanner({ onAsks }: { onAsks: boolean }) {
  const pending = useStore(asks);
  if (pending.length === 0 || onAsks) return null;
  const first = pending[0];
  return (
    <div class="ask-banner" role="status">
      <strong>{first.source}</strong> asks to call <code>{first.service}{first.argument}</code>
      {pending.length > 1 ? ` (and ${pending.length - 1} more)` : ''}. <a href={href('asks')}>Answer</a>
    </div>
  );
}

function Shell() {
  const route = useRoute();
  const connected = useStore(hub.connected);
  const pending = useStore(asks);
  const hasToken = useStore(token) !== null;
  useEffect(() => {
    const stops = [startVms(), startProgress(), startAsks(), startStats()];
    hub.start();
    return () => {
      hub.stop();
      stops.forEach((stop) => stop());
    };
  }, []);
  const page = PAGES.find((p) => p.path === (route[0] ?? 'vms')) ?? null;
  useEffect(() => {
    document.title = `${page?.title ?? 'Not found'} – Cella`;
  }, [page]);
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>Skip to the content</a>
      <header class="top">
        <span class="brand">Cella</span>
        <nav aria-label="Pages">
          <ul>
            {PAGES.map((p) => (
              <li key={p.path}>
                <a href={href(p.path)} aria-current={p === page ? 'page' : undefined}>
                  {p.title}
                  {p.path === 'asks' && pending.length > 0 && <span class="badge" aria-label={`${pending.length} waiting`}>{pending.length}</span>}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="grow" />
        <span class={`link-state ${connected ? 'up' : 'down'}`} role="status">{connected ? 'live' : 'reconnecting…'}</span>
        {hasToken && <button type="button" class="small" onClick={() => (setToken(null), location.reload())}>Forget the token</button>}
      </header>
      <AskBanner onAsks={page?.path === 'asks'} />
      <main id="main" tabIndex={-1}>
        {page ? page.render(route.slice(1)) : <p>No such page. <a href={href('vms')}>Go to the VMs</a></p>}
      </main>
      <Notices />
    </>
  );
}

export function App() {
  const state = useStore(auth);
  useEffect(() => {
    probe().catch((err: unknown) => console.error('cella:', messageOf(err)));
  }, []);
  if (state.state === 'checking') return <p class="loading">Connecting…</p>;
  if (state.state === 'needed') return <TokenPrompt message={state.message} />;
  return <Shell />;
}
