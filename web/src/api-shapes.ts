import type { User } from './api';
import type { CallDetail, CallEvent, Decision, Draft, HistoryEntry, ReviewState, Segment, Speaker } from './types';

/**
 * The review API's answers (docs/api.md) turned into what the pages use. Kept in one file so a change in the
 * API touches one place. Unknown or missing fields fall back to "not known", never to a made-up value.
 */

type J = Record<string, unknown>;
const obj = (v: unknown): J => (v && typeof v === 'object' ? (v as J) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const numOr = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export interface QueueEntry {
  id: string;
  fileName: string;
  agentId: string | null;
  team: string | null;
  program: string | null;
  date: string | null;
  durationSec: number | null;
  draftTotal: number | null;
  maxTotal: number | null;
  needsReview: boolean;
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
  const state = str(call.reviewState ?? call.state ?? r.reviewState) ?? 'unreviewed';
  return {
    id: String(call.id ?? r.id ?? r.callId),
    fileName: str(call.fileName) ?? String(call.id ?? ''),
    agentId: str(call.agentId ?? md.agentId),
    team: str(call.team ?? md.team),
    program: str(call.pipelineId ?? obj(call.pipeline).id),
    date: str(call.startedAt ?? md.startedAt ?? call.analysedAt),
    durationSec: numOr(call.durationSec),
    draftTotal: numOr(call.draftTotal ?? obj(call.draft).total),
    maxTotal: numOr(call.maxTotal ?? obj(call.draft).maxTotal),
    needsReview: call.needsReview === true,
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

function toDecisions(raw: unknown): Record<string, Decision> {
  const out: Record<string, Decision> = {};
  const list = Array.isArray(raw) ? raw : Object.values(obj(raw));
  for (const x of list) {
    const d = obj(x);
    const itemId = str(d.itemId);
    if (!itemId) continue;
    // The newest decision on an item counts (decisions are append-only).
    out[itemId] = {
      itemId,
      action: d.action === 'override' ? 'override' : 'confirm',
      points: numOr(d.points),
      reasonCode: str(d.reasonCode),
      comment: str(d.comment ?? d.reason),
      by: str(d.decidedBy ?? d.by ?? obj(d.user).username),
      at: str(d.decidedAt ?? d.at) ?? '',
    };
  }
  return out;
}

function toReview(raw: unknown): ReviewState | null {
  if (!raw) return null;
  const r = obj(raw);
  const result = obj(r.result);
  return {
    status: r.status === 'completed' ? 'completed' : 'in_progress',
    decisions: toDecisions(r.decisions),
    total: numOr(result.total ?? r.total ?? r.finalTotal),
    maxTotal: numOr(result.maxTotal ?? r.maxTotal),
    fatal: typeof (result.fatal ?? r.fatal) === 'boolean' ? ((result.fatal ?? r.fatal) as boolean) : null,
    completedAt: str(r.completedAt),
  };
}

export function toCallDetail(raw: unknown, user: User): CallDetail {
  const r = obj(raw);
  const call = obj(r.call ?? r);
  const md = obj(call.metadata);
  const timeline = obj(r.timeline ?? call.timeline);
  const tlChannels = arr(timeline.channels).map((c) => {
    const o = obj(c);
    return { speaker: (str(o.speaker) ?? 'unknown') as Speaker, speech: arr(o.speech).map((s) => ({ start: numOr(obj(s).start) ?? 0, end: numOr(obj(s).end) ?? 0 })) };
  });
  const channels = numOr(call.channels) ?? Math.max(1, tlChannels.length);
  const layout = arr(r.channelLayout ?? call.channelLayout).map((s) => String(s) as Speaker);
  const speakers: Speaker[] =
    tlChannels.length === channels && tlChannels.length > 0
      ? tlChannels.map((c) => c.speaker)
      : channels >= 2
        ? layout.length === 2
          ? layout
          : ['agent', 'customer']
        : ['unknown'];
  const transcript = obj(r.transcript ?? call.transcript);
  const draft = (r.draft ?? r.scorecard ?? call.draft ?? null) as Draft | null;
  const review = toReview(r.review ?? call.review);
  const role = user.role;
  return {
    id: String(call.id ?? r.id),
    fileName: str(call.fileName ?? call.file) ?? '',
    durationSec: numOr(call.durationSec ?? timeline.durationSec) ?? 0,
    channels,
    speakers,
    agentId: str(call.agentId ?? md.agentId),
    team: str(call.team ?? md.team),
    startedAt: str(md.startedAt ?? call.startedAt),
    language: str(transcript.language),
    timeline: tlChannels.length ? { channels: tlChannels, hold: [] } : null,
    events: toEvents(r.events ?? call.events),
    segments: toSegments(transcript.segments ?? r.segments),
    draft,
    review,
    canReview: (role === 'inspector' || role === 'supervisor') && review?.status !== 'completed',
    canDispute: role === 'agent' && review?.status === 'completed',
  };
}

export function toHistory(raw: unknown): HistoryEntry[] {
  const r = obj(raw);
  const list = Array.isArray(raw) ? raw : arr(r.history ?? r.entries ?? r.events);
  return list.map((x) => {
    const e = obj(x);
    return { at: str(e.at) ?? '', actor: str(e.actor ?? e.actorName ?? obj(e.user).username) ?? '', action: str(e.action) ?? '', details: obj(e.details) };
  });
}
