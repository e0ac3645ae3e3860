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

/** Admin: who can log in, with which role and team; add a user, disable or enable one. */
export function UsersPage() {
  const [users, setUsers] = useState<UserRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
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
                <td>
                  {/* no locking yourself out from here */}
                  {u.id !== currentUser.value?.id && <button onClick={() => void toggle(u)}>{u.disabled ? t('enable') : t('disable')}</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
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
