import { eventDurationSec, type CallEvent } from '../core/events.js';
import type { ItemResult, ScorecardDraft } from '../score/scorecard.js';
import type { TriagePolicy } from '../score/schema.js';
import type { AgentClass, RandomWhy } from './sampling.js';

/**
 * Triage: which calls a human should hear first, and why. A call's risk is the sum of the weights of the
 * reasons that apply to it; every reason is shown with the call, so an inspector sees why it is in the queue
 * and a QA lead can check that the ranking is sensible. Pure over the draft scorecard, the call's events,
 * its transcript confidence and the agent's standing.
 */

export const TRIAGE_REASONS = [
  'fatal',
  'low_total',
  'banned_phrase',
  'long_dead_air',
  'long_hold',
  'agent_talk_over',
  'customer_escalation',
  'unjudged',
  'low_asr_confidence',
  'agent_low_score',
  'agent_falling',
  'new_agent',
] as const;
export type TriageReasonCode = (typeof TRIAGE_REASONS)[number];

/**
 * Default weights. Fatal items dominate (one fatal call outranks any mix of the others); then what the
 * seeds treat as complaints-in-waiting (escalation, banned phrases, 000 第二篇); then what makes the draft
 * unreliable (unjudged items, poor ASR); then the agent's standing (002 一、2).
 */
export const DEFAULT_WEIGHTS: Record<TriageReasonCode, number> = {
  fatal: 100,
  customer_escalation: 30,
  banned_phrase: 20,
  low_total: 20,
  long_hold: 12,
  long_dead_air: 10,
  agent_talk_over: 10,
  unjudged: 8,
  low_asr_confidence: 8,
  agent_low_score: 10,
  agent_falling: 8,
  new_agent: 6,
};

export interface TriageReason {
  code: TriageReasonCode;
  /** contribution to the risk score */
  weight: number;
  /** one line for the inspector (no transcript text: reasons are shown in lists and logs) */
  text: string;
}

/** The parts of a draft scorecard triage reads (any ScorecardDraft fits; the store loads only these). */
export interface TriageDraft extends Pick<ScorecardDraft, 'total' | 'maxTotal' | 'fatal' | 'fatalItems'> {
  sections: { items: Pick<ItemResult, 'id' | 'title' | 'kind' | 'status' | 'suggested'>[] }[];
}

/** A call's events as triage reads them: the typed events of core/events.ts (the store loads only the types triage reads). */
export type TriageEvent = CallEvent;

export interface TriageInput {
  id: string;
  agentId?: string | undefined;
  draft: TriageDraft | null;
  events: readonly TriageEvent[];
  /** mean ASR confidence over the transcript's segments (0..1), when the engine gave one */
  asrConfidence?: number | null | undefined;
  agentClass?: AgentClass | undefined;
}

export interface TriagedCall {
  id: string;
  agentId?: string | undefined;
  risk: number;
  reasons: TriageReason[];
  /** drawn into the random sample (and why); such calls are reviewed whatever their risk */
  random?: RandomWhy | undefined;
}

const durationOf = eventDurationSec;
const fmtSec = (s: number) => `${Math.round(s * 10) / 10} s`;

/** Reasons that apply to one call, heaviest first. */
export function triageReasons(call: TriageInput, policy: TriagePolicy): TriageReason[] {
  const w = (code: TriageReasonCode) => policy.weights[code] ?? DEFAULT_WEIGHTS[code];
  const out: TriageReason[] = [];
  const d = call.draft;
  const items = d ? d.sections.flatMap((s) => s.items) : [];
  if (d) {
    // a fatal item that fired, or one the draft wants confirmed (onHit: review suggests fatal)
    const possible = items.filter((i) => i.status === 'needs_review' && i.suggested?.status === 'fatal');
    if (d.fatal || possible.length) {
      const names = [...d.fatalItems.map((f) => f.title), ...possible.map((i) => i.title)];
      out.push({ code: 'fatal', weight: w('fatal'), text: `${d.fatal ? 'fatal item' : 'possible fatal item'}: ${names.join(', ')}` });
    }
    const percent = d.maxTotal > 0 ? (d.total / d.maxTotal) * 100 : 100;
    if (!d.fatal && percent < policy.lowTotalPercent) {
      // scaled: a draft at 0 weighs the full weight, one just under the line almost nothing... but never 0
      const depth = (policy.lowTotalPercent - percent) / policy.lowTotalPercent;
      out.push({ code: 'low_total', weight: round2(w('low_total') * (0.5 + 0.5 * depth)), text: `draft total ${d.total}/${d.maxTotal}` });
    }
    // items the machine could not judge, other than manual items (every call has those)
    const unjudged = items.filter((i) => i.status === 'needs_review' && i.kind !== 'manual' && i.suggested?.status !== 'fatal');
    if (unjudged.length)
      out.push({
        code: 'unjudged',
        weight: round2(w('unjudged') * Math.min(3, unjudged.length)),
        text: `${unjudged.length} item(s) the machine could not judge: ${unjudged.map((i) => i.id).join(', ')}`,
      });
  }
  const banned = call.events.filter((e) => e.type === 'banned_phrase' && e.speaker !== 'customer');
  if (banned.length)
    out.push({ code: 'banned_phrase', weight: round2(w('banned_phrase') * Math.min(3, banned.length)), text: `${banned.length} banned phrase(s) by the agent` });
  const escalation = call.events.filter((e) => e.type === 'customer_escalation');
  if (escalation.length) out.push({ code: 'customer_escalation', weight: w('customer_escalation'), text: `customer escalation (${escalation.length}×)` });
  const deadAir = call.events.filter((e) => e.type === 'silence' && durationOf(e) >= policy.longDeadAirSec);
  if (deadAir.length) {
    const longest = Math.max(...deadAir.map(durationOf));
    out.push({ code: 'long_dead_air', weight: w('long_dead_air'), text: `dead air up to ${fmtSec(longest)} (${deadAir.length}× ≥ ${fmtSec(policy.longDeadAirSec)})` });
  }
  const holds = call.events.filter((e) => e.type === 'hold' && durationOf(e) >= policy.longHoldSec);
  if (holds.length) {
    const longest = Math.max(...holds.map(durationOf));
    out.push({ code: 'long_hold', weight: w('long_hold'), text: `hold up to ${fmtSec(longest)} (${holds.length}× ≥ ${fmtSec(policy.longHoldSec)})` });
  }
  const talkOver = call.events.filter((e) => e.type === 'talk_over' && e.speaker === 'agent');
  if (talkOver.length)
    out.push({ code: 'agent_talk_over', weight: round2(w('agent_talk_over') * Math.min(3, talkOver.length)), text: `agent talked over the customer ${talkOver.length}×` });
  if (typeof call.asrConfidence === 'number' && call.asrConfidence < policy.lowAsrConfidence)
    out.push({ code: 'low_asr_confidence', weight: w('low_asr_confidence'), text: `ASR confidence ${round2(call.asrConfidence)} (below ${policy.lowAsrConfidence}): check the transcript` });
  if (call.agentClass === 'weak') out.push({ code: 'agent_low_score', weight: w('agent_low_score'), text: 'agent with low scores' });
  if (call.agentClass === 'falling') out.push({ code: 'agent_falling', weight: w('agent_falling'), text: "agent's scores are falling" });
  if (call.agentClass === 'new') out.push({ code: 'new_agent', weight: w('new_agent'), text: 'new agent' });
  return out.filter((r) => r.weight > 0).sort((a, b) => b.weight - a.weight || TRIAGE_REASONS.indexOf(a.code) - TRIAGE_REASONS.indexOf(b.code));
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Risk of each call and its reasons, highest risk first (ties: lower draft total, then id); the policy may differ per call (its program). */
export function rankCalls(calls: readonly TriageInput[], policy: TriagePolicy | ((call: TriageInput) => TriagePolicy)): TriagedCall[] {
  const policyOf = typeof policy === 'function' ? policy : () => policy;
  const scored = calls.map((c) => {
    const reasons = triageReasons(c, policyOf(c));
    return {
      id: c.id,
      agentId: c.agentId,
      risk: round2(reasons.reduce((s, r) => s + r.weight, 0)),
      reasons,
      pct: c.draft && c.draft.maxTotal > 0 ? c.draft.total / c.draft.maxTotal : 1,
    };
  });
  scored.sort((a, b) => b.risk - a.risk || a.pct - b.pct || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return scored.map(({ pct: _pct, ...c }) => c);
}

/**
 * The review queue: random-sample calls interleaved with the risk ranking so that about `randomShare` of
 * any prefix of the queue is random (an inspector who stops after ten calls has still heard the random ones
 * due), each random call marked. Calls are otherwise in risk order.
 */
export function mixQueue(ranked: readonly TriagedCall[], random: ReadonlyMap<string, RandomWhy>): TriagedCall[] {
  const rnd = ranked.filter((c) => random.has(c.id)).map((c) => ({ ...c, random: random.get(c.id) }));
  const risk = ranked.filter((c) => !random.has(c.id));
  if (!rnd.length) return [...risk];
  if (!risk.length) return rnd;
  const share = rnd.length / ranked.length;
  const out: TriagedCall[] = [];
  let r = 0;
  let k = 0;
  while (r < rnd.length || k < risk.length) {
    // take a random call when the queue so far holds fewer than its share of them
    const wantRandom = r < rnd.length && (k >= risk.length || r < share * (out.length + 1));
    out.push(wantRandom ? rnd[r++]! : risk[k++]!);
  }
  return out;
}
