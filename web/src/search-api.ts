import type { QaFigures } from '../../src/trends/qa-figures';
import type { TrendsResult } from '../../src/trends/result';
import type { SearchHit, SearchResult, WatchHit } from '../../src/search/hits';
import { csvText } from '../../src/core/csv';
import { api } from './api';

/**
 * The search, trends and watch-list answers (docs/search.md; operations searchTranscripts, exportSearch, trends,
 * qaFigures, listSavedSearches, createSavedSearch, listWatchHits), typed as the pages use them.
 */

export type { SearchHit, SearchResult, WatchHit };

/** The search form: the names are the API's query parameters, so the page's route and the API agree. */
export interface SearchParams {
  q: string;
  speaker: string;
  team: string;
  agentId: string;
  from: string;
  to: string;
  event: string;
  limit: string;
}

export const SEARCH_FIELDS: (keyof SearchParams)[] = ['q', 'speaker', 'team', 'agentId', 'from', 'to', 'event', 'limit'];

export function searchParamsFrom(q: URLSearchParams): SearchParams {
  const p = Object.fromEntries(SEARCH_FIELDS.map((k) => [k, q.get(k) ?? ''])) as unknown as SearchParams;
  return p;
}

/** Only the fields that are set, in a stable order. */
export function searchQueryString(p: SearchParams): string {
  const q = new URLSearchParams();
  for (const k of SEARCH_FIELDS) if (p[k]) q.set(k, p[k]);
  return q.toString();
}

export const runSearch = (p: SearchParams) => api<SearchResult>('GET', `/search?${searchQueryString(p)}`);
/** The same search as CSV (the browser downloads it with the session cookie). */
export const searchCsvUrl = (p: SearchParams) => `/api/search.csv?${searchQueryString({ ...p, limit: '1000' })}`;

/** The hash route of a hit: the server's link without the leading "/". */
export function hitHref(h: SearchHit): string {
  const i = h.link.indexOf('#');
  return i >= 0 ? h.link.slice(i) : `#/call/${encodeURIComponent(h.callId)}?t=${Math.floor(h.start * 10) / 10}`;
}

/** The snippet cut into plain and highlighted pieces (highlights are offsets into the snippet). */
export function snippetParts(snippet: string, highlights: { start: number; end: number }[]): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (const h of [...highlights].sort((a, b) => a.start - b.start)) {
    const s = Math.max(at, Math.min(h.start, snippet.length));
    const e = Math.max(s, Math.min(h.end, snippet.length));
    if (s > at) parts.push({ text: snippet.slice(at, s), hit: false });
    if (e > s) parts.push({ text: snippet.slice(s, e), hit: true });
    at = e;
  }
  if (at < snippet.length) parts.push({ text: snippet.slice(at), hit: false });
  return parts;
}

export interface SavedSearch {
  id: string;
  name: string;
  query: string;
  filters: { speaker?: string; team?: string; pipelineId?: string };
  active: boolean;
  createdBy: string;
  createdAt: string;
  /** why the query is not run (the search language refuses it); null or absent: it is run */
  problem?: string | null;
}

export const listSavedSearches = () => api<{ savedSearches: SavedSearch[] }>('GET', '/watchlist');
export const listWatchHits = (limit = 30) => api<{ hits: WatchHit[] }>('GET', `/watchlist/hits?limit=${limit}`);
export const createSavedSearch = (b: { name: string; query: string; speaker?: string; team?: string }) =>
  api<{ savedSearch: SavedSearch; hits: number }>('POST', '/watchlist', b);
/** Pause or resume a saved search; resuming catches up on the calls analysed meanwhile (`hits` new findings). */
export const setSavedSearchActive = (id: string, active: boolean) =>
  api<{ savedSearch: SavedSearch; hits: number }>('PATCH', `/watchlist/${encodeURIComponent(id)}`, { active });

/** The trends answer and one of its series: the server's own types (src/trends/result.ts). */
export type Trends = TrendsResult;
export type TrendSeries = TrendsResult['series'][number];

/** One row of the QA figures: the server's own type (src/trends/qa-figures.ts). */
export type QaFigure = QaFigures;

export interface TrendParams {
  by: 'day' | 'week' | 'month';
  periods: number;
  team: string;
  agentId: string;
}

function trendQuery(p: TrendParams): URLSearchParams {
  const q = new URLSearchParams({ by: p.by, periods: String(p.periods) });
  if (p.team) q.set('team', p.team);
  if (p.agentId) q.set('agentId', p.agentId);
  return q;
}

export const loadTrends = (p: TrendParams) => api<Trends>('GET', `/trends?${trendQuery(p)}`);
export function loadFigures(p: TrendParams, from: string | undefined) {
  const q = trendQuery(p);
  q.delete('periods');
  q.set('group', 'team');
  if (from) q.set('from', from);
  return api<{ passScorePct: number; figures: QaFigure[] }>('GET', `/figures?${q}`);
}

/** CSV of the series: one row per series and period, with the count and both rates (RFC 4180 quoting). */
export function seriesCsv(tr: Trends): string {
  const rows: unknown[][] = [['key', 'label', 'period', 'calls', 'count', 'per100Calls', 'perTalkHour', 'change']];
  const calls = new Map(tr.volume.map((v) => [v.period, v.calls]));
  for (const s of tr.series) for (const p of s.points) rows.push([s.key, s.label, p.period, calls.get(p.period) ?? 0, p.count, p.per100Calls, p.perTalkHour, p.change]);
  return csvText(rows); // the server's CSV rules: RFC 4180 quoting, no cell ever runs as a formula
}
