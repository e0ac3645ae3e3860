/**
 * The machine learns where it is wrong: how often inspectors overturn each scorecard item and each lexicon
 * entry / rule (src/review/rules-accuracy.ts over the final decisions of completed reviews), and an override
 * turned into a regression example for the program (src/review/regression-example.ts).
 */
import { resolvePipeline } from '../pipeline/loader.js';
import { findPii, maskText } from '../privacy/find.js';
import { maskSegmentTexts } from '../privacy/transcript.js';
import { applyDecision, type Decision, type FinalCard } from '../review/decisions.js';
import { buildRegressionExample, exampleYaml, ExampleExportError, type HumanVerdict } from '../review/regression-example.js';
import { rulesAccuracy, rulesOfEvidence, type DecisionRecord, type Period, type RulesAccuracy } from '../review/rules-accuracy.js';
import type { Example } from '../score/examples.js';
import type { ItemResult, ScorecardDraft } from '../score/types.js';
import type { StoreDb } from '../store/db.js';
import type { Repository } from '../store/repository.js';
import { TriageRepo, type DecisionRow } from '../store/triage-repo.js';
import type { AuditService } from './audit.js';
import { callScope, isUuid, type CallAccess } from './call-access.js';
import { maskMetadata, quoteMasker } from './privacy.js';
import { ServiceError, forbidden } from './errors.js';
import type { Actor, AuthUser } from './types.js';

export interface RulesAccuracyFilter {
  pipelineId?: string;
  since?: Date;
  until?: Date;
  period?: Period;
}

export interface RulesAccuracyReport extends RulesAccuracy {
  filter: { pipelineId: string | null; since: string | null; until: string | null; period: Period };
  /** titles of the items, for tables */
  titles: Record<string, string>;
}

export interface ExportedExample {
  pipelineId: string;
  /** where the example belongs (append it under `examples:`) */
  file: string;
  example: Example;
  /** the example as a YAML list entry, indented for the examples file */
  yaml: string;
  warnings: string[];
}

function findItem(card: ScorecardDraft, itemId: string): ItemResult | undefined {
  for (const s of card.sections) for (const i of s.items) if (i.id === itemId) return i;
  return undefined;
}

/**
 * The decisions of one completed review as the pure module sees them: every item of the card fixed at
 * completion with the machine's verdict (the pinned draft) and the inspector's answer, explicit (confirm /
 * override) or implicit (the machine's answer accepted when the review was completed: a confirmation too,
 * or precision would count only the overturns).
 */
export function reviewDecisions(callId: string, completedAt: Date, card: FinalCard): { record: DecisionRecord; title: string }[] {
  const out: { record: DecisionRecord; title: string }[] = [];
  for (const section of card.sections) {
    for (const it of section.items) {
      if (!it.human && !it.acceptedAtCompletion) continue;
      const m = it.machine;
      out.push({
        title: it.title,
        record: {
          callId,
          itemId: it.id,
          decidedAt: it.human?.decidedAt ?? completedAt.toISOString(),
          machine: { status: m.status, points: m.points, maxPoints: m.maxPoints, kind: m.kind, rules: rulesOfEvidence(m.evidence) },
          human: {
            action: it.human?.action ?? 'confirm',
            points: it.points,
            ...(it.kind === 'fatal' ? { fatal: it.status === 'fatal' } : {}),
          },
        },
      });
    }
  }
  return out;
}

export class RulesAccuracyService {
  readonly repo: TriageRepo;
  constructor(
    db: StoreDb,
    private readonly access: CallAccess,
    private readonly runs: Repository,
    private readonly audit: AuditService,
    /** the calls the user scores blind in an open calibration session (CalibrationService.blindCalls) */
    private readonly blindCalls: (user: AuthUser) => Promise<ReadonlySet<string>> = async () => new Set(),
  ) {
    this.repo = new TriageRepo(db);
  }

  /**
   * Accuracy over the reviews completed in the period (`user` null: the command line, every call). Supervisors
   * see their team's calls, admins all; others 403.
   */
  async rulesAccuracy(user: AuthUser | null, f: RulesAccuracyFilter = {}): Promise<RulesAccuracyReport> {
    if (user && user.role !== 'supervisor' && user.role !== 'admin') throw forbidden('rules accuracy is for supervisors and admins');
    const scope = user ? callScope(user) : ({ kind: 'all' } as const);
    const reviews = await this.repo.completedReviews(scope, { ...(f.pipelineId ? { pipelineId: f.pipelineId } : {}), ...(f.since ? { since: f.since } : {}), ...(f.until ? { until: f.until } : {}) });
    // a period may hold one review: the machine's verdicts on a call this user scores blind (calibration) are left out
    const blind = user ? await this.blindCalls(user) : new Set<string>();
    const records: DecisionRecord[] = [];
    const titles: Record<string, string> = {};
    for (const r of reviews) {
      if (blind.has(r.callId)) continue;
      for (const d of reviewDecisions(r.callId, r.completedAt, r.card)) {
        records.push(d.record);
        titles[d.record.itemId] ??= d.title;
      }
    }
    const period = f.period ?? 'week';
    return {
      ...rulesAccuracy(records, period),
      filter: { pipelineId: f.pipelineId ?? null, since: f.since?.toISOString() ?? null, until: f.until?.toISOString() ?? null, period },
      titles,
    };
  }

  /**
   * An item's decision on a reviewed call as a regression example for the program. The transcript is copied
   * with personal data (phone, id, card numbers, e-mail, addresses) masked; the export is audited as a
   * transcript read. `user` null: the command line.
   */
  async exportExample(user: AuthUser | null, callId: string, itemId: string, opts: { mask?: boolean } = {}): Promise<ExportedExample> {
    if (user && user.role === 'agent') throw forbidden('agents do not export examples');
    const call = user
      ? await this.access.authorizeCall(user, callId)
      : isUuid(callId) // the CLI's caller may give the short id callqa calls list prints: never a raw uuid-cast error
        ? await this.access.repo.getCall({ kind: 'all' }, callId)
        : null;
    if (!call) throw new ServiceError(404, 'not_found', `call ${callId} not found`);
    // the example carries the reviewer's decision and the machine's verdict: not to a blind calibration scorer of the call
    if (user && (await this.blindCalls(user)).has(call.id))
      throw new ServiceError(409, 'conflict', `you score call ${callId} blind in an open calibration session: export its examples once your scores there are in`);
    if (!call.reviewId || !call.reviewScorecardId) throw new ServiceError(409, 'conflict', `call ${callId} has no review: decide the item first`);
    const decision = await this.repo.latestDecision(call.reviewId, itemId);
    if (!decision) throw new ServiceError(409, 'conflict', `item ${itemId} of call ${callId} has no decision yet`);
    const cardRow = (await this.repo.cards([call.reviewScorecardId])).get(call.reviewScorecardId);
    if (!cardRow) throw new ServiceError(409, 'conflict', `the draft of call ${callId}'s review is missing`);
    const drafted = findItem(cardRow.card, itemId);
    if (!drafted) throw new ServiceError(404, 'not_found', `item ${itemId} not found in the call's scorecard`);
    const warnings: string[] = [];
    let def: { id: string; kind: ItemResult['kind']; points: number; onHit?: 'fatal' | 'review' | undefined; title: string } = {
      id: drafted.id,
      kind: drafted.kind,
      points: drafted.maxPoints,
      title: drafted.title,
    };
    // the program's own numbers stay readable in the masked example, as in the stored transcript
    let companyNumbers: readonly string[] = [];
    try {
      const p = resolvePipeline(cardRow.pipelineId);
      companyNumbers = p.privacy.companyNumbers;
      const item = p.scorecard?.sections.flatMap((s) => s.items).find((i) => i.id === itemId);
      if (item) def = { id: item.id, kind: item.kind, points: item.points, onHit: item.onHit, title: item.title };
      if (p.version !== cardRow.card.pipeline.version)
        warnings.push(`the draft was made by ${cardRow.pipelineId} ${cardRow.card.pipeline.version}; the program is now ${p.version}: run callqa pipelines test to see whether the example still fails`);
    } catch {
      warnings.push(`program ${cardRow.pipelineId} is not in the pipelines folder: the item as drafted is used`);
    }
    const report = await this.runs.getRunReport(cardRow.runId);
    if (!report) throw new ServiceError(409, 'conflict', `the analysis of call ${callId} is missing`);
    // what the item became under the decision (the review's own arithmetic)
    const decided = applyDecision(drafted, {
      action: decision.action,
      points: decision.points,
      fatal: decision.fatal,
      reasonCode: decision.reasonCode as Decision['reasonCode'],
      comment: decision.comment,
    });
    const verdict: HumanVerdict = {
      action: decision.action,
      points: decided.points,
      ...(drafted.kind === 'fatal' ? { fatal: decided.status === 'fatal' } : {}),
      ...(decision.reasonCode || decision.comment ? { reason: [decision.reasonCode, decision.comment].filter(Boolean).join(': ') } : {}),
    };
    const mask = opts.mask === false ? undefined : (t: string) => maskText(t, findPii(t, { companyNumbers }));
    let example: Example;
    try {
      example = buildRegressionExample(
        {
          callId,
          language: report.transcript?.language ?? 'zh',
          durationSec: report.recording.durationSec ?? undefined,
          metadata: report.recording.metadata,
          transcript: report.transcript ? report.transcript.segments : null,
          events: report.events,
          available: { audio: report.timeline !== null || report.events.length > 0, talkOver: (report.recording.channels ?? 2) >= 2 },
        },
        def,
        verdict,
        {
          ...(mask
            ? {
                mask,
                maskSegments: (segs) => maskSegmentTexts(segs, { companyNumbers }),
                // event quotes as the transcript masks the segments they quote; metadata as getCall shows it
                maskQuote: quoteMasker(report.transcript?.segments ?? [], { companyNumbers }),
                maskMetadata: (md) => maskMetadata(md, { companyNumbers }),
              }
            : {}),
          decidedBy: decision.decidedBy, decidedAt: decision.decidedAt.toISOString() },
      );
    } catch (err) {
      if (err instanceof ExampleExportError) throw new ServiceError(422, 'invalid', err.message);
      throw err;
    }
    const actor: Actor = user ?? { id: null, username: 'cli' };
    // an unmasked copy is audited as getCall?unmask=true is, so that a query for unmasked reads finds it
    const action = opts.mask === false ? 'call.transcript.read.unmasked' : 'call.transcript.read';
    await this.audit.audit(actor, action, { type: 'call', id: callId, callId }, { purpose: 'regression example', itemId, masked: opts.mask !== false });
    return { pipelineId: cardRow.pipelineId, file: `pipelines/${cardRow.pipelineId}.examples.yaml`, example, yaml: exampleYaml(example), warnings };
  }
}
