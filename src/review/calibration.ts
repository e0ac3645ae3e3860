import type { CalibrationPolicy } from '../score/schema.js';

/**
 * Calibration statistics (002_86dd0be3b1ad6e94.txt 一、5-6 监控人员的培训及考核 / 再确认): several inspectors
 * score the same calls blind; each is compared with a benchmark, the supervisor's scores or the consensus
 * of the inspectors. Per item, agreement = 1 − |score − benchmark| / item max; an inspector's figure is the
 * agreement weighted by item points, so missing a 10-point item weighs ten times a 1-point one:
 *   accuracy = Σ max_i · (1 − |s_i − b_i| / max_i) / Σ max_i = 1 − Σ |s_i − b_i| / Σ max_i
 * (each item's agreement floored at 0, so one item cannot count for more than its points).
 * The signed deviations say who scores systematically high or low (分值普遍过高或过低: retrain).
 */

export interface CalibrationItem {
  itemId: string;
  /** the item's full marks; items worth 0 (fatal checks) are compared as verdicts, not points */
  maxPoints: number;
}

export interface CalibrationScore {
  callId: string;
  itemId: string;
  scorer: string;
  points: number;
}

export interface ItemDeviation {
  callId: string;
  itemId: string;
  maxPoints: number;
  benchmark: number;
  points: number;
  /** points − benchmark */
  deviation: number;
  /** 1 − |deviation| / maxPoints */
  agreement: number;
}

export interface InspectorCalibration {
  inspector: string;
  /** Σ max·agreement / Σ max over the items the inspector scored (null: nothing comparable) */
  accuracy: number | null;
  /** mean of (points − benchmark) / max over the items: + scores high, − scores low */
  meanSignedDeviation: number | null;
  bias: 'high' | 'low' | 'none';
  /** accuracy below policy.passAccuracy */
  needsRetraining: boolean;
  compared: number;
  /** items the inspector left unscored that the benchmark has */
  missing: number;
  items: ItemDeviation[];
  /** per item id over the session's calls: weighted agreement and mean signed deviation */
  byItem: Record<string, { agreement: number; meanSignedDeviation: number; n: number }>;
}

export interface CalibrationResult {
  benchmark: 'supervisor' | 'consensus';
  /** per call, per item: the benchmark points */
  benchmarkScores: Record<string, Record<string, number>>;
  inspectors: InspectorCalibration[];
  /** per item: mean agreement across inspectors, lowest first (the items the team reads differently) */
  items: { itemId: string; agreement: number; n: number }[];
}

/** Median; for an even count the mean of the middle two. */
export function median(xs: readonly number[]): number {
  if (!xs.length) throw new RangeError('median of nothing');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * 1 − |deviation| / item max, never below 0: a penalty item scored for several occurrences can deviate by more
 * than its per-occurrence points, and an item cannot be worse than entirely wrong.
 */
export function agreementOf(deviation: number, maxPoints: number): number {
  return Math.max(0, 1 - Math.abs(deviation) / maxPoints);
}

const key = (callId: string, itemId: string) => `${callId}\u0000${itemId}`;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

export interface CalibrationInput {
  items: readonly CalibrationItem[];
  /** the inspectors' scores (the supervisor's, when the benchmark is the supervisor, are in `supervisorScores`) */
  scores: readonly CalibrationScore[];
  /** benchmark 'supervisor': the supervisor's scores; ignored for 'consensus' */
  supervisorScores?: readonly Omit<CalibrationScore, 'scorer'>[];
  policy: CalibrationPolicy;
}

/**
 * Compare each inspector with the benchmark. Consensus is the median of the inspectors' scores for the
 * call and item (robust to one outlier; with two inspectors, their mean). Items worth 0 points are skipped
 * (a fatal verdict is not a matter of degree; disagreements on them show in the session's scores).
 */
export function calibrate(input: CalibrationInput): CalibrationResult {
  const { policy } = input;
  const items = new Map(input.items.filter((i) => i.maxPoints > 0).map((i) => [i.itemId, i]));
  const bench = new Map<string, number>();
  if (policy.benchmark === 'supervisor') {
    for (const s of input.supervisorScores ?? []) if (items.has(s.itemId)) bench.set(key(s.callId, s.itemId), s.points);
  } else {
    const by = new Map<string, number[]>();
    for (const s of input.scores) {
      if (!items.has(s.itemId)) continue;
      const k = key(s.callId, s.itemId);
      by.set(k, [...(by.get(k) ?? []), s.points]);
    }
    for (const [k, xs] of by) bench.set(k, median(xs));
  }
  const benchmarkScores: Record<string, Record<string, number>> = {};
  for (const [k, v] of bench) {
    const [callId, itemId] = k.split('\u0000') as [string, string];
    (benchmarkScores[callId] ??= {})[itemId] = v;
  }

  const inspectors = [...new Set(input.scores.map((s) => s.scorer))].sort();
  const perItemAll = new Map<string, { sumAgree: number; n: number }>();
  const results: InspectorCalibration[] = inspectors.map((inspector) => {
    const mine = input.scores.filter((s) => s.scorer === inspector && items.has(s.itemId));
    const seen = new Set<string>();
    const devs: ItemDeviation[] = [];
    for (const s of mine) {
      const k = key(s.callId, s.itemId);
      const b = bench.get(k);
      if (b === undefined || seen.has(k)) continue;
      seen.add(k);
      const max = items.get(s.itemId)!.maxPoints;
      const deviation = s.points - b;
      devs.push({ callId: s.callId, itemId: s.itemId, maxPoints: max, benchmark: b, points: s.points, deviation, agreement: round4(agreementOf(deviation, max)) });
    }
    let missing = 0;
    for (const k of bench.keys()) if (!seen.has(k)) missing++;
    const sumMax = devs.reduce((a, d) => a + d.maxPoints, 0);
    const accuracy = sumMax > 0 ? round4(devs.reduce((a, d) => a + d.maxPoints * agreementOf(d.deviation, d.maxPoints), 0) / sumMax) : null;
    const msd = devs.length ? round4(devs.reduce((a, d) => a + d.deviation / d.maxPoints, 0) / devs.length) : null;
    const byItem: InspectorCalibration['byItem'] = {};
    const groups = new Map<string, ItemDeviation[]>();
    for (const d of devs) groups.set(d.itemId, [...(groups.get(d.itemId) ?? []), d]);
    for (const [itemId, ds] of groups) {
      const max = ds.reduce((a, d) => a + d.maxPoints, 0);
      const agreement = round4(ds.reduce((a, d) => a + d.maxPoints * agreementOf(d.deviation, d.maxPoints), 0) / max);
      byItem[itemId] = { agreement, meanSignedDeviation: round4(ds.reduce((a, d) => a + d.deviation / d.maxPoints, 0) / ds.length), n: ds.length };
      const all = perItemAll.get(itemId) ?? { sumAgree: 0, n: 0 };
      all.sumAgree += agreement;
      all.n++;
      perItemAll.set(itemId, all);
    }
    const bias = msd === null ? 'none' : msd >= policy.biasThreshold ? 'high' : msd <= -policy.biasThreshold ? 'low' : 'none';
    return {
      inspector,
      accuracy,
      meanSignedDeviation: msd,
      bias,
      needsRetraining: accuracy !== null && accuracy < policy.passAccuracy,
      compared: devs.length,
      missing,
      items: devs,
      byItem,
    };
  });
  const itemRows = [...perItemAll].map(([itemId, v]) => ({ itemId, agreement: round4(v.sumAgree / v.n), n: v.n }));
  itemRows.sort((a, b) => a.agreement - b.agreement || (a.itemId < b.itemId ? -1 : 1));
  return { benchmark: policy.benchmark, benchmarkScores, inspectors: results, items: itemRows };
}
