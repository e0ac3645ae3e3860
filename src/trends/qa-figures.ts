/**
 * The QA programme's own figures per agent, team and period, pure over per-call rows (003 三、呼叫行业指标标准:
 * 监听合格率, 平均处理时间; 一次性解决率 approximated by repeat contacts):
 *  - passRate (监听合格率): reviewed calls whose final score reaches the pass mark / reviewed calls (a fatal item
 *    fails the call whatever its score);
 *  - average and distribution of final scores (10-point bands, as a share of the maximum), fatal-item rate;
 *  - average handling time (call length) and talk / silence / hold shares of call time;
 *  - repeat contacts: calls followed by another call from the same customer within N days, a proxy for the share
 *    not solved at first contact. The same customer is the same customerId where the metadata has one; otherwise
 *    the same masked number, which keeps only the last 4 digits (personal data), so different customers who share
 *    them count as one: without customer ids the rate is an upper bound.
 */
import { periodStart, type Granularity } from './rollup.js';

export interface QaCallRow {
  callId: string;
  /** YYYY-MM-DD */
  date: string;
  agentId: string | null;
  team: string | null;
  durationSec: number;
  agentTalkSec: number | null;
  customerTalkSec: number | null;
  silenceSec: number | null;
  holdSec: number | null;
  /**
   * time anyone talks (both sides' speech as one timeline, talk-over counted once), so that talk, silence and
   * hold are shares of the call that add up to it; unknown: agent plus customer talk is used
   */
  speechSec?: number | null;
  /** the latest final result of a completed review, if any */
  finalTotal: number | null;
  finalMax: number | null;
  fatal: boolean | null;
  /** the customer's number as the platform gives it (masked is fine: only equality is used) */
  customerNumber: string | null;
  /** the customer's id in the call platform or CRM, when the metadata has one: preferred over the masked number */
  customerId?: string | null;
  /** ISO time the call started (for repeat contacts); falls back to the date */
  startedAt: string;
}

export interface QaFigures {
  key: string;
  period: string;
  calls: number;
  reviewed: number;
  /** 监听合格率 */
  passRate: number | null;
  avgFinal: number | null;
  /** share of the maximum, in 10 bands: [0-10%), [10-20%) ... [90-100%] */
  finalBands: number[];
  fatalRate: number | null;
  /** 平均处理时间, seconds */
  avgHandlingSec: number | null;
  talkShare: number | null;
  silenceShare: number | null;
  holdShare: number | null;
  /** calls with a customer number that were followed by another call from it within the window */
  repeatContactRate: number | null;
}

export interface QaOptions {
  by: Granularity;
  /** group by 'agent', 'team' or nothing ('all') */
  groupBy: 'agent' | 'team' | 'all';
  /** final score at or above this share of the maximum passes (default 0.8: 80 of 100) */
  passShare: number;
  repeatWindowDays: number;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** Who the customer is, for repeat contacts: their id where known, else their masked number (or nobody). */
function customerOf(r: QaCallRow): string | null {
  if (r.customerId) return `id:${r.customerId}`;
  return r.customerNumber ? `number:${r.customerNumber}` : null;
}

/** For each call, whether the same customer called again within the window (the later call's own flag is separate). */
export function repeatFlags(rows: readonly QaCallRow[], windowDays: number): Map<string, boolean> {
  const byNumber = new Map<string, QaCallRow[]>();
  for (const r of rows) {
    const who = customerOf(r);
    if (who) byNumber.set(who, [...(byNumber.get(who) ?? []), r]);
  }
  const out = new Map<string, boolean>();
  const windowMs = windowDays * 86400_000;
  for (const calls of byNumber.values()) {
    const sorted = [...calls].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    sorted.forEach((c, i) => {
      const next = sorted[i + 1];
      out.set(c.callId, Boolean(next && Date.parse(next.startedAt) - Date.parse(c.startedAt) <= windowMs));
    });
  }
  return out;
}

export function qaFigures(rows: readonly QaCallRow[], o: QaOptions): QaFigures[] {
  const repeats = repeatFlags(rows, o.repeatWindowDays);
  const groups = new Map<string, QaCallRow[]>();
  for (const r of rows) {
    const key = o.groupBy === 'agent' ? r.agentId ?? '(no agent)' : o.groupBy === 'team' ? r.team ?? '(no team)' : 'all';
    const k = `${key}\u0000${periodStart(r.date, o.by)}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const out: QaFigures[] = [];
  for (const [k, calls] of groups) {
    const [key, period] = k.split('\u0000') as [string, string];
    const reviewed = calls.filter((c) => c.finalTotal !== null && c.finalMax !== null && c.finalMax > 0);
    const shares = reviewed.map((c) => c.finalTotal! / c.finalMax!);
    const bands = new Array<number>(10).fill(0);
    for (const s of shares) bands[Math.min(9, Math.max(0, Math.floor(s * 10)))]!++;
    const passed = reviewed.filter((c) => !c.fatal && c.finalTotal! / c.finalMax! >= o.passShare - 1e-9).length;
    const dur = calls.reduce((a, c) => a + c.durationSec, 0);
    const sumOf = (f: (c: QaCallRow) => number | null) => {
      const known = calls.filter((c) => f(c) !== null);
      if (!known.length) return null;
      const d = known.reduce((a, c) => a + c.durationSec, 0);
      return d > 0 ? r3(known.reduce((a, c) => a + f(c)!, 0) / d) : null;
    };
    const withNumber = calls.filter((c) => customerOf(c) !== null);
    out.push({
      key,
      period,
      calls: calls.length,
      reviewed: reviewed.length,
      passRate: reviewed.length ? r3(passed / reviewed.length) : null,
      avgFinal: reviewed.length ? r3(mean(reviewed.map((c) => c.finalTotal!))!) : null,
      finalBands: bands,
      fatalRate: reviewed.length ? r3(reviewed.filter((c) => c.fatal).length / reviewed.length) : null,
      avgHandlingSec: calls.length ? r3(dur / calls.length) : null,
      // talk-over is one stretch of talk, not two: agent + customer talk would count it twice and the shares
      // of call time could add up to more than the call (76 % talk + 31 % silence on a real sample)
      talkShare: sumOf((c) =>
        c.speechSec !== undefined && c.speechSec !== null
          ? c.speechSec
          : c.agentTalkSec === null || c.customerTalkSec === null ? null : c.agentTalkSec + c.customerTalkSec),
      silenceShare: sumOf((c) => c.silenceSec),
      holdShare: sumOf((c) => c.holdSec),
      repeatContactRate: withNumber.length ? r3(withNumber.filter((c) => repeats.get(c.callId)).length / withNumber.length) : null,
    });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key) || a.period.localeCompare(b.period));
}
