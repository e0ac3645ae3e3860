import { useEffect, useState } from 'preact/hooks';
import { api, type Role } from '../api';
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

/** Admin: who can log in, with which role and team. */
export function UsersPage() {
  const [users, setUsers] = useState<UserRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<unknown>('GET', '/users')
      .then((raw) => {
        const list = (Array.isArray(raw) ? raw : ((raw as { users?: unknown[] }).users ?? [])) as UserRow[];
        setUsers(list);
      })
      .catch((e: Error) => setError(e.message));
  }, []);
  return (
    <div class="page">
      <h1>{t('users')}</h1>
      {error && <p class="form-error" role="alert">{t('error')}: {error}</p>}
      {!users && !error && <p class="empty">{t('loading')}</p>}
      {users && (
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">{t('username')}</th>
              <th scope="col">{t('role')}</th>
              <th scope="col">{t('team')}</th>
              <th scope="col">{t('agentId')}</th>
              <th scope="col">{t('colStatus')}</th>
              <th scope="col">{t('colDate')}</th>
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
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
