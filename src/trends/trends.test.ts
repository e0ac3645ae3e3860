import { describe, expect, it } from 'vitest';
import { prng } from '../../test/support/prng.js';
import { DEFAULT_EMERGING, emergingPhrases, logLikelihood, logRatio, ngrams, type Document } from './keyness.js';
import { periodsBetween, periodStart, rollup } from './rollup.js';

describe('periods', () => {
  it('ISO weeks start on Monday; months on the 1st', () => {
    expect(periodStart('2026-11-30', 'week')).toBe('2026-11-30'); // a Monday
    expect(periodStart('2026-12-06', 'week')).toBe('2026-11-30'); // the Sunday after
    expect(periodStart('2026-12-07', 'week')).toBe('2026-12-07');
    expect(periodStart('2026-02-17T10:00:00Z', 'month')).toBe('2026-02-01');
    expect(periodsBetween('2026-01-30', '2026-04-02', 'month')).toEqual(['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01']);
    expect(periodsBetween('2026-12-30', '2027-01-02', 'day')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  });
});

describe('rollup (hand-computed)', () => {
  it('per 100 calls, per talk hour, change against the previous period; empty periods are zeros', () => {
    const periods = ['2026-11-02', '2026-11-09', '2026-11-16'];
    const s = rollup(
      periods,
      [{ period: '2026-11-02', calls: 10, talkSec: 3600 }, { period: '2026-11-09', calls: 20, talkSec: 7200 }, { period: '2026-11-16', calls: 0, talkSec: 0 }],
      [{ period: '2026-11-02', key: 'event:banned_phrase', count: 2 }, { period: '2026-11-09', key: 'event:banned_phrase', count: 6 }, { period: '2026-11-09', key: 'lexicon:zh.filler.nage', count: 1 }],
    );
    expect(s.map((x) => x.key)).toEqual(['event:banned_phrase', 'lexicon:zh.filler.nage']);
    expect(s[0]!.counts).toEqual([2, 6, 0]);
    expect(s[0]!.points[0]).toEqual({ period: '2026-11-02', count: 2, per100Calls: 20, perTalkHour: 2, change: null, changeRatio: null });
    expect(s[0]!.points[1]).toEqual({ period: '2026-11-09', count: 6, per100Calls: 30, perTalkHour: 3, change: 10, changeRatio: 0.5 });
    expect(s[0]!.points[2]).toMatchObject({ count: 0, per100Calls: null, perTalkHour: null, change: null });
    expect(s[1]!.points[0]).toMatchObject({ count: 0, per100Calls: 0, change: null });
    expect(s[1]!.points[1]).toMatchObject({ count: 1, per100Calls: 5, change: 5, changeRatio: null });
  });
});

describe('keyness', () => {
  it('G² and log ratio (hand-computed)', () => {
    // 10 of 1000 now, 1 of 1000 before: expected 5.5 each; G² = 2(10 ln(10/5.5) + 1 ln(1/5.5)) = 8.5471
    expect(logLikelihood(10, 1000, 1, 1000)).toBeCloseTo(8.5471, 3);
    expect(logLikelihood(5, 100, 5, 100)).toBeCloseTo(0, 10);
    expect(logRatio(10, 1000, 1, 1000)).toBeCloseTo(Math.log2(10.5 / 1.5), 10);
  });
  it('n-grams: Chinese 2-4 characters inside a run, English 1-3 words; Traditional folded', () => {
    const g = ngrams('APP 閃退了');
    expect(g.has('app')).toBe(true);
    expect(g.has('闪退')).toBe(true);
    expect(g.has('闪退了')).toBe(true);
    expect(g.has('app闪')).toBe(false);
  });

  /**
   * A generated history: four weeks of customer utterances drawn from the same everyday vocabulary; in the
   * last week 12% of calls also mention an app that keeps crashing (Chinese and English). That must be what
   * comes out, and nothing drawn from the steady vocabulary may.
   */
  it('finds the one phrase that rose in a generated history, in both languages, with example calls', () => {
    const rnd = prng(1234);
    const zh = ['我想查一下账单', '宽带有点慢', '我要改套餐', '费用是不是多扣了', '帮我查一下流量', '我的积分怎么用', '发票怎么开', '我要办理停机保号'];
    const en = ['I want to check my bill', 'my internet is slow', 'can I change my plan', 'I was charged twice', 'how do I use my points', 'I need an invoice'];
    const make = (week: number, n: number): Document[] => {
      const docs: Document[] = [];
      for (let i = 0; i < n; i++) {
        const callId = `w${week}-${i}`;
        const pool = rnd() < 0.5 ? zh : en;
        docs.push({ callId, text: pool[Math.floor(rnd() * pool.length)]! });
        if (week === 4 && rnd() < 0.12) docs.push({ callId, text: pool === zh ? '你们的APP一打开就閃退' : 'the app keeps crashing when I log in' });
      }
      return docs;
    };
    const before = [...make(1, 300), ...make(2, 300), ...make(3, 300)];
    const now = make(4, 300);
    const result = emergingPhrases(now, before, { ...DEFAULT_EMERGING, exclude: new Set() });
    const phrases = result.map((r) => r.phrase);
    expect(phrases.length).toBeGreaterThan(0);
    // every reported phrase comes from the injected sentences; none from the steady vocabulary
    const injected = new Set([...ngrams('你们的APP一打开就閃退'), ...ngrams('the app keeps crashing when I log in')]);
    for (const p of phrases) expect(injected.has(p), p).toBe(true);
    expect(phrases.some((p) => p.includes('闪退'))).toBe(true);
    expect(phrases.some((p) => p.includes('crashing'))).toBe(true);
    const top = result.find((r) => r.phrase.includes('闪退'))!;
    expect(top.countBefore).toBe(0);
    expect(top.exampleCallIds.length).toBeGreaterThan(0);
    expect(top.exampleCallIds.every((id) => id.startsWith('w4-'))).toBe(true);
  });
  it('excluded phrases (lexicon, company script) are never reported', () => {
    const now: Document[] = Array.from({ length: 50 }, (_, i) => ({ callId: `n${i}`, text: '感谢您的耐心等待' }));
    const before: Document[] = Array.from({ length: 50 }, (_, i) => ({ callId: `b${i}`, text: '你好' }));
    const all = emergingPhrases(now, before, { ...DEFAULT_EMERGING, exclude: new Set() });
    expect(all.length).toBeGreaterThan(0);
    const filtered = emergingPhrases(now, before, { ...DEFAULT_EMERGING, exclude: new Set([...ngrams('感谢您的耐心等待')]) });
    expect(filtered).toEqual([]);
  });
});

describe('QA figures (hand-computed)', async () => {
  const { qaFigures, repeatFlags } = await import('./qa-figures.js');
  const row = (id: string, o: Partial<import('./qa-figures.js').QaCallRow>): import('./qa-figures.js').QaCallRow => ({
    callId: id, date: '2026-11-02', agentId: 'A1', team: 'red', durationSec: 300, agentTalkSec: 150, customerTalkSec: 90, silenceSec: 30, holdSec: 30,
    finalTotal: null, finalMax: null, fatal: null, customerNumber: null, startedAt: '2026-11-02T10:00:00Z', ...o,
  });
  const rows = [
    row('c1', { finalTotal: 90, finalMax: 100, fatal: false, customerNumber: '138****5678', startedAt: '2026-11-02T10:00:00Z' }),
    row('c2', { finalTotal: 75, finalMax: 100, fatal: false, customerNumber: '138****5678', startedAt: '2026-11-04T10:00:00Z', date: '2026-11-04' }),
    row('c3', { finalTotal: 95, finalMax: 100, fatal: true, durationSec: 600, agentTalkSec: 300, customerTalkSec: 200, silenceSec: 60, holdSec: 40 }),
    row('c4', { agentId: 'A2', customerNumber: '139****0000', date: '2026-11-10', startedAt: '2026-11-10T10:00:00Z' }),
    row('c5', { finalTotal: 80, finalMax: 100, fatal: false, date: '2026-11-05', customerNumber: '138****5678', startedAt: '2026-11-20T10:00:00Z' }),
  ];
  it('pass rate, averages, bands, fatal rate, handling time, shares, repeat contacts', () => {
    const [all] = qaFigures(rows.filter((r) => r.date < '2026-11-09'), { by: 'week', groupBy: 'all', passShare: 0.8, repeatWindowDays: 7 });
    // reviewed: c1 90 pass, c2 75 fail, c3 95 but fatal -> fail, c5 80 pass (at the mark) -> 2 of 4
    expect(all).toMatchObject({ key: 'all', period: '2026-11-02', calls: 4, reviewed: 4, passRate: 0.5, avgFinal: 85, fatalRate: 0.25 });
    expect(all!.finalBands).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 2]);
    // handling time (300+300+600+300)/4 = 375; talk (240*3+500)/1500 = 0.813; silence (30*3+60)/1500 = 0.1; hold (90+40)/1500
    expect(all!.avgHandlingSec).toBe(375);
    expect(all!.talkShare).toBe(0.813);
    expect(all!.silenceShare).toBe(0.1);
    expect(all!.holdShare).toBe(0.087);
    // same number: c1 (11-02) -> c2 (11-04) within 7 days: repeat; c2 -> c5 (11-20): no; c5 last: no -> 1 of 3
    expect(all!.repeatContactRate).toBe(0.333);
  });
  it('talk-over counts once in the talk share: talk, silence and hold add up to the call', () => {
    // 300 s: agent 150 s and customer 90 s of speech, 40 s of it at once: 200 s of talk, 50 s silence, 50 s hold
    const [f] = qaFigures([row('o1', { speechSec: 200, silenceSec: 50, holdSec: 50 })], { by: 'week', groupBy: 'all', passShare: 0.8, repeatWindowDays: 7 });
    expect(f!.talkShare).toBe(0.667);
    expect(f!.talkShare! + f!.silenceShare! + f!.holdShare!).toBeCloseTo(1, 2);
  });
  it('per agent and per week; repeat flags', () => {
    const f = qaFigures(rows, { by: 'week', groupBy: 'agent', passShare: 0.8, repeatWindowDays: 7 });
    expect(f.map((x) => `${x.key}/${x.period}/${x.calls}/${x.reviewed}`)).toEqual(['A1/2026-11-02/4/4', 'A2/2026-11-09/1/0']);
    expect(f[1]!.passRate).toBeNull();
    expect([...repeatFlags(rows, 30)].filter(([, v]) => v).map(([k]) => k).sort()).toEqual(['c1', 'c2']);
  });
  it('repeat contacts are matched on the customer id where the metadata has one, not on the last 4 digits', () => {
    const calls = [
      // two customers whose numbers end in the same 4 digits, a day apart
      row('d1', { customerNumber: '*******8001', customerId: 'CRM-1', startedAt: '2026-11-02T10:00:00Z' }),
      row('d2', { customerNumber: '*******8001', customerId: 'CRM-2', startedAt: '2026-11-03T10:00:00Z' }),
      // one customer calling from two numbers
      row('e1', { customerNumber: '*******1111', customerId: 'CRM-9', startedAt: '2026-11-02T12:00:00Z' }),
      row('e2', { customerNumber: '*******2222', customerId: 'CRM-9', startedAt: '2026-11-05T12:00:00Z' }),
    ];
    const flagged = (rs: typeof calls) => [...repeatFlags(rs, 7)].filter(([, v]) => v).map(([k]) => k).sort();
    expect(flagged(calls)).toEqual(['e1']);
    // without ids the masked numbers are all there is: d1 and d2 look like one customer, e1 and e2 like two
    const noIds = calls.map((r) => ({ ...r, customerId: null }));
    expect(flagged(noIds)).toEqual(['d1']);
    expect(qaFigures(calls, { by: 'month', groupBy: 'all', passShare: 0.8, repeatWindowDays: 7 })[0]!.repeatContactRate).toBe(0.25);
  });
});
