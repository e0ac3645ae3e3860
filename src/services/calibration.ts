/**
 * Calibration sessions (002_86dd0be3b1ad6e94.txt 一、5-6 监控人员的培训及考核 / 再确认). A supervisor puts calls
 * and inspectors into a session; each inspector scores the calls blind: until the supervisor closes the
 * session nobody sees anyone else's scores (the supervisor sees who has scored, not what), and a scorer does not
 * see the machine's draft (its verdicts and points) until they have scored every item: then the draft is shown
 * beside their scores and those can no longer change. When closed, every member sees every score and the
 * statistics of src/review/calibration.ts. Every step is audited.
 */
import { calibrate } from '../review/calibration.js';
import type { CalibrationCallView, CalibrationItemView, CalibrationScoreView, CalibrationView } from '../review/calibration-view.js';
import type { ReviewPolicy } from '../score/schema.js';
import type { ItemResult, ScorecardDraft } from '../score/types.js';
import type { StoreDb } from '../store/db.js';
import type { CalibrationSessionRow } from '../store/schema.js';
import { TriageRepo } from '../store/triage-repo.js';
import type { AuditService } from './audit.js';
import { shownFileName, type CallAccess } from './call-access.js';
import { ServiceError, forbidden, notFound } from './errors.js';
import type { AuthUser } from './types.js';

/** Item kinds a calibration scores: those with a range of points (fatal checks are verdicts, bonuses optional). */
const CALIBRATED_KINDS = new Set(['standard', 'manual', 'penalty']);

export type { CalibrationCallView, CalibrationItemView, CalibrationScoreView, CalibrationView } from '../review/calibration-view.js';

export interface CreateCalibrationInput {
  title: string;
  callIds: string[];
  /** usernames or ids of inspectors */
  inspectors: string[];
  benchmark?: 'supervisor' | 'consensus';
}

interface Session {
  row: CalibrationSessionRow;
  role: CalibrationView['you']['role'];
}

/** What an inspector may give, as in a review: standard/manual 0..points; penalty down to -(section max). */
function itemRange(it: ItemResult & { sectionMax: number }): { min: number; max: number } {
  return it.kind === 'penalty' ? { min: -it.sectionMax, max: 0 } : { min: 0, max: it.maxPoints };
}

function calibratedItems(card: ScorecardDraft): (ItemResult & { sectionMax: number })[] {
  return card.sections
    .filter((s) => !s.bonus)
    .flatMap((s) => s.items.filter((i) => CALIBRATED_KINDS.has(i.kind) && i.maxPoints > 0).map((i) => ({ ...i, sectionMax: s.max })));
}

/** Whether `scores` hold a score for every item of every call (the scorer has submitted their own). */
function submittedAll(scores: readonly { callId: string; itemId: string }[], calls: readonly { id: string; items: readonly { id: string }[] }[]): boolean {
  const have = new Set(scores.map((s) => `${s.callId}\u0000${s.itemId}`));
  const need = calls.flatMap((c) => c.items.map((it) => `${c.id}\u0000${it.id}`));
  return need.length > 0 && need.every((k) => have.has(k));
}

export class CalibrationService {
  readonly repo: TriageRepo;
  constructor(
    db: StoreDb,
    private readonly access: CallAccess,
    private readonly audit: AuditService,
    private readonly policyFor: (pipelineId: string) => ReviewPolicy,
    private readonly now: () => Date,
  ) {
    this.repo = new TriageRepo(db);
  }

  async create(user: AuthUser, input: CreateCalibrationInput): Promise<CalibrationView> {
    if (user.role !== 'supervisor') throw forbidden('only supervisors run calibration sessions');
    const callIds = [...new Set(input.callIds)];
    if (!callIds.length) throw new ServiceError(422, 'invalid', 'a calibration session needs at least one call', { field: 'callIds' });
    if (!input.title.trim()) throw new ServiceError(422, 'invalid', 'title must not be empty', { field: 'title' });
    const calls = [];
    for (const id of callIds) {
      const c = await this.access.authorizeCall(user, id); // 404 for calls outside the supervisor's team
      const scorecardId = c.reviewScorecardId ?? c.scorecardId;
      if (!scorecardId) throw new ServiceError(409, 'conflict', `call ${id} has no draft scorecard to calibrate on`);
      calls.push({ recordingId: c.id, scorecardId, pipelineId: c.pipelineId });
    }
    const programs = [...new Set(calls.map((c) => c.pipelineId))];
    if (programs.length > 1) throw new ServiceError(422, 'invalid', `the calls belong to different QA programs (${programs.join(', ')}): one program per session`, { field: 'callIds' });
    const pool = await this.repo.activeUsers('inspector', user.team ?? null);
    const members: typeof pool = [];
    for (const name of new Set(input.inspectors)) {
      const u = pool.find((i) => i.username === name || i.id === name);
      if (!u) throw new ServiceError(422, 'invalid', `${name} is not an active inspector of your team`, { field: 'inspectors' });
      // one inspector named twice (by name and by id) is one member: a consensus needs two people
      if (!members.some((m) => m.id === u.id)) members.push(u);
    }
    const policy = this.policyFor(programs[0]!);
    const benchmark = input.benchmark ?? policy.calibration.benchmark;
    const need = benchmark === 'consensus' ? 2 : 1;
    if (members.length < need)
      throw new ServiceError(422, 'invalid', `a ${benchmark} benchmark needs at least ${need} inspector(s)`, { field: 'inspectors' });
    const row = await this.repo.createSession(
      { title: input.title.trim(), pipelineId: programs[0]!, benchmark, team: user.team ?? null, createdBy: user.id, createdAt: this.now() },
      calls.map(({ recordingId, scorecardId }) => ({ recordingId, scorecardId })),
      members.map((m) => m.id),
    );
    await this.audit.audit(user, 'calibration.create', { type: 'calibration', id: row.id }, { calls: callIds, inspectors: members.map((m) => m.username), benchmark });
    return this.get(user, row.id);
  }

  /** The session if the user may see it (its owner, a supervisor of its team, a member, an admin); else 404. */
  private async session(user: AuthUser, id: string): Promise<Session> {
    if (user.role === 'agent') throw notFound(`calibration session ${id}`);
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound(`calibration session ${id}`);
    const row = await this.repo.getSession(id);
    if (!row) throw notFound(`calibration session ${id}`);
    if (user.role === 'admin') return { row, role: 'admin' };
    if (user.role === 'supervisor') {
      if (row.createdBy === user.id) return { row, role: 'owner' };
      if (user.team && row.team === user.team) return { row, role: 'supervisor' };
      throw notFound(`calibration session ${id}`);
    }
    const members = await this.repo.sessionMembers(id);
    if (members.some((m) => m.id === user.id)) return { row, role: 'member' };
    throw notFound(`calibration session ${id}`);
  }

  /**
   * The calls whose machine scores are to be kept from the user: those of every open session they score, blind
   * (a member inspector; the owner of a supervisor-benchmark session), until they have scored every item there.
   * Every answer that carries a call's draft, its totals or its findings leaves them out for these calls
   * (getCall, callHistory, listCalls, the calls export, the review queue; search filters on score or finding,
   * docs/review.md), as get does on the session page.
   */
  async blindCalls(user: AuthUser): Promise<ReadonlySet<string>> {
    const out = new Set<string>();
    if (user.role !== 'inspector' && user.role !== 'supervisor') return out;
    for (const s of await this.repo.openSessionsScoredBy(user.id, user.role)) {
      const mine = await this.repo.sessionScores(s.id, user.id);
      if (!submittedAll(mine, s.calls.map((c) => ({ id: c.recordingId, items: calibratedItems(c.card) })))) for (const c of s.calls) out.add(c.recordingId);
    }
    return out;
  }

  /** Whether the machine's draft of this call is to be kept from the user (one of blindCalls). */
  async machineHiddenFor(user: AuthUser, callId: string): Promise<boolean> {
    return (await this.blindCalls(user)).has(callId);
  }

  async list(user: AuthUser): Promise<(Omit<CalibrationSessionRow, 'createdBy'> & { calls: number; members: number })[]> {
    if (user.role === 'agent') throw forbidden('agents take no part in calibration');
    const rows =
      user.role === 'admin'
        ? await this.repo.listSessions({ all: true })
        : user.role === 'supervisor'
          ? await this.repo.listSessions({ createdBy: user.id, ...(user.team ? { team: user.team } : {}) })
          : await this.repo.listSessions({ memberId: user.id });
    return rows.map(({ createdBy: _c, ...r }) => r);
  }

  async get(user: AuthUser, id: string): Promise<CalibrationView> {
    const { row, role } = await this.session(user, id);
    const [calls, members] = await Promise.all([this.repo.sessionCalls(id), this.repo.sessionMembers(id)]);
    const closed = row.status === 'closed';
    const all = await this.repo.sessionScores(id);
    const memberIds = new Set(members.map((m) => m.id));
    const view = (s: (typeof all)[number]): CalibrationScoreView => ({ callId: s.callId, itemId: s.itemId, scorer: s.scorer, points: s.points, scoredAt: s.scoredAt.toISOString() });
    const callViews: CalibrationCallView[] = calls.map((c) => ({
      id: c.recordingId,
      fileName: shownFileName(user, c.fileName),
      durationSec: c.durationSec,
      items: calibratedItems(c.card).map((it) => ({
        id: it.id,
        title: it.title,
        kind: it.kind,
        ...itemRange(it),
        maxPoints: it.maxPoints,
        ...(it.guidance ? { guidance: it.guidance } : {}),
        machine: { status: it.status, points: it.points, reason: it.reason },
      })),
    }));
    const expectedScores = callViews.reduce((a, c) => a + c.items.length, 0);
    const owner = await this.ownerName(row, members, all);
    const mine = all.filter((s) => s.scorerId === user.id);
    // Blind: a scorer sees the machine's answers only once they have scored every item (then their scores are
    // in and stay as given), or once the session is closed; until then the draft's verdicts and points are not sent.
    const scorer = role === 'member' || (role === 'owner' && row.benchmark === 'supervisor');
    const submitted = scorer && expectedScores > 0 && submittedAll(mine, callViews);
    const machineHidden = !closed && scorer && !submitted;
    if (machineHidden) for (const c of callViews) for (const it of c.items) it.machine = null;
    // a call may be in two sessions: one this user still scores blind in another open session shows here neither
    // the machine's answers nor anyone's scores of it (this session's results are of its other calls), until then
    const blindElsewhere = await this.blindCalls(user);
    for (const c of callViews) if (blindElsewhere.has(c.id)) for (const it of c.items) it.machine = null;
    const shown = all.filter((s) => !blindElsewhere.has(s.callId));
    const canScore = !closed && scorer && !submitted;
    const result: CalibrationView = {
      id: row.id,
      title: row.title,
      pipelineId: row.pipelineId,
      benchmark: row.benchmark,
      status: row.status,
      team: row.team,
      createdBy: owner,
      createdAt: row.createdAt.toISOString(),
      closedAt: row.closedAt?.toISOString() ?? null,
      you: { role, canScore, canClose: !closed && (role === 'owner' || role === 'supervisor'), submitted, machineHidden },
      members: members.map((m) => ({ username: m.username, scored: all.filter((s) => s.scorerId === m.id).length })),
      expectedScores,
      calls: callViews,
      myScores: mine.map(view),
      scores: closed ? shown.map(view) : null,
      results: null,
    };
    if (closed) {
      const policy = this.policyFor(row.pipelineId).calibration;
      const items = new Map<string, number>();
      for (const c of callViews) for (const it of c.items) items.set(it.id, Math.max(items.get(it.id) ?? 0, it.maxPoints));
      const res = calibrate({
        items: [...items].map(([itemId, maxPoints]) => ({ itemId, maxPoints })),
        scores: shown.filter((s) => memberIds.has(s.scorerId)).map((s) => ({ callId: s.callId, itemId: s.itemId, scorer: s.scorer, points: s.points })),
        supervisorScores: shown.filter((s) => s.scorerId === row.createdBy).map((s) => ({ callId: s.callId, itemId: s.itemId, points: s.points })),
        policy: { ...policy, benchmark: row.benchmark },
      });
      result.results = { ...res, passAccuracy: policy.passAccuracy, biasThreshold: policy.biasThreshold };
    }
    return result;
  }

  private async ownerName(row: CalibrationSessionRow, members: { id: string; username: string }[], scores: { scorerId: string; scorer: string }[]): Promise<string> {
    const known = scores.find((s) => s.scorerId === row.createdBy)?.scorer ?? members.find((m) => m.id === row.createdBy)?.username;
    if (known) return known;
    const sups = await this.repo.activeUsers('supervisor');
    return sups.find((s) => s.id === row.createdBy)?.username ?? row.createdBy;
  }

  async score(user: AuthUser, id: string, scores: { callId: string; itemId: string; points: number }[]): Promise<CalibrationView> {
    const { row, role } = await this.session(user, id);
    if (!(role === 'member' || (role === 'owner' && row.benchmark === 'supervisor')))
      throw forbidden(role === 'owner' ? 'with a consensus benchmark the supervisor does not score' : 'only the session\'s inspectors score it');
    if (row.status !== 'open') throw new ServiceError(409, 'conflict', 'the session is closed');
    const calls = await this.repo.sessionCalls(id);
    const ranges = new Map<string, { min: number; max: number }>();
    for (const c of calls) for (const it of calibratedItems(c.card)) ranges.set(`${c.recordingId}\u0000${it.id}`, itemRange(it));
    scores.forEach((s, i) => {
      const r = ranges.get(`${s.callId}\u0000${s.itemId}`);
      if (!r) throw new ServiceError(422, 'invalid', `scores[${i}]: item ${s.itemId} of call ${s.callId} is not part of this session`, { field: `scores.${i}` });
      if (!(s.points >= r.min - 1e-9 && s.points <= r.max + 1e-9))
        throw new ServiceError(422, 'invalid', `scores[${i}]: ${s.points} is outside ${s.itemId}'s range ${r.min}..${r.max}`, { field: `scores.${i}.points` });
    });
    const mine = await this.repo.sessionScores(id, user.id);
    const items = calls.map((c) => ({ id: c.recordingId, items: calibratedItems(c.card) }));
    if (submittedAll(mine, items))
      throw new ServiceError(409, 'conflict', "your scores for this session are in and the machine's answers were shown to you: they can no longer change");
    const outcome = await this.repo.saveScores(id, user.id, scores, this.now());
    if (outcome === 'closed') throw new ServiceError(409, 'conflict', 'the session is closed');
    if (outcome === 'missing') throw notFound(`calibration session ${id}`);
    await this.audit.audit(user, 'calibration.score', { type: 'calibration', id }, { scores: scores.length });
    return this.get(user, id);
  }

  async close(user: AuthUser, id: string): Promise<CalibrationView> {
    const { row, role } = await this.session(user, id);
    if (role !== 'owner' && role !== 'supervisor') throw forbidden('only a supervisor of the session closes it');
    if (row.status !== 'open') throw new ServiceError(409, 'conflict', 'the session is already closed');
    if (row.benchmark === 'supervisor') {
      const mine = await this.repo.sessionScores(id, row.createdBy);
      if (!mine.length) throw new ServiceError(409, 'conflict', 'the benchmark is the supervisor\'s scores: the supervisor who created the session scores the calls before closing it');
    }
    if (!(await this.repo.closeSession(id, this.now()))) throw new ServiceError(409, 'conflict', 'the session is already closed');
    await this.audit.audit(user, 'calibration.close', { type: 'calibration', id }, {});
    return this.get(user, id);
  }
}
