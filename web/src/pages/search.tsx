import { useEffect, useState } from 'preact/hooks';
import { ApiError, currentUser } from '../api';
import { baseName, clock, dateTime } from '../format';
import { lang, t, type MessageKey } from '../i18n';
import { EVENT_TYPE_KEYS } from '../i18n-search';
import { href, hrefWith, routeQuery } from '../router';
import {
  createSavedSearch,
  hitHref,
  listSavedSearches,
  listWatchHits,
  runSearch,
  searchCsvUrl,
  setSavedSearchActive,
  searchParamsFrom,
  searchQueryString,
  snippetParts,
  type SavedSearch,
  type SearchParams,
  type SearchResult,
  type WatchHit,
} from '../search-api';
import './search.css';

/**
 * Transcript search (docs/search.md): the query and filters live in the route (#/search?q=…), so the browser's
 * back button from a hit's call view returns to the same results. Each hit opens the call at its moment.
 */
export function SearchPage() {
  const params = searchParamsFrom(routeQuery.value);
  const [form, setForm] = useState<SearchParams>(params);
  const [result, setResult] = useState<SearchResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = searchQueryString(params);

  // The form follows the route (back/forward, a saved search clicked).
  useEffect(() => setForm(params), [key]);
  useEffect(() => {
    if (!params.q.trim()) {
      setResult(null);
      setError(null);
      return;
    }
    let stale = false;
    setBusy(true);
    runSearch(params)
      .then((r) => {
        if (stale) return;
        setResult(r);
        setError(null);
      })
      .catch((e: Error) => {
        if (stale) return;
        setResult(null);
        // 400 names what is wrong with the query (never transcript text)
        setError(e instanceof ApiError && e.status === 400 ? e.message : `${t('error')}: ${e.message}`);
      })
      .finally(() => !stale && setBusy(false));
    return () => {
      stale = true;
    };
  }, [key]);

  const submit = (e: Event) => {
    e.preventDefault();
    location.hash = hrefWith({ ...form, limit: '' }, 'search');
  };
  const set = (k: keyof SearchParams) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });
  const limit = Number(params.limit) || 50;

  return (
    <div class="page search-page">
      <div class="search-main">
        <h1>{t('searchTitle')}</h1>
        <form class="search-form" onSubmit={submit} role="search">
          <div class="search-row">
            <label class="grow">
              {t('searchQuery')}
              <input name="q" type="search" value={form.q} onInput={set('q')} placeholder="退款 OR refund" aria-describedby="search-hint" autoFocus />
            </label>
            <button type="submit" class="primary" disabled={!form.q.trim() || busy}>
              {t('searchButton')}
            </button>
          </div>
          <p id="search-hint" class="hint">
            {t('searchHint')}
          </p>
          <div class="filters">
            <label>
              {t('searchSpeaker')}
              <select name="speaker" value={form.speaker} onChange={set('speaker')}>
                <option value="">{t('searchAnyone')}</option>
                <option value="agent">{t('agentSide')}</option>
                <option value="customer">{t('customerSide')}</option>
              </select>
            </label>
            <label>
              {t('filterTeam')}
              <input name="team" value={form.team} onInput={set('team')} size={8} />
            </label>
            <label>
              {t('filterAgent')}
              <input name="agentId" value={form.agentId} onInput={set('agentId')} size={8} />
            </label>
            <label>
              {t('filterFrom')}
              <input name="from" type="date" value={form.from} onInput={set('from')} />
            </label>
            <label>
              {t('filterTo')}
              <input name="to" type="date" value={form.to} onInput={set('to')} />
            </label>
            <label>
              {t('searchEvent')}
              <select name="event" value={form.event} onChange={set('event')}>
                <option value="">{t('searchAnyEvent')}</option>
                {EVENT_TYPE_KEYS.map((k) => (
                  <option value={k}>{t(`evt_${k}` as MessageKey)}</option>
                ))}
              </select>
            </label>
            <button type="button" class="ghost" onClick={() => (location.hash = href('search'))}>
              {t('searchClear')}
            </button>
          </div>
        </form>

        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        {!params.q && <p class="empty">{t('searchEmpty')}</p>}
        {params.q && !result && !error && <p class="empty">{t('loading')}</p>}
        {result && (
          <>
            <div class="result-head" aria-live="polite">
              <strong>{result.more ? t('searchHitsMore', { n: result.hits.length }) : result.hits.length === 1 ? t('searchHit1') : t('searchHits', { n: result.hits.length })}</strong>
              <span class="spacer" />
              {result.hits.length > 0 && (
                <a class="button" href={searchCsvUrl(params)} download="callqa-search.csv">
                  ⤓ {t('exportCsv')}
                </a>
              )}
            </div>
            {result.hits.length === 0 ? (
              <>
                <p class="empty">{t('searchNone')}</p>
                {result.hint && <p class="hint ops-hint">{t('searchOpsHint')}</p>}
              </>
            ) : (
              <ol class="hits" aria-label={t('searchHits', { n: result.hits.length })}>
                {result.hits.map((h) => (
                  <li class="hit">
                    <a class="hit-link" href={hitHref(h)} title={t('openAtMoment', { time: clock(h.start) })}>
                      <span class="hit-file" title={h.file}>
                        {baseName(h.file)}
                      </span>
                      <span class="hit-time">▶ {clock(h.start)}</span>
                    </a>
                    <span class="hit-meta">
                      <span class={`who ${h.speaker}`}>{h.speaker === 'agent' ? t('agentSide') : h.speaker === 'customer' ? t('customerSide') : h.speaker}</span>
                      {h.agentId && <span>{t('colAgent')} {h.agentId}</span>}
                      {h.team && <span>{t('team')} {h.team}</span>}
                      <span>{dayOrTime(h.callDate)}</span>
                    </span>
                    <p class="snippet">
                      {snippetParts(h.snippet, h.highlights).map((p) => (p.hit ? <mark>{p.text}</mark> : p.text))}
                    </p>
                  </li>
                ))}
              </ol>
            )}
            {result.more && limit < 1000 && (
              <button onClick={() => (location.hash = hrefWith({ ...params, limit: String(Math.min(1000, limit + 50)) }, 'search'))}>{t('searchMore')}</button>
            )}
          </>
        )}
      </div>
      <WatchList current={params} />
    </div>
  );
}

/** A call date without a time of day ("2026-11-27") is shown as a day, not as midnight. */
function dayOrTime(d: string | null): string {
  if (d && /^\d{4}-\d{2}-\d{2}$/.test(d)) return new Date(`${d}T00:00:00`).toLocaleDateString(lang.value === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium' });
  return dateTime(d);
}

/** The compliance watch list: saved searches, saving the current one (supervisors, admins), recent hits. */
function WatchList({ current }: { current: SearchParams }) {
  const [saved, setSaved] = useState<SavedSearch[] | null>(null);
  const [hits, setHits] = useState<WatchHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const canSave = currentUser.value?.role === 'supervisor' || currentUser.value?.role === 'admin';

  const load = () => {
    listSavedSearches()
      .then((r) => setSaved(r.savedSearches))
      .catch((e: Error) => setError(e.message));
    listWatchHits(20)
      .then((r) => setHits(r.hits))
      .catch((e: Error) => setError(e.message));
  };
  useEffect(load, []);

  async function toggle(s: SavedSearch) {
    setError(null);
    setNotice(null);
    try {
      const r = await setSavedSearchActive(s.id, !s.active);
      // a search whose query is refused is not run when resumed: say that, not "resumed, 0 lines"
      if (r.savedSearch.active && r.savedSearch.problem) setError(t('watchNotRunWhy', { why: r.savedSearch.problem }));
      else setNotice(r.savedSearch.active ? t('watchResumed', { name: s.name, n: r.hits }) : t('watchPaused', { name: s.name }));
      load();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function save(e: Event) {
    e.preventDefault();
    setError(null);
    setNotice(null);
    try {
      const r = await createSavedSearch({ name: name.trim(), query: current.q, speaker: current.speaker || undefined, team: current.team || undefined });
      setNotice(t('watchSaved', { n: r.hits }));
      setName('');
      load();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <aside class="watch card" aria-labelledby="watch-title">
      <h2 id="watch-title">{t('watchList')}</h2>
      <p class="muted small">{t('watchListNote')}</p>
      {canSave && current.q && (
        <form class="watch-save" onSubmit={save}>
          <label>
            {t('watchSave')}
            <span class="search-row">
              <input name="watchName" value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder={t('watchName')} aria-label={t('watchName')} required maxLength={100} />
              <button type="submit" disabled={!name.trim()}>
                {t('save')}
              </button>
            </span>
          </label>
        </form>
      )}
      {notice && <p class="notice-inline">{notice}</p>}
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {saved && saved.length === 0 && <p class="empty">{t('watchNone')}</p>}
      {saved && saved.length > 0 && (
        <ul class="saved">
          {saved.map((s) => (
            <li class={s.active ? '' : 'inactive'}>
              <a href={hrefWith({ q: s.query, speaker: s.filters.speaker, team: s.filters.team }, 'search')}>
                <strong>{s.name}</strong>
              </a>{' '}
              {!s.active && <span class="tag">{t('watchInactive')}</span>}
              {s.problem && (
                <span class="tag warn" title={s.problem}>
                  {t('watchNotRun')}
                </span>
              )}
              {canSave && (
                <button type="button" class="link watch-toggle" onClick={() => toggle(s)} aria-label={`${s.active ? t('watchPause') : t('watchResume')}: ${s.name}`}>
                  {s.active ? t('watchPause') : t('watchResume')}
                </button>
              )}
              <div class="q">
                <code>{s.query}</code>
                {s.problem && <div class="problem">{t('watchNotRunWhy', { why: s.problem })}</div>}
                {s.filters.speaker && <span> · {s.filters.speaker === 'agent' ? t('agentSide') : t('customerSide')}</span>}
                {s.filters.team && <span> · {s.filters.team}</span>}
              </div>
            </li>
          ))}
        </ul>
      )}
      <h3>{t('watchHits')}</h3>
      {hits && hits.length === 0 && <p class="empty">{t('watchNoHits')}</p>}
      {hits && hits.length > 0 && (
        <ul class="watch-hits">
          {hits.map((h) => (
            <li>
              <a href={hrefWith({ t: Math.floor(h.start * 10) / 10 }, 'call', h.callId)} title={h.file}>
                {baseName(h.file)} ▶ {clock(h.start)}
              </a>
              <div class="muted small">
                {h.savedSearch} · {h.speaker === 'agent' ? t('agentSide') : h.speaker === 'customer' ? t('customerSide') : h.speaker} · {dateTime(h.at)}
              </div>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
