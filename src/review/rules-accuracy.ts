import { isoWeek } from './sampling.js';

/**
 * Where the machine is wrong: per scorecard item and per rule/lexicon entry, how often inspectors overturn
 * the draft. Each human decision on an item is compared with the machine's verdict:
 *   machine found a fault (deducted / fatal)  + human agrees there is one with the same points -> confirmed fault (TP)
 *                                              + human gives the full points                   -> false positive (FP)
 *                                              + human keeps a fault but changes the points    -> adjusted (TP, wrong amount)
 *   machine found none (pass / not_applicable)+ human agrees                                   -> confirmed pass (TN)
 *                                              + human deducts                                  -> miss (FN)
 *   machine could not judge (needs_review)                                                     -> unjudged (not counted)
 * precision = TP / (TP + FP), recall = TP / (TP + FN), overturn rate = (FP + FN + adjusted) / judged.
 * A false positive is charged to the lexicon entries / event types quoted as evidence; a miss to the item
 * only (nothing fired to blame).
 */

export type MachineStatus = 'pass' | 'deducted' | 'fatal' | 'needs_review' | 'not_applicable';

export interface DecisionRecord {
  callId: string;
  itemId: string;
  /** ISO time of the decision */
  decidedAt: string;
  machine: {
    status: MachineStatus;
    /** points the machine gave (null while needs_review) */
    points: number | null;
    /** full marks (standard/manual), per-occurrence points (penalty), 0 (fatal) */
    maxPoints: number;
    kind?: string;
    /** lexicon entry ids / event types quoted as evidence, e.g. "zh.banned.wei", "event:silence" */
    rules: string[];
  };
  human: {
    action: 'confirm' | 'override';
    /** the points the inspector gave (confirm: the machine's) */
    points: number | null;
    /** for fatal items: whether the inspector upheld the fatal verdict */
    fatal?: boolean;
  };
}

export type Outcome = 'tp' | 'fp' | 'fn' | 'tn' | 'adjusted' | 'unjudged';

/** Classify one decision (see the module comment). */
export function classifyDecision(d: DecisionRecord): Outcome {
  const m = d.machine;
  if (m.status === 'needs_review') return 'unjudged';
  const machineFault = m.status === 'deducted' || m.status === 'fatal';
  if (d.human.action === 'confirm') return machineFault ? 'tp' : 'tn';
  if (m.status === 'fatal' || m.kind === 'fatal') {
    const humanFatal = d.human.fatal ?? d.human.points === 0;
    return machineFault ? (humanFatal ? 'tp' : 'fp') : humanFatal ? 'fn' : 'tn';
  }
  const hp = d.human.points;
  // what "no fault" means in points: full marks for standard items, 0 for penalty items
  const clean = m.kind === 'penalty' || m.kind === 'bonus' ? 0 : m.maxPoints;
  const humanFault = hp !== null && hp < clean - 1e-9;
  if (machineFault) {
    if (!humanFault) return 'fp';
    return Math.abs((hp ?? 0) - (m.points ?? 0)) > 1e-9 ? 'adjusted' : 'tp';
  }
  return humanFault ? 'fn' : 'tn';
}

export interface AccuracyCounts {
  decisions: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  adjusted: number;
  unjudged: number;
  /** TP / (TP + FP), adjusted counting as TP; null without machine faults */
  precision: number | null;
  /** TP / (TP + FN); null without any fault */
  recall: number | null;
  /** (FP + FN + adjusted) / judged decisions; null when none was judged */
  overturnRate: number | null;
}

function emptyCounts(): AccuracyCounts {
  return { decisions: 0, tp: 0, fp: 0, fn: 0, tn: 0, adjusted: 0, unjudged: 0, precision: null, recall: null, overturnRate: null };
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

function finish(c: AccuracyCounts): AccuracyCounts {
  const tp = c.tp + c.adjusted;
  c.precision = ratio(tp, tp + c.fp);
  c.recall = ratio(tp, tp + c.fn);
  c.overturnRate = ratio(c.fp + c.fn + c.adjusted, c.decisions - c.unjudged);
  return c;
}

function add(c: AccuracyCounts, o: Outcome): void {
  c.decisions++;
  c[o]++;
}

export type Period = 'day' | 'week' | 'month';

/** Bucket label of an ISO time: 2026-11-30, 2026-W49, 2026-11 (UTC). */
export function periodOf(iso: string, period: Period): string {
  const t = new Date(iso);
  if (period === 'day') return t.toISOString().slice(0, 10);
  if (period === 'month') return t.toISOString().slice(0, 7);
  return isoWeek(t).label;
}

export interface RulesAccuracy {
  overall: AccuracyCounts;
  items: ({ itemId: string } & AccuracyCounts)[];
  /** per lexicon entry / event type quoted as evidence of a machine fault: how often that fault stood */
  rules: { rule: string; fired: number; confirmed: number; overturned: number; precision: number | null; items: string[] }[];
  /** per period, per item: overturn rate over time */
  trend: { period: string; itemId: string; decisions: number; overturnRate: number | null }[];
}

/** Aggregate decisions into accuracy per item, per rule and per period. Items sorted by overturn rate, worst first. */
export function rulesAccuracy(decisions: readonly DecisionRecord[], period: Period = 'week'): RulesAccuracy {
  const overall = emptyCounts();
  const items = new Map<string, AccuracyCounts>();
  const rules = new Map<string, { fired: number; confirmed: number; overturned: number; items: Set<string> }>();
  const trend = new Map<string, AccuracyCounts>();
  for (const d of decisions) {
    const o = classifyDecision(d);
    add(overall, o);
    let c = items.get(d.itemId);
    if (!c) items.set(d.itemId, (c = emptyCounts()));
    add(c, o);
    const tk = `${periodOf(d.decidedAt, period)}\u0000${d.itemId}`;
    let t = trend.get(tk);
    if (!t) trend.set(tk, (t = emptyCounts()));
    add(t, o);
    if (o === 'tp' || o === 'fp' || o === 'adjusted') {
      for (const r of new Set(d.machine.rules)) {
        let e = rules.get(r);
        if (!e) rules.set(r, (e = { fired: 0, confirmed: 0, overturned: 0, items: new Set() }));
        e.fired++;
        e.items.add(d.itemId);
        if (o === 'fp') e.overturned++;
        else e.confirmed++;
      }
    }
  }
  const itemRows = [...items].map(([itemId, c]) => ({ itemId, ...finish(c) }));
  itemRows.sort((a, b) => (b.overturnRate ?? -1) - (a.overturnRate ?? -1) || b.decisions - a.decisions || (a.itemId < b.itemId ? -1 : 1));
  const ruleRows = [...rules].map(([rule, e]) => ({
    rule,
    fired: e.fired,
    confirmed: e.confirmed,
    overturned: e.overturned,
    precision: ratio(e.confirmed, e.fired),
    items: [...e.items].sort(),
  }));
  ruleRows.sort((a, b) => (a.precision ?? 2) - (b.precision ?? 2) || b.fired - a.fired || (a.rule < b.rule ? -1 : 1));
  const trendRows = [...trend].map(([k, c]) => {
    const [p, itemId] = k.split('\u0000') as [string, string];
    const f = finish(c);
    return { period: p, itemId, decisions: f.decisions, overturnRate: f.overturnRate };
  });
  trendRows.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : a.itemId < b.itemId ? -1 : 1));
  return { overall: finish(overall), items: itemRows, rules: ruleRows, trend: trendRows };
}

/** The rules quoted by a draft item's evidence: lexicon entry ids, else the event type ("event:silence"). */
export function rulesOfEvidence(evidence: readonly { kind: string; type?: string; entryId?: string; field?: string }[]): string[] {
  const out = new Set<string>();
  for (const e of evidence) {
    if (e.entryId) out.add(e.entryId);
    else if (e.kind === 'event' && e.type) out.add(`event:${e.type}`);
    else if (e.kind === 'metadata' && e.field) out.add(`metadata:${e.field}`);
  }
  return [...out].sort();
}
