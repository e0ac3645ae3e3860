/**
 * Reads and writes for triage, sampling, assignment, calibration and rules accuracy (issue 11). Every query
 * is bound SQL over the drizzle tables; the pure arithmetic lives in src/review/, the use cases in
 * src/services/ (review-queue.ts, calibration.ts, rules-accuracy.ts).
 */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { CallMetadata } from '../core/types.js';
import type { CallEvent } from '../core/events.js';
import type { FinalCard } from '../review/decisions.js';
import type { TriageDraft } from '../review/triage.js';
import type { ScorecardDraft } from '../score/types.js';
import { scopeSql, type CallScope } from './calls-repo.js';
import type { StoreDb } from './db.js';
import {
  calibrationCalls,
  calibrationMembers,
  calibrationScores,
  calibrationSessions,
  callAssignments,
  scorecards,
  users,
  type CalibrationSessionRow,
  type UserRow,
} from './schema.js';

type Raw = Record<string, unknown>;
const rowsOf = (result: unknown): Raw[] => (result as { rows: Raw[] }).rows;
const num = (v: unknown) => (v == null ? null : Number(v));
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const date = (v: unknown) => (v == null ? null : v instanceof Date ? v : new Date(v as string));

/** One call of a period, as sampling sees it (latest finished analysis of the recording). */
export interface PeriodCall {
  id: string;
  agentId: string | null;
  team: string | null;
  pipelineId: string;
  analysedAt: Date;
  reviewState: 'unreviewed' | 'in_progress' | 'completed';
  completedAt: Date | null;
  completedBy: string | null;
  /** the current result (latest version) as a percent of full marks, once completed */
  finalPercent: number | null;
}

/** The latest finished analysis per recording; the same shape calls-repo lists (aliases r, run, rv, a). */
const LATEST_RUN = sql`
  from recordings r
  join lateral (
    select ar.id, ar.pipeline_id, ar.finished_at from analysis_runs ar where ar.recording_id = r.id and ar.status = 'done'
    order by ar.finished_at desc nulls last, ar.created_at desc limit 1
  ) run on true
  left join reviews rv on rv.recording_id = r.id
  left join call_assignments a on a.recording_id = r.id`;

export interface TriageRow {
  runId: string;
  scorecardId: string | null;
  /** the parts of the draft triage reads (see TriageDraft) */
  card: TriageDraft | null;
  /** the events of the types triage reads (TRIAGE_EVENT_TYPES) */
  events: CallEvent[];
  asrConfidence: number | null;
}

/** Event types triage reads (the rest of a call's events are not loaded). */
const TRIAGE_EVENT_TYPES = ['banned_phrase', 'customer_escalation', 'silence', 'hold', 'talk_over'];

export interface CompletedReviewRow {
  callId: string;
  reviewId: string;
  pipelineId: string;
  completedAt: Date;
  completedBy: string | null;
  card: FinalCard;
}

export interface DecisionRow {
  callId: string;
  reviewId: string;
  scorecardId: string;
  pipelineId: string;
  itemId: string;
  action: 'confirm' | 'override';
  points: number | null;
  fatal: boolean | null;
  reasonCode: string | null;
  comment: string | null;
  decidedAt: Date;
  decidedBy: string;
}

function toDecision(r: Raw): DecisionRow {
  return {
    callId: r.recording_id as string,
    reviewId: r.review_id as string,
    scorecardId: r.scorecard_id as string,
    pipelineId: r.pipeline_id as string,
    itemId: r.item_id as string,
    action: r.action as 'confirm' | 'override',
    points: num(r.points),
    fatal: r.fatal == null ? null : Boolean(r.fatal),
    reasonCode: str(r.reason_code),
    comment: str(r.comment),
    decidedAt: date(r.decided_at)!,
    decidedBy: r.decided_by as string,
  };
}

export class TriageRepo {
  constructor(readonly db: StoreDb) {}

  /** Calls analysed in [since, until), any review state, optionally of one program (no access scope: sampling sees all). */
  async periodCalls(since: Date, until: Date, pipelineId?: string): Promise<PeriodCall[]> {
    const where: SQL[] = [sql`run.finished_at >= ${since.toISOString()}`, sql`run.finished_at < ${until.toISOString()}`];
    if (pipelineId) where.push(sql`run.pipeline_id = ${pipelineId}`);
    const res = await this.db.execute(sql`
      select r.id, r.metadata->>'agentId' as agent_id, r.metadata->>'team' as team, run.pipeline_id, run.finished_at,
        rv.status as review_status, rv.completed_at, rv.completed_by,
        (select case when x.max_total > 0 then x.total / x.max_total * 100 end from review_results x
          where x.review_id = rv.id order by x.version desc limit 1) as final_percent
      ${LATEST_RUN} where ${sql.join(where, sql` and `)} order by r.id`);
    return rowsOf(res).map((r) => ({
      id: r.id as string,
      agentId: str(r.agent_id),
      team: str(r.team),
      pipelineId: r.pipeline_id as string,
      analysedAt: date(r.finished_at)!,
      reviewState: ((r.review_status as string | null) ?? 'unreviewed') as PeriodCall['reviewState'],
      completedAt: date(r.completed_at),
      completedBy: str(r.completed_by),
      finalPercent: num(r.final_percent),
    }));
  }

  /** The first analysed call of each agent, and of the whole database (to tell a new agent from a new installation). */
  async firstCalls(agentIds: readonly string[]): Promise<{ byAgent: Map<string, Date>; overall: Date | null }> {
    const byAgent = new Map<string, Date>();
    if (agentIds.length) {
      const res = await this.db.execute(sql`
        select r.metadata->>'agentId' as agent_id, min(r.created_at) as first
        from recordings r where r.metadata->>'agentId' in (${sql.join(agentIds.map((a) => sql`${a}`), sql`, `)})
        group by 1`);
      for (const r of rowsOf(res)) byAgent.set(r.agent_id as string, date(r.first)!);
    }
    const all = rowsOf(await this.db.execute(sql`select min(created_at) as first from recordings`))[0];
    return { byAgent, overall: date(all?.first) };
  }

  /**
   * Mean final score (percent of full marks, latest result version) per agent per ISO week of completion,
   * for weeks starting at or after `since`, oldest first.
   */
  async weeklyMeans(agentIds: readonly string[], since: Date, until: Date): Promise<Map<string, { week: string; meanPercent: number }[]>> {
    const out = new Map<string, { week: string; meanPercent: number }[]>();
    if (!agentIds.length) return out;
    const res = await this.db.execute(sql`
      select r.metadata->>'agentId' as agent_id,
        to_char(date_trunc('week', rv.completed_at at time zone 'UTC'), 'YYYY-MM-DD') as week,
        avg(case when res.max_total > 0 then res.total / res.max_total * 100 else null end) as mean
      from reviews rv
      join recordings r on r.id = rv.recording_id
      join lateral (select x.total, x.max_total from review_results x where x.review_id = rv.id order by x.version desc limit 1) res on true
      where rv.status = 'completed' and rv.completed_at >= ${since.toISOString()} and rv.completed_at < ${until.toISOString()}
        and r.metadata->>'agentId' in (${sql.join(agentIds.map((a) => sql`${a}`), sql`, `)})
      group by 1, 2 order by 1, 2`);
    for (const r of rowsOf(res)) {
      if (r.mean == null) continue;
      const list = out.get(r.agent_id as string) ?? [];
      list.push({ week: r.week as string, meanPercent: Number(r.mean) });
      out.set(r.agent_id as string, list);
    }
    return out;
  }

  /** Draft, triage events and mean ASR confidence of each run (scorecard: the one given, e.g. the review's pinned draft). */
  async triageData(calls: readonly { runId: string; scorecardId: string | null }[]): Promise<Map<string, TriageRow>> {
    const out = new Map<string, TriageRow>();
    if (!calls.length) return out;
    const runIds = [...new Set(calls.map((c) => c.runId))];
    const cardIds = [...new Set(calls.map((c) => c.scorecardId).filter((x): x is string => !!x))];
    // Only what triage reads, extracted in SQL: a draft with its evidence is tens of kilobytes, and a queue can
    // hold thousands of calls. Items the machine left to people (needs_review) are the only ones triage lists.
    const [cardRows, events, conf] = await Promise.all([
      cardIds.length
        ? this.db.execute(sql`
            select s.id, s.card->'total' as total, s.card->'maxTotal' as max_total, s.card->'fatal' as fatal,
              s.card->'fatalItems' as fatal_items,
              (select coalesce(jsonb_agg(jsonb_build_object('id', i->'id', 'title', i->'title', 'kind', i->'kind', 'status', i->'status', 'suggested', i->'suggested')), '[]'::jsonb)
                 from jsonb_array_elements(s.card->'sections') sec, jsonb_array_elements(sec->'items') i
                 where i->>'status' = 'needs_review') as review_items
            from scorecards s where s.id in (${sql.join(cardIds.map((id) => sql`${id}`), sql`, `)})`)
        : Promise.resolve({ rows: [] }),
      this.db.execute(sql`
        select run_id, type, speaker, start_sec, end_sec, details from events
        where run_id in (${sql.join(runIds.map((id) => sql`${id}`), sql`, `)})
          and type in (${sql.join(TRIAGE_EVENT_TYPES.map((t) => sql`${t}`), sql`, `)})
        order by run_id, start_sec`),
      this.db.execute(sql`
        select run_id, avg(confidence) as c from transcript_segments
        where run_id in (${sql.join(runIds.map((id) => sql`${id}`), sql`, `)}) and confidence is not null group by run_id`),
    ]);
    const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    const cardById = new Map<string, TriageDraft>(
      rowsOf(cardRows).map((r) => {
        const items = (json(r.review_items) as Record<string, unknown>[]).map((i) => {
          const { suggested, ...rest } = i;
          return (suggested == null ? rest : { ...rest, suggested }) as unknown as TriageDraft['sections'][number]['items'][number];
        });
        return [
          r.id as string,
          { total: Number(json(r.total)), maxTotal: Number(json(r.max_total)), fatal: json(r.fatal) === true, fatalItems: (json(r.fatal_items) ?? []) as TriageDraft['fatalItems'], sections: [{ items }] },
        ];
      }),
    );
    const evByRun = new Map<string, TriageRow['events']>();
    for (const e of rowsOf(events)) {
      const list = evByRun.get(e.run_id as string) ?? [];
      // rows are written only by completeRun from typed events (core/events.ts): trusted, as the report trusts them
      list.push({
        type: e.type as string,
        speaker: (e.speaker as CallEvent['speaker']) ?? null,
        start: Number(e.start_sec),
        end: Number(e.end_sec),
        details: (typeof e.details === 'string' ? JSON.parse(e.details) : e.details ?? {}) as Record<string, unknown>,
      } as unknown as CallEvent);
      evByRun.set(e.run_id as string, list);
    }
    const confByRun = new Map(rowsOf(conf).map((r) => [r.run_id as string, Number(r.c)]));
    for (const c of calls) {
      out.set(c.runId, {
        runId: c.runId,
        scorecardId: c.scorecardId,
        card: c.scorecardId ? (cardById.get(c.scorecardId) ?? null) : null,
        events: evByRun.get(c.runId) ?? [],
        asrConfidence: confByRun.get(c.runId) ?? null,
      });
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------- inspectors

  async activeUsers(role: 'inspector' | 'supervisor', team?: string | null): Promise<UserRow[]> {
    const rows = await this.db
      .select()
      .from(users)
      .where(and(eq(users.role, role), eq(users.disabled, false)))
      .orderBy(asc(users.username));
    // an inspector with no team serves every team (a central QA pool)
    return team === undefined ? rows : rows.filter((u) => u.team === null || u.team === team);
  }

  /** Agent users with the agent id their calls carry, and their team. */
  async agentUsers(): Promise<{ agentId: string; team: string | null }[]> {
    const rows = await this.db.select({ agentId: users.agentId, team: users.team }).from(users).where(eq(users.role, 'agent'));
    return rows.filter((r): r is { agentId: string; team: string | null } => r.agentId !== null);
  }

  /**
   * Per inspector: calls assigned and not yet completed, and reviews they completed in [dayStart, dayEnd).
   * `scope`: count only the open calls in it (a supervisor's team: what they assign from); all of them otherwise.
   */
  async inspectorLoads(dayStart: Date, dayEnd: Date, scope: CallScope = { kind: 'all' }): Promise<Map<string, { open: number; doneToday: number }>> {
    const out = new Map<string, { open: number; doneToday: number }>();
    const open = await this.db.execute(sql`
      select a.inspector_id, count(*)::int as n from call_assignments a
      join recordings r on r.id = a.recording_id
      left join reviews rv on rv.recording_id = a.recording_id
      where (rv.id is null or rv.status = 'in_progress') and ${scopeSql(scope)} group by 1`);
    for (const r of rowsOf(open)) out.set(r.inspector_id as string, { open: Number(r.n), doneToday: 0 });
    const done = await this.db.execute(sql`
      select completed_by, count(*)::int as n from reviews
      where status = 'completed' and completed_at >= ${dayStart.toISOString()} and completed_at < ${dayEnd.toISOString()} group by 1`);
    for (const r of rowsOf(done)) {
      const e = out.get(r.completed_by as string) ?? { open: 0, doneToday: 0 };
      e.doneToday = Number(r.n);
      out.set(r.completed_by as string, e);
    }
    return out;
  }

  /** Who each of these calls is assigned to now (username), for the audit entry of a move. */
  async assignees(callIds: readonly string[]): Promise<Map<string, string>> {
    if (!callIds.length) return new Map();
    const rows = await this.db
      .select({ callId: callAssignments.recordingId, username: users.username })
      .from(callAssignments)
      .innerJoin(users, eq(users.id, callAssignments.inspectorId))
      .where(inArray(callAssignments.recordingId, [...callIds]));
    return new Map(rows.map((r) => [r.callId, r.username]));
  }

  /** Assign calls (insert or move); returns how many rows changed. */
  async assign(pairs: readonly { callId: string; inspectorId: string }[], assignedBy: string, at: Date): Promise<void> {
    if (!pairs.length) return;
    await this.db
      .insert(callAssignments)
      .values(pairs.map((p) => ({ recordingId: p.callId, inspectorId: p.inspectorId, assignedBy, assignedAt: at })))
      .onConflictDoUpdate({
        target: callAssignments.recordingId,
        set: { inspectorId: sql`excluded.inspector_id`, assignedBy: sql`excluded.assigned_by`, assignedAt: sql`excluded.assigned_at` },
      });
  }

  // ------------------------------------------------------------------------------------ rules accuracy

  /**
   * Completed reviews whose call the scope may see, completed in [since, until), optionally of one program,
   * with the card fixed at completion (result version 1: the inspector's answers, before any dispute).
   */
  async completedReviews(scope: CallScope, f: { pipelineId?: string; since?: Date; until?: Date }): Promise<CompletedReviewRow[]> {
    const where: SQL[] = [scopeSql(scope), sql`rv.status = 'completed'`];
    if (f.pipelineId) where.push(sql`sc.pipeline_id = ${f.pipelineId}`);
    if (f.since) where.push(sql`rv.completed_at >= ${f.since.toISOString()}`);
    if (f.until) where.push(sql`rv.completed_at < ${f.until.toISOString()}`);
    const res = await this.db.execute(sql`
      select rv.recording_id, rv.id as review_id, sc.pipeline_id, rv.completed_at, u.username as completed_by, res.card
      from reviews rv
      join recordings r on r.id = rv.recording_id
      join scorecards sc on sc.id = rv.scorecard_id
      join review_results res on res.review_id = rv.id and res.version = 1
      left join users u on u.id = rv.completed_by
      left join call_assignments a on a.recording_id = r.id
      where ${sql.join(where, sql` and `)}
      order by rv.completed_at, rv.id`);
    return rowsOf(res).map((r) => ({
      callId: r.recording_id as string,
      reviewId: r.review_id as string,
      pipelineId: r.pipeline_id as string,
      completedAt: date(r.completed_at)!,
      completedBy: str(r.completed_by),
      card: (typeof r.card === "string" ? JSON.parse(r.card) : r.card) as FinalCard,
    }));
  }

  /** The newest decision on one item of a review (any review state). */
  async latestDecision(reviewId: string, itemId: string): Promise<DecisionRow | null> {
    const res = await this.db.execute(sql`
      select rv.recording_id, d.review_id, rv.scorecard_id, sc.pipeline_id, d.item_id, d.action, d.points, d.fatal,
        d.reason_code, d.comment, d.decided_at, u.username as decided_by
      from review_decisions d join reviews rv on rv.id = d.review_id join scorecards sc on sc.id = rv.scorecard_id
      join users u on u.id = d.decided_by
      where d.review_id = ${reviewId} and d.item_id = ${itemId} order by d.id desc limit 1`);
    const r = rowsOf(res)[0];
    return r ? toDecision(r) : null;
  }

  async cards(ids: readonly string[]): Promise<Map<string, { card: ScorecardDraft; runId: string; pipelineId: string }>> {
    if (!ids.length) return new Map();
    const rows = await this.db
      .select({ id: scorecards.id, card: scorecards.card, runId: scorecards.runId, pipelineId: scorecards.pipelineId })
      .from(scorecards)
      .where(inArray(scorecards.id, [...new Set(ids)]));
    return new Map(rows.map((r) => [r.id, { card: r.card, runId: r.runId, pipelineId: r.pipelineId }]));
  }

  // ------------------------------------------------------------------------------------------ calibration

  async createSession(
    s: { title: string; pipelineId: string; benchmark: 'supervisor' | 'consensus'; team: string | null; createdBy: string; createdAt: Date },
    calls: readonly { recordingId: string; scorecardId: string }[],
    inspectorIds: readonly string[],
  ): Promise<CalibrationSessionRow> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.insert(calibrationSessions).values(s).returning();
      await tx.insert(calibrationCalls).values(calls.map((c) => ({ sessionId: row!.id, ...c })));
      await tx.insert(calibrationMembers).values(inspectorIds.map((inspectorId) => ({ sessionId: row!.id, inspectorId })));
      return row!;
    });
  }

  async getSession(id: string): Promise<CalibrationSessionRow | null> {
    const [row] = await this.db.select().from(calibrationSessions).where(eq(calibrationSessions.id, id));
    return row ?? null;
  }

  /** Sessions a user may list: created by them, of their team (supervisors), or where they are a member (inspectors). */
  async listSessions(filter: { createdBy?: string; team?: string; memberId?: string; all?: boolean }): Promise<(CalibrationSessionRow & { calls: number; members: number })[]> {
    const where: SQL[] = [];
    if (!filter.all) {
      const any: SQL[] = [];
      if (filter.createdBy) any.push(sql`s.created_by = ${filter.createdBy}`);
      if (filter.team) any.push(sql`s.team = ${filter.team}`);
      if (filter.memberId) any.push(sql`exists (select 1 from calibration_members m where m.session_id = s.id and m.inspector_id = ${filter.memberId})`);
      where.push(any.length ? sql`(${sql.join(any, sql` or `)})` : sql`false`);
    }
    const res = await this.db.execute(sql`
      select s.*, (select count(*) from calibration_calls c where c.session_id = s.id)::int as n_calls,
        (select count(*) from calibration_members m where m.session_id = s.id)::int as n_members
      from calibration_sessions s ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``}
      order by s.created_at desc, s.id`);
    return rowsOf(res).map((r) => ({
      id: r.id as string,
      title: r.title as string,
      pipelineId: r.pipeline_id as string,
      benchmark: r.benchmark as 'supervisor' | 'consensus',
      team: str(r.team),
      status: r.status as 'open' | 'closed',
      createdBy: r.created_by as string,
      createdAt: date(r.created_at)!,
      closedAt: date(r.closed_at),
      calls: Number(r.n_calls),
      members: Number(r.n_members),
    }));
  }

  async sessionCalls(sessionId: string): Promise<{ recordingId: string; scorecardId: string; fileName: string; durationSec: number | null; metadata: CallMetadata; card: ScorecardDraft }[]> {
    const res = await this.db.execute(sql`
      select c.recording_id, c.scorecard_id, r.file_name, r.duration_sec, r.metadata, sc.card
      from calibration_calls c join recordings r on r.id = c.recording_id join scorecards sc on sc.id = c.scorecard_id
      where c.session_id = ${sessionId} order by r.file_name, r.id`);
    return rowsOf(res).map((r) => ({
      recordingId: r.recording_id as string,
      scorecardId: r.scorecard_id as string,
      fileName: r.file_name as string,
      durationSec: num(r.duration_sec),
      metadata: (typeof r.metadata === 'string' ? JSON.parse(r.metadata) : r.metadata ?? {}) as CallMetadata,
      card: (typeof r.card === 'string' ? JSON.parse(r.card) : r.card) as ScorecardDraft,
    }));
  }

  async sessionMembers(sessionId: string): Promise<{ id: string; username: string }[]> {
    return this.db
      .select({ id: users.id, username: users.username })
      .from(calibrationMembers)
      .innerJoin(users, eq(users.id, calibrationMembers.inspectorId))
      .where(eq(calibrationMembers.sessionId, sessionId))
      .orderBy(asc(users.username));
  }

  /** Scores of a session; `scorerId` limits them to one scorer (an inspector's own, while the session is blind). */
  async sessionScores(sessionId: string, scorerId?: string): Promise<{ callId: string; itemId: string; scorerId: string; scorer: string; points: number; scoredAt: Date }[]> {
    const cond = scorerId ? and(eq(calibrationScores.sessionId, sessionId), eq(calibrationScores.scorerId, scorerId)) : eq(calibrationScores.sessionId, sessionId);
    const rows = await this.db
      .select({
        callId: calibrationScores.recordingId,
        itemId: calibrationScores.itemId,
        scorerId: calibrationScores.scorerId,
        scorer: users.username,
        points: calibrationScores.points,
        scoredAt: calibrationScores.scoredAt,
      })
      .from(calibrationScores)
      .innerJoin(users, eq(users.id, calibrationScores.scorerId))
      .where(cond)
      .orderBy(asc(users.username), asc(calibrationScores.recordingId), asc(calibrationScores.itemId));
    return rows;
  }

  /** Save scores while the session is open (checked under a row lock, so a close cannot race a late score). */
  async saveScores(sessionId: string, scorerId: string, scores: readonly { callId: string; itemId: string; points: number }[], at: Date): Promise<'saved' | 'closed' | 'missing'> {
    return this.db.transaction(async (tx) => {
      const res = await tx.execute(sql`select status from calibration_sessions where id = ${sessionId} for update`);
      const row = rowsOf(res)[0];
      if (!row) return 'missing';
      if (row.status !== 'open') return 'closed';
      if (scores.length)
        await tx
          .insert(calibrationScores)
          .values(scores.map((s) => ({ sessionId, recordingId: s.callId, itemId: s.itemId, scorerId, points: s.points, scoredAt: at })))
          .onConflictDoUpdate({
            target: [calibrationScores.sessionId, calibrationScores.recordingId, calibrationScores.itemId, calibrationScores.scorerId],
            set: { points: sql`excluded.points`, scoredAt: sql`excluded.scored_at` },
          });
      return 'saved';
    });
  }

  async closeSession(sessionId: string, at: Date): Promise<boolean> {
    const rows = await this.db
      .update(calibrationSessions)
      .set({ status: 'closed', closedAt: at })
      .where(and(eq(calibrationSessions.id, sessionId), eq(calibrationSessions.status, 'open')))
      .returning({ id: calibrationSessions.id });
    return rows.length > 0;
  }

  /**
   * The open sessions this user scores: as a member (an inspector), or as the owner of a supervisor-benchmark
   * session (a supervisor). Each with the calls it holds (id and the draft it calibrates on).
   */
  async openSessionsScoredBy(userId: string, role: 'inspector' | 'supervisor'): Promise<{ id: string; calls: { recordingId: string; card: ScorecardDraft }[] }[]> {
    const mine =
      role === 'inspector'
        ? sql`exists (select 1 from calibration_members m where m.session_id = s.id and m.inspector_id = ${userId})`
        : sql`s.created_by = ${userId} and s.benchmark = 'supervisor'`;
    const res = await this.db.execute(sql`
      select s.id, c.recording_id, sc.card from calibration_sessions s
      join calibration_calls c on c.session_id = s.id join scorecards sc on sc.id = c.scorecard_id
      where s.status = 'open' and ${mine} order by s.id, c.recording_id`);
    const out = new Map<string, { recordingId: string; card: ScorecardDraft }[]>();
    for (const r of rowsOf(res)) {
      const id = String(r.id);
      out.set(id, [...(out.get(id) ?? []), { recordingId: String(r.recording_id), card: (typeof r.card === 'string' ? JSON.parse(r.card) : r.card) as ScorecardDraft }]);
    }
    return [...out].map(([id, calls]) => ({ id, calls }));
  }

  /** Is the user a member of any open session holding this call (so they may open it to score it)? */
  async isCalibrationMember(userId: string, callId: string): Promise<boolean> {
    const res = await this.db.execute(sql`
      select 1 from calibration_calls c
      join calibration_members m on m.session_id = c.session_id
      join calibration_sessions s on s.id = c.session_id
      where c.recording_id = ${callId} and m.inspector_id = ${userId} and s.status = 'open' limit 1`);
    return rowsOf(res).length > 0;
  }
}
