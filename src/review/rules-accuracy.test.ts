import { describe, expect, it } from 'vitest';
import { classifyDecision, periodOf, rulesAccuracy, rulesOfEvidence, type DecisionRecord } from './rules-accuracy.js';

const dec = (
  itemId: string,
  decidedAt: string,
  machine: Partial<DecisionRecord['machine']> & { status: DecisionRecord['machine']['status'] },
  human: DecisionRecord['human'],
): DecisionRecord => ({
  callId: `call-${Math.random()}`,
  itemId,
  decidedAt,
  machine: { points: null, maxPoints: 2, kind: 'penalty', rules: [], ...machine },
  human,
});

// banned-phrase is a penalty item (-2); greeting a standard item worth 5
const decisions: DecisionRecord[] = [
  dec('banned-phrase', '2026-11-23T09:00:00Z', { status: 'deducted', points: -2, rules: ['zh.banned.wei'] }, { action: 'confirm', points: -2 }), // tp
  dec('banned-phrase', '2026-11-24T09:00:00Z', { status: 'deducted', points: -2, rules: ['zh.banned.wei'] }, { action: 'override', points: 0 }), // fp
  dec('banned-phrase', '2026-11-30T09:00:00Z', { status: 'deducted', points: -2, rules: ['zh.banned.bu-qing-chu'] }, { action: 'confirm', points: -2 }), // tp
  dec('banned-phrase', '2026-11-30T10:00:00Z', { status: 'pass', points: 0 }, { action: 'override', points: -2 }), // fn
  dec('banned-phrase', '2026-12-01T10:00:00Z', { status: 'pass', points: 0 }, { action: 'confirm', points: 0 }), // tn
  dec('greeting', '2026-12-01T10:00:00Z', { status: 'deducted', points: 0, maxPoints: 5, kind: 'standard', rules: ['event:missing_greeting'] }, { action: 'override', points: 3 }), // adjusted
  dec('greeting', '2026-12-01T11:00:00Z', { status: 'deducted', points: 0, maxPoints: 5, kind: 'standard', rules: ['event:missing_greeting'] }, { action: 'override', points: 5 }), // fp
  dec('greeting', '2026-12-01T12:00:00Z', { status: 'needs_review', points: null, maxPoints: 5, kind: 'standard' }, { action: 'override', points: 5 }), // unjudged
  dec('fatal-fraud', '2026-12-01T12:00:00Z', { status: 'fatal', points: 0, maxPoints: 0, kind: 'fatal', rules: ['zh.fraud.x'] }, { action: 'override', points: null, fatal: false }), // fp
  dec('greeting', '2026-12-02T12:00:00Z', { status: 'not_applicable', points: 5, maxPoints: 5, kind: 'standard' }, { action: 'override', points: 0 }), // fn
];

describe('rules accuracy', () => {
  it('classifies each decision', () => {
    expect(decisions.map(classifyDecision)).toEqual(['tp', 'fp', 'tp', 'fn', 'tn', 'adjusted', 'fp', 'unjudged', 'fp', 'fn']);
  });
  const r = rulesAccuracy(decisions, 'week');
  it('per item: precision, recall, overturn rate (worst first)', () => {
    const by = Object.fromEntries(r.items.map((i) => [i.itemId, i]));
    // banned-phrase: tp 2, fp 1, fn 1, tn 1 -> precision 2/3, recall 2/3, overturned 2 of 5
    expect(by['banned-phrase']).toMatchObject({ decisions: 5, tp: 2, fp: 1, fn: 1, tn: 1, precision: 0.6667, recall: 0.6667, overturnRate: 0.4 });
    // greeting: adjusted 1 (counts as tp), fp 1, fn 1, unjudged 1 -> precision 1/2, recall 1/2, overturned 3 of 3 judged
    expect(by.greeting).toMatchObject({ decisions: 4, adjusted: 1, fp: 1, fn: 1, unjudged: 1, precision: 0.5, recall: 0.5, overturnRate: 1 });
    expect(by['fatal-fraud']).toMatchObject({ fp: 1, precision: 0, recall: null, overturnRate: 1 });
    expect(r.items.map((i) => i.itemId)).toEqual(['greeting', 'fatal-fraud', 'banned-phrase']);
    expect(r.overall).toMatchObject({ decisions: 10, tp: 2, fp: 3, fn: 2, tn: 1, adjusted: 1, unjudged: 1, overturnRate: 0.6667 }); // 6 of 9
  });
  it('per lexicon entry: a false positive is charged to the entries quoted', () => {
    expect(r.rules).toEqual([
      { rule: 'zh.fraud.x', fired: 1, confirmed: 0, overturned: 1, precision: 0, items: ['fatal-fraud'] },
      { rule: 'event:missing_greeting', fired: 2, confirmed: 1, overturned: 1, precision: 0.5, items: ['greeting'] },
      { rule: 'zh.banned.wei', fired: 2, confirmed: 1, overturned: 1, precision: 0.5, items: ['banned-phrase'] },
      { rule: 'zh.banned.bu-qing-chu', fired: 1, confirmed: 1, overturned: 0, precision: 1, items: ['banned-phrase'] },
    ]);
  });
  it('over time', () => {
    expect(r.trend.filter((t) => t.itemId === 'banned-phrase')).toEqual([
      { period: '2026-W48', itemId: 'banned-phrase', decisions: 2, overturnRate: 0.5 },
      { period: '2026-W49', itemId: 'banned-phrase', decisions: 3, overturnRate: 0.3333 },
    ]);
    expect(periodOf('2026-12-01T10:00:00Z', 'month')).toBe('2026-12');
    expect(periodOf('2026-12-01T10:00:00Z', 'day')).toBe('2026-12-01');
  });
  it('rules of a piece of evidence', () => {
    expect(
      rulesOfEvidence([
        { kind: 'event', type: 'banned_phrase', entryId: 'zh.banned.wei' },
        { kind: 'event', type: 'silence' },
        { kind: 'metadata', field: 'ringSec' },
        { kind: 'sentence' },
      ]),
    ).toEqual(['event:silence', 'metadata:ringSec', 'zh.banned.wei']);
  });
});
