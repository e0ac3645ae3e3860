import { sql, type SQL } from 'drizzle-orm';
import type { Speaker } from '../core/types.js';
import { indexTokens, tsvectorLiteral } from '../search/tokenize.js';
import { CALL_DATE, CALL_PROGRAM, callConditions, rowsOf, type CallFilters } from './call-filter-sql.js';
import type { StoreDb } from './db.js';

/** Filters of a transcript search (all optional, combined with AND). */
export interface SearchFilters extends CallFilters {
  speaker?: 'agent' | 'customer';
}

export interface SearchRow {
  runId: string;
  recordingId: string;
  fileName: string;
  path: string;
  agentId: string | null;
  team: string | null;
  pipelineId: string;
  idx: number;
  speaker: Speaker;
  startSec: number;
  endSec: number;
  text: string;
  rank: number;
  callDate: string | null;
}

/** Labels the privacy masking puts in stored text: not words anyone said, so not indexed. */
const MASK_LABEL = /\[(?:手机号|电话|身份证号|银行卡号|社保号|邮箱|地址|PHONE|ID|CARD|SSN|EMAIL|ADDRESS)\]/g;

export class SearchRepo {
  constructor(private readonly db: StoreDb) {}

  /**
   * Index the segments of up to `limit` transcripts not indexed yet (transcripts.search_indexed_at is null,
   * found through a partial index, so "nothing to do" costs one index probe); returns how many transcripts.
   * Safe to run from several processes at once (ON CONFLICT DO NOTHING; marking is idempotent).
   */
  async indexPending(limit = 200): Promise<number> {
    const pending = rowsOf<{ run_id: string }>(await this.db.execute(sql`select run_id from transcripts where search_indexed_at is null limit ${limit}`));
    if (pending.length === 0) return 0;
    const ids = sql.join(pending.map((p) => sql`${p.run_id}::uuid`), sql`, `);
    const segs = rowsOf<{ run_id: string; idx: number; text: string }>(
      await this.db.execute(sql`select run_id, idx, text from transcript_segments where run_id in (${ids})`),
    );
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < segs.length; i += 1000) {
        const values = segs.slice(i, i + 1000).map((r) => sql`(${r.run_id}::uuid, ${r.idx}, ${tsvectorLiteral(indexTokens(r.text.replace(MASK_LABEL, ' ')))}::tsvector)`);
        await tx.execute(sql`insert into segment_search (run_id, idx, vector) values ${sql.join(values, sql`, `)} on conflict do nothing`);
      }
      await tx.execute(sql`update transcripts set search_indexed_at = now() where run_id in (${ids})`);
    });
    return pending.length;
  }

  /** Index everything not yet indexed. */
  async indexAll(batch = 200): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.indexPending(batch);
      total += n;
      if (n < batch) return total;
    }
  }

  /** Segments matching a tsquery (see src/search/query.ts), best first; only each call's newest finished run per program. */
  async search(tsquery: string, f: SearchFilters, limit: number, offset = 0): Promise<SearchRow[]> {
    const where: SQL[] = [...callConditions(f)];
    if (f.speaker) where.push(sql`s.speaker = ${f.speaker}`);
    const select = (matches: SQL) => sql`
      select ar.id as run_id, r.id as recording_id, r.file_name, r.path, r.metadata ->> 'agentId' as agent_id,
             r.metadata ->> 'team' as team, ${CALL_PROGRAM} as pipeline_id, s.idx, s.speaker, s.start_sec, s.end_sec, s.text,
             m.rank, ${CALL_DATE}::text as call_date
      from (${matches}) m
      join transcript_segments s on s.run_id = m.run_id and s.idx = m.idx
      join analysis_runs ar on ar.id = s.run_id
      join recordings r on r.id = ar.recording_id
      where ${sql.join(where, sql` and `)}
      order by m.rank desc, ${CALL_DATE} desc, s.run_id, s.idx
      limit ${limit} offset ${offset}`;
    const matching = sql`select x.run_id, x.idx, ts_rank_cd(x.vector, ${tsquery}::tsquery) as rank from segment_search x where x.vector @@ ${tsquery}::tsquery`;
    // A common phrase matches tens of thousands of utterances: rank them from the index table alone and join only
    // the best few to calls (most are kept by the default conditions); when the filters throw too many away, run
    // the whole match set through them.
    const needed = limit + offset;
    const callFilters = Boolean(f.speaker || f.agentId || f.team || f.pipelineId || f.from || f.to || f.eventType || f.minScore !== undefined || f.maxScore !== undefined || f.reviewed !== undefined || f.runIds || (f.scope && f.scope.kind !== 'all'));
    let rows: unknown;
    if (!callFilters) {
      const k = needed * 2 + 50;
      rows = await this.db.execute(select(sql`${matching} order by rank desc, x.run_id, x.idx limit ${k}`));
      const got = rowsOf<{ rank: unknown }>(rows);
      // Is the page what the whole match set would give? Only if nothing left out of the best k could come into it:
      // every match past them ranks at most the (k+1)-th, so the page must end above that rank. Otherwise (filters
      // threw too many away, or the page ends among matches of the same rank, which are ordered newest call first
      // and not by the index table's order) run the whole match set: pages of a phrase many calls share repeated
      // some hits and skipped others.
      const past = rowsOf<{ n: number; r: number | null }>(
        await this.db.execute(sql`select count(*)::int as n, min(t.rank) as r from (${matching} order by rank desc limit ${k + 1}) t`),
      )[0]!;
      const lastShown = got.length ? Number(got[Math.min(got.length, limit) - 1]!.rank) : null;
      if (past.n > k && (got.length < limit || lastShown === null || lastShown <= Number(past.r))) rows = await this.db.execute(select(matching));
    } else {
      rows = await this.db.execute(select(matching));
    }
    return rowsOf<Record<string, unknown>>(rows).map((r) => ({
      runId: String(r.run_id),
      recordingId: String(r.recording_id),
      fileName: String(r.file_name),
      path: String(r.path),
      agentId: (r.agent_id as string | null) ?? null,
      team: (r.team as string | null) ?? null,
      pipelineId: String(r.pipeline_id),
      idx: Number(r.idx),
      speaker: r.speaker as Speaker,
      startSec: Number(r.start_sec),
      endSec: Number(r.end_sec),
      text: String(r.text),
      rank: Number(r.rank),
      callDate: (r.call_date as string | null) ?? null,
    }));
  }

  /**
   * The segments of each run with index from `from` to `to` (inclusive), in order, in one query: what is said
   * around the hits of a search.
   */
  async segmentsBetween(windows: ReadonlyArray<{ runId: string; from: number; to: number }>): Promise<Array<{ runId: string; idx: number; speaker: Speaker; start: number; end: number; text: string }>> {
    if (windows.length === 0) return [];
    const w = sql.join(windows.map((x) => sql`(${x.runId}::uuid, ${x.from}::int, ${x.to}::int)`), sql`, `);
    const rows = await this.db.execute(sql`
      select s.run_id, s.idx, s.speaker, s.start_sec, s.end_sec, s.text
      from transcript_segments s join (values ${w}) as w(run_id, lo, hi) on s.run_id = w.run_id and s.idx between w.lo and w.hi
      order by s.run_id, s.idx`);
    return rowsOf<Record<string, unknown>>(rows).map((r) => ({
      runId: String(r.run_id), idx: Number(r.idx), speaker: r.speaker as Speaker, start: Number(r.start_sec), end: Number(r.end_sec), text: String(r.text),
    }));
  }
}

