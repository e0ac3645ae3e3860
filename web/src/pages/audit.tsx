import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { dateTime } from '../format';
import { t } from '../i18n';
import { href, routeQuery } from '../router';
import { ErrorLine, FilterBar, TableHead, TextFilter, useRouteForm } from '../components/filters';

/** One entry of `listAuditLog` (GET /api/audit, admins). */
interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: { type: string; id: string };
  callId: string | null;
  details: Record<string, unknown>;
}

const short = (v: unknown): string => {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v.length > 120 ? `${v.slice(0, 120)}…` : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 160)}…` : s;
};

/**
 * What an entry changed, one field a line: `{from, to}` pairs (user changes) as "from → to", the decision or
 * assignee an entry replaced (`previous`) marked as what it was before.
 */
function Details({ d }: { d: Record<string, unknown> }) {
  const rows = Object.entries(d).filter(([, v]) => v !== null && v !== undefined && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0));
  return (
    <ul class="audit-details">
      {rows.map(([k, v]) => {
        if (k === 'changed' && v && typeof v === 'object') {
          return Object.entries(v as Record<string, { from: unknown; to: unknown }>).map(([f, c]) => (
            <li>
              <span class="k">{f}</span> {short(c?.from)} → {short(c?.to)}
            </li>
          ));
        }
        if (k === 'previous') {
          return (
            <li class="before">
              <span class="k">{t('auditBefore')}</span> {typeof v === 'object' ? Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== null).map(([a, x]) => `${a}: ${short(x)}`).join(' · ') : short(v)}
            </li>
          );
        }
        return (
          <li>
            <span class="k">{k}</span> {short(v)}
          </li>
        );
      })}
    </ul>
  );
}

/** The audit log for admins: filter by user, action and call; newest first. */
export function AuditPage() {
  const q = routeQuery.value;
  const filter = { user: q.get('user') ?? '', action: q.get('action') ?? '', callId: q.get('callId') ?? '' };
  const { form, field, apply } = useRouteForm(filter, 'audit');
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(filter);
  useEffect(() => {
    setEntries(null);
    setError(null);
    const p = new URLSearchParams({ limit: '200' });
    for (const [k, v] of Object.entries(filter)) if (v.trim()) p.set(k, v.trim());
    api<{ entries: AuditEntry[] }>('GET', `/audit?${p}`)
      .then((r) => setEntries(r.entries))
      .catch((e: Error) => setError(e.message));
  }, [key]);
  return (
    <div class="page">
      <h1>{t('auditTitle')}</h1>
      <p class="muted">{t('auditIntro')}</p>
      <FilterBar class="filters audit-filters" submit={t('auditShow')} onSubmit={() => apply()}>
        <TextFilter label={t('auditUser')} name="user" value={form.user} onInput={field('user')} size={12} />
        <TextFilter label={t('auditAction')} name="action" value={form.action} onInput={field('action')} size={18} placeholder="review.decide" />
        <TextFilter label={t('auditCall')} name="callId" value={form.callId} onInput={field('callId')} size={36} />
      </FilterBar>
      <ErrorLine error={error} />
      {!entries && !error && <p class="empty">{t('loading')}</p>}
      {entries && entries.length === 0 && <p class="empty">{t('auditNone')}</p>}
      {entries && entries.length > 0 && (
        <table class="grid audit">
          <TableHead columns={[t('auditWhen'), t('auditUser'), t('auditAction'), t('auditTarget'), t('auditDetails')]} />
          <tbody>
            {entries.map((e) => (
              <tr>
                <td class="nowrap" title={e.at}>
                  {dateTime(e.at)}
                </td>
                <td>{e.actor}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td class="nowrap">
                  {e.callId ? (
                    <a href={href('call', e.callId)} title={e.callId}>
                      {t('colCall')} {e.callId.slice(0, 8)}
                    </a>
                  ) : (
                    <span title={e.target.id}>
                      {e.target.type} {e.target.id.slice(0, 8)}
                    </span>
                  )}
                </td>
                <td>
                  <Details d={e.details} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
