import type { CallEvent } from '../core/events.js';
import { describe, expect, it } from 'vitest';
import { TriagePolicySchema } from '../score/schema.js';
import type { ItemResult, ScorecardDraft } from '../score/scorecard.js';
import { mixQueue, rankCalls, triageReasons, type TriageInput } from './triage.js';

const policy = TriagePolicySchema.parse({});

function item(id: string, kind: ItemResult['kind'], status: ItemResult['status'], extra: Partial<ItemResult> = {}): ItemResult {
  return { id, title: id, kind, source: 's', status, maxPoints: 5, points: status === 'needs_review' ? null : 5, deduction: 0, occurrences: 0, reason: '', evidence: [], ...extra };
}
function draft(total: number, items: ItemResult[] = [], fatal = false): TriageInput['draft'] {
  return {
    total,
    maxTotal: 100,
    fatal,
    fatalItems: fatal ? [{ id: 'fraud', title: '诈单', reason: 'x' }] : [],
    sections: [{ items } as unknown as ScorecardDraft['sections'][number]],
  };
}
/** An event as the detectors make it: dead air and holds carry their measured length (end - start unless given). */
const ev = (type: string, speaker: 'agent' | 'customer' | null, start: number, end: number, details: Record<string, unknown> = {}) =>
  ({ type, speaker, start, end, details: type === 'silence' || type === 'hold' ? { durationSec: end - start, ...details } : details }) as unknown as CallEvent;

describe('triage reasons', () => {
  it.each<[string, TriageInput, [string, number][]]>([
    ['clean call', { id: 'c', draft: draft(95, [item('info', 'manual', 'needs_review')]), events: [] }, []],
    ['fatal item', { id: 'c', draft: draft(0, [], true), events: [] }, [['fatal', 100]]],
    [
      'possible fatal (onHit: review)',
      { id: 'c', draft: draft(90, [item('abuse', 'fatal', 'needs_review', { suggested: { status: 'fatal', points: 0, deduction: 0 } })]), events: [] },
      [['fatal', 100]],
    ],
    // 60/100 with the line at 80: depth (80-60)/80 = 0.25 -> 20 x (0.5 + 0.125) = 12.5
    ['low total', { id: 'c', draft: draft(60), events: [] }, [['low_total', 12.5]]],
    ['total at the line is not low', { id: 'c', draft: draft(80), events: [] }, []],
    [
      'banned phrases, capped at 3',
      { id: 'c', draft: null, events: [1, 2, 3, 4].map((t) => ev('banned_phrase', 'agent', t, t + 1)) },
      [['banned_phrase', 60]],
    ],
    ['customer escalation', { id: 'c', draft: null, events: [ev('customer_escalation', 'customer', 1, 2)] }, [['customer_escalation', 30]]],
    [
      'dead air: 12 s counts, 9 s does not',
      { id: 'c', draft: null, events: [ev('silence', null, 0, 9), ev('silence', null, 20, 32)] },
      [['long_dead_air', 10]],
    ],
    [
      'hold by durationSec',
      { id: 'c', draft: null, events: [ev('hold', 'agent', 10, 20, { durationSec: 75 }), ev('hold', 'agent', 100, 130)] },
      [['long_hold', 12]],
    ],
    [
      'talk-over by the agent only',
      { id: 'c', draft: null, events: [ev('talk_over', 'agent', 1, 2), ev('talk_over', 'customer', 3, 4), ev('talk_over', 'agent', 5, 6)] },
      [['agent_talk_over', 20]],
    ],
    [
      'unjudged items, not manual',
      {
        id: 'c',
        draft: draft(95, [item('info', 'manual', 'needs_review'), item('greeting', 'standard', 'needs_review'), item('rate', 'standard', 'needs_review')]),
        events: [],
      },
      [['unjudged', 16]],
    ],
    ['low ASR confidence', { id: 'c', draft: null, events: [], asrConfidence: 0.41 }, [['low_asr_confidence', 8]]],
    ['good ASR confidence', { id: 'c', draft: null, events: [], asrConfidence: 0.8 }, []],
    ['weak agent', { id: 'c', draft: null, events: [], agentClass: 'weak' }, [['agent_low_score', 10]]],
    ['falling agent', { id: 'c', draft: null, events: [], agentClass: 'falling' }, [['agent_falling', 8]]],
    ['new agent', { id: 'c', draft: null, events: [], agentClass: 'new' }, [['new_agent', 6]]],
  ])('%s', (_name, call, want) => {
    expect(triageReasons(call, policy).map((r) => [r.code, r.weight])).toEqual(want);
  });

  it('every reason says why in words, without transcript text', () => {
    const r = triageReasons(
      { id: 'c', draft: draft(40), events: [ev('hold', 'agent', 0, 90), ev('banned_phrase', 'agent', 1, 2, { text: '喂' })], asrConfidence: 0.3 },
      policy,
    );
    expect(r.map((x) => x.text)).toEqual(['1 banned phrase(s) by the agent', 'draft total 40/100', 'hold up to 90 s (1× ≥ 60 s)', 'ASR confidence 0.3 (below 0.6): check the transcript']);
  });

  it('weights come from the policy; 0 removes a reason', () => {
    const p = TriagePolicySchema.parse({ weights: { new_agent: 50, customer_escalation: 0 } });
    expect(triageReasons({ id: 'c', draft: null, events: [ev('customer_escalation', 'customer', 1, 2)], agentClass: 'new' }, p).map((r) => [r.code, r.weight])).toEqual([['new_agent', 50]]);
  });
});

describe('ranking and the random mix', () => {
  const calls: TriageInput[] = [
    { id: 'quiet', draft: draft(98), events: [] },
    { id: 'fatal', draft: draft(0, [], true), events: [] },
    { id: 'escalated', draft: draft(90), events: [ev('customer_escalation', 'customer', 1, 2)] },
    { id: 'quiet-low', draft: draft(85), events: [] },
    { id: 'new', draft: draft(92), events: [], agentClass: 'new' },
  ];
  const ranked = rankCalls(calls, policy);
  it('highest risk first, ties by lower draft total then id', () => {
    expect(ranked.map((c) => [c.id, c.risk])).toEqual([
      ['fatal', 100],
      ['escalated', 30],
      ['new', 6],
      ['quiet-low', 0],
      ['quiet', 0],
    ]);
  });
  it('each call can be ranked by its own program\'s policy', () => {
    const loud = TriagePolicySchema.parse({ weights: { new_agent: 500 } });
    const r = rankCalls(calls, (c) => (c.id === 'new' ? loud : policy));
    expect(r.map((c) => [c.id, c.risk]).slice(0, 2)).toEqual([
      ['new', 500],
      ['fatal', 100],
    ]);
  });
  it('random calls are marked and spread through the queue', () => {
    const q = mixQueue(ranked, new Map([['quiet', 'share' as const]]));
    expect(q.map((c) => [c.id, c.random ?? null])).toEqual([
      ['quiet', 'share'],
      ['fatal', null],
      ['escalated', null],
      ['new', null],
      ['quiet-low', null],
    ]);
    const many = rankCalls(Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, draft: draft(90 - i), events: [] })), policy);
    const q2 = mixQueue(many, new Map([['c0', 'share' as const], ['c1', 'agent-minimum' as const]]));
    expect(q2.map((c) => (c.random ? 'R' : '.')).join('')).toBe('R....R....'); // 2 of 10: one in each half
    expect(q2).toHaveLength(10);
  });
});
