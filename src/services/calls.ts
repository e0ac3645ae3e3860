/**
 * Reading calls: the list a user may see, one call with its scorecard (machine and human side by side),
 * findings and transcript, and its history. Agents see scores and findings only once the review is complete.
 * Returning a transcript is a read of personal data and is audited; personal data in it is masked unless a
 * permitted user asks for it unmasked (audited as such).
 */
import type { CallEvent, CallMetadata } from '../core/types.js';
import { reviewedCard, type FinalCard, type HumanDecision } from '../review/decisions.js';
import { disputeDeadline, describeWindow } from '../review/disputes.js';
import type { ReviewSettings } from '../review/settings.js';
import type { CallFilter, CallRow } from '../store/calls-repo.js';
import type { Repository } from '../store/repository.js';
import type { ReviewsRepo } from '../store/reviews-repo.js';
import type { DisputeRow, ReviewDecisionRow } from '../store/schema.js';
import type { AuditService } from './audit.js';
import { callScope, shownFileName, type CallAccess } from './call-access.js';
import { ServiceError } from './errors.js';
import { hasPiiPermission, maskMetadata, maskSpoken } from './privacy.js';
import type { Actor, AuthUser } from './types.js';
import { csvText } from '../core/csv.js';
import { CALL_COLUMNS, exportRows, ITEM_COLUMNS, type CallExportRow, type ExportShape, type ExportSource, type ItemExportRow } from './results-export.js';

export interface CallSummary {
  id: string;
  fileName: string;
  durationSec: number | null;
  agentId: string | null;
  team: string | null;
  externalId: string | null;
  startedAt: string | null;
  direction: string | null;
  pipeline: { id: string; version: string };
  analysedAt: string | null;
  review: { state: 'unreviewed' | 'in_progress' | 'completed'; completedAt: string | null; publishedAt: string | null };
  /** hidden (null) from agents until the review is complete */
  draftTotal: number | null;
  maxTotal: number | null;
  needsReview: boolean | null;
  /** the draft's items no signal could judge, left to the inspector ("90/100 · 10 to review"); hidden with the score */
  openItems: number | null;
  finalTotal: number | null;
  assignedTo: string | null;
  /** why the scores above are null when they are: `review_incomplete` (an agent before the review is complete), `blind_calibration` (a scorer of an open calibration session with items left to score) */
  hiddenReason: 'review_incomplete' | 'blind_calibration' | null;
}

export interface DisputeView {
  id: string;
  callId: string;
  fileName?: string;
  itemId: string;
  itemTitle?: string;
  status: 'open' | 'upheld' | 'amended';
  reason: string;
  openedBy: string;
  openedAt: string;
  ruledBy: string | null;
  ruledAt: string | null;
  rulingReason: string | null;
  amendedPoints: number | null;
}

export interface CardView extends FinalCard {
  /** draft: nobody has decided anything yet; in_review: decisions so far (total provisional); final: completed */
  stage: 'draft' | 'in_review' | 'final';
  /** the draft scorecard the review judges */
  draftId: string;
  /** result version (1 at completion, +1 per amended dispute), null before completion */
  version: number | null;
  /**
   * Before completion: how many decisions the review holds so far (0 for a draft). A client sends it back as
   * `expectedRevision` with a decision or the completion, so that a change by someone else in between is
   * refused (409) instead of being overwritten or completed unseen. null once completed.
   */
  revision: number | null;
}

/**
 * Before completion nothing has been accepted yet: `acceptedAtCompletion` says what completion did, so a draft
 * or an open review carries false on every item (the machine's answer still just stands; `human` is null).
 */
function notYetAccepted(card: FinalCard): FinalCard {
  return { ...card, sections: card.sections.map((s) => ({ ...s, items: s.items.map((i) => (i.acceptedAtCompletion ? { ...i, acceptedAtCompletion: false } : i)) })) };
}

export interface CallDetail extends CallSummary {
  metadata: CallMetadata;
  audio: { format: string | null; codec: string | null; channels: number | null; sampleRate: number | null };
  /** null for agents until the review is complete, and for calls without a scorecard */
  scorecard: CardView | null;
  /** a newer draft exists than the one the review judges (a rescore); the review is not changed by it */
  newerDraft: boolean;
  /** the findings on the call timeline (null for agents until the review is complete) */
  events: CallEvent[] | null;
  transcript: { language: string; engine: string; segments: { speaker: string; start: number; end: number; text: string }[] } | null;
  disputes: DisputeView[];
  /** for the agent: whether and until when a dispute can be opened */
  disputeWindow: { open: boolean; closesAt: string; rule: string; limit: number; used: number } | null;
  /** why scores are hidden, when they are (hiddenReason says it as a code) */
  hidden: string | null;
}

export interface HistoryEntry {
  at: string;
  actor: string;
  action: string;
  itemId?: string;
  details: Record<string, unknown>;
}

export function toDisputeView(d: DisputeRow, names: { openedBy: string; ruledBy: string | null; fileName?: string; itemTitle?: string | null }): DisputeView {
  return {
    id: d.id,
    callId: d.recordingId,
    ...(names.fileName ? { fileName: names.fileName } : {}),
    itemId: d.itemId,
    ...(names.itemTitle ? { itemTitle: names.itemTitle } : {}),
    status: d.status,
    reason: d.reason,
    openedBy: names.openedBy,
    openedAt: d.openedAt.toISOString(),
    ruledBy: names.ruledBy,
    ruledAt: d.ruledAt?.toISOString() ?? null,
    rulingReason: d.rulingReason,
    amendedPoints: d.amendedPoints,
  };
}

/** The newest decision per item. */
export function latestDecisions(rows: (ReviewDecisionRow & { decidedByName: string })[]): Map<string, HumanDecision> {
  const m = new Map<string, HumanDecision>();
  for (const r of rows) {
    m.set(r.itemId, {
      action: r.action,
      points: r.points,
      fatal: r.fatal,
      reasonCode: r.reasonCode,
      comment: r.comment,
      decidedBy: r.decidedByName,
      decidedAt: r.decidedAt.toISOString(),
    });
  }
  return m;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

/**
 * A call as a list shows it. Its scores are null for an agent until the review is complete, and for a scorer of
 * an open calibration session holding it until their scores are in (`blind`: CalibrationService.blindCalls).
 */
export function summaryOf(user: AuthUser, c: CallRow, blind = false): CallSummary {
  const reviewHidden = user.role === 'agent' && c.reviewState !== 'completed';
  const scoresVisible = !reviewHidden && !blind;
  return {
    id: c.id,
    fileName: shownFileName(user, c.fileName),
    durationSec: c.durationSec,
    agentId: str(c.metadata.agentId),
    team: str(c.metadata.team),
    externalId: str(c.metadata.callId),
    startedAt: str(c.metadata.startedAt),
    direction: str(c.metadata.direction),
    pipeline: { id: c.pipelineId, version: c.pipelineVersion },
    analysedAt: iso(c.analysedAt),
    review: { state: c.reviewState, completedAt: iso(c.completedAt), publishedAt: iso(c.publishedAt) },
    draftTotal: scoresVisible ? c.draftTotal : null,
    maxTotal: c.maxTotal,
    needsReview: scoresVisible ? c.needsReview : null,
    openItems: scoresVisible ? c.openItems : null,
    finalTotal: blind ? null : c.finalTotal,
    assignedTo: user.role === 'agent' ? null : (c.assignedTo?.username ?? null),
    hiddenReason: reviewHidden ? 'review_incomplete' : blind ? 'blind_calibration' : null,
  };
}

export class CallsService {
  constructor(
    private readonly access: CallAccess,
    private readonly reviews: ReviewsRepo,
    private readonly runs: Repository,
    private readonly audit: AuditService,
    private readonly settingsFor: (pipelineId: string) => ReviewSettings,
    private readonly now: () => Date,
    /** a program's own numbers (its `privacy.companyNumbers`), kept readable when an answer is masked */
    private readonly companyNumbers: (pipelineId: string) => readonly string[] = () => [],
    /** the calls the user scores blind in an open calibration session (CalibrationService.blindCalls) */
    private readonly blindCalls: (user: AuthUser) => Promise<ReadonlySet<string>> = async () => new Set(),
  ) {}

  private async machineHiddenFor(user: AuthUser, callId: string): Promise<boolean> {
    return (await this.blindCalls(user)).has(callId);
  }

  async listCalls(user: AuthUser, filter: CallFilter): Promise<{ calls: CallSummary[]; total: number }> {
    const { calls, total } = await this.access.repo.listCalls(callScope(user), filter);
    const blind = await this.blindCalls(user);
    return { calls: calls.map((c) => summaryOf(user, c, blind.has(c.id))), total };
  }

  /** How many calls the database holds, whoever may see them (for the command line's "nothing matches" answer). */
  async countAll(): Promise<number> {
    return (await this.access.repo.listCalls({ kind: 'all' }, { limit: 1 })).total;
  }

  /**
   * Scorecard results, a page of calls at a time (src/services/results-export.ts): one row per call, or per call
   * and item. A user of the API gets their scope; the command line on the machine that holds the data
   * (a system actor) every call. No transcript text in any row.
   */
  async *resultRows<S extends ExportShape>(
    user: AuthUser | Actor,
    filter: Omit<CallFilter, 'limit' | 'offset'>,
    shape: S,
  ): AsyncGenerator<S extends 'calls' ? CallExportRow : ItemExportRow> {
    const viewer: AuthUser = user.id === null ? { id: '', username: user.username, role: 'admin' } : user;
    const scope = user.id === null ? ({ kind: 'all' } as const) : callScope(user);
    // calls analysed while the export runs come first in the list and shift its pages: a call already
    // written is not written again
    const seen = new Set<string>();
    // a blind calibration scorer's calls are exported without their scores, as the list shows them
    const blind = user.id === null ? new Set<string>() : await this.blindCalls(viewer);
    const source: ExportSource = {
      page: async (u, f) => {
        const { calls } = await this.access.repo.listCalls(scope, f);
        const out = [];
        for (const call of calls) {
          if (seen.has(call.id)) continue;
          seen.add(call.id);
          const visible = (u.role !== 'agent' || call.reviewState === 'completed') && !blind.has(call.id);
          out.push({ call, card: visible ? await this.cardOf(call) : null });
        }
        return { rows: out, listed: calls.length };
      },
    };
    yield* exportRows(source, viewer, filter, shape) as AsyncGenerator<S extends 'calls' ? CallExportRow : ItemExportRow>;
  }

  /** The same rows as CSV text chunks (header first); audited with the filter and the number of rows. */
  async *exportCsv(user: AuthUser | Actor, filter: Omit<CallFilter, 'limit' | 'offset'>, shape: ExportShape): AsyncGenerator<string> {
    const columns = shape === 'calls' ? CALL_COLUMNS : ITEM_COLUMNS;
    yield csvText([columns]);
    let rows = 0;
    let chunk: unknown[][] = [];
    for await (const row of this.resultRows(user, filter, shape)) {
      chunk.push(columns.map((c) => (row as Record<string, unknown>)[c]));
      rows++;
      if (chunk.length >= 500) {
        yield csvText(chunk);
        chunk = [];
      }
    }
    if (chunk.length) yield csvText(chunk);
    await this.audit.audit(user, 'calls.export', { type: 'calls', id: shape }, { shape, rows, filter: { ...filter, since: filter.since?.toISOString(), until: filter.until?.toISOString() } });
  }

  /** The card as it stands: the completed result, the review so far, or the untouched draft. */
  async cardOf(call: CallRow): Promise<CardView | null> {
    if (call.reviewId && call.reviewScorecardId) {
      if (call.reviewState === 'completed') {
        const result = await this.reviews.latestResult(call.reviewId);
        if (result) return { ...result.card, stage: 'final', draftId: call.reviewScorecardId, version: result.version, revision: null };
      }
      const draft = await this.reviews.mustGetScorecard(call.reviewScorecardId);
      const all = await this.reviews.listDecisions(call.reviewId);
      return { ...notYetAccepted(reviewedCard(draft.card, latestDecisions(all))), stage: 'in_review', draftId: call.reviewScorecardId, version: null, revision: all.length };
    }
    if (!call.scorecardId) return null;
    const draft = await this.reviews.mustGetScorecard(call.scorecardId);
    return { ...notYetAccepted(reviewedCard(draft.card, new Map())), stage: 'draft', draftId: call.scorecardId, version: null, revision: 0 };
  }

  async disputesOf(reviewId: string | null): Promise<DisputeView[]> {
    if (!reviewId) return [];
    const rows = await this.reviews.listDisputes(this.reviews.disputesOfReviewSql(reviewId));
    return rows.map((d) => toDisputeView(d, { openedBy: d.openedByName, ruledBy: d.ruledByName }));
  }

  /**
   * Personal data in the transcript, the findings' quotes and the evidence is masked unless `unmask` is asked
   * by a user with the pii permission (src/services/privacy.ts); an unmasked read is audited as such.
   */
  async getCall(user: AuthUser, callId: string, opts: { unmask?: boolean } = {}): Promise<CallDetail> {
    if (opts.unmask && !hasPiiPermission(user)) throw new ServiceError(403, 'forbidden', 'unmasking personal data needs the pii permission (inspector, supervisor or admin)');
    const call = await this.access.authorizeCall(user, callId);
    const report = await this.runs.getRunReport(call.runId);
    if (!report) throw new Error(`call ${callId}: run ${call.runId} vanished`);
    // a blind calibration scorer does not see the machine's draft here either (nor a review's scores) until theirs are in
    const blind = await this.machineHiddenFor(user, callId);
    const scoresVisible = (user.role !== 'agent' || call.reviewState === 'completed') && !blind;
    const disputes = await this.disputesOf(call.reviewId);
    let disputeWindow: CallDetail['disputeWindow'] = null;
    if (call.reviewState === 'completed' && call.publishedAt) {
      const settings = this.settingsFor(call.pipelineId);
      const closesAt = disputeDeadline(call.publishedAt, settings.disputeWindow);
      disputeWindow = {
        open: this.now() < closesAt && disputes.length < settings.disputeLimit,
        closesAt: closesAt.toISOString(),
        rule: describeWindow(settings.disputeWindow),
        limit: settings.disputeLimit,
        used: disputes.length,
      };
    }
    const t = report.transcript;
    const detail: CallDetail = {
      ...summaryOf(user, call, blind),
      metadata: call.metadata,
      audio: { format: report.recording.format, codec: report.recording.codec, channels: report.recording.channels, sampleRate: report.recording.sampleRate },
      scorecard: scoresVisible ? await this.cardOf(call) : null,
      newerDraft: Boolean(call.reviewScorecardId && call.scorecardId && call.reviewScorecardId !== call.scorecardId),
      events: scoresVisible ? report.events : null,
      transcript: t
        ? { language: t.language, engine: t.engine, segments: t.segments.map((s) => ({ speaker: s.speaker, start: s.start, end: s.end, text: s.text })) }
        : null,
      // an agent's dispute names the item they contest and a ruling its points: kept from a blind scorer too
      disputes: blind ? [] : disputes,
      disputeWindow,
      hidden: scoresVisible
        ? null
        : blind
          ? "scores and findings are hidden while you score this call blind in a calibration session: they are shown once you have scored every item there"
          : 'scores and findings are shown once the review of this call is complete',
      hiddenReason: scoresVisible ? null : blind ? 'blind_calibration' : 'review_incomplete',
    };
    // an unmasked read is audited even with no transcript: the comments and dispute reasons are unmasked too
    if (t || opts.unmask) await this.audit.audit(user, opts.unmask ? 'call.transcript.read.unmasked' : 'call.transcript.read', { type: 'call', id: callId, callId }, { segments: t?.segments.length ?? 0 });
    if (opts.unmask) return detail;
    // the program's own numbers stay readable, as the transcribe stage left them (docs/privacy.md)
    const keep = { companyNumbers: this.companyNumbers(call.pipelineId) };
    const quotes = { ...keep, segments: detail.transcript?.segments ?? [] };
    return {
      ...detail,
      metadata: maskMetadata(detail.metadata, keep),
      transcript: maskSpoken(detail.transcript, keep),
      // quotes are masked as the segments they quote are in the transcript (a number said across two segments too)
      events: maskSpoken(detail.events, quotes),
      scorecard: maskSpoken(detail.scorecard, quotes),
      disputes: maskSpoken(detail.disputes, keep),
    };
  }

  /**
   * Every step of a call: drafts, review started, decisions, completion, disputes and rulings, assignment.
   * Reads (audio, transcript) are in the audit log (`callqa audit`), not here. An agent sees the history once
   * the review is complete (before that, it would show the inspector's scores). Comments and reasons people
   * typed are masked as in getCall (the raw words: getCall with unmask, or `callqa audit` on the server).
   */
  async callHistory(user: AuthUser, callId: string): Promise<HistoryEntry[]> {
    const call = await this.access.authorizeCall(user, callId);
    const drafts = await this.access.repo.drafts(callId);
    // an agent sees no score before the review is complete, the draft's total included (as in getCall and listCalls)
    const showScores = (user.role !== 'agent' || call.reviewState === 'completed') && !(await this.machineHiddenFor(user, callId));
    const entries: HistoryEntry[] = drafts.map((d) => ({
      at: d.createdAt.toISOString(),
      actor: 'callqa',
      action: 'draft.created',
      details: { scorecardId: d.id, pipeline: `${d.pipelineId}@${d.pipelineVersion}`, ...(showScores ? { draftTotal: d.total } : {}) },
    }));
    if (showScores) {
      for (const e of await this.audit.query({ callId, limit: 100_000 })) {
        // reads (call.transcript.read, call.transcript.read.unmasked, call.audio.read) are not steps of the call
        if (e.action.split('.').includes('read')) continue;
        const itemId = typeof e.details.itemId === 'string' ? e.details.itemId : undefined;
        entries.push({ at: e.at, actor: e.actor, action: e.action, ...(itemId ? { itemId } : {}), details: e.details });
      }
    }
    return maskSpoken(entries.sort((a, b) => a.at.localeCompare(b.at)), { companyNumbers: this.companyNumbers(call.pipelineId) });
  }
}
