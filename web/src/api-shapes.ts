import type { User } from './api';
import type { CallDetail, CallEvent, Decision, Draft, DraftItem, HistoryEntry, ReviewState, Segment, Speaker } from './types';

/**
 * The review API's answers (docs/api.md) turned into what the pages use. Kept in one file so a change in the
 * API touches one place. Unknown or missing fields fall back to "not known", never to a made-up value.
 */

type J = Record<string, unknown>;
const obj = (v: unknown): J => (v && typeof v === 'object' ? (v as J) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const numOr = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** One of the inspectors a supervisor may pick (to assign calls to, or for a calibration session), as `listInspectors` answers. */
export interface Inspector {
  id: string;
  username: string;
  team: string | null;
  /** their open calls of the supervisor's team (an admin: of every team) */
  openCalls: number;
}

export interface QueueEntry {
  id: string;
  fileName: string;
  agentId: string | null;
  team: string | null;
  program: string | null;
  date: string | null;
  durationSec: number | null;
  draftTotal: number | null;
  finalTotal: number | null;
  maxTotal: number | null;
  needsReview: boolean;
  /** the draft's items left to judge by hand (null when the API does not say) */
  openItems: number | null;
  /** why the scores are null: blind_calibration (you score the call in an open calibration session) or review_incomplete */
  hiddenReason: 'blind_calibration' | 'review_incomplete' | null;
  state: 'unreviewed' | 'in_progress' | 'completed';
  risk: number;
  reasons: { code: string; text: string; weight: number }[];
  random: string | null;
}

export interface QueuePage {
  entries: QueueEntry[];
  quota: { done: number; quota: number | null } | null;
}

export function toQueueEntry(raw: unknown): QueueEntry {
  const r = obj(raw);
  const call = obj(r.call ?? r);
  const md = obj(call.metadata);
  const state = str(obj(call.review).state ?? call.reviewState ?? r.reviewState) ?? 'unreviewed';
  return {
    id: String(call.id ?? r.id ?? r.callId),
    fileName: str(call.fileName) ?? String(call.id ?? ''),
    agentId: str(call.agentId ?? md.agentId),
    team: str(call.team ?? md.team),
    program: str(obj(call.pipeline).id ?? call.pipelineId),
    date: str(call.startedAt ?? md.startedAt ?? call.analysedAt),
    durationSec: numOr(call.durationSec),
    draftTotal: numOr(call.draftTotal ?? obj(call.draft).total),
    finalTotal: numOr(call.finalTotal),
    maxTotal: numOr(call.maxTotal ?? obj(call.draft).maxTotal),
    needsReview: call.needsReview === true,
    openItems: numOr(call.openItems),
    hiddenReason: call.hiddenReason === 'blind_calibration' || call.hiddenReason === 'review_incomplete' ? call.hiddenReason : null,
    state: (['unreviewed', 'in_progress', 'completed'].includes(state) ? state : 'unreviewed') as QueueEntry['state'],
    risk: numOr(r.risk) ?? 0,
    reasons: arr(r.reasons).map((x) => {
      const o = obj(x);
      return { code: String(o.code ?? ''), text: String(o.text ?? o.code ?? ''), weight: numOr(o.weight) ?? 0 };
    }),
    random: r.random ? String(r.random) : null,
  };
}

export function toQueue(raw: unknown): QueuePage {
  const r = obj(raw);
  const list = Array.isArray(raw) ? raw : arr(r.queue ?? r.calls ?? r.items ?? r.entries);
  const q = obj(r.quota);
  return {
    entries: list.map(toQueueEntry),
    quota: r.quota ? { done: numOr(q.done ?? q.reviewedToday) ?? 0, quota: numOr(q.quota ?? q.perDay ?? q.target) } : null,
  };
}

function toSegments(raw: unknown): Segment[] {
  return arr(raw).map((x, idx) => {
    const s = obj(x);
    return { idx, speaker: (str(s.speaker) ?? 'unknown') as Speaker, start: numOr(s.start ?? s.startSec) ?? 0, end: numOr(s.end ?? s.endSec) ?? 0, text: str(s.text) ?? '' };
  });
}

function toEvents(raw: unknown): CallEvent[] {
  return arr(raw).map((x) => {
    const e = obj(x);
    const details = obj(e.details);
    return { ...details, ...e, type: String(e.type), speaker: (str(e.speaker) as Speaker | null) ?? null, start: numOr(e.start ?? e.startSec) ?? 0, end: numOr(e.end ?? e.endSec) ?? 0 };
  });
}

function toDecision(itemId: string, raw: unknown): Decision | null {
  if (!raw) return null;
  const d = obj(raw);
  return {
    itemId,
    action: d.action === 'override' ? 'override' : 'confirm',
    points: numOr(d.points),
    fatal: typeof d.fatal === 'boolean' ? d.fatal : null,
    reasonCode: str(d.reasonCode),
    comment: str(d.comment),
    by: str(d.decidedBy),
    at: str(d.decidedAt) ?? '',
  };
}

/** The card's items carry the machine's answer (`machine`) and the inspector's (`human`); the draft shown is the machine's. */
function toCard(raw: unknown): { draft: Draft; review: ReviewState } | null {
  if (!raw) return null;
  const c = obj(raw);
  const decisions: Record<string, Decision> = {};
  const sections = arr(c.sections).map((sx) => {
    const s = obj(sx);
    return {
      id: String(s.id),
      title: str(s.title) ?? '',
      max: numOr(s.max) ?? 0,
      items: arr(s.items).map((ix) => {
        const it = obj(ix);
        const m = obj(it.machine ?? it);
        const id = String(it.id);
        const d = toDecision(id, it.human);
        if (d) decisions[id] = d;
        const item: DraftItem = {
          id,
          title: str(m.title ?? it.title) ?? id,
          kind: String(m.kind ?? it.kind),
          status: (str(m.status) ?? 'needs_review') as DraftItem['status'],
          maxPoints: numOr(m.maxPoints) ?? 0,
          points: numOr(m.points),
          deduction: numOr(m.deduction) ?? 0,
          reason: str(m.reason) ?? '',
          evidence: arr(m.evidence) as DraftItem['evidence'],
          guidance: str(m.guidance) ?? undefined,
          suggested: m.suggested ? (obj(m.suggested) as DraftItem['suggested']) : undefined,
          current: { status: (str(it.status) ?? 'needs_review') as DraftItem['status'], points: numOr(it.points) },
          amendedBy: str(it.amendedBy) ?? undefined,
          // the server sets the flag on every undecided item the machine answered; it is true only once completed
          acceptedAtCompletion: c.stage === 'final' && it.acceptedAtCompletion === true,
        };
        return item;
      }),
    };
  });
  const stage = (['draft', 'in_review', 'final'].includes(String(c.stage)) ? c.stage : 'draft') as ReviewState['stage'];
  return {
    draft: { title: str(c.title) ?? '', maxTotal: numOr(c.maxTotal) ?? 0, total: numOr(c.total) ?? 0, fatal: c.fatal === true, sections },
    review: {
      stage,
      status: stage === 'final' ? 'completed' : stage === 'in_review' ? 'in_progress' : 'unreviewed',
      pending: arr(c.pendingItems).map(String),
      decisions,
      total: numOr(c.total),
      maxTotal: numOr(c.maxTotal),
      fatal: c.fatal === true,
      completedAt: null,
      revision: numOr(c.revision),
    },
  };
}

export function toCallDetail(raw: unknown, user: User): CallDetail {
  const c = obj(raw);
  const md = obj(c.metadata);
  const audio = obj(c.audio);
  const transcript = obj(c.transcript);
  const card = toCard(c.scorecard);
  const reviewInfo = obj(c.review);
  const channels = numOr(audio.channels) ?? 1;
  if (card) card.review.completedAt = str(reviewInfo.completedAt);
  const role = user.role;
  const completed = card?.review.stage === 'final';
  const win = c.disputeWindow ? obj(c.disputeWindow) : null;
  return {
    id: String(c.id),
    fileName: str(c.fileName) ?? '',
    durationSec: numOr(c.durationSec) ?? 0,
    channels,
    // refined by the peaks answer, which knows how the analysis labelled each channel
    speakers: channels >= 2 ? ['agent', 'customer'] : ['unknown'],
    agentId: str(c.agentId ?? md.agentId),
    team: str(c.team ?? md.team),
    startedAt: str(c.startedAt ?? md.startedAt),
    language: str(transcript.language),
    timeline: null,
    events: toEvents(c.events),
    segments: toSegments(transcript.segments),
    draft: card?.draft ?? null,
    review: card?.review ?? null,
    disputes: arr(c.disputes).map((x) => {
      const d = obj(x);
      return { id: String(d.id), itemId: String(d.itemId), status: String(d.status), rulingReason: str(d.rulingReason) };
    }),
    disputeWindow: win ? { open: win.open === true, closesAt: str(win.closesAt) ?? '', limit: numOr(win.limit) ?? 0, used: numOr(win.used) ?? 0 } : null,
    hidden: str(c.hidden),
    hiddenReason: c.hiddenReason === 'blind_calibration' || c.hiddenReason === 'review_incomplete' ? c.hiddenReason : null,
    canReview: (role === 'inspector' || role === 'supervisor') && !completed && !!card,
    canDispute: role === 'agent' && completed && win?.open === true,
  };
}

export function toHistory(raw: unknown): HistoryEntry[] {
  const r = obj(raw);
  const list = Array.isArray(raw) ? raw : arr(r.history ?? r.entries ?? r.events);
  return list.map((x) => {
    const e = obj(x);
    return { at: str(e.at) ?? '', actor: str(e.actor ?? e.actorName ?? obj(e.user).username) ?? '', action: str(e.action) ?? '', itemId: str(e.itemId) ?? undefined, details: obj(e.details) };
  });
}

/** The decideItem answer ({item, total, maxTotal, pendingItems}) applied to the call on screen. */
export function applyDecisionResult(call: CallDetail, itemId: string, raw: unknown): CallDetail {
  const r = obj(raw);
  const it = obj(r.item);
  const decision = toDecision(itemId, it.human);
  if (!call.draft || !call.review) return call;
  const sections = call.draft.sections.map((s) => ({
    ...s,
    items: s.items.map((i) => (i.id === itemId ? { ...i, current: { status: (str(it.status) ?? i.status) as DraftItem['status'], points: numOr(it.points) } } : i)),
  }));
  return {
    ...call,
    draft: { ...call.draft, sections },
    review: {
      ...call.review,
      stage: 'in_review',
      status: 'in_progress',
      decisions: decision ? { ...call.review.decisions, [itemId]: decision } : call.review.decisions,
      total: numOr(r.total) ?? call.review.total,
      maxTotal: numOr(r.maxTotal) ?? call.review.maxTotal,
      pending: arr(r.pendingItems).map(String),
      revision: numOr(r.revision) ?? call.review.revision,
    },
  };
}
