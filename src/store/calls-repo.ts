/**
 * Calls as people see them: a recording with its latest finished analysis, newest draft, review state and
 * assignment, filtered by what the asking user may see (the access scope). Listing and the per-call access
 * check use the same scope SQL, so a call a user cannot list is a call they cannot open.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { CallMetadata } from '../core/types.js';
import type { StoreDb } from './db.js';
import type { ReviewStatus } from './schema.js';

/** What a user may see, decided by the service from their role (src/services/call-access.ts). */
export type CallScope =
  | { kind: 'all' }
  | { kind: 'agent'; agentId: string }
  | { kind: 'team'; team: string }
  /** an inspector: calls assigned to them, unassigned calls not yet reviewed (the queue), reviews they made, completed calls of open calibration sessions they are in (to listen and read; a completed review takes no decisions) */
  | { kind: 'inspector'; userId: string }
  | { kind: 'none' };

export type CallReviewState = 'unreviewed' | ReviewStatus;

export interface CallRow {
  id: string;
  fileName: string;
  durationSec: number | null;
  channels: number | null;
  metadata: CallMetadata;
  runId: string;
  /** the QA program (and version) of the draft shown: the newest scorecard's, which a rescore under another
   * program makes; the analysis run's when there is no scorecard */
  pipelineId: string;
  pipelineVersion: string;
  analysedAt: Date | null;
  scorecardId: string | null;
  draftTotal: number | null;
  maxTotal: number | null;
  needsReview: boolean | null;
  /** the draft's items left for the inspector to judge (its counts.needs_review); null without a draft */
  openItems: number | null;
  reviewId: string | null;
  reviewState: CallReviewState;
  reviewScorecardId: string | null;
  completedAt: Date | null;
  publishedAt: Date | null;
  finalTotal: number | null;
  assignedTo: { id: string; username: string } | null;
}

export interface CallFilter {
  /** review state; 'open': not completed (unreviewed or in progress) */
  state?: CallReviewState | 'open';
  agentId?: string;
  team?: string;
  pipelineId?: string;
  /** analysed at or after */
  since?: Date;
  until?: Date;
  limit?: number;
  offset?: number;
}

/** The access rule as SQL over the aliases r (recordings), a (call_assignments), rv (reviews). */
/**
 * The call's QA program, the one definition every list, filter and figure uses: the program of the run's newest
 * draft (a rescore under another program drafts the call anew: `callqa rescore --program support-en` makes it a
 * support-en call), else the analysis run's. `run` is the SQL alias of the analysis_runs row.
 */
export function callProgramSql(run: string): SQL {
  if (!/^[a-z_][a-z0-9_]*$/.test(run)) throw new Error(`callProgramSql: not an alias: ${run}`);
  return sql.raw(
    `coalesce((select s_.pipeline_id from scorecards s_ where s_.run_id = ${run}.id order by s_.created_at desc, s_.id desc limit 1), ${run}.pipeline_id)`,
  );
}

export function scopeSql(scope: CallScope): SQL {
  switch (scope.kind) {
    case 'all':
      return sql`true`;
    case 'none':
      return sql`false`;
    case 'agent':
      return sql`r.metadata->>'agentId' = ${scope.agentId}`;
    case 'team':
      return sql`(r.metadata->>'team' = ${scope.team} or r.metadata->>'agentId' in
        (select u.agent_id from users u where u.team = ${scope.team} and u.role = 'agent' and u.agent_id is not null))`;
    case 'inspector':
      return sql`(a.inspector_id = ${scope.userId}
        or (a.recording_id is null and (rv.id is null or rv.status = 'in_progress'))
        or rv.started_by = ${scope.userId} or rv.completed_by = ${scope.userId}
        or (rv.status = 'completed' and exists (select 1 from calibration_calls cc
          join calibration_members cm on cm.session_id = cc.session_id and cm.inspector_id = ${scope.userId}
          join calibration_sessions cs on cs.id = cc.session_id and cs.status = 'open'
          where cc.recording_id = r.id)))`;
  }
}

const SELECT = sql`
  select r.id, r.file_name, r.duration_sec, r.channels, r.metadata,
    run.id as run_id, coalesce(sc.pipeline_id, run.pipeline_id) as pipeline_id,
    coalesce(sc.pipeline_version, run.pipeline_version) as pipeline_version, run.finished_at,
    sc.id as scorecard_id, (sc.card->>'total')::float8 as draft_total, (sc.card->>'maxTotal')::float8 as max_total,
    (sc.card->>'needsReview')::boolean as needs_review, (sc.card->'counts'->>'needs_review')::int as open_items,
    rv.id as review_id, rv.status as review_status, rv.scorecard_id as review_scorecard_id, rv.completed_at, rv.published_at,
    res.total as final_total,
    a.inspector_id, iu.username as assigned_username
  from recordings r
  join lateral (
    select ar.* from analysis_runs ar where ar.recording_id = r.id and ar.status = 'done'
    order by ar.finished_at desc nulls last, ar.created_at desc limit 1
  ) run on true
  left join lateral (
    select s.id, s.card, s.pipeline_id, s.pipeline_version from scorecards s where s.run_id = run.id
    order by s.created_at desc, s.id desc limit 1
  ) sc on true
  left join reviews rv on rv.recording_id = r.id
  left join lateral (
    select x.total from review_results x where x.review_id = rv.id order by x.version desc limit 1
  ) res on true
  left join call_assignments a on a.recording_id = r.id
  left join users iu on iu.id = a.inspector_id`;

type Raw = Record<string, unknown>;

function rowsOf(result: unknown): Raw[] {
  return (result as { rows: Raw[] }).rows;
}

const num = (v: unknown) => (v == null ? null : Number(v));
const date = (v: unknown) => (v == null ? null : new Date(v as string));

function toCallRow(r: Raw): CallRow {
  return {
    id: r.id as string,
    fileName: r.file_name as string,
    durationSec: num(r.duration_sec),
    channels: num(r.channels),
    metadata: (typeof r.metadata === 'string' ? JSON.parse(r.metadata) : r.metadata ?? {}) as CallMetadata,
    runId: r.run_id as string,
    pipelineId: r.pipeline_id as string,
    pipelineVersion: r.pipeline_version as string,
    analysedAt: date(r.finished_at),
    scorecardId: (r.scorecard_id as string | null) ?? null,
    draftTotal: num(r.draft_total),
    maxTotal: num(r.max_total),
    needsReview: r.needs_review == null ? null : Boolean(r.needs_review),
    openItems: r.scorecard_id == null ? null : (num(r.open_items) ?? 0),
    reviewId: (r.review_id as string | null) ?? null,
    reviewState: ((r.review_status as ReviewStatus | null) ?? 'unreviewed') as CallReviewState,
    reviewScorecardId: (r.review_scorecard_id as string | null) ?? null,
    completedAt: date(r.completed_at),
    publishedAt: date(r.published_at),
    finalTotal: num(r.final_total),
    assignedTo: r.inspector_id ? { id: r.inspector_id as string, username: r.assigned_username as string } : null,
  };
}

export class CallsRepo {
  constructor(readonly db: StoreDb) {}

  async listCalls(scope: CallScope, f: CallFilter = {}): Promise<{ calls: CallRow[]; total: number }> {
    const where: SQL[] = [scopeSql(scope)];
    if (f.state === 'unreviewed') where.push(sql`rv.id is null`);
    else if (f.state === 'open') where.push(sql`(rv.id is null or rv.status <> 'completed')`);
    else if (f.state) where.push(sql`rv.status = ${f.state}`);
    if (f.agentId) where.push(sql`r.metadata->>'agentId' = ${f.agentId}`);
    if (f.team) where.push(sql`r.metadata->>'team' = ${f.team}`);
    // the program of the draft shown (a rescore under another program drafts the call anew), as the list shows it
    if (f.pipelineId) where.push(sql`${callProgramSql('run')} = ${f.pipelineId}`);
    if (f.since) where.push(sql`run.finished_at >= ${f.since.toISOString()}`);
    if (f.until) where.push(sql`run.finished_at < ${f.until.toISOString()}`);
    const cond = sql.join(where, sql` and `);
    const [list, total] = await Promise.all([
      this.db.execute(sql`${SELECT} where ${cond} order by run.finished_at desc nulls last, r.id limit ${f.limit ?? 50} offset ${f.offset ?? 0}`),
      this.db.execute(sql`select count(*)::int as n from (${SELECT} where ${cond}) q`),
    ]);
    return { calls: rowsOf(list).map(toCallRow), total: Number(rowsOf(total)[0]?.n ?? 0) };
  }

  /** The call if it exists AND the scope may see it; null otherwise (the API answers 404 either way). */
  async getCall(scope: CallScope, callId: string): Promise<CallRow | null> {
    const res = await this.db.execute(sql`${SELECT} where r.id = ${callId} and ${scopeSql(scope)}`);
    const row = rowsOf(res)[0];
    return row ? toCallRow(row) : null;
  }

  /** Every draft scorecard of a call (all its runs), oldest first, with its total. */
  async drafts(callId: string): Promise<{ id: string; pipelineId: string; pipelineVersion: string; createdAt: Date; total: number | null }[]> {
    const res = await this.db.execute(sql`
      select s.id, s.pipeline_id, s.pipeline_version, s.created_at, (s.card->>'total')::float8 as total
      from scorecards s join analysis_runs ar on ar.id = s.run_id
      where ar.recording_id = ${callId} order by s.created_at, s.id`);
    return rowsOf(res).map((r) => ({
      id: r.id as string,
      pipelineId: r.pipeline_id as string,
      pipelineVersion: r.pipeline_version as string,
      createdAt: new Date(r.created_at as string),
      total: num(r.total),
    }));
  }
}
