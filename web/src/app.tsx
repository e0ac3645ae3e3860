import { useEffect, useState } from 'preact/hooks';
import { ApiError, currentUser, loadMe, login, logout, type Role } from './api';
import { lang, setLang, t, type MessageKey } from './i18n';
import { href, route, routeQuery } from './router';
import { QueuePage } from './pages/queue';
import { CallPage } from './pages/call';
import { ResultsPage } from './pages/results';
import { DisputesPage } from './pages/disputes';
import { CalibrationPage } from './pages/calibration';
import { AssignmentPage } from './pages/assignment';
import { UsersPage } from './pages/users';
import { SearchPage } from './pages/search';
import { TrendsPage } from './pages/trends';
import { DataPage } from './pages/data';
import { AuditPage } from './pages/audit';
import { HelpOverlay, helpOpen } from './components/help';

interface NavItem {
  path: string;
  label: MessageKey;
  roles: Role[];
}

const NAV: NavItem[] = [
  { path: 'queue', label: 'navQueue', roles: ['inspector', 'supervisor'] },
  { path: 'results', label: 'navResults', roles: ['agent'] },
  { path: 'disputes', label: 'navDisputes', roles: ['agent', 'supervisor'] },
  { path: 'calibration', label: 'navCalibration', roles: ['inspector', 'supervisor'] },
  { path: 'assignment', label: 'navAssignment', roles: ['supervisor'] },
  { path: 'users', label: 'navUsers', roles: ['admin'] },
  { path: 'search', label: 'navSearch', roles: ['inspector', 'supervisor', 'admin'] },
  { path: 'trends', label: 'navTrends', roles: ['supervisor', 'admin'] },
  { path: 'data', label: 'navData', roles: ['admin'] },
  { path: 'audit', label: 'navAudit', roles: ['admin'] },
];

export function homeFor(role: Role): string {
  return NAV.find((n) => n.roles.includes(role))?.path ?? 'queue';
}

export function App() {
  useEffect(() => {
    void loadMe();
  }, []);
  const user = currentUser.value;
  // Re-render on language change.
  void lang.value;
  if (user === undefined) return <div class="boot" aria-busy="true">{t('loading')}</div>;
  if (user === null) return <LoginPage />;
  const [page, ...rest] = route.value;
  const current = page ?? homeFor(user.role);
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('skipToContent')}
      </a>
      <header class="topbar">
        <span class="brand">{t('appName')}</span>
        <nav aria-label="main">
          {NAV.filter((n) => n.roles.includes(user.role)).map((n) => (
            <a href={href(n.path)} class={current === n.path ? 'active' : ''} aria-current={current === n.path ? 'page' : undefined}>
              {t(n.label)}
            </a>
          ))}
        </nav>
        <span class="spacer" />
        <LangSwitch />
        <button class="ghost" onClick={() => (helpOpen.value = true)} title={t('help')} aria-label={t('help')}>
          ?
        </button>
        <span class="who">
          {user.username} · {t(`role_${user.role}` as MessageKey)}
        </span>
        <button class="ghost" onClick={() => void logout()}>
          {t('logOut')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {current === 'queue' && <QueuePage />}
        {current === 'call' && rest[0] && <CallPage id={rest[0]} key={rest[0]} startAt={startAt(routeQuery.value)} />}
        {current === 'results' && <ResultsPage />}
        {current === 'disputes' && <DisputesPage />}
        {current === 'calibration' && <CalibrationPage />}
        {current === 'assignment' && <AssignmentPage />}
        {current === 'users' && <UsersPage />}
        {current === 'search' && <SearchPage />}
        {current === 'trends' && <TrendsPage />}
        {current === 'data' && user.role === 'admin' && <DataPage />}
        {current === 'audit' && user.role === 'admin' && <AuditPage />}
      </main>
      <HelpOverlay />
    </div>
  );
}

/** `?t=12.5` on a call route: open the call at that moment (search hits link there). */
function startAt(q: URLSearchParams): number | undefined {
  const v = Number(q.get('t'));
  return q.has('t') && Number.isFinite(v) && v >= 0 ? v : undefined;
}

export function LangSwitch() {
  return (
    <label class="lang">
      <span class="sr-only">{t('language')}</span>
      <select value={lang.value} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as 'en' | 'zh')} aria-label={t('language')}>
        <option value="zh">中文</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}

function LoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) setError(t('loginThrottled'));
      else if (err instanceof ApiError && (err.status === 401 || err.status === 400)) setError(t('loginFailed'));
      else setError(`${t('error')}: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="login-wrap">
      <form class="login card" onSubmit={submit} aria-labelledby="login-title">
        <div class="login-head">
          <h1 id="login-title">{t('loginTitle')}</h1>
          <LangSwitch />
        </div>
        <label>
          {t('username')}
          <input name="username" autoComplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} autoFocus />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('logIn')}
        </button>
      </form>
    </div>
  );
}
