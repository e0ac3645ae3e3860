import { useEffect, useState } from 'preact/hooks';
import { api, currentUser, type Role } from '../api';
import { dateTime } from '../format';
import { t, type MessageKey } from '../i18n';

interface UserRow {
  id: string;
  username: string;
  role: Role;
  agentId: string | null;
  team: string | null;
  disabled: boolean;
  createdAt: string | null;
}

const ROLES: Role[] = ['agent', 'inspector', 'supervisor', 'admin'];

interface TokenRow {
  id: string;
  label: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

/** Admin: who can log in, with which role and team; add a user, disable or enable one. */
export function UsersPage() {
  const [users, setUsers] = useState<UserRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [tokensOf, setTokensOf] = useState<UserRow | null>(null);
  const load = () =>
    api<{ users: UserRow[] }>('GET', '/users')
      .then((r) => setUsers(r.users))
      .catch((e: Error) => setError(e.message));
  useEffect(() => void load(), []);
  async function toggle(u: UserRow) {
    try {
      await api('PATCH', `/users/${encodeURIComponent(u.id)}`, { disabled: !u.disabled });
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <div class="page">
      <div class="page-head">
        <h1>{t('users')}</h1>
        {!adding && (
          <button class="primary" onClick={() => setAdding(true)}>
            {t('addUser')}
          </button>
        )}
      </div>
      {adding && (
        <AddUser
          onDone={() => {
            setAdding(false);
            void load();
          }}
        />
      )}
      {error && (
        <p class="form-error" role="alert">
          {t('error')}: {error}
        </p>
      )}
      {!users && !error && <p class="empty">{t('loading')}</p>}
      {users && (
        <table class="grid users">
          <thead>
            <tr>
              <th scope="col">{t('username')}</th>
              <th scope="col">{t('role')}</th>
              <th scope="col">{t('team')}</th>
              <th scope="col">{t('agentId')}</th>
              <th scope="col">{t('colStatus')}</th>
              <th scope="col">{t('colDate')}</th>
              <th scope="col">
                <span class="sr-only">{t('colStatus')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr>
                <td>{u.username}</td>
                <td>{t(`role_${u.role}` as MessageKey)}</td>
                <td>{u.team ?? '—'}</td>
                <td>{u.agentId ?? '—'}</td>
                <td>{u.disabled ? <span class="state st-disabled">{t('disabled')}</span> : t('active')}</td>
                <td>{dateTime(u.createdAt)}</td>
                <td class="actions">
                  <button type="button" class="tokens-open" onClick={() => setTokensOf(u)} aria-label={t('apiTokensOf', { name: u.username })}>
                    {t('apiTokens')}
                  </button>{' '}
                  {/* no locking yourself out from here */}
                  {u.id !== currentUser.value?.id && <button onClick={() => void toggle(u)}>{u.disabled ? t('enable') : t('disable')}</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {tokensOf && <Tokens user={tokensOf} onClose={() => setTokensOf(null)} />}
    </div>
  );
}

/** Admin: one user's API tokens (never the token itself, except once when made), create one, revoke one. */
function Tokens({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const [tokens, setTokens] = useState<TokenRow[] | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [label, setLabel] = useState('');
  const [days, setDays] = useState('');
  const [made, setMade] = useState<string | null>(null);
  const load = () =>
    api<{ tokens: TokenRow[] }>('GET', `/users/${encodeURIComponent(user.id)}/tokens`)
      .then((r) => setTokens(r.tokens))
      .catch((e: Error) => setErr(e.message));
  useEffect(() => {
    setMade(null);
    setTokens(null);
    void load();
  }, [user.id]);
  async function create(e: Event) {
    e.preventDefault();
    setErr(null);
    try {
      const n = Number(days);
      const r = await api<{ token: string }>('POST', `/users/${encodeURIComponent(user.id)}/tokens`, { label: label.trim(), ...(days.trim() ? { expiresDays: n } : {}) });
      setMade(r.token);
      setLabel('');
      setDays('');
      await load();
    } catch (x) {
      setErr((x as Error).message);
    }
  }
  async function revoke(tk: TokenRow) {
    setErr(null);
    try {
      await api('DELETE', `/tokens/${encodeURIComponent(tk.id)}`);
      await load();
    } catch (x) {
      setErr((x as Error).message);
    }
  }
  return (
    <section class="card tokens" aria-labelledby="tokens-title">
      <div class="page-head">
        <h2 id="tokens-title">{t('apiTokensOf', { name: user.username })}</h2>
        <button type="button" onClick={onClose}>
          {t('close')}
        </button>
      </div>
      <p class="muted small">{t('apiTokensNote')}</p>
      {made && (
        <div class="notice-inline new-token" role="status">
          {t('tokenCreated')}
          <code>{made}</code>
        </div>
      )}
      {err && (
        <p class="form-error" role="alert">
          {err}
        </p>
      )}
      {tokens && tokens.length === 0 && <p class="empty">{t('noTokens')}</p>}
      {tokens && tokens.length > 0 && (
        <table class="grid token-list">
          <thead>
            <tr>
              <th scope="col">{t('tokenLabel')}</th>
              <th scope="col">{t('colDate')}</th>
              <th scope="col">{t('tokenExpires')}</th>
              <th scope="col">{t('colStatus')}</th>
              <th scope="col">
                <span class="sr-only">{t('revoke')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((tk) => (
              <tr class={tk.status === 'active' ? '' : 'inactive'}>
                <td title={tk.id}>{tk.label}</td>
                <td>{dateTime(tk.createdAt)}</td>
                <td>{tk.expiresAt ? dateTime(tk.expiresAt) : t('never')}</td>
                <td>{t(`st_${tk.status}` as MessageKey)}</td>
                <td>
                  {tk.status === 'active' && (
                    <button type="button" class="revoke" onClick={() => void revoke(tk)} aria-label={`${t('revoke')}: ${tk.label}`}>
                      {t('revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!user.disabled && (
        <form class="filters new-token-form" onSubmit={create}>
          <label>
            {t('tokenLabel')}
            <input name="tokenLabel" value={label} onInput={(e) => setLabel(e.currentTarget.value)} required maxLength={200} />
          </label>
          <label>
            {t('tokenDays')}
            <input name="tokenDays" type="number" min={1} max={3650} value={days} onInput={(e) => setDays(e.currentTarget.value)} size={6} />
          </label>
          <button type="submit" class="primary" disabled={!label.trim()}>
            {t('newToken')}
          </button>
        </form>
      )}
    </section>
  );
}

function AddUser({ onDone }: { onDone: () => void }) {
  const [f, setF] = useState({ username: '', role: 'inspector' as Role, team: '', agentId: '', password: '' });
  const [err, setErr] = useState<string | null>(null);
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  async function submit(e: Event) {
    e.preventDefault();
    try {
      await api('POST', '/users', {
        username: f.username.trim(),
        role: f.role,
        password: f.password,
        ...(f.team.trim() ? { team: f.team.trim() } : {}),
        ...(f.agentId.trim() ? { agentId: f.agentId.trim() } : {}),
      });
      onDone();
    } catch (x) {
      setErr((x as Error).message);
    }
  }
  return (
    <form class="card filters add-user" onSubmit={submit}>
      <label>
        {t('username')}
        <input value={f.username} onInput={set('username')} required autoComplete="off" />
      </label>
      <label>
        {t('role')}
        <select value={f.role} onChange={set('role')}>
          {ROLES.map((r) => (
            <option value={r}>{t(`role_${r}` as MessageKey)}</option>
          ))}
        </select>
      </label>
      <label>
        {t('team')}
        <input value={f.team} onInput={set('team')} size={10} />
      </label>
      <label>
        {t('agentId')}
        <input value={f.agentId} onInput={set('agentId')} size={10} />
      </label>
      <label>
        {t('initialPassword')}
        <input type="password" value={f.password} onInput={set('password')} required autoComplete="new-password" />
      </label>
      <button type="submit" class="primary">
        {t('save')}
      </button>
      {err && (
        <p class="form-error" role="alert">
          {err}
        </p>
      )}
    </form>
  );
}
