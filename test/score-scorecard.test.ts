import { describe, expect, it } from 'vitest';
import { completeEvent } from '../src/core/events.js';
import type { CallEvent } from '../src/core/types.js';
import { ScorecardSchema, type Scorecard } from '../src/score/schema.js';
import { draftScorecard } from '../src/score/scorecard.js';

const S = '000_6e589921b12215bc.txt 第三篇';
const ev = (type: string, start: number, details: Record<string, unknown> = {}, speaker: 'agent' | 'customer' | null = 'agent'): CallEvent =>
  completeEvent({ type, speaker, start, end: start + 1, details });
const transcript = { engine: 'sidecar-json' as const, language: 'zh', segments: [] };

// 000 第三篇 三、服務用語 (10 points): five items of 2, and 服務禁語 / 語言隨意 / 口語 each "-2" from the section.
const card: Scorecard = ScorecardSchema.parse({
  title: 'arithmetic',
  sections: [
    {
      id: 'language',
      title: '服务用语',
      max: 10,
      items: [
        { id: 'polite', title: '礼貌用语', source: `${S} 三、2`, points: 2, fail: { event: 'missing_politeness' } },
        { id: 'thanks', title: '致谢语', source: `${S} 三、3`, points: 2, fail: { event: 'missing_thanks' } },
        {
          id: 'apology',
          title: '致歉语',
          source: `${S} 三、4`,
          points: 2,
          applicableWhen: { event: 'customer_escalation', role: 'customer' },
          pass: { event: 'apology', role: 'agent' },
        },
        { id: 'open-close', title: '开头语、结束语', source: `${S} 三、5`, points: 2, fail: { event: ['missing_greeting', 'missing_closing'] } },
        { id: 'mandarin', title: '普通话', source: `${S} 三、1`, kind: 'manual', points: 2 },
        { id: 'banned', title: '服务禁语', source: `${S} 三、6`, kind: 'penalty', points: 2, fail: { event: 'banned_phrase', role: 'agent' } },
        { id: 'filler', title: '口语', source: `${S} 三、8`, kind: 'penalty', points: 2, cap: 2, fail: { event: 'filler', role: 'agent', minCount: 3 } },
      ],
    },
    {
      id: 'answering',
      title: '应答技巧',
      max: 6,
      items: [
        // dead air: 1 point per silence over 10 s, 扣完为止 at the item's 3 points
        { id: 'quick', title: '操作迅速', source: `${S} 六、6`, points: 3, deduct: 1, fail: { silence: { minSec: 10 } } },
        { id: 'hold', title: '等待不超过1分钟', source: '000 第二篇 不應該做 (14)', points: 3, fail: { hold: { minSec: 60 } } },
      ],
    },
    {
      id: 'bonus',
      title: '加分项',
      max: 2,
      bonus: true,
      items: [{ id: 'praise', title: '客户表扬', source: '001 营销类 加分项', kind: 'bonus', points: 1, cap: 2, fail: { event: 'thanks', role: 'customer' } }],
    },
    {
      id: 'fatal',
      title: '致命项',
      max: 0,
      items: [
        { id: 'abuse', title: '服务态度恶劣', source: '001 质检日常考核标准 六、4', kind: 'fatal', fail: { event: 'banned_phrase', category: 'abuse', role: 'agent' } },
        { id: 'fraud', title: '诈单', source: '001 质检日常考核标准 六、3', kind: 'fatal', onHit: 'review', fail: { event: 'politeness', category: 'unauthorised_order' } },
      ],
    },
  ],
});

type Row = [string, CallEvent[], { total: number; language?: number; answering?: number; fatal?: boolean; statuses?: Record<string, string>; points?: Record<string, number | null> }];

describe('scorecard arithmetic (seed rules)', () => {
  const rows: Row[] = [
    ['clean call: full marks except nothing pending', [], { total: 16, language: 10, answering: 6, statuses: { apology: 'not_applicable', mandarin: 'needs_review', fraud: 'pass' } }],
    ['one banned phrase: -2 from the section (服务禁语 得-2分)', [ev('banned_phrase', 5)], { total: 14, language: 8, points: { banned: -2 } }],
    ['three banned phrases: -6', [ev('banned_phrase', 5), ev('banned_phrase', 9), ev('banned_phrase', 12)], { total: 10, language: 4 }],
    [
      'penalties floor the section at 0 (扣完为止, no carry-over)',
      [...[1, 2, 3, 4, 5, 6].map((t) => ev('banned_phrase', t)), ev('missing_greeting', 0)],
      { total: 6, language: 0, answering: 6, statuses: { 'open-close': 'deducted', banned: 'deducted' } },
    ],
    ['fillers under the count threshold do not count', [ev('filler', 1), ev('filler', 2)], { total: 16, statuses: { filler: 'pass' } }],
    ['five fillers: penalty capped at 2', [1, 2, 3, 4, 5].map((t) => ev('filler', t)), { total: 14, points: { filler: -2 } }],
    ['complaint without apology: 致歉语 deducted', [ev('customer_escalation', 3, {}, 'customer')], { total: 14, statuses: { apology: 'deducted' } }],
    ['complaint with apology: pass', [ev('customer_escalation', 3, {}, 'customer'), ev('apology', 5)], { total: 16, statuses: { apology: 'pass' } }],
    [
      'per-occurrence deduction with item floor: 4 long silences cost 3, not 4',
      [10, 30, 50, 70].map((t) => ({ ...ev('silence', t, { durationSec: 12 }, null), end: t + 12 })),
      { total: 13, answering: 3, points: { quick: 0 } },
    ],
    ['hold over a minute: full item deduction', [{ ...ev('hold', 20, { durationSec: 75 }, 'agent'), end: 95 }], { total: 13, points: { hold: 0 } }],
    ['bonus offsets deductions, capped at maxTotal', [ev('banned_phrase', 4), ev('thanks', 8, {}, 'customer'), ev('thanks', 9, {}, 'customer')], { total: 16, language: 8 }],
    ['bonus never lifts the total above maxTotal', [ev('thanks', 8, {}, 'customer')], { total: 16 }],
    ['fatal item zeroes the card', [ev('banned_phrase', 30, { category: 'abuse' })], { total: 0, fatal: true, statuses: { abuse: 'fatal' } }],
    ['fatal item with onHit review only flags it', [ev('politeness', 30, { category: 'unauthorised_order' })], { total: 16, fatal: false, statuses: { fraud: 'needs_review' } }],
  ];
  it.each(rows)('%s', (_name, events, exp) => {
    const d = draftScorecard(card, { events, transcript }, { id: 't', version: '1' });
    expect(d.total).toBe(exp.total);
    const sec = Object.fromEntries(d.sections.map((s) => [s.id, s.score]));
    if (exp.language !== undefined) expect(sec.language).toBe(exp.language);
    if (exp.answering !== undefined) expect(sec.answering).toBe(exp.answering);
    if (exp.fatal !== undefined) expect(d.fatal).toBe(exp.fatal);
    const items = Object.fromEntries(d.sections.flatMap((s) => s.items).map((i) => [i.id, i]));
    for (const [id, st] of Object.entries(exp.statuses ?? {})) expect(items[id]!.status, id).toBe(st);
    for (const [id, p] of Object.entries(exp.points ?? {})) expect(items[id]!.points, id).toBe(p);
  });

  it('manual items are never guessed: needs_review, points null, listed as pending', () => {
    const d = draftScorecard(card, { events: [], transcript }, { id: 't', version: '1' });
    const m = d.sections[0]!.items.find((i) => i.id === 'mandarin')!;
    expect(m).toMatchObject({ status: 'needs_review', points: null });
    expect(d.pendingReviewPoints).toBe(2);
    expect(d.totalIfPendingLost).toBe(14);
    expect(d.needsReview).toBe(true);
    expect(d.reviewReasons.some((r) => r.includes('mandarin'))).toBe(true);
  });

  it('without a transcript, text items need review instead of passing or failing', () => {
    const d = draftScorecard(card, { events: [], transcript: null }, { id: 't', version: '1' });
    const items = Object.fromEntries(d.sections.flatMap((s) => s.items).map((i) => [i.id, i]));
    expect(items.banned!.status).toBe('needs_review');
    expect(items.banned!.reason).toMatch(/no transcript/);
    expect(items.apology!.status).toBe('needs_review');
    expect(items.quick!.status).toBe('pass'); // audio items still judged
    expect(items.banned!.points).toBeNull();
  });

  it('stores the pipeline id and version', () => {
    const d = draftScorecard(card, { events: [] }, { id: 'inbound', version: '2024.1' });
    expect(d.pipeline).toEqual({ id: 'inbound', version: '2024.1' });
    expect(d.schemaVersion).toBe(1);
  });
});

describe('scorecard schema', () => {
  const base = { id: 'x', title: 'x', source: 's' };
  const bad: [string, unknown, RegExp][] = [
    ['section points must add up', { title: 't', sections: [{ id: 'a', title: 'a', max: 10, items: [{ ...base, points: 4, fail: { event: 'e' } }] }] }, /add up to 4, not the section max 10/],
    ['standard items need a rule', { title: 't', sections: [{ id: 'a', title: 'a', max: 2, items: [{ ...base, points: 2 }] }] }, /need a fail or pass rule/],
    ['manual items have no rule', { title: 't', sections: [{ id: 'a', title: 'a', max: 2, items: [{ ...base, kind: 'manual', points: 2, fail: { event: 'e' } }] }] }, /manual items have no/],
    ['source is required', { title: 't', sections: [{ id: 'a', title: 'a', max: 2, items: [{ id: 'x', title: 'x', points: 2, fail: { event: 'e' } }] }] }, /source/],
    [
      'duplicate item ids',
      { title: 't', sections: [{ id: 'a', title: 'a', max: 4, items: [{ ...base, points: 2, fail: { event: 'e' } }, { ...base, points: 2, fail: { event: 'e' } }] }] },
      /duplicate item id x/,
    ],
    ['bonus sections hold bonus items', { title: 't', sections: [{ id: 'a', title: 'a', max: 2, bonus: true, items: [{ ...base, points: 2, fail: { event: 'e' } }] }] }, /only bonus/],
  ];
  it.each(bad)('%s', (_n, data, msg) => {
    const r = ScorecardSchema.safeParse(data);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues)).toMatch(msg);
  });
});
