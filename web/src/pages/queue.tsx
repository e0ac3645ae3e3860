import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { toQueue, type QueueEntry, type QueuePage as QueueData } from '../api-shapes';
import { baseName, clock, dateTime, num } from '../format';
import { t, tMaybe, type MessageKey } from '../i18n';
import { go, href } from '../router';
import { isTyping } from '../components/help';

/**
 * The review queue: risk first, each call with the reasons it is here, the random sample marked as such,
 * filters, and today's quota. The last loaded order is kept so "next call" in the call view follows it.
 */

let lastOrder: string[] = [];

/**
 * The ranked queue (reviewQueue); where the server has no triage yet, the calls this user may review (listCalls),
 * unranked. Dates are whole local days.
 */
/** The filters as listCalls' query (exportCalls takes the same): dates are whole local days. */
function callsQuery(f: Filters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.team) q.set('team', f.team);
  if (f.agent) q.set('agentId', f.agent);
  if (f.program) q.set('pipeline', f.program);
  if (f.from) q.set('since', new Date(`${f.from}T00:00:00`).toISOString());
  if (f.to) q.set('until', new Date(new Date(`${f.to}T00:00:00`).getTime() + 86_400_000).toISOString());
  return q;
}

async function loadQueue(f: Filters): Promise<unknown> {
  const q = callsQuery(f);
  if (f.program) q.set('pipelineId', f.program); // reviewQueue's name for it
  if (f.state && f.state !== 'open') q.set('state', f.state);
  const qs = q.size ? `?${q}` : '';
  try {
    return await api<unknown>('GET', `/review/queue${qs}`);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
    q.set('limit', '200');
    return await api<unknown>('GET', `/calls?${q}`);
  }
}

/** The results export (exportCalls) of the calls the filters show: one row per call, or per call and item. */
export function exportHref(f: Filters, shape: 'calls' | 'items'): string {
  const q = callsQuery(f);
  if (f.state) q.set('state', f.state);
  if (shape === 'items') q.set('shape', 'items');
  return `/api/calls.csv${q.size ? `?${q}` : ''}`;
}

export async function nextCallAfter(id: string): Promise<string | null> {
  if (lastOrder.length === 0) {
    try {
      lastOrder = toQueue(await loadQueue(EMPTY)).entries.filter((e) => e.state !== 'completed').map((e) => e.id);
    } catch {
      return null;
    }
  }
  const i = lastOrder.indexOf(id);
  return lastOrder[i + 1] ?? (i < 0 ? lastOrder[0] ?? null : null);
}

interface Filters {
  team: string;
  agent: string;
  program: string;
  from: string;
  to: string;
  state: string;
}

const EMPTY: Filters = { team: '', agent: '', program: '', from: '', to: '', state: 'open' };

export function QueuePage() {
  const [filters, setFilters] = useState<Filters>(() => ({ ...EMPTY, ...(JSON.parse(sessionStorage.getItem('callqa.queue.filters') ?? '{}') as Partial<Filters>) }));
  const [data, setData] = useState<QueueData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [cursor, setCursor] = useState(0);

  useEffect(() => {
    sessionStorage.setItem('callqa.queue.filters', JSON.stringify(filters));
    let stale = false;
    loadQueue(filters)
      .then((raw) => {
        if (stale) return;
        const d = toQueue(raw);
        if (filters.state === 'open') d.entries = d.entries.filter((e) => e.state !== 'completed');
        setData(d);
        setError(null);
        lastOrder = d.entries.filter((e) => e.state !== 'completed').map((e) => e.id);
        // Warm the media of the top call, so the one the inspector most likely opens next shows its waveform at once.
        for (const e of d.entries.slice(0, 1)) void fetch(`/api/calls/${encodeURIComponent(e.id)}/peaks`, { credentials: 'same-origin' }).catch(() => undefined);
      })
      .catch((e: Error) => !stale && setError(e.message));
    return () => {
      stale = true;
    };
  }, [filters]);

  const entries = data?.entries ?? [];
  // listCalls (no triage on this server): no risk or reasons to show
  const ranked = entries.some((e) => e.risk > 0 || e.reasons.length > 0 || e.random);
  const options = useMemo(() => {
    const uniq = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => !!x))].sort();
    return { teams: uniq(entries.map((e) => e.team)), agents: uniq(entries.map((e) => e.agentId)), programs: uniq(entries.map((e) => e.program)) };
  }, [data]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'ArrowDown' || e.key === 'j') setCursor((c) => Math.min(entries.length - 1, c + 1));
      else if (e.key === 'ArrowUp' || e.key === 'k') setCursor((c) => Math.max(0, c - 1));
      else if (e.key === 'Enter' && entries[cursor]) go('call', entries[cursor].id);
      else if (e.key === 'N' && e.shiftKey && entries[0]) go('call', entries[0].id);
      else return;
      e.preventDefault();
    }
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [entries, cursor]);

  const set = (k: keyof Filters) => (e: Event) => setFilters({ ...filters, [k]: (e.currentTarget as HTMLInputElement).value });

  return (
    <div class="page queue-page">
      <div class="page-head">
        <h1>{t('queueTitle')}</h1>
        {data?.quota && (
          <div class="quota" aria-label={t('quotaToday', { done: data.quota.done, quota: data.quota.quota ?? '' })}>
            <span>{data.quota.quota ? t('quotaToday', { done: data.quota.done, quota: data.quota.quota }) : t('quotaNone', { done: data.quota.done })}</span>
            {data.quota.quota ? (
              <progress max={data.quota.quota} value={Math.min(data.quota.done, data.quota.quota)} aria-hidden="true" />
            ) : null}
          </div>
        )}
      </div>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('filterStatus')}>
        <label>
          {t('filterTeam')}
          <select value={filters.team} onChange={set('team')}>
            <option value="">{t('filterAll')}</option>
            {[...new Set([...options.teams, filters.team].filter(Boolean))].map((x) => (
              <option value={x}>{x}</option>
            ))}
          </select>
        </label>
        <label>
          {t('filterAgent')}
          <input list="agents" value={filters.agent} onChange={set('agent')} size={10} />
          <datalist id="agents">
            {options.agents.map((a) => (
              <option value={a} />
            ))}
          </datalist>
        </label>
        <label>
          {t('filterProgram')}
          <select value={filters.program} onChange={set('program')}>
            <option value="">{t('filterAll')}</option>
            {[...new Set([...options.programs, filters.program].filter(Boolean))].map((x) => (
              <option value={x}>{x}</option>
            ))}
          </select>
        </label>
        <label>
          {t('filterFrom')}
          <input type="date" value={filters.from} onChange={set('from')} />
        </label>
        <label>
          {t('filterTo')}
          <input type="date" value={filters.to} onChange={set('to')} />
        </label>
        <label>
          {t('filterStatus')}
          <select value={filters.state} onChange={set('state')}>
            <option value="open">{t('statusUnreviewed')} + {t('statusInProgress')}</option>
            <option value="unreviewed">{t('statusUnreviewed')}</option>
            <option value="in_progress">{t('statusInProgress')}</option>
            <option value="completed">{t('statusCompleted')}</option>
            <option value="">{t('filterAll')}</option>
          </select>
        </label>
      </form>
      <p class="export-links">
        <a class="button" href={exportHref(filters, 'calls')} download>
          ⤓ {t('exportResults')}
        </a>{' '}
        <a class="button" href={exportHref(filters, 'items')} download>
          ⤓ {t('exportItems')}
        </a>
        <span class="muted small"> {t('exportNote')}</span>
      </p>
      {error && (
        <p class="form-error" role="alert">
          {t('error')}: {error}
        </p>
      )}
      {!data && !error && <p class="empty">{t('loading')}</p>}
      {data && entries.length === 0 && <p class="empty">{t('queueEmpty')}</p>}
      {entries.length > 0 && (
        <table class="grid queue">
          <thead>
            <tr>
              {ranked && (
                <th scope="col" class="num">
                  {t('colRisk')}
                </th>
              )}
              <th scope="col">{t('colCall')}</th>
              {ranked && <th scope="col">{t('colWhy')}</th>}
              <th scope="col">{t('colAgent')}</th>
              <th scope="col">{t('colDate')}</th>
              <th scope="col" class="num">
                {t('colDuration')}
              </th>
              <th scope="col" class="num">
                {t('colDraft')}
              </th>
              <th scope="col">{t('colStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => (
              <QueueRow e={e} active={i === cursor} ranked={ranked} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function QueueRow({ e, active, ranked }: { e: QueueEntry; active: boolean; ranked: boolean }) {
  return (
    <tr class={active ? 'cursor' : ''} onClick={() => go('call', e.id)}>
      {ranked && (
        <td class="num risk">
          <span class={`risk-bar${e.risk >= 100 ? ' high' : e.risk >= 30 ? ' mid' : ''}`} style={{ width: `${Math.min(100, e.risk)}%` }} aria-hidden="true" />
          <span class="risk-num">{num(e.risk, 0)}</span>
        </td>
      )}
      <td class="call-cell">
        <a href={href('call', e.id)} onClick={(ev) => ev.stopPropagation()} title={e.fileName}>
          {baseName(e.fileName)}
        </a>
      </td>
      {ranked && <td class="why">
        {e.random && (
          <span class="chip random" title={t('randomSampleHint')}>
            {t('randomSample')}
          </span>
        )}
        {e.reasons.map((r) => (
          <span class={`chip reason r-${r.code}`} title={r.text}>
            {tMaybe(`why_${r.code}`, r.text)}
          </span>
        ))}
      </td>}
      <td>{e.agentId ?? '—'}</td>
      <td class="nowrap">{dateTime(e.date)}</td>
      <td class="num">{e.durationSec !== null ? clock(e.durationSec) : '—'}</td>
      <td class="num">
        {e.draftTotal !== null ? (
          <span class={e.needsReview ? 'provisional-num' : ''} title={e.needsReview ? t('provisional') : undefined}>
            {num(e.draftTotal)}
            {e.maxTotal !== null ? ` / ${num(e.maxTotal)}` : ''}
            {e.needsReview && !e.openItems ? ' *' : ''}
            {e.needsReview && e.openItems ? <span class="open-items">{t('queueOpenItems', { n: e.openItems })}</span> : null}
          </span>
        ) : e.hiddenReason === 'blind_calibration' ? (
          <span class="muted score-blind" title={t('scoresHiddenBlind')}>
            {t('scoreBlindShort')}
          </span>
        ) : (
          '—'
        )}
      </td>
      <td>
        <span class={`state st-${e.state}`}>{t(STATE_KEY[e.state])}</span>
      </td>
    </tr>
  );
}

const STATE_KEY: Record<QueueEntry['state'], MessageKey> = {
  unreviewed: 'statusUnreviewed',
  in_progress: 'statusInProgress',
  completed: 'statusCompleted',
};
