/**
 * Phrase and event trends: the use case the CLI (`callqa trends`) and the API share. Counts come from the store;
 * the arithmetic (rollup, keyness) is pure in src/trends.
 */
import { normaliseText } from '../core/normalise.js';
import type { StoreDb } from '../store/db.js';
import type { CallFilters } from '../store/call-filter-sql.js';
import { TrendsRepo } from '../store/trends-repo.js';
import { DEFAULT_EMERGING, emergingPhrases, ngrams } from '../trends/keyness.js';
import type { TrendsResult } from '../trends/result.js';
import { periodsBetween, periodStart, rollup, type Granularity, type Series } from '../trends/rollup.js';
import { qaFigures, type QaFigures } from '../trends/qa-figures.js';

export interface TrendsQuery extends CallFilters {
  by: Granularity;
  /** how many periods to show, ending with the one holding `to` (default 8) */
  periods?: number;
  /** phrases never reported as emerging (the company's own scripts); lexicon phrases are always excluded */
  exclude?: readonly string[];
}

export type { TrendsResult } from '../trends/result.js';

/** Every phrase the lexicons hold, normalised: what the company already tracks is never "emerging". */
export function lexiconPhrases(phrases: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const p of phrases) for (const g of ngrams(normaliseText(p))) out.add(g);
  return out;
}

/** What trends need from the lexicons: the phrases already tracked, and a readable label per entry id. */
export interface TrendsLexicon {
  known: ReadonlySet<string>;
  /** entry id -> its first phrase ("zh.banned.bu-qing-chu" -> "不清楚") */
  labels: ReadonlyMap<string, string>;
}

export function trendsLexicon(entries: ReadonlyArray<{ id: string; phrases: readonly string[] }>): TrendsLexicon {
  const labels = new Map<string, string>();
  for (const e of entries) if (e.phrases[0] && !labels.has(e.id)) labels.set(e.id, e.phrases[0]);
  return { known: lexiconPhrases(entries.flatMap((e) => e.phrases)), labels };
}

let defaultLexicon: Promise<TrendsLexicon> | null = null;
/** The default lexicons folder's (CALLQA_LEXICONS_DIR or lexicons/), loaded once per process. */
export function defaultTrendsLexicon(): Promise<TrendsLexicon> {
  defaultLexicon ??= (async () => {
    const { loadLexicons } = await import('../lexicon/loader.js');
    const { defaultLexiconsDir } = await import('../pipeline/loader.js');
    return trendsLexicon(loadLexicons(defaultLexiconsDir()).entries);
  })();
  return defaultLexicon;
}

export async function trends(db: StoreDb, q: TrendsQuery, lexicon: TrendsLexicon = { known: new Set(), labels: new Map() }): Promise<TrendsResult> {
  const knownPhrases = lexicon.known;
  const repo = new TrendsRepo(db);
  const count = Math.max(2, Math.min(q.periods ?? 8, 366));
  const last = q.to ?? (await repo.lastCallDate(q)) ?? new Date().toISOString().slice(0, 10);
  const end = periodStart(last, q.by);
  // the start of the first period shown: step back count-1 periods
  const all = periodsBetween(shift(end, q.by, -(count - 1)), end, q.by);
  const from = q.from && q.from > all[0]! ? q.from : all[0]!;
  const filters: CallFilters = { ...q, from, to: last };
  const [volume, keyCounts] = await Promise.all([repo.volume(filters, q.by), repo.keyCounts(filters, q.by)]);
  const periods = all.filter((p) => p >= periodStart(from, q.by));
  const series = rollup(periods, volume, keyCounts).map((s) => ({
    ...s,
    rate: s.points.map((p) => p.per100Calls),
    label: s.key.startsWith('lexicon:') ? (lexicon.labels.get(s.key.slice('lexicon:'.length)) ?? null) : null,
  }));

  // emerging: customer utterances of the last period against the earlier periods shown
  const lastStart = periods[periods.length - 1]!;
  const dayBefore = shift(lastStart, 'day', -1);
  const now = await repo.customerUtterances(filters, lastStart, last, 50_000);
  const before = periods.length > 1 ? await repo.customerUtterances(filters, periods[0]!, dayBefore, 200_000) : [];
  const exclude = new Set<string>([...knownPhrases]);
  for (const p of q.exclude ?? []) for (const g of ngrams(p)) exclude.add(g);
  const emerging = before.length ? emergingPhrases(now, before, { ...DEFAULT_EMERGING, exclude }) : [];
  const vol = new Map(volume.map((v) => [v.period, v]));
  return {
    by: q.by,
    periods,
    volume: periods.map((p) => ({ period: p, calls: vol.get(p)?.calls ?? 0, talkHours: Math.round(((vol.get(p)?.talkSec ?? 0) / 3600) * 100) / 100 })),
    series,
    emerging,
  };
}

function shift(date: string, by: Granularity, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (by === 'day') d.setUTCDate(d.getUTCDate() + n);
  else if (by === 'week') d.setUTCDate(d.getUTCDate() + 7 * n);
  else d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
}


export interface QaFiguresQuery extends CallFilters {
  by: Granularity;
  groupBy: 'agent' | 'team' | 'all';
  /** pass mark as a share of the maximum (default 0.8) */
  passShare?: number;
  repeatWindowDays?: number;
}

/** The QA programme's own figures (src/trends/qa-figures.ts) over the stored analyses and completed reviews. */
export async function qaFiguresOf(db: StoreDb, q: QaFiguresQuery): Promise<QaFigures[]> {
  const rows = await new TrendsRepo(db).qaRows(q);
  return qaFigures(rows, { by: q.by, groupBy: q.groupBy, passShare: q.passShare ?? 0.8, repeatWindowDays: q.repeatWindowDays ?? 7 });
}
