/**
 * The compliance watch list: saved searches run over every newly analysed call, each match a finding on the
 * call. Shared by the CLI (`callqa watchlist`), the API and the runners (analyze at the end of a batch, queue
 * workers after each call).
 */
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { WatchHit } from '../search/hits.js';
import { parseQuery, QueryError } from '../search/query.js';
import { scopeSql, type CallScope } from '../store/calls-repo.js';
import type { StoreDb } from '../store/db.js';
import { analysisRuns, recordings, savedSearches, watchHits, type SavedSearchRow } from '../store/schema.js';
import { searchTranscripts, type SearchFilters } from './search.js';

export interface SavedSearchInput {
  name: string;
  query: string;
  filters?: Omit<SearchFilters, 'scope' | 'runIds'>;
}

/** A saved search as listed: `problem` says why its query is not run (null: it is). */
export type SavedSearchListRow = SavedSearchRow & { problem: string | null };

/** Why a saved query is not run: the search language refuses it (null when it parses). */
export function savedQueryProblem(query: string): string | null {
  try {
    parseQuery(query);
    return null;
  } catch (err) {
    if (err instanceof QueryError) return err.message;
    throw err;
  }
}

/** A hit as the watch list lists it (search/hits.ts, shared with the inspector UI). */
export type WatchHitView = WatchHit;

export class WatchListService {
  constructor(private readonly db: StoreDb) {}

  async add(input: SavedSearchInput, createdBy: string): Promise<SavedSearchRow> {
    parseQuery(input.query); // a bad query is refused now, not on the next call
    if (!/^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,99}$/u.test(input.name)) throw new Error(`watch-list name "${input.name}": letters, digits, space . _ - (at most 100)`);
    const [row] = await this.db
      .insert(savedSearches)
      .values({ name: input.name, query: input.query, filters: (input.filters ?? {}) as Record<string, unknown>, createdBy })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new Error(`a saved search named "${input.name}" already exists`);
    return row;
  }

  /**
   * The saved searches, each with `problem`: why its query is not run (null when it is). A query saved before
   * the search language refused what it holds (parentheses, an operator with nothing on one side, a quote left
   * open) matches nothing; the list says so instead of the search staying silent for ever.
   */
  async list(): Promise<SavedSearchListRow[]> {
    const rows = await this.db.select().from(savedSearches).orderBy(asc(savedSearches.name));
    return rows.map((r) => ({ ...r, problem: savedQueryProblem(r.query) }));
  }

  async setActive(name: string, active: boolean): Promise<boolean> {
    const r = await this.db.update(savedSearches).set({ active }).where(eq(savedSearches.name, name)).returning({ id: savedSearches.id });
    return r.length > 0;
  }

  /**
   * Pauses or resumes one saved search by id; null when there is none. A resumed search catches up on the
   * calls analysed while it was paused (its watermark did not move).
   */
  async setActiveById(id: string, active: boolean): Promise<SavedSearchListRow | null> {
    const [row] = await this.db.update(savedSearches).set({ active }).where(eq(savedSearches.id, id)).returning();
    // with `problem` as list() gives it: resuming a search whose query is refused does not make it run
    return row ? { ...row, problem: savedQueryProblem(row.query) } : null;
  }

  /**
   * Runs every active saved search over the calls finished since it last looked (or over `runIds`), stores
   * the matches as watch hits, and moves its watermark. Returns the number of new hits.
   */
  async check(runIds?: string[]): Promise<number> {
    let added = 0;
    for (const s of await this.db.select().from(savedSearches).where(eq(savedSearches.active, true))) {
      const newRuns = await this.db
        .select({ id: analysisRuns.id, finishedAt: analysisRuns.finishedAt })
        .from(analysisRuns)
        .where(and(eq(analysisRuns.status, 'done'), runIds ? inArray(analysisRuns.id, runIds) : s.checkedUntil ? gt(analysisRuns.finishedAt, s.checkedUntil) : undefined))
        .orderBy(asc(analysisRuns.finishedAt));
      if (newRuns.length === 0) continue;
      // a query saved before the search language refused it (an operator with nothing on one side) matches
      // nothing, as it did then; it must not stop the searches after it
      if (savedQueryProblem(s.query) !== null) continue;
      for (let i = 0; i < newRuns.length; i += 500) {
        const batch = newRuns.slice(i, i + 500).map((r) => r.id);
        for (let offset = 0; ; offset += 1000) {
          const r = await searchTranscripts(this.db, s.query, { ...(s.filters as SearchFilters), runIds: batch }, { limit: 1000, offset });
          if (r.hits.length) {
            const rows = await this.db
              .insert(watchHits)
              .values(r.hits.map((h) => ({ savedSearchId: s.id, recordingId: h.callId, runId: h.runId, idx: h.idx, speaker: h.speaker as never, startSec: h.start, endSec: h.end })))
              .onConflictDoNothing()
              .returning({ id: watchHits.id });
            added += rows.length;
          }
          if (!r.more) break;
        }
      }
      if (!runIds) {
        const last = newRuns[newRuns.length - 1]!.finishedAt;
        if (last) await this.db.update(savedSearches).set({ checkedUntil: last }).where(eq(savedSearches.id, s.id));
      }
    }
    return added;
  }

  async hits(opts: { callId?: string; savedSearch?: string; limit?: number; scope?: CallScope } = {}): Promise<WatchHitView[]> {
    const scoped = opts.scope && opts.scope.kind !== 'all'
      ? sql`${watchHits.recordingId} in (select r.id from recordings r left join call_assignments a on a.recording_id = r.id
          left join reviews rv on rv.recording_id = r.id where ${scopeSql(opts.scope)})`
      : undefined;
    const rows = await this.db
      .select({
        name: savedSearches.name, callId: watchHits.recordingId, runId: watchHits.runId, file: recordings.fileName,
        speaker: watchHits.speaker, start: watchHits.startSec, end: watchHits.endSec, at: watchHits.createdAt,
      })
      .from(watchHits)
      .innerJoin(savedSearches, eq(savedSearches.id, watchHits.savedSearchId))
      .innerJoin(recordings, eq(recordings.id, watchHits.recordingId))
      .where(and(opts.callId ? eq(watchHits.recordingId, opts.callId) : undefined, opts.savedSearch ? eq(savedSearches.name, opts.savedSearch) : undefined, scoped))
      .orderBy(desc(watchHits.createdAt), asc(watchHits.runId), asc(watchHits.idx))
      .limit(opts.limit ?? 1000);
    return rows.map((r) => ({ savedSearch: r.name, callId: r.callId, runId: r.runId, file: r.file, speaker: r.speaker, start: r.start, end: r.end, at: r.at.toISOString() }));
  }
}

