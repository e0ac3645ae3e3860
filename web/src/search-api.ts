import { api } from './api';

/**
 * The search, trends and watch-list answers (docs/search.md; operations searchTranscripts, exportSearch, trends,
 * qaFigures, listSavedSearches, createSavedSearch, listWatchHits), typed as the pages use them.
 */

export interface SearchHit {
  callId: string;
  runId: string;
  file: string;
  agentId: string | null;
  team: string | null;
  program: string;
  callDate: string | null;
  speaker: string;
  idx?: number;
  start: number;
  end: number;
  snippet: string;
  highlights: { start: number; end: number }[];
  /** the call view at that moment: "/#/call/ID?t=12.5" */
  link: string;
  rank: number;
}

export interface SearchResult {
  query: string;
  hits: SearchHit[];
  more: boolean;
}

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
}

export interface WatchHit {
  savedSearch: string;
  callId: string;
  runId: string;
  file: string;
  speaker: string;
  start: number;
  end: number;
  at: string;
}

export const listSavedSearches = () => api<{ savedSearches: SavedSearch[] }>('GET', '/watchlist');
export const listWatchHits = (limit = 30) => api<{ hits: WatchHit[] }>('GET', `/watchlist/hits?limit=${limit}`);
export const createSavedSearch = (b: { name: string; query: string; speaker?: string; team?: string }) =>
  api<{ savedSearch: SavedSearch; hits: number }>('POST', '/watchlist', b);
/** Pause or resume a saved search; resuming catches up on the calls analysed meanwhile (`hits` new findings). */
export const setSavedSearchActive = (id: string, active: boolean) =>
  api<{ savedSearch: SavedSearch; hits: number }>('PATCH', `/watchlist/${encodeURIComponent(id)}`, { active });

export interface TrendSeries {
  key: string;
  /** a lexicon entry's first phrase; null for event series */
  label: string | null;
  total: number;
  counts: number[];
  rate: (number | null)[];
  points: { period: string; count: number; per100Calls: number | null; perTalkHour: number | null; change: number | null; changeRatio: number | null }[];
}

export interface Trends {
  by: 'day' | 'week' | 'month';
  periods: string[];
  volume: { period: string; calls: number; talkHours: number }[];
  series: TrendSeries[];
  emerging: { phrase: string; countNow: number; countBefore: number; score: number; logRatio: number; exampleCallIds: string[] }[];
}

export interface QaFigure {
  key: string;
  period: string;
  calls: number;
  reviewed: number;
  passRate: number | null;
  avgFinal: number | null;
  finalBands: number[];
  fatalRate: number | null;
  avgHandlingSec: number | null;
  talkShare: number | null;
  silenceShare: number | null;
  holdShare: number | null;
  repeatContactRate: number | null;
}

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
  // the server's CSV rules (src/core/csv.ts): RFC 4180 quoting, and a leading = + - @ never runs as a formula
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    const safe = /^[=+\-@]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
    return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  const rows: unknown[][] = [['key', 'label', 'period', 'calls', 'count', 'per100Calls', 'perTalkHour', 'change']];
  const calls = new Map(tr.volume.map((v) => [v.period, v.calls]));
  for (const s of tr.series) for (const p of s.points) rows.push([s.key, s.label, p.period, calls.get(p.period) ?? 0, p.count, p.per100Calls, p.perTalkHour, p.change]);
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
