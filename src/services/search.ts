/**
 * Transcript search: the use case the CLI (`callqa search`) and the API share. Parses and compiles the query
 * (src/search), brings the index up to date, runs it through the store, and shapes hits with highlighted
 * snippets and a link to the moment in the call view.
 */
import { csvText } from '../core/csv.js';
import { highlight, snippet } from '../search/highlight.js';
import type { SearchHit, SearchResult as ApiSearchResult } from '../search/hits.js';
import { compileQuery, parseQuery, queryPhrases } from '../search/query.js';
import { maskPii, programCompanyNumbers } from './privacy.js';
import type { StoreDb } from '../store/db.js';
import { SearchRepo, type SearchFilters } from '../store/search-repo.js';

export { QueryError } from '../search/query.js';
export type { SearchFilters } from '../store/search-repo.js';

export type { SearchHit };

/** The search's answer: the API's (search/hits.ts) and the query as PostgreSQL full-text search ran it. */
export interface SearchResult extends ApiSearchResult {
  tsquery: string;
}

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
  const limit = Math.min(Math.max(1, page.limit ?? 50), 1000);
  const rows = await repo.search(tsquery, filters, limit + 1, page.offset ?? 0);
  const phrases = queryPhrases(node);
  // the program's own numbers stay readable, as in the stored transcript (read once per program, not per hit)
  const companyOf = opts.companyNumbers ?? programCompanyNumbers;
  const company = new Map<string, readonly string[]>();
  const companyNumbers = (pipelineId: string): readonly string[] => {
    if (!company.has(pipelineId)) company.set(pipelineId, companyOf(pipelineId));
    return company.get(pipelineId)!;
  };
  const hits = rows.slice(0, limit).map((r) => {
    const text = opts.maskPersonalData ? maskPii(r.text, { companyNumbers: companyNumbers(r.pipelineId) }) : r.text;
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
  return { query, tsquery, hits, more: rows.length > limit };
}

/** Hits as CSV (RFC 4180), one row per hit. */
export function hitsToCsv(hits: readonly SearchHit[]): string {
  const cols: (keyof SearchHit)[] = ['callId', 'file', 'callDate', 'agentId', 'team', 'program', 'speaker', 'start', 'end', 'snippet', 'link'];
  return csvText([cols, ...hits.map((h) => cols.map((c) => h[c]))]);
}
