import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { toQueue, type QueuePage } from '../api-shapes';
import { baseName, clock, num } from '../format';
import { t, tMaybe } from '../i18n';
import { href } from '../router';

/** A supervisor assigns queue calls to inspectors: chosen calls to one inspector, or the queue evenly (auto). */
export function AssignmentPage() {
  const [queue, setQueue] = useState<QueuePage | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [inspector, setInspector] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api<unknown>('GET', '/review/queue?assigned=unassigned')
      .then((raw) => setQueue(toQueue(raw)))
      .catch((e: Error) => setError(e.message));
  useEffect(() => void load(), []);

  async function assign(body: unknown) {
    setError(null);
    try {
      const r = await api<{ assigned: { callId: string; inspector: string }[]; left: number }>('POST', '/assignments', body);
      const by = new Map<string, number>();
      for (const a of r.assigned) by.set(a.inspector, (by.get(a.inspector) ?? 0) + 1);
      setResult(t('assignedResult', { n: r.assigned.length, who: [...by].map(([k, v]) => `${k} ${v}`).join(', ') || '—', left: r.left }));
      setPicked(new Set());
      await load();
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
          void assign({ callIds: [...picked], inspector: inspector.trim() });
        }}
      >
        <label>
          {t('assignTo')}
          <input value={inspector} onInput={(e) => setInspector(e.currentTarget.value)} required placeholder="insp1" />
        </label>
        <button type="submit" disabled={picked.size === 0}>
          {t('assign')} ({picked.size})
        </button>
      </form>
      {result && (
        <p class="notice-inline" role="status">
          {result}
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
