import { describe, expect, it } from 'vitest';
import { CalibrationPolicySchema } from '../score/schema.js';
import { calibrate, median } from './calibration.js';

const items = [
  { itemId: 'A', maxPoints: 10 },
  { itemId: 'B', maxPoints: 5 },
  { itemId: 'C', maxPoints: 2 },
  { itemId: 'F', maxPoints: 0 }, // a fatal check: not a matter of degree, skipped
];
const sup = { c1: { A: 8, B: 5, C: 2, F: 0 }, c2: { A: 10, B: 3, C: 0, F: 0 } };
const scoresOf = (scorer: string, s: Record<string, Record<string, number>>) =>
  Object.entries(s).flatMap(([callId, byItem]) => Object.entries(byItem).map(([itemId, points]) => ({ callId, itemId, scorer, points })));
const supervisorScores = scoresOf('sup', sup).map(({ scorer: _s, ...x }) => x);

describe('calibration against the supervisor', () => {
  const x = scoresOf('x', { c1: { A: 10, B: 5, C: 2 }, c2: { A: 10, B: 5, C: 0 } }); // +2 on A (c1), +2 on B (c2)
  const y = scoresOf('y', { c1: { A: 8, B: 4, C: 2 }, c2: { A: 10, B: 2, C: 0 } }); // -1 on B twice
  const z = scoresOf('z', { c1: { A: 8, B: 5, C: 2, F: 0 }, c2: { A: 10, B: 3, C: 0, F: 0 } }); // exact
  const r = calibrate({ items, scores: [...x, ...y, ...z], supervisorScores, policy: CalibrationPolicySchema.parse({}) });
  const by = Object.fromEntries(r.inspectors.map((i) => [i.inspector, i]));

  it('weighted accuracy = 1 - Σ|s-b| / Σmax', () => {
    // Σmax over 2 calls x (10 + 5 + 2) = 34
    expect(by.x!.accuracy).toBe(0.8824); // 1 - 4/34 = 0.88235
    expect(by.y!.accuracy).toBe(0.9412); // 1 - 2/34 = 0.94118
    expect(by.z!.accuracy).toBe(1);
    expect(by.x!.compared).toBe(6);
    expect(by.z!.compared).toBe(6); // F skipped
  });
  it('who scores high and who low', () => {
    expect(by.x!.meanSignedDeviation).toBe(0.1); // (2/10 + 2/5) / 6
    expect(by.x!.bias).toBe('high');
    expect(by.y!.meanSignedDeviation).toBe(-0.0667); // (-1/5 - 1/5) / 6
    expect(by.y!.bias).toBe('low');
    expect(by.z!.bias).toBe('none');
    expect(by.x!.needsRetraining).toBe(true); // 0.88 < 0.9
    expect(by.y!.needsRetraining).toBe(false);
  });
  it('per item agreement, per inspector and for the team (lowest first)', () => {
    expect(by.x!.byItem.A).toEqual({ agreement: 0.9, meanSignedDeviation: 0.1, n: 2 }); // 1 - 2/20
    expect(by.y!.byItem.B).toEqual({ agreement: 0.8, meanSignedDeviation: -0.2, n: 2 }); // 1 - 2/10
    expect(by.x!.items.find((d) => d.callId === 'c2' && d.itemId === 'B')).toMatchObject({ benchmark: 3, points: 5, deviation: 2, agreement: 0.6 });
    // B: (0.8 + 0.8 + 1) / 3; A: (0.9 + 1 + 1) / 3; C: 1
    expect(r.items).toEqual([
      { itemId: 'B', agreement: 0.8667, n: 3 },
      { itemId: 'A', agreement: 0.9667, n: 3 },
      { itemId: 'C', agreement: 1, n: 3 },
    ]);
  });
  it('counts what an inspector left unscored', () => {
    const partial = calibrate({ items, scores: scoresOf('p', { c1: { A: 8 } }), supervisorScores, policy: CalibrationPolicySchema.parse({}) });
    expect(partial.inspectors[0]).toMatchObject({ accuracy: 1, compared: 1, missing: 5 });
  });
});

describe('calibration against the consensus', () => {
  it('benchmark is the median of the inspectors', () => {
    const scores = [
      ...scoresOf('x', { c1: { A: 6, B: 4 } }),
      ...scoresOf('y', { c1: { A: 8, B: 5 } }),
      ...scoresOf('z', { c1: { A: 10 } }),
    ];
    const r = calibrate({ items, scores, policy: CalibrationPolicySchema.parse({ benchmark: 'consensus' }) });
    expect(r.benchmarkScores).toEqual({ c1: { A: 8, B: 4.5 } });
    const by = Object.fromEntries(r.inspectors.map((i) => [i.inspector, i]));
    // x: |6-8| + |4-4.5| = 2.5 over 15 -> 0.8333; z: |10-8| = 2 over 10 -> 0.8
    expect(by.x!.accuracy).toBe(0.8333);
    expect(by.y!.accuracy).toBe(0.9667); // 0.5 / 15
    expect(by.z!.accuracy).toBe(0.8);
    expect(by.z!.missing).toBe(1);
  });
  it('median', () => {
    expect(median([3])).toBe(3);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });
});

describe('penalty items scored for several occurrences', () => {
  it('an item counts for at most its points (agreement floored at 0)', () => {
    // penalty P worth 2 per occurrence; supervisor -4 (two), inspector 0: |d| = 4 > 2 -> agreement 0, not -1
    const r = calibrate({
      items: [{ itemId: 'P', maxPoints: 2 }, { itemId: 'A', maxPoints: 10 }],
      scores: [
        { callId: 'c', itemId: 'P', scorer: 'x', points: 0 },
        { callId: 'c', itemId: 'A', scorer: 'x', points: 10 },
      ],
      supervisorScores: [
        { callId: 'c', itemId: 'P', points: -4 },
        { callId: 'c', itemId: 'A', points: 10 },
      ],
      policy: CalibrationPolicySchema.parse({}),
    });
    // (2 x 0 + 10 x 1) / 12 = 0.8333
    expect(r.inspectors[0]).toMatchObject({ accuracy: 0.8333, meanSignedDeviation: 1 }); // (4/2 + 0) / 2
    expect(r.inspectors[0]!.items.find((d) => d.itemId === 'P')!.agreement).toBe(0);
  });
});
