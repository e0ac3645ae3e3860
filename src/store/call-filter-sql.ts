import { sql, type SQL } from 'drizzle-orm';
import { callProgramSql, scopeSql, type CallScope } from './calls-repo.js';

/**
 * SQL shared by the search and trends repositories: which calls count (each recording's newest finished run per
 * QA program) and the call-level filters. Expects `ar` (analysis_runs) and `r` (recordings) in scope.
 */

/** The call's date: its metadata start when that is an ISO date, else the day it was analysed. */
export const CALL_DATE = sql.raw(
  `(case when r.metadata ->> 'startedAt' ~ '^\\d{4}-\\d{2}-\\d{2}' then substring(r.metadata ->> 'startedAt' from 1 for 10)::date else ar.created_at::date end)`,
);

/** The total of the call's latest draft. */
export const LATEST_TOTAL = sql.raw(`(select (c.card ->> 'total')::float8 from scorecards c where c.run_id = ar.id order by c.created_at desc, c.id desc limit 1)`);

/** The call's QA program: its latest draft's, else the analysis run's (calls-repo.ts callProgramSql, as calls list shows it). */
export const CALL_PROGRAM = callProgramSql('ar');

/** Seconds of talk (both sides), else of speech, else the recording's length. */
export const TALK_SEC = sql.raw(
  `coalesce((ar.metrics ->> 'agentTalkSec')::float8 + (ar.metrics ->> 'customerTalkSec')::float8, (ar.metrics ->> 'speechSec')::float8, r.duration_sec, 0)`,
);

export interface CallFilters {
  agentId?: string;
  team?: string;
  /** QA program id: the call's program (CALL_PROGRAM: its latest draft's, after a rescore under another program) */
  pipelineId?: string;
  /** inclusive dates, YYYY-MM-DD */
  from?: string;
  to?: string;
  /** the call has at least one event of this type */
  eventType?: string;
  /** the call's latest draft total lies in this range */
  minScore?: number;
  maxScore?: number;
  /** only these runs */
  runIds?: string[];
  /** reviewed (review completed) or not */
  reviewed?: boolean;
  /** only calls this user may see (src/services/call-access.ts) */
  scope?: CallScope;
  /**
   * calls whose scores and findings this user may not see (a blind calibration scorer's, CalibrationService.blindCalls):
   * left out whenever a score or finding filter (minScore, maxScore, eventType) is given, so that one cannot be read off what matches
   */
  scoresHiddenOf?: readonly string[];
  /** calls left out whatever the filters (the QA figures, which are all scores and findings, leave a blind scorer's out) */
  leaveOut?: readonly string[];
}

/** Conditions selecting the calls that count under the filters. */
export function callConditions(f: CallFilters): SQL[] {
  const where: SQL[] = [
    sql`ar.status = 'done'`,
    sql`not exists (select 1 from analysis_runs ar2 where ar2.recording_id = ar.recording_id and ar2.pipeline_id = ar.pipeline_id
      and ar2.status = 'done' and ar2.created_at > ar.created_at)`,
  ];
  if (f.agentId) where.push(sql`r.metadata ->> 'agentId' = ${f.agentId}`);
  if (f.team) where.push(sql`r.metadata ->> 'team' = ${f.team}`);
  if (f.pipelineId) where.push(sql`${CALL_PROGRAM} = ${f.pipelineId}`);
  if (f.from) where.push(sql`${CALL_DATE} >= ${f.from}::date`);
  if (f.to) where.push(sql`${CALL_DATE} <= ${f.to}::date`);
  if (f.eventType) where.push(sql`exists (select 1 from events e where e.run_id = ar.id and e.type = ${f.eventType})`);
  if (f.minScore !== undefined) where.push(sql`${LATEST_TOTAL} >= ${f.minScore}`);
  if (f.maxScore !== undefined) where.push(sql`${LATEST_TOTAL} <= ${f.maxScore}`);
  if (f.scoresHiddenOf?.length && (f.minScore !== undefined || f.maxScore !== undefined || f.eventType))
    where.push(sql`r.id not in (${sql.join(f.scoresHiddenOf.map((id) => sql`${id}::uuid`), sql`, `)})`);
  if (f.leaveOut?.length) where.push(sql`r.id not in (${sql.join(f.leaveOut.map((id) => sql`${id}::uuid`), sql`, `)})`);
  if (f.reviewed !== undefined) {
    const done = sql`exists (select 1 from reviews rvw where rvw.recording_id = r.id and rvw.status = 'completed')`;
    where.push(f.reviewed ? done : sql`not ${done}`);
  }
  if (f.scope && f.scope.kind !== 'all') {
    // the access rule is written over its own aliases (r, a, rv): evaluate it in a subquery on this recording
    where.push(sql`r.id in (select r.id from recordings r left join call_assignments a on a.recording_id = r.id
      left join reviews rv on rv.recording_id = r.id where ${scopeSql(f.scope)})`);
  }
  if (f.runIds) where.push(f.runIds.length ? sql`ar.id in (${sql.join(f.runIds.map((id) => sql`${id}::uuid`), sql`, `)})` : sql`false`);
  return where;
}

/** node-postgres and PGlite both answer { rows }; drizzle passes them through. */
export function rowsOf<T>(res: unknown): T[] {
  return ((res as { rows?: T[] }).rows ?? (res as T[])) as T[];
}
