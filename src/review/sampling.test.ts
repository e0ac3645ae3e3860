import { describe, expect, it } from 'vitest';
import { QuotaPolicySchema, SamplingPolicySchema } from '../score/schema.js';
import {
  agentRequirement,
  assignEvenly,
  dailyQuota,
  drawRandomSample,
  isoWeek,
  meanWithMargin,
  randomKey,
  sampleSize,
  weekPlan,
  workdaysLeft,
  zForConfidence,
} from './sampling.js';

const policy = SamplingPolicySchema.parse({});
const quotas = QuotaPolicySchema.parse({});
const monday = new Date('2026-11-30T00:00:00Z');

describe('sample size (001 质检日常考核标准 二: COPC calculator, 95% confidence)', () => {
  it('z for the usual confidence levels', () => {
    expect(zForConfidence(0.95)).toBeCloseTo(1.959964, 5);
    expect(zForConfidence(0.99)).toBeCloseTo(2.575829, 5);
    expect(zForConfidence(0.9)).toBeCloseTo(1.644854, 5);
    expect(zForConfidence(0.8)).toBeCloseTo(1.281552, 5);
  });
  // n0 = z²p(1-p)/e² = 3.841459 x 0.25 / 0.0025 = 384.146; n = n0 / (1 + (n0 - 1)/N), rounded up.
  it.each([
    [Infinity, 0.95, 0.05, 0.5, 385], // 384.146 -> 385
    [1000, 0.95, 0.05, 0.5, 278], // 384.146 / 1.383146 = 277.73
    [500, 0.95, 0.05, 0.5, 218], // 384.146 / 1.766292 = 217.49
    [100, 0.95, 0.05, 0.5, 80], // 384.146 / 4.831459 = 79.51
    [50, 0.95, 0.05, 0.5, 45], // 384.146 / 8.662918 = 44.34
    [1000, 0.95, 0.1, 0.5, 88], // n0 = 96.036; / 1.095036 = 87.70
    [Infinity, 0.99, 0.05, 0.5, 664], // 6.634897 x 0.25 / 0.0025 = 663.49
    [Infinity, 0.9, 0.05, 0.5, 271], // 2.705543 x 100 = 270.55
    [Infinity, 0.95, 0.05, 0.1, 139], // 3.841459 x 0.09 / 0.0025 = 138.29
    [10, 0.95, 0.05, 0.5, 10], // never more than the population
    [0, 0.95, 0.05, 0.5, 0],
  ])('N=%s conf=%s e=%s p=%s -> %s', (population, confidence, marginOfError, proportion, n) => {
    expect(sampleSize({ population, confidence, marginOfError, proportion })).toBe(n);
  });
});

describe('agent requirement (002 一、2 监控频率)', () => {
  it.each([
    [{ agentId: 'a', since: '2026-11-15' }, 'new', 10], // 15 days before the week: new
    [{ agentId: 'a', since: '2026-10-01', weeklyMeanPercent: [90, 88] }, 'regular', 3],
    [{ agentId: 'a', weeklyMeanPercent: [85, 70, 75] }, 'weak', 6], // mean 76.7 < 80
    [{ agentId: 'a', weeklyMeanPercent: [92, 90, 94, 84] }, 'falling', 6], // 84 vs 92: down 8 >= 5
    [{ agentId: 'a', weeklyMeanPercent: [92, 90, 94, 88] }, 'regular', 3], // down 4 < 5
    [{ agentId: 'a', weeklyMeanPercent: [50, 50, 50, 50, 95, 95, 95, 95] }, 'regular', 3], // only the last 4 weeks count
    [{ agentId: 'a' }, 'regular', 3],
  ])('%j -> %s, %s a week', (standing, cls, min) => {
    const r = agentRequirement(standing, policy, monday);
    expect(r.class).toBe(cls);
    expect(r.minPerWeek).toBe(min);
  });
});

describe('random draw', () => {
  const calls = Array.from({ length: 10_000 }, (_, i) => ({ id: `call-${i}`, agentId: `agent-${i % 50}` }));
  it('keys depend only on seed and id', () => {
    expect(randomKey('s', 'x')).toBe(randomKey('s', 'x'));
    expect(randomKey('s', 'x')).not.toBe(randomKey('t', 'x'));
    const k = randomKey('s', 'x');
    expect(k).toBeGreaterThanOrEqual(0);
    expect(k).toBeLessThan(1);
  });
  it('draws about the share, reproducibly and whatever the order', () => {
    const a = drawRandomSample({ calls, seed: '2026-W49', share: 0.05 });
    // Binomial(10000, 0.05): mean 500, sd 21.8; the draw with this seed is fixed, 4 sd either side
    expect(a.size).toBeGreaterThan(413);
    expect(a.size).toBeLessThan(587);
    const b = drawRandomSample({ calls: [...calls].reverse(), seed: '2026-W49', share: 0.05 });
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    const c = drawRandomSample({ calls, seed: '2026-W50', share: 0.05 });
    const overlap = [...c.keys()].filter((id) => a.has(id)).length;
    expect(overlap).toBeLessThan(100); // another week draws other calls (expected overlap 25)
  });
  it('tops every agent up to their minimum with their lowest keys', () => {
    const few = [
      { id: 'a1', agentId: 'A' },
      { id: 'a2', agentId: 'A' },
      { id: 'a3', agentId: 'A' },
      { id: 'a4', agentId: 'A' },
      { id: 'b1', agentId: 'B' },
    ];
    const d = drawRandomSample({ calls: few, seed: 's', share: 0, perAgentMin: (a) => (a === 'A' ? 2 : 3) });
    const lowestA = few
      .filter((c) => c.agentId === 'A')
      .sort((x, y) => randomKey('s', x.id) - randomKey('s', y.id))
      .slice(0, 2)
      .map((c) => c.id);
    expect([...d.keys()].sort()).toEqual([...lowestA, 'b1'].sort());
    expect([...d.values()].every((w) => w === 'agent-minimum')).toBe(true);
  });
});

describe('week plan', () => {
  const agents = [
    { agentId: 'A', calls: 40, reviewed: 1, since: '2025-01-01', weeklyMeanPercent: [90] },
    { agentId: 'B', calls: 8, reviewed: 2, since: '2026-11-20' }, // new: 10 required, only 8 calls
    { agentId: 'C', calls: 52, reviewed: 6, weeklyMeanPercent: [70] }, // weak: 6
  ];
  it('COPC binds at ±5%: 80 of 100 calls, above the 15% ceiling (warned)', () => {
    const p = weekPlan(agents, policy, monday);
    expect(p).toMatchObject({ volume: 100, reviewed: 9, shareFloor: 5, shareCeiling: 15, copcSize: 80, agentFloor: 17, target: 80, binding: 'copc', missing: 71 });
    expect(p.agents.map((a) => [a.agentId, a.class, a.required, a.missing])).toEqual([
      ['B', 'new', 8, 6],
      ['A', 'regular', 3, 2],
      ['C', 'weak', 6, 0],
    ]);
    expect(p.warnings.join(' ')).toMatch(/above the 15% ceiling/);
    expect(p.warnings.join(' ')).toMatch(/1 agent\(s\) have fewer calls/);
  });
  it('agents bind at ±25% (COPC 14 < 17)', () => {
    // n0 = 3.841459 x 0.25 / 0.0625 = 15.366; / (1 + 14.366/100) = 13.44 -> 14
    const p = weekPlan(agents, { ...policy, marginOfError: 0.25 }, monday);
    expect(p).toMatchObject({ copcSize: 14, target: 17, binding: 'agents', missing: 8 });
    expect(p.warnings.join(' ')).toMatch(/above the 15% ceiling/); // 17 > 15
  });
  it('share binds on a large volume', () => {
    // 20 agents x 500 calls = 10000: share 500, COPC 370 (384.146 / 1.038315 = 369.97), agents 60
    const big = Array.from({ length: 20 }, (_, i) => ({ agentId: `a${i}`, calls: 500, reviewed: 0, weeklyMeanPercent: [95] }));
    const p = weekPlan(big, policy, monday);
    expect(p).toMatchObject({ volume: 10_000, shareFloor: 500, shareCeiling: 1500, copcSize: 370, agentFloor: 60, target: 500, binding: 'share' });
    expect(p.warnings).toEqual([]);
  });
  it('an empty week asks for nothing', () => {
    expect(weekPlan([], policy, monday)).toMatchObject({ volume: 0, target: 0, missing: 0, binding: 'none' });
  });
});

describe('quotas and assignment', () => {
  it.each([
    [47, 3, 4, 5], // 47 / 12 = 3.92 -> 4, below the seed's 5 a day
    [130, 3, 2, 22], // 130 / 6 = 21.67 -> 22
    [0, 3, 5, 5],
    [60, 4, 3, 5], // 60 / 12 = 5 exactly
    [61, 4, 3, 6],
  ])('remaining %s, %s inspectors, %s days -> %s a day', (remaining, inspectors, days, q) => {
    expect(dailyQuota({ remaining, inspectors, workdaysLeft: days }, quotas)).toBe(q);
  });
  it('caps at the policy maximum', () => {
    expect(dailyQuota({ remaining: 130, inspectors: 3, workdaysLeft: 2 }, { ...quotas, maxPerInspectorPerDay: 20 })).toBe(20);
  });
  it('working days left and ISO weeks', () => {
    expect(workdaysLeft(new Date('2026-11-30T10:00:00Z'), [1, 2, 3, 4, 5])).toBe(5);
    expect(workdaysLeft(new Date('2026-12-03T10:00:00Z'), [1, 2, 3, 4, 5])).toBe(2);
    expect(workdaysLeft(new Date('2026-12-05T10:00:00Z'), [1, 2, 3, 4, 5])).toBe(0);
    expect(workdaysLeft(new Date('2026-12-05T10:00:00Z'), [1, 2, 3, 4, 5, 6])).toBe(1);
    expect(isoWeek(new Date('2026-11-30T10:00:00Z')).label).toBe('2026-W49');
    expect(isoWeek(new Date('2026-12-06T23:59:00Z')).start.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(isoWeek(new Date('2027-01-01T12:00:00Z')).label).toBe('2026-W53');
    expect(isoWeek(new Date('2026-01-01T12:00:00Z')).label).toBe('2026-W01');
  });
  it('assigns to the least loaded inspector, ties to the lower id', () => {
    const calls = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
    const m = assignEvenly(calls, [
      { id: 'a', load: 2, capacity: Infinity },
      { id: 'b', load: 0, capacity: Infinity },
      { id: 'c', load: 1, capacity: Infinity },
    ]);
    expect(Object.fromEntries(m)).toEqual({ c1: 'b', c2: 'b', c3: 'c', c4: 'a', c5: 'b', c6: 'c', c7: 'a' });
  });
  it('respects capacity and eligibility, leaves what nobody can take', () => {
    const m = assignEvenly(['c1', 'c2', 'c3', 'c4'], [
      { id: 'a', load: 0, capacity: 1 },
      { id: 'b', load: 0, capacity: 2 },
    ], (call, ins) => !(call === 'c1' && ins === 'a'));
    expect(Object.fromEntries(m)).toEqual({ c1: 'b', c2: 'a', c3: 'b' });
  });
});

describe('estimates from the random sample', () => {
  it('mean with its margin, finite-population corrected', () => {
    // mean 85; s = √(500/3) = 12.910; s/√n = 6.455; x 1.959964 = 12.65; x √(12/15) = 0.8944 -> 11.32
    expect(meanWithMargin([80, 90, 70, 100], 0.95)).toEqual({ n: 4, mean: 85, margin: 12.65 });
    expect(meanWithMargin([80, 90, 70, 100], 0.95, 16)).toEqual({ n: 4, mean: 85, margin: 11.32 });
    expect(meanWithMargin([80, 90, 70, 100], 0.95, 4)).toEqual({ n: 4, mean: 85, margin: 0 }); // the whole population
    expect(meanWithMargin([77], 0.95)).toEqual({ n: 1, mean: 77, margin: null });
    expect(meanWithMargin([], 0.95)).toEqual({ n: 0, mean: null, margin: null });
  });
});
