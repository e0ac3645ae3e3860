import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { toQueue, type Inspector, type QueuePage } from '../api-shapes';
import { baseName, clock, num } from '../format';
import { t, tMaybe } from '../i18n';
import { href } from '../router';

/**
 * A supervisor assigns queue calls to inspectors: chosen calls to one inspector picked from the list of the team's
 * active inspectors (never a typed name, so a typo cannot assign calls to nobody), or the queue evenly (auto).
 */
export function AssignmentPage() {
  const [queue, setQueue] = useState<QueuePage | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [inspectors, setInspectors] = useState<Inspector[] | null>(null);
  const [inspector, setInspector] = useState('');
  // what the last assignment did, said in the UI's language when shown (a language switch changes it too)
  const [result, setResult] = useState<{ n: number; who: string; left: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api<unknown>('GET', '/review/queue?assigned=unassigned')
      .then((raw) => setQueue(toQueue(raw)))
      .catch((e: Error) => setError(e.message));
  const loadInspectors = () =>
    api<{ inspectors: Inspector[] }>('GET', '/inspectors')
      .then((r) => setInspectors(r.inspectors))
      .catch((e: Error) => setError(e.message));
  useEffect(() => {
    void load();
    void loadInspectors();
  }, []);

  async function assign(body: unknown) {
    setError(null);
    try {
      const r = await api<{ assigned: { callId: string; inspector: string }[]; left: number }>('POST', '/assignments', body);
      const by = new Map<string, number>();
      for (const a of r.assigned) by.set(a.inspector, (by.get(a.inspector) ?? 0) + 1);
      setResult({ n: r.assigned.length, who: [...by].map(([k, v]) => `${k} ${v}`).join(', ') || '—', left: r.left });
      setPicked(new Set());
      await Promise.all([load(), loadInspectors()]);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const entries = queue?.entries ?? [];
  return (
    <div class="page">
      <div class="page-head">
        <h1>{t('assignCalls')}</h1>
        <button class="primary" onClick={() => void assign({ auto: {} })}>
          {t('assignEvenly')}
        </button>
      </div>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (inspector) void assign({ callIds: [...picked], inspector });
        }}
      >
        <label>
          {t('assignTo')}
          <select name="inspector" value={inspector} onChange={(e) => setInspector(e.currentTarget.value)} required disabled={!inspectors?.length}>
            <option value="" disabled>
              {inspectors && inspectors.length === 0 ? t('noInspectors') : t('pickInspector')}
            </option>
            {(inspectors ?? []).map((i) => (
              <option value={i.username}>
                {t('inspectorOption', { name: i.username, team: i.team ?? t('noTeam'), open: i.openCalls })}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={picked.size === 0 || !inspector}>
          {t('assign')} ({picked.size})
        </button>
      </form>
      {result && (
        <p class="notice-inline" role="status">
          {t('assignedResult', result)}
        </p>
      )}
      {error && (
        <p class="form-error" role="alert">
          {t('error')}: {error}
        </p>
      )}
      {!queue && !error && <p class="empty">{t('loading')}</p>}
      {queue && entries.length === 0 && <p class="empty">{t('queueEmpty')}</p>}
      {entries.length > 0 && (
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">
                <span class="sr-only">{t('assign')}</span>
              </th>
              <th scope="col" class="num">{t('colRisk')}</th>
              <th scope="col">{t('colCall')}</th>
              <th scope="col">{t('colWhy')}</th>
              <th scope="col">{t('colAgent')}</th>
              <th scope="col" class="num">{t('colDuration')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr>
                <td>
                  <input
                    type="checkbox"
                    aria-label={baseName(e.fileName)}
                    checked={picked.has(e.id)}
                    onChange={(ev) => {
                      const next = new Set(picked);
                      if (ev.currentTarget.checked) next.add(e.id);
                      else next.delete(e.id);
                      setPicked(next);
                    }}
                  />
                </td>
                <td class="num">{num(e.risk, 0)}</td>
                <td>
                  <a href={href('call', e.id)} title={e.fileName}>
                    {baseName(e.fileName)}
                  </a>
                </td>
                <td class="why">
                  {e.random && <span class="chip random">{t('randomSample')}</span>}
                  {e.reasons.map((r) => (
                    <span class={`chip reason r-${r.code}`} title={r.text}>
                      {tMaybe(`why_${r.code}`, r.text)}
                    </span>
                  ))}
                </td>
                <td>{e.agentId ?? '—'}</td>
                <td class="num">{e.durationSec !== null ? clock(e.durationSec) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
