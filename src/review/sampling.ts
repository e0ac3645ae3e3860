import { createHash } from 'node:crypto';
import type { QuotaPolicy, SamplingPolicy } from '../score/schema.js';

/**
 * Sampling arithmetic for QA: how many calls a program must review in a week, how many per agent, the
 * uniformly random part of the sample, inspectors' daily quotas and even assignment. Pure functions over
 * counts and ids; the service (src/services/review-plan.ts) loads the counts and saves the assignments.
 * Seeds: 002_86dd0be3b1ad6e94.txt 一、监控制度 (frequency, new and weak agents, random sampling, daily
 * quotas) and 001_c5af34a6c69547e3.txt 质检日常考核标准 二 (COPC sample size at 95% confidence).
 */

/**
 * Inverse of the standard normal CDF (P. J. Acklam's rational approximation, relative error < 1.2e-9): the
 * z with P(Z <= z) = p.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x: number;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - lo) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  return x;
}

/** Two-sided z for a confidence level: 0.95 -> 1.95996. */
export function zForConfidence(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2);
}

export interface SampleSizeInput {
  /** calls in the period (N); Infinity or undefined: no finite-population correction */
  population?: number;
  confidence: number;
  /** half-width of the confidence interval, as a proportion (0.05 = ±5 points) */
  marginOfError: number;
  /** expected proportion of calls with the property measured; 0.5 gives the largest n */
  proportion: number;
}

/**
 * Sample size to estimate a proportion (e.g. the share of calls with a fault, or the pass rate) within
 * ±marginOfError at the confidence level, the formula behind the "COPC sampling calculator" of 001
 * 质检日常考核标准 二: n0 = z²·p(1−p)/e²; with a finite population N, n = n0 / (1 + (n0 − 1)/N) (Cochran);
 * rounded up, never more than N.
 */
export function sampleSize(input: SampleSizeInput): number {
  const { confidence, marginOfError: e, proportion: p } = input;
  const N = input.population ?? Infinity;
  if (N <= 0) return 0;
  const z = zForConfidence(confidence);
  const n0 = (z * z * p * (1 - p)) / (e * e);
  const n = Number.isFinite(N) ? n0 / (1 + (n0 - 1) / N) : n0;
  // 1e-9: 384.0000000001 from floating point is 384, not 385
  return Math.min(N, Math.ceil(n - 1e-9));
}

// ---------------------------------------------------------------------------------------------------------
// Agents

export interface AgentStanding {
  agentId: string;
  /** ISO date of the agent's first call or start date, when known */
  since?: string | undefined;
  /** mean final score (percent of full marks) per week, oldest first, for the lookback weeks (weeks without reviews omitted) */
  weeklyMeanPercent?: number[] | undefined;
}

export type AgentClass = 'new' | 'weak' | 'falling' | 'regular';

export interface AgentRequirement {
  agentId: string;
  class: AgentClass;
  /** reviews this agent needs this week */
  minPerWeek: number;
  /** one line: why this minimum */
  why: string;
}

const DAY_MS = 86_400_000;

/**
 * How many reviews an agent needs this week (002 一、2): new agents (first call within `newAgent.days`) get
 * newAgent.minPerWeek; weak agents (mean below `belowScore`) and falling agents (the latest week at least
 * `fallingBy` points under the mean of the weeks before) get weakAgent.minPerWeek; everyone else
 * minPerAgentPerWeek. The largest applicable minimum wins.
 */
export function agentRequirement(a: AgentStanding, policy: SamplingPolicy, weekStart: Date): AgentRequirement {
  const base = { agentId: a.agentId };
  if (a.since) {
    const days = (weekStart.getTime() - Date.parse(a.since)) / DAY_MS;
    if (Number.isFinite(days) && days < policy.newAgent.days)
      return {
        ...base,
        class: 'new',
        minPerWeek: Math.max(policy.newAgent.minPerWeek, policy.minPerAgentPerWeek),
        why: `new agent (since ${a.since.slice(0, 10)}, under ${policy.newAgent.days} days)`,
      };
  }
  const weeks = (a.weeklyMeanPercent ?? []).slice(-policy.weakAgent.lookbackWeeks);
  const weakMin = Math.max(policy.weakAgent.minPerWeek, policy.minPerAgentPerWeek);
  if (weeks.length) {
    const mean = weeks.reduce((s, x) => s + x, 0) / weeks.length;
    if (mean < policy.weakAgent.belowScore)
      return { ...base, class: 'weak', minPerWeek: weakMin, why: `mean score ${round1(mean)} below ${policy.weakAgent.belowScore}` };
    if (weeks.length >= 2) {
      const last = weeks[weeks.length - 1]!;
      const before = weeks.slice(0, -1).reduce((s, x) => s + x, 0) / (weeks.length - 1);
      if (before - last >= policy.weakAgent.fallingBy)
        return { ...base, class: 'falling', minPerWeek: weakMin, why: `score falling: ${round1(last)} last week vs ${round1(before)} before` };
    }
  }
  return { ...base, class: 'regular', minPerWeek: policy.minPerAgentPerWeek, why: `at least ${policy.minPerAgentPerWeek} a week` };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

// ---------------------------------------------------------------------------------------------------------
// Random draw

/**
 * The call's position in the random order of a draw: sha256(seed, id) as a number in [0, 1). It depends
 * only on the seed and the id, never on scores, arrival order or who asks, so a draw is reproducible and
 * a call's inclusion cannot be steered by what the machine found.
 */
export function randomKey(seed: string, id: string): number {
  const h = createHash('sha256').update(seed).update('\u0000').update(id).digest();
  // 48 bits are plenty and exact in a double
  return h.readUIntBE(0, 6) / 2 ** 48;
}

export type RandomWhy = 'share' | 'agent-minimum';

export interface RandomDrawInput {
  calls: readonly { id: string; agentId?: string | undefined }[];
  seed: string;
  /** each call is in the draw independently with this probability (Bernoulli sampling) */
  share: number;
  /** per agent: the draw is topped up to this many of the agent's calls (lowest keys first) */
  perAgentMin?: (agentId: string) => number;
}

/**
 * Draw the random part of the sample. A call is in when its key < share (so each call has the same
 * inclusion probability and estimates over these calls are unbiased for the program); then each agent with
 * fewer than their minimum is topped up with their next-lowest keys (stratified by agent, so every agent's
 * figure rests on random calls too). Returns call id -> why it was drawn.
 */
export function drawRandomSample(input: RandomDrawInput): Map<string, RandomWhy> {
  const out = new Map<string, RandomWhy>();
  const byAgent = new Map<string, { id: string; key: number }[]>();
  for (const c of input.calls) {
    const key = randomKey(input.seed, c.id);
    if (key < input.share) out.set(c.id, 'share');
    if (c.agentId !== undefined) {
      let list = byAgent.get(c.agentId);
      if (!list) byAgent.set(c.agentId, (list = []));
      list.push({ id: c.id, key });
    }
  }
  if (input.perAgentMin) {
    for (const [agentId, list] of byAgent) {
      const need = input.perAgentMin(agentId);
      list.sort((x, y) => x.key - y.key || (x.id < y.id ? -1 : 1));
      let have = list.filter((c) => out.has(c.id)).length;
      for (const c of list) {
        if (have >= need) break;
        if (!out.has(c.id)) {
          out.set(c.id, 'agent-minimum');
          have++;
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The week's plan

export interface AgentWeek extends AgentStanding {
  /** analysed calls of the agent this week so far */
  calls: number;
  /** of those, reviews completed */
  reviewed: number;
}

export interface AgentPlanRow extends AgentRequirement {
  calls: number;
  reviewed: number;
  /** the minimum, or all the agent's calls when they have fewer */
  required: number;
  missing: number;
  /** true when the agent has fewer calls than their minimum */
  shortOfCalls: boolean;
}

export interface WeekPlan {
  volume: number;
  reviewed: number;
  /** shareOfVolume.min of the volume, rounded up */
  shareFloor: number;
  /** shareOfVolume.max of the volume, rounded down */
  shareCeiling: number;
  /** sample size for the policy's confidence and margin over this volume (001 COPC) */
  copcSize: number;
  /** sum of the agents' required reviews */
  agentFloor: number;
  /** max(shareFloor, copcSize, agentFloor), never more than the volume */
  target: number;
  /** which of the three set the target */
  binding: 'share' | 'copc' | 'agents' | 'none';
  missing: number;
  agents: AgentPlanRow[];
  warnings: string[];
}

/**
 * What the policy asks for this week and what is covered. The target is the largest of the three floors
 * (a statistician's sample size, the seed's share of volume, and the per-agent minimums); the 15% ceiling is
 * advice on effort, so a target above it is kept and reported as a warning rather than silently cut.
 */
export function weekPlan(agents: readonly AgentWeek[], policy: SamplingPolicy, weekStart: Date, unattributed = { calls: 0, reviewed: 0 }): WeekPlan {
  const rows: AgentPlanRow[] = agents.map((a) => {
    const req = agentRequirement(a, policy, weekStart);
    const required = Math.min(req.minPerWeek, a.calls);
    return { ...req, calls: a.calls, reviewed: a.reviewed, required, missing: Math.max(0, required - a.reviewed), shortOfCalls: a.calls < req.minPerWeek };
  });
  rows.sort((x, y) => y.missing - x.missing || (x.agentId < y.agentId ? -1 : x.agentId > y.agentId ? 1 : 0));
  const volume = agents.reduce((s, a) => s + a.calls, 0) + unattributed.calls;
  const reviewed = agents.reduce((s, a) => s + a.reviewed, 0) + unattributed.reviewed;
  const shareFloor = Math.ceil(volume * policy.shareOfVolume.min - 1e-9);
  const shareCeiling = Math.floor(volume * policy.shareOfVolume.max + 1e-9);
  const copcSize = volume
    ? sampleSize({ population: volume, confidence: policy.confidence, marginOfError: policy.marginOfError, proportion: policy.expectedProportion })
    : 0;
  const agentFloor = rows.reduce((s, r) => s + r.required, 0);
  const target = Math.min(volume, Math.max(shareFloor, copcSize, agentFloor));
  let binding: WeekPlan['binding'] = 'none';
  if (target > 0) binding = target === copcSize ? 'copc' : target === agentFloor ? 'agents' : 'share';
  // the total still missing: at least what agents are missing, at least what the target is missing
  const agentMissing = rows.reduce((s, r) => s + r.missing, 0);
  const missing = Math.max(agentMissing, target - reviewed);
  const warnings: string[] = [];
  if (target > shareCeiling && volume > 0)
    warnings.push(
      `the target (${target} of ${volume} calls, ${pct(target / volume)}) is above the ${pct(policy.shareOfVolume.max)} ceiling of 002 监控频率` +
        (binding === 'copc' ? `: ±${pct(policy.marginOfError)} at ${pct(policy.confidence)} confidence needs that many; widen marginOfError to review fewer` : ''),
    );
  const short = rows.filter((r) => r.shortOfCalls);
  if (short.length) warnings.push(`${short.length} agent(s) have fewer calls this week than their minimum: all their calls are required`);
  if (unattributed.calls) warnings.push(`${unattributed.calls} call(s) have no agent id in their metadata: counted in the volume, not in any agent's minimum`);
  return { volume, reviewed, shareFloor, shareCeiling, copcSize, agentFloor, target, binding, missing, agents: rows, warnings };
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

// ---------------------------------------------------------------------------------------------------------
// Quotas and assignment

export interface DailyQuotaInput {
  /** reviews still needed this week */
  remaining: number;
  /** active inspectors */
  inspectors: number;
  /** working days left in the week, today included */
  workdaysLeft: number;
}

/**
 * Reviews each inspector should do today: the rest of the week's target spread evenly over the inspectors
 * and the working days left, rounded up, and never below the seed's daily minimum (002 一、4: 录音监控每人
 * 至少5个/天) nor above the policy's maximum (when set).
 */
export function dailyQuota(input: DailyQuotaInput, policy: QuotaPolicy): number {
  const days = Math.max(1, input.workdaysLeft);
  const spread = input.inspectors > 0 ? Math.ceil(Math.max(0, input.remaining) / (input.inspectors * days) - 1e-9) : 0;
  const q = Math.max(policy.minPerInspectorPerDay, spread);
  return policy.maxPerInspectorPerDay > 0 ? Math.min(policy.maxPerInspectorPerDay, q) : q;
}

/** Working days of the week from `today` (inclusive) to the end of its ISO week, by ISO weekday (Monday = 1), in UTC. */
export function workdaysLeft(today: Date, workdays: readonly number[]): number {
  const iso = ((today.getUTCDay() + 6) % 7) + 1;
  let n = 0;
  for (let d = iso; d <= 7; d++) if (workdays.includes(d)) n++;
  return n;
}

/** Monday 00:00 UTC of the ISO week holding `t`, and the week's label (2026-W49). */
export function isoWeek(t: Date): { start: Date; end: Date; label: string } {
  const day = (t.getUTCDay() + 6) % 7;
  const start = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() - day));
  const end = new Date(start.getTime() + 7 * DAY_MS);
  // ISO week number: the week holding the year's first Thursday is week 1
  const thursday = new Date(start.getTime() + 3 * DAY_MS);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / DAY_MS / 7) + 1;
  return { start, end, label: `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}` };
}

export interface InspectorLoad {
  id: string;
  /** calls already assigned to them and not yet reviewed, plus reviews done today */
  load: number;
  /** the most they take today (their quota); Infinity when unlimited */
  capacity: number;
}

/**
 * Even assignment: calls, in the order given (priority first), each go to the eligible inspector with the
 * lowest load (ties: the lower id), skipping inspectors at capacity. Loads end within one of each other
 * unless capacities or eligibility stop it. Returns call id -> inspector id; calls nobody could take are
 * left out.
 */
export function assignEvenly(
  callIds: readonly string[],
  inspectors: readonly InspectorLoad[],
  eligible: (callId: string, inspectorId: string) => boolean = () => true,
): Map<string, string> {
  const loads = inspectors.map((i) => ({ ...i }));
  const out = new Map<string, string>();
  for (const callId of callIds) {
    let best: (typeof loads)[number] | undefined;
    for (const ins of loads) {
      if (ins.load >= ins.capacity || !eligible(callId, ins.id)) continue;
      if (!best || ins.load < best.load || (ins.load === best.load && ins.id < best.id)) best = ins;
    }
    if (!best) continue;
    best.load++;
    out.set(callId, best.id);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Estimates from the random sample

export interface MeanEstimate {
  n: number;
  mean: number | null;
  /** half-width of the confidence interval (t ≈ z; finite-population corrected); null under 2 reviews */
  margin: number | null;
}

/**
 * The mean of the reviewed random calls with its margin at `confidence`: z · s / √n · √((N − n)/(N − 1)),
 * s the sample standard deviation, N the calls the sample was drawn from. Only calls drawn with equal
 * probability (the random share) give an unbiased program figure; risk-picked reviews do not.
 */
export function meanWithMargin(values: readonly number[], confidence: number, population?: number): MeanEstimate {
  const n = values.length;
  if (!n) return { n, mean: null, margin: null };
  const mean = values.reduce((a, x) => a + x, 0) / n;
  if (n < 2) return { n, mean: round2(mean), margin: null };
  const s = Math.sqrt(values.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const N = population ?? Infinity;
  const fpc = Number.isFinite(N) && N > 1 ? Math.sqrt(Math.max(0, (N - n) / (N - 1))) : 1;
  return { n, mean: round2(mean), margin: round2((zForConfidence(confidence) * s) / Math.sqrt(n) * fpc) };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
