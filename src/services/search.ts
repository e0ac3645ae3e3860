/**
 * Transcript search: the use case the CLI (`callqa search`) and the API share. Parses and compiles the query
 * (src/search), brings the index up to date, runs it through the store, and shapes hits with highlighted
 * snippets and a link to the moment in the call view.
 */
import { csvText } from '../core/csv.js';
import { highlight, snippet } from '../search/highlight.js';
import type { SearchHit, SearchResult as ApiSearchResult } from '../search/hits.js';
import { compileQuery, lowercaseOperatorHint, parseQuery, queryPhrases } from '../search/query.js';
import { maskPii, programCompanyNumbers } from './privacy.js';
import type { StoreDb } from '../store/db.js';
import { SearchRepo, type SearchFilters, type SearchRow } from '../store/search-repo.js';
import { maskSegmentTexts } from '../privacy/transcript.js';

export { QueryError } from '../search/query.js';
export type { SearchFilters } from '../store/search-repo.js';

export type { SearchHit };

/** The search's answer: the API's (search/hits.ts) and the query as PostgreSQL full-text search ran it. */
export interface SearchResult extends ApiSearchResult {
  tsquery: string;
}

/** The most hits one page holds, and the furthest a page may start (a deeper page is narrowed with filters, not paged to). */
export const MAX_SEARCH_PAGE = 1000;
export const MAX_SEARCH_OFFSET = 100_000;

export async function searchTranscripts(
  db: StoreDb,
  query: string,
  filters: SearchFilters = {},
  page: { limit?: number; offset?: number } = {},
  opts: {
    maskPersonalData?: boolean;
    /** a program's own numbers, kept readable when masking (default: its `privacy.companyNumbers`) */
    companyNumbers?: (pipelineId: string) => readonly string[];
  } = {},
): Promise<SearchResult> {
  const node = parseQuery(query);
  const tsquery = compileQuery(node);
  const repo = new SearchRepo(db);
  await repo.indexAll();
  const limit = Math.min(Math.max(1, page.limit ?? 50), MAX_SEARCH_PAGE);
  // the CLI and the API refuse a larger offset, naming it; one past bigint reached the database (a 500)
  const offset = page.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_SEARCH_OFFSET) throw new RangeError(`search offset ${offset}: a whole number 0-${MAX_SEARCH_OFFSET}`);
  const rows = await repo.search(tsquery, filters, limit + 1, offset);
  const phrases = queryPhrases(node);
  // the program's own numbers stay readable, as in the stored transcript (read once per program, not per hit)
  const companyOf = opts.companyNumbers ?? programCompanyNumbers;
  const company = new Map<string, readonly string[]>();
  const companyNumbers = (pipelineId: string): readonly string[] => {
    if (!company.has(pipelineId)) company.set(pipelineId, companyOf(pipelineId));
    return company.get(pipelineId)!;
  };
  const shown = rows.slice(0, limit);
  const masked = opts.maskPersonalData ? await maskedHitTexts(repo, shown, companyNumbers) : null;
  const hits = shown.map((r, i) => {
    const text = masked ? masked[i]! : r.text;
    const s = snippet(text, highlight(text, phrases));
    return {
      callId: r.recordingId,
      runId: r.runId,
      file: r.fileName,
      agentId: r.agentId,
      team: r.team,
      program: r.pipelineId,
      callDate: r.callDate,
      speaker: r.speaker,
      idx: r.idx,
      start: r.startSec,
      end: r.endSec,
      snippet: s.text,
      highlights: s.highlights,
      link: `/#/call/${r.recordingId}?t=${Math.floor(r.startSec * 10) / 10}`,
      rank: Math.round(r.rank * 1e4) / 1e4,
    };
  });
  const hint = hits.length === 0 && (page.offset ?? 0) === 0 ? lowercaseOperatorHint(query) : null;
  return { query, tsquery, hits, more: rows.length > limit, ...(hint ? { hint } : {}) };
}

/** How many segments either side of a hit are read with it: a number said across segments (SPLIT_GAP_S apart each). */
const AROUND = 6;

/**
 * Each hit's text with personal data masked as the call view masks it: read with the segments around it, so that
 * a number the speaker said across two segments (我的手机号是139 | 1234 5678) is masked in the hit that shows
 * only one half (privacy/transcript.ts maskSegmentTexts).
 */
async function maskedHitTexts(repo: SearchRepo, rows: readonly SearchRow[], companyNumbers: (pipelineId: string) => readonly string[]): Promise<string[]> {
  const byRun = new Map<string, number[]>();
  for (const r of rows) byRun.set(r.runId, [...(byRun.get(r.runId) ?? []), r.idx]);
  const segments = await repo.segmentsBetween([...byRun].map(([runId, idxs]) => ({ runId, from: Math.min(...idxs) - AROUND, to: Math.max(...idxs) + AROUND })));
  return rows.map((r) => {
    const segs = segments.filter((x) => x.runId === r.runId).filter((x) => x.idx >= r.idx - AROUND && x.idx <= r.idx + AROUND);
    const at = segs.findIndex((x) => x.idx === r.idx);
    const opts = { companyNumbers: companyNumbers(r.pipelineId) };
    return at < 0 ? maskPii(r.text, opts) : maskSegmentTexts(segs, opts)[at]!;
  });
}

/** Hits as CSV (RFC 4180), one row per hit. */
export function hitsToCsv(hits: readonly SearchHit[]): string {
  const cols: (keyof SearchHit)[] = ['callId', 'file', 'callDate', 'agentId', 'team', 'program', 'speaker', 'start', 'end', 'snippet', 'link'];
  return csvText([cols, ...hits.map((h) => cols.map((c) => h[c]))]);
}
