/**
 * Which calls get a human: the ranked review queue (risk reasons + the random sample, marked), this week's
 * sampling plan per QA program, inspectors' daily quotas and the assignment of calls to inspectors. Loads
 * through the repositories, computes with src/review/ (triage.ts, sampling.ts), audits every assignment.
 */
import { resolvePipeline } from '../pipeline/loader.js';
import {
  agentRequirement,
  assignEvenly,
  dailyQuota,
  drawRandomSample,
  isoWeek,
  meanWithMargin,
  weekPlan,
  workdaysLeft,
  type AgentClass,
  type AgentStanding,
  type MeanEstimate,
  type RandomWhy,
  type WeekPlan,
} from '../review/sampling.js';
import { mixQueue, rankCalls, type TriageInput, type TriageReason } from '../review/triage.js';
import { defaultReviewPolicy, type ReviewPolicy } from '../score/schema.js';
import type { CallFilter, CallRow } from '../store/calls-repo.js';
import type { StoreDb } from '../store/db.js';
import { TriageRepo, type PeriodCall } from '../store/triage-repo.js';
import type { AuditService } from './audit.js';
import { callScope, type CallAccess } from './call-access.js';
import { summaryOf, type CallSummary } from './calls.js';
import { ServiceError, forbidden } from './errors.js';
import type { AuthUser } from './types.js';

const DAY_MS = 86_400_000;

const percents = (calls: readonly PeriodCall[]) => calls.map((c) => c.finalPercent).filter((x): x is number => x !== null);

/** The review policy of a program (pipelines/<id>.yaml `review:`); a program that is gone gets the defaults. */
export function programReviewPolicy(pipelineId: string): ReviewPolicy {
  try {
    return resolvePipeline(pipelineId).review ?? defaultReviewPolicy();
  } catch {
    return defaultReviewPolicy();
  }
}

export interface QueueFilter {
  team?: string;
  agentId?: string;
  pipelineId?: string;
  /** analysed at or after (default: the start of last ISO week) */
  since?: Date;
  until?: Date;
  /** pending = unreviewed + in progress (default); completed lists reviewed calls (ranked the same way) */
  state?: 'pending' | 'unreviewed' | 'in_progress' | 'completed';
  /** only calls assigned to the asking inspector / only unassigned ones */
  assigned?: 'me' | 'unassigned';
  limit?: number;
}

export interface QueueEntry {
  rank: number;
  call: CallSummary;
  risk: number;
  reasons: TriageReason[];
  /** drawn into the random sample: 'share' (the program's random share) or 'agent-minimum' (topped up per agent) */
  random: RandomWhy | null;
  agentClass: AgentClass | null;
}

export interface InspectorQuota {
  /** reviews this inspector should complete today (002 一、4; the week's remaining target spread over inspectors and days) */
  quota: number;
  /** reviews they completed today */
  done: number;
  /** calls assigned to them and not yet completed */
  assignedOpen: number;
  remaining: number;
}

export interface ReviewQueue {
  generatedAt: string;
  week: string;
  total: number;
  entries: QueueEntry[];
  /** the asking inspector's quota for today (null for supervisors and admins) */
  quota: InspectorQuota | null;
}

export interface ProgramPlan {
  pipelineId: string;
  plan: WeekPlan;
  /** calls of the week in the random sample, and how many of those are reviewed */
  random: { drawn: number; reviewed: number };
  /**
   * mean final score (percent) of the week's reviews: over all of them (risk-picked too: biased low), and over
   * the reviewed calls of the random share (equal chance for every call: an unbiased estimate, with its margin
   * at the policy's confidence)
   */
  scores: { reviewed: MeanEstimate; random: MeanEstimate };
  inspectors: number;
  workdaysLeft: number;
  /** each inspector's quota today for this program's remaining target */
  dailyQuota: number;
}

export interface PlanReport {
  week: string;
  start: string;
  end: string;
  team: string | null;
  programs: ProgramPlan[];
}

export interface AssignInput {
  /** explicit: these calls to `inspector` (username or id) */
  callIds?: string[];
  inspector?: string;
  /** automatic: the supervisor's queue, unassigned calls, evenly over active inspectors up to their quota */
  auto?: { pipelineId?: string; team?: string; limit?: number };
}

export interface AssignableInspector {
  id: string;
  username: string;
  team: string | null;
  /** calls assigned to them and not yet completed: of the asking supervisor's team (an admin: all) */
  openCalls: number;
}

export interface AssignResult {
  assigned: { callId: string; inspector: string }[];
  /** auto: queue calls left unassigned because every inspector reached their quota */
  left: number;
}

interface Standing {
  standing: AgentStanding;
  requirement: ReturnType<typeof agentRequirement>;
}

export class ReviewQueueService {
  readonly repo: TriageRepo;
  constructor(
    db: StoreDb,
    private readonly access: CallAccess,
    private readonly audit: AuditService,
    private readonly policyFor: (pipelineId: string) => ReviewPolicy,
    private readonly now: () => Date,
    /** the calls the user scores blind in an open calibration session (CalibrationService.blindCalls) */
    private readonly blindCalls: (user: AuthUser) => Promise<ReadonlySet<string>> = async () => new Set(),
  ) {
    this.repo = new TriageRepo(db);
  }

  // ------------------------------------------------------------------------------------------- standings

  /** Each agent's class and weekly minimum as of `weekStart` (new / weak / falling / regular). */
  private async standings(agentIds: readonly string[], policy: ReviewPolicy, weekStart: Date): Promise<Map<string, Standing>> {
    const ids = [...new Set(agentIds)];
    const out = new Map<string, Standing>();
    if (!ids.length) return out;
    const lookback = new Date(weekStart.getTime() - policy.sampling.weakAgent.lookbackWeeks * 7 * DAY_MS);
    const [first, means] = await Promise.all([this.repo.firstCalls(ids), this.repo.weeklyMeans(ids, lookback, weekStart)]);
    // An agent is new when their first call is recent AND the database holds older calls: on a fresh
    // installation everyone's first call is recent, and nobody is new for that reason.
    const installedBefore = first.overall !== null && weekStart.getTime() - first.overall.getTime() >= policy.sampling.newAgent.days * DAY_MS;
    for (const id of ids) {
      const since = first.byAgent.get(id);
      const standing: AgentStanding = {
        agentId: id,
        since: installedBefore && since ? since.toISOString() : undefined,
        weeklyMeanPercent: (means.get(id) ?? []).map((m) => m.meanPercent),
      };
      out.set(id, { standing, requirement: agentRequirement(standing, policy.sampling, weekStart) });
    }
    return out;
  }

  /** The random sample of one program's week: call id -> why. */
  private async randomDraw(pipelineId: string, week: ReturnType<typeof isoWeek>, calls?: PeriodCall[]): Promise<{ draw: Map<string, RandomWhy>; calls: PeriodCall[]; standings: Map<string, Standing> }> {
    const policy = this.policyFor(pipelineId);
    const weekCalls = calls ?? (await this.repo.periodCalls(week.start, week.end, pipelineId));
    const standings = await this.standings(weekCalls.map((c) => c.agentId).filter((a): a is string => !!a), policy, week.start);
    const draw = drawRandomSample({
      calls: weekCalls.map((c) => ({ id: c.id, agentId: c.agentId ?? undefined })),
      seed: `${policy.sampling.seed}:${pipelineId}:${week.label}`,
      share: policy.sampling.randomShare,
      perAgentMin: (agentId) => standings.get(agentId)?.requirement.minPerWeek ?? policy.sampling.minPerAgentPerWeek,
    });
    return { draw, calls: weekCalls, standings };
  }

  // ------------------------------------------------------------------------------------------------ plan

  /** What this week's policy asks for, per program, and what is covered (`team`: only that team's calls). */
  async plan(user: AuthUser | null, opts: { at?: Date; pipelineId?: string; team?: string } = {}): Promise<PlanReport> {
    let team = opts.team ?? null;
    if (user) {
      if (user.role === 'agent' || user.role === 'inspector') throw forbidden('the sampling plan is for supervisors and admins');
      if (user.role === 'supervisor') {
        if (!user.team) throw forbidden('a supervisor without a team has no plan');
        team = user.team;
      }
    }
    const at = opts.at ?? this.now();
    const week = isoWeek(at);
    if (team) await this.loadAgentTeams();
    const all = await this.repo.periodCalls(week.start, week.end, opts.pipelineId);
    const programs = [...new Set(all.map((c) => c.pipelineId))].sort();
    if (opts.pipelineId && !programs.includes(opts.pipelineId)) programs.push(opts.pipelineId);
    // the final scores of the calls this user scores blind in a calibration session are not in their means (a week
    // may hold one reviewed call); the counts (calls, reviewed) stay: they tell no score
    const blind = user ? await this.blindCalls(user) : new Set<string>();
    const out: ProgramPlan[] = [];
    for (const pipelineId of programs) {
      const policy = this.policyFor(pipelineId);
      const programCalls = all.filter((c) => c.pipelineId === pipelineId);
      const { draw, standings } = await this.randomDraw(pipelineId, week, programCalls);
      const scoped = team ? programCalls.filter((c) => c.team === team || (c.agentId !== null && this.teamOfAgent(c, team))) : programCalls;
      const byAgent = new Map<string, { calls: number; reviewed: number }>();
      const unattributed = { calls: 0, reviewed: 0 };
      for (const c of scoped) {
        const e = c.agentId ? (byAgent.get(c.agentId) ?? { calls: 0, reviewed: 0 }) : unattributed;
        e.calls++;
        if (c.reviewState === 'completed') e.reviewed++;
        if (c.agentId) byAgent.set(c.agentId, e);
      }
      const agents = [...byAgent].map(([agentId, e]) => ({ ...standings.get(agentId)!.standing, ...e }));
      const plan = weekPlan(agents, policy.sampling, week.start, unattributed);
      const inspectors = (await this.repo.activeUsers('inspector', team ?? undefined)).length;
      const left = workdaysLeft(at, policy.quotas.workdays);
      const drawn = scoped.filter((c) => draw.has(c.id));
      out.push({
        pipelineId,
        plan,
        random: { drawn: drawn.length, reviewed: drawn.filter((c) => c.reviewState === 'completed').length },
        scores: {
          // no margin: risk-picked reviews are not a random sample of anything
          reviewed: { ...meanWithMargin(percents(scoped.filter((c) => !blind.has(c.id))), policy.sampling.confidence), margin: null },
          random: meanWithMargin(percents(scoped.filter((c) => draw.get(c.id) === 'share' && !blind.has(c.id))), policy.sampling.confidence, scoped.length),
        },
        inspectors,
        workdaysLeft: left,
        dailyQuota: inspectors > 0 && left > 0 ? dailyQuota({ remaining: plan.missing, inspectors, workdaysLeft: left }, policy.quotas) : 0,
      });
    }
    return { week: week.label, start: week.start.toISOString(), end: week.end.toISOString(), team, programs: out };
  }

  /** Calls whose metadata names no team are counted for the team of their agent (set on the agent's user). */
  private agentTeams = new Map<string, string | null>();
  private teamOfAgent(c: PeriodCall, team: string): boolean {
    return this.agentTeams.get(c.agentId!) === team;
  }
  private async loadAgentTeams(): Promise<void> {
    const agents = await this.repo.agentUsers();
    this.agentTeams = new Map(agents.map((a) => [a.agentId, a.team]));
  }

  // ----------------------------------------------------------------------------------------------- queue

  async reviewQueue(user: AuthUser, f: QueueFilter = {}): Promise<ReviewQueue> {
    if (user.role === 'agent') throw forbidden('agents have no review queue');
    const now = this.now();
    const week = isoWeek(now);
    const since = f.since ?? new Date(week.start.getTime() - 7 * DAY_MS);
    const states = f.state && f.state !== 'pending' ? [f.state] : (['unreviewed', 'in_progress'] as const);
    const base: CallFilter = { since, limit: 5000 };
    if (f.until) base.until = f.until;
    if (f.team) base.team = f.team;
    if (f.agentId) base.agentId = f.agentId;
    if (f.pipelineId) base.pipelineId = f.pipelineId;
    const scope = callScope(user);
    let calls: CallRow[] = [];
    for (const state of states) calls.push(...(await this.access.repo.listCalls(scope, { ...base, state })).calls);
    if (f.assigned === 'me') calls = calls.filter((c) => c.assignedTo?.id === user.id);
    else if (f.assigned === 'unassigned') calls = calls.filter((c) => !c.assignedTo);
    // an inspector's queue: calls assigned to them and unassigned ones (never someone else's assignment)
    if (user.role === 'inspector') calls = calls.filter((c) => !c.assignedTo || c.assignedTo.id === user.id);

    // random draw and agent standings per program and week of the calls
    const random = new Map<string, RandomWhy>();
    const agentClass = new Map<string, AgentClass>();
    const groups = new Map<string, { pipelineId: string; week: ReturnType<typeof isoWeek> }>();
    for (const c of calls) {
      const w = isoWeek(c.analysedAt ?? now);
      groups.set(`${c.pipelineId}\u0000${w.label}`, { pipelineId: c.pipelineId, week: w });
    }
    for (const g of groups.values()) {
      const { draw, standings } = await this.randomDraw(g.pipelineId, g.week);
      for (const [id, why] of draw) random.set(id, why);
      if (g.week.label === week.label || !agentClass.size)
        for (const [agentId, s] of standings) agentClass.set(`${g.pipelineId}\u0000${agentId}`, s.requirement.class);
    }

    const data = await this.repo.triageData(calls.map((c) => ({ runId: c.runId, scorecardId: c.reviewScorecardId ?? c.scorecardId })));
    // a call the user scores blind in a calibration session is ranked as one without a draft or findings (its
    // rank and reasons would tell the machine's verdicts): by the agent's standing and the transcript's confidence
    const blind = await this.blindCalls(user);
    const inputs: TriageInput[] = calls.map((c) => {
      const d = data.get(c.runId);
      const agentId = typeof c.metadata.agentId === 'string' ? c.metadata.agentId : undefined;
      const cls = agentId ? agentClass.get(`${c.pipelineId}\u0000${agentId}`) : undefined;
      const hidden = blind.has(c.id);
      return { id: c.id, agentId, draft: hidden ? null : (d?.card ?? null), events: hidden ? [] : (d?.events ?? []), asrConfidence: d?.asrConfidence ?? null, agentClass: cls };
    });
    const byId = new Map(calls.map((c) => [c.id, c]));
    const classOf = new Map(inputs.map((i) => [i.id, i.agentClass ?? null]));
    const ranked = rankCalls(inputs, (c) => this.policyFor(byId.get(c.id)!.pipelineId).triage);
    const queue = mixQueue(ranked, random);
    const limit = f.limit ?? 200;
    const entries = queue.slice(0, limit).map((q, i) => ({
      rank: i + 1,
      call: summaryOf(user, byId.get(q.id)!, blind.has(q.id)),
      risk: q.risk,
      reasons: q.reasons,
      random: q.random ?? null,
      agentClass: classOf.get(q.id) ?? null,
    }));
    const quota = user.role === 'inspector' ? await this.inspectorQuota(user.id, now) : null;
    return { generatedAt: now.toISOString(), week: week.label, total: queue.length, entries, quota };
  }

  /**
   * Today's quota for every active inspector (the same figure for all): the remaining targets of every program
   * this week, spread over the active inspectors and the working days left, at least the daily minimum, at
   * most the daily maximum (002 一、4). The quota rules of the program with the most calls this week apply
   * (the defaults when there is none); 0 on a day that is not a working day.
   */
  async quotaToday(now: Date): Promise<{ quota: number; loads: Map<string, { open: number; doneToday: number }> }> {
    const report = await this.plan(null, { at: now });
    const main = [...report.programs].sort((a, b) => b.plan.volume - a.plan.volume)[0];
    const quotas = main ? this.policyFor(main.pipelineId).quotas : defaultReviewPolicy().quotas;
    const iso = ((now.getUTCDay() + 6) % 7) + 1;
    const remaining = report.programs.reduce((a, p) => a + p.plan.missing, 0);
    const inspectors = main?.inspectors ?? (await this.repo.activeUsers('inspector')).length;
    const quota = quotas.workdays.includes(iso) ? dailyQuota({ remaining, inspectors, workdaysLeft: workdaysLeft(now, quotas.workdays) }, quotas) : 0;
    const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const loads = await this.repo.inspectorLoads(dayStart, new Date(dayStart.getTime() + DAY_MS));
    return { quota, loads };
  }

  private async inspectorQuota(userId: string, now: Date): Promise<InspectorQuota> {
    const { quota, loads } = await this.quotaToday(now);
    const mine = loads.get(userId) ?? { open: 0, doneToday: 0 };
    return { quota, done: mine.doneToday, assignedOpen: mine.open, remaining: Math.max(0, quota - mine.doneToday) };
  }

  // ------------------------------------------------------------------------------------------ assignment

  /**
   * The inspectors a supervisor may assign calls to (active, of their team or of no team), by name, with the
   * calls each has open; admins see every active inspector. What the assignment page offers to pick from.
   * A supervisor's open count is of the calls of their team (what they assign; the calls they may see): an
   * inspector of no team serves every team, and their open calls of other teams are not this supervisor's to
   * weigh or to know of. An admin's is of every call. (Automatic assignment weighs each inspector's whole load
   * against the daily quota, as the inspector's own quota does.)
   */
  async inspectors(user: AuthUser): Promise<AssignableInspector[]> {
    if (user.role !== 'supervisor' && user.role !== 'admin') throw forbidden('only supervisors and admins list the inspectors to assign');
    const now = this.now();
    const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const [rows, loads] = await Promise.all([
      this.repo.activeUsers('inspector', user.role === 'supervisor' ? (user.team ?? null) : undefined),
      this.repo.inspectorLoads(dayStart, new Date(dayStart.getTime() + DAY_MS), callScope(user)),
    ]);
    return rows.map((u) => ({ id: u.id, username: u.username, team: u.team, openCalls: loads.get(u.id)?.open ?? 0 }));
  }

  async assign(user: AuthUser, input: AssignInput): Promise<AssignResult> {
    if (user.role !== 'supervisor') throw forbidden('only supervisors assign calls');
    const now = this.now();
    const inspectors = await this.repo.activeUsers('inspector', user.team ?? null);
    const pairs: { callId: string; inspectorId: string; inspector: string }[] = [];
    let left = 0;
    if (input.callIds?.length) {
      if (input.auto) throw new ServiceError(400, 'invalid', 'give either callIds + inspector or auto, not both');
      const target = inspectors.find((i) => i.username === input.inspector || i.id === input.inspector);
      if (!target)
        throw new ServiceError(422, 'invalid', `inspector: ${JSON.stringify(input.inspector ?? '')} is not an active inspector of your team (listInspectors names those there are)`, { field: 'inspector' });
      for (const id of new Set(input.callIds)) {
        const call = await this.access.authorizeCall(user, id);
        if (call.reviewState === 'completed') throw new ServiceError(409, 'conflict', `call ${id} is already reviewed`);
        pairs.push({ callId: id, inspectorId: target.id, inspector: target.username });
      }
    } else if (input.auto) {
      const q = await this.reviewQueue(user, { ...input.auto, assigned: 'unassigned', limit: input.auto.limit ?? 1000 });
      const { quota, loads } = await this.quotaToday(now);
      const m = assignEvenly(
        q.entries.map((e) => e.call.id),
        inspectors.map((i) => {
          const l = loads.get(i.id) ?? { open: 0, doneToday: 0 };
          return { id: i.id, load: l.open + l.doneToday, capacity: quota };
        }),
      );
      const names = new Map(inspectors.map((i) => [i.id, i.username]));
      for (const [callId, inspectorId] of m) pairs.push({ callId, inspectorId, inspector: names.get(inspectorId)! });
      left = q.entries.length - m.size;
    } else throw new ServiceError(400, 'invalid', 'give callIds and inspector, or auto');
    await this.repo.db.transaction(async (tx) => {
      const repo = new TriageRepo(tx as unknown as StoreDb);
      // before and after: a call moved from one inspector to another names both
      const before = await repo.assignees(pairs.map((p) => p.callId));
      await repo.assign(pairs, user.id, now);
      for (const p of pairs)
        await this.audit.audit(user, 'call.assign', { type: 'call', id: p.callId, callId: p.callId }, { inspector: p.inspector, previous: before.get(p.callId) ?? null, auto: !!input.auto }, tx as unknown as StoreDb);
    });
    return { assigned: pairs.map((p) => ({ callId: p.callId, inspector: p.inspector })), left };
  }
}
