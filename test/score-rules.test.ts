import { describe, expect, it } from 'vitest';
import { completeEvent } from '../src/core/events.js';
import { normaliseText } from '../src/core/normalise.js';
import type { CallEvent, Speaker, Transcript } from '../src/core/types.js';
import { buildContext, evaluateCondition, type ScoreInput } from '../src/score/rules.js';
import { ConditionSchema, ItemSchema, type Condition } from '../src/score/schema.js';

const seg = (speaker: Speaker, start: number, end: number, text: string) => ({ speaker, start, end, text, normText: normaliseText(text) });
const ev = (type: string, speaker: Speaker | null, start: number, end: number, details?: Record<string, unknown>): CallEvent =>
  completeEvent({ type, speaker, start, end, details });

// A short inbound call with a complaint, an apology, a hold and some faults.
const transcript: Transcript = {
  engine: 'sidecar-json',
  language: 'zh',
  segments: [
    seg('agent', 0.5, 3.5, '您好，很高兴为您服务，工号1024。'),
    seg('customer', 4, 8, '我的宽带又断了，我要投诉你们！'),
    seg('agent', 8.5, 11, '非常抱歉给您带来不便。'),
    seg('customer', 11.5, 13, '这个问题怎么处理？'),
    seg('agent', 13.5, 16, '这个我不清楚。'),
    seg('agent', 16.5, 19, '请您稍等，我帮您查询一下。'),
    seg('agent', 90, 93, '感谢您的耐心等待。'),
    seg('agent', 94, 97, '请您稍等，我帮您查询一下。'),
    seg('agent', 98, 101, '请您稍等一下，我帮您查一下。'),
    seg('customer', 102, 103, '好的。'),
    seg('agent', 104, 107, '感谢您的来电，再见。'),
  ],
};
const events: CallEvent[] = [
  ev('greeting', 'agent', 0.5, 3.5, { text: '您好', entryId: 'zh.greeting.nin-hao' }),
  ev('customer_escalation', 'customer', 4, 8, { text: '投诉', entryId: 'zh.escalation.complaint' }),
  ev('apology', 'agent', 8.5, 11, { text: '非常抱歉', entryId: 'zh.apology.sorry' }),
  ev('banned_phrase', 'agent', 13.5, 16, { text: '不清楚', entryId: 'zh.banned.bu-qing-chu', confidence: 0.9 }),
  ev('hold', 'agent', 20, 89, { durationSec: 69 }),
  ev('silence', null, 30, 42, { durationSec: 12 }),
  ev('talk_over', 'agent', 5, 6.2, { overlapSec: 1.2 }),
  ev('talk_over', 'agent', 11.6, 11.9, { overlapSec: 0.3 }),
  ev('backchannel', 'customer', 14, 14.4, {}),
];
const input: ScoreInput = { events, transcript, metadata: { ringSec: 12, hungUpBy: 'agent' }, durationSec: 108 };
const ctx = buildContext(input);
const noText = buildContext({ ...input, transcript: null });
const mono = buildContext({ ...input, available: { talkOver: false } });

const parse = (c: unknown) => ConditionSchema.parse(c) as Condition;

describe('rule engine: conditions', () => {
  // [name, condition, expected value, expected hit count (or start times)]
  const cases: [string, unknown, boolean | null, number | number[]][] = [
    ['event by type', { event: 'banned_phrase' }, true, [13.5]],
    ['event by entry id', { event: 'banned_phrase', entry: 'zh.banned.wei' }, false, 0],
    ['event role scope', { event: 'banned_phrase', role: 'customer' }, false, 0],
    ['event min confidence', { event: 'banned_phrase', minConfidence: 0.95 }, false, 0],
    ['event detail field equals', { event: 'hold', details: { durationSec: 69 } }, true, [20]],
    ['event detail field differs', { event: 'hold', details: { durationSec: 70 } }, false, 0],
    ['event detail field the event lacks', { event: 'banned_phrase', details: { ok: false } }, false, 0],
    ['keywords any within a sentence', { keywords: ['不清楚', '不明白'], role: 'agent' }, true, [13.5]],
    ['keywords customer-only: the agent is not blamed', { keywords: ['投诉'], role: 'agent' }, false, 0],
    ['keywords all in one sentence', { keywords: ['您好', '工号'], match: 'all', role: 'agent' }, true, [0.5]],
    ['keywords all but split across sentences', { keywords: ['您好', '再见'], match: 'all', role: 'agent' }, false, 0],
    ['keywords all across sentences', { keywords: ['您好', '再见'], match: 'all', across: true, role: 'agent' }, true, [0.5, 104]],
    ['keywords atLeast 2 of 3', { keywords: ['抱歉', '感谢', '请您'], match: 'atLeast', atLeast: 2, across: true, role: 'agent' }, true, 6],
    ['keywords none', { keywords: ['喂'], match: 'none', role: 'agent' }, true, 0],
    ['keywords none violated', { keywords: ['不清楚'], match: 'none', role: 'agent' }, false, 0],
    ['keywords in first sentence window', { keywords: ['您好'], role: 'agent', window: { first: 1 } }, true, [0.5]],
    ['keywords in last 15 s', { keywords: ['再见'], role: 'agent', window: { lastSec: 15 } }, true, [104]],
    ['keywords first 15 s misses a late phrase', { keywords: ['再见'], role: 'agent', window: { firstSec: 15 } }, false, 0],
    ['traditional characters normalised', { keywords: ['很高興'], role: 'agent' }, true, [0.5]],
    ['regex with digits', { regex: '工号\\d{3,}', role: 'agent', window: { firstSec: 15 } }, true, [0.5]],
    ['regex with exclusion', { regex: '不清楚', exclude: '听不清楚', role: 'agent' }, true, [13.5]],
    ['regex excluded sentence', { regex: '稍等', exclude: '请您', role: 'agent' }, false, 0],
    ['similar to an example', { similar: ['请您稍等我帮您查一下'], threshold: 0.7, role: 'agent' }, true, [16.5, 94, 98]],
    ['repeated context', { repeated: { minTimes: 3, threshold: 0.7 }, role: 'agent' }, true, [16.5, 94, 98]],
    ['repeated context needs 4', { repeated: { minTimes: 4, threshold: 0.7 }, role: 'agent' }, false, 0],
    ['silence longer than 10 s', { silence: { minSec: 10 } }, true, [30]],
    ['silence longer than 15 s', { silence: { minSec: 15 } }, false, 0],
    ['hit count: silence at least twice', { silence: { minSec: 10 }, minCount: 2 }, false, 0],
    ['hold longer than 60 s', { hold: { minSec: 60 } }, true, [20]],
    ['talk-over with min length ignores short overlaps', { talkOver: { minSec: 0.5, by: 'agent' } }, true, [5]],
    ['talk-over by the customer', { talkOver: { minSec: 0.5, by: 'customer' } }, false, 0],
    ['backchannels are not talk-over', { talkOver: { minSec: 0, by: 'customer' } }, false, 0],
    ['speech rate above band', { speechRate: { above: 150 } }, true, 1],
    ['speech rate within band', { speechRate: { above: 400, below: 60 } }, false, 0],
    ['metadata numeric', { metadata: 'ringSec', lte: 15 }, true, 1],
    ['metadata equals', { metadata: 'hungUpBy', equals: 'customer' }, false, 0],
    ['metadata absent', { metadata: 'transfers', lte: 0 }, null, 0],
    [
      'relative: apology within 2 turns after a complaint',
      { relative: { to: { event: 'customer_escalation' }, find: { event: 'apology', role: 'agent' }, position: 'after', withinTurns: 2 } },
      true,
      [8.5],
    ],
    [
      'relative: complaints without apology',
      { relative: { to: { event: 'customer_escalation' }, find: { event: 'apology', role: 'agent' }, position: 'after', withinTurns: 2, report: 'anchorsWithout' } },
      false,
      0,
    ],
    [
      'relative: hold without thanks after it',
      { relative: { to: { hold: { minSec: 30 } }, find: { keywords: ['感谢', '等待'], match: 'all', role: 'agent' }, position: 'after', withinSec: 10, report: 'anchorsWithout' } },
      false,
      0,
    ],
    [
      'relative: hold with a request before it',
      { relative: { to: { hold: { minSec: 30 } }, find: { keywords: ['稍等'], role: 'agent' }, position: 'before', withinSec: 5, report: 'anchorsWith' } },
      true,
      [20],
    ],
    [
      'relative: around',
      { relative: { to: { silence: { minSec: 10 } }, find: { event: 'hold' }, position: 'around', withinSec: 15 } },
      true,
      [20],
    ],
    ['and', { all: [{ event: 'greeting' }, { keywords: ['再见'], role: 'agent' }] }, true, [0.5, 104]],
    ['or', { any: [{ event: 'missing_greeting' }, { event: 'late_greeting' }] }, false, 0],
    ['not', { not: { event: 'missing_greeting' } }, true, 0],
    ['and with unknown metadata is unknown', { all: [{ event: 'greeting' }, { metadata: 'queue', equals: 'x' }] }, null, 0],
    ['and with a false side is false even if the other is unknown', { all: [{ event: 'missing_greeting' }, { metadata: 'queue', equals: 'x' }] }, false, 0],
    ['or with a true side is true even if the other is unknown', { any: [{ event: 'greeting' }, { metadata: 'queue', equals: 'x' }] }, true, 1],
  ];
  it.each(cases)('%s', (_name, cond, value, hits) => {
    const r = evaluateCondition(ctx, parse(cond));
    expect(r.value).toBe(value);
    if (Array.isArray(hits)) expect(r.hits.map((h) => h.start)).toEqual(hits);
    else expect(r.hits.length).toBe(hits);
  });

  it('firstSec windows count from when the call connects, not from the start of the recording', () => {
    // the same call recorded with 30 s of ringing before it: the agent's opening at 30.5 s is in its first 5 s
    const later = (by: number) => ({
      events: events.map((e) => ({ ...e, start: e.start + by, end: e.end + by })),
      transcript: { ...transcript, segments: transcript.segments.map((x) => ({ ...x, start: x.start + by, end: x.end + by })) },
      durationSec: 138,
    });
    const rung = buildContext(later(30));
    expect(rung.connectSec).toBe(30.5);
    const inFirst5 = parse({ keywords: ['工号'], role: 'agent', window: { firstSec: 5 } });
    const greetedIn5 = parse({ event: 'greeting', window: { firstSec: 5 } });
    expect(evaluateCondition(ctx, inFirst5).value).toBe(true);
    expect(evaluateCondition(rung, inFirst5).value).toBe(true);
    expect(evaluateCondition(rung, greetedIn5).hits.map((h) => h.start)).toEqual([30.5]);
    // the platform's answer time, when the metadata gives it, wins: answered at 20 s, the opening is 10.5 s in
    const answered = buildContext({ ...later(30), metadata: { answeredAtSec: 20 } });
    expect(answered.connectSec).toBe(20);
    expect(evaluateCondition(answered, inFirst5).value).toBe(false);
    expect(evaluateCondition(answered, greetedIn5).value).toBe(false);
  });

  it('text conditions are unknown without a transcript, audio ones are not', () => {
    expect(evaluateCondition(noText, parse({ keywords: ['您好'] })).value).toBeNull();
    expect(evaluateCondition(noText, parse({ event: 'banned_phrase' })).unknown[0]!.kind).toBe('signal');
    expect(evaluateCondition(noText, parse({ silence: { minSec: 10 } })).value).toBe(true);
  });

  it('talk-over is unknown on mono recordings', () => {
    expect(evaluateCondition(mono, parse({ talkOver: { minSec: 0.5 } })).value).toBeNull();
  });

  it('evidence quotes the text and points at the event', () => {
    const r = evaluateCondition(ctx, parse({ event: 'banned_phrase', role: 'agent' }));
    expect(r.hits[0]).toMatchObject({ kind: 'event', type: 'banned_phrase', start: 13.5, end: 16, speaker: 'agent', text: '不清楚', entryId: 'zh.banned.bu-qing-chu', eventIndex: 3 });
    const s = evaluateCondition(ctx, parse({ keywords: ['不清楚'], role: 'agent' }));
    expect(s.hits[0]).toMatchObject({ kind: 'sentence', text: '这个我不清楚。', segmentIndex: 4 });
  });

  it('english keywords match whole words only', () => {
    const en = buildContext({
      events: [],
      transcript: { engine: 'sidecar-json', language: 'en', segments: [seg('agent', 0, 3, "I don't KNOW, let me check.")] },
    });
    expect(evaluateCondition(en, parse({ keywords: ['no'] })).value).toBe(false);
    expect(evaluateCondition(en, parse({ keywords: ["don't know"] })).value).toBe(true);
  });
});

describe('regex conditions run in linear time (RE2)', () => {
  // `(a+)+b` backtracks exponentially in JavaScript's RegExp: 32 a's took a minute, each extra a doubles it.
  // On RE2 the whole call below is a few milliseconds; on a backtracking engine this test would never end.
  it('(a+)+b on a sentence of 5,000 a\'s returns at once', () => {
    const long = buildContext({
      events: [],
      transcript: { engine: 'sidecar-json', language: 'en', segments: [seg('agent', 0, 3, 'a'.repeat(5000)), seg('agent', 4, 5, 'aaab')] },
    });
    const r = evaluateCondition(long, parse({ regex: '(a+)+b', role: 'agent' }));
    expect(r.value).toBe(true);
    expect(r.hits.map((h) => h.start)).toEqual([4]);
  });

  it('flags: i ignores case; JavaScript named groups are accepted', () => {
    const en = buildContext({
      events: [],
      transcript: { engine: 'sidecar-json', language: 'en', segments: [seg('agent', 0, 3, 'Can I have your NAME please')] },
    });
    expect(evaluateCondition(en, parse({ regex: 'your name', flags: 'i' })).value).toBe(true);
    expect(evaluateCondition(en, parse({ regex: '(?<what>name|email)' })).value).toBe(true);
  });
});

describe('English keywords with an apostrophe', () => {
  it('also match a transcript that dropped it, as lexicon phrases do', () => {
    const ctx = (text: string) =>
      buildContext({ events: [], transcript: { engine: 'sidecar-json', language: 'en', segments: [{ speaker: 'agent', start: 0, end: 2, text, normText: normaliseText(text) }] } } as never);
    const kw = (k: string[]) => ConditionSchema.parse({ keywords: k });
    expect(evaluateCondition(ctx("I don't know"), kw(["don't know"])).value).toBe(true);
    expect(evaluateCondition(ctx('I dont know'), kw(["don't know"])).value).toBe(true);
    expect(evaluateCondition(ctx('I dont know'), kw(['don’t know'])).value).toBe(true);
    // a one-word contraction whose bare form is another word keeps its apostrophe
    expect(evaluateCondition(ctx('its fine'), kw(["it's"])).value).toBe(false);
  });
});

describe('rule schema', () => {
  const bad: [unknown, RegExp][] = [
    [{ keyword: ['x'] }, /unknown condition/],
    [{ event: 'x', keywords: ['y'] }, /exactly one operator/],
    [{ keywords: ['x'], match: 'atLeast' }, /atLeast/],
    [{ regex: '(' }, /valid regular expression/],
    [{ regex: '(a)\\1' }, /linear-time \(RE2\) engine: invalid escape sequence/],
    [{ regex: 'x', exclude: '(?<=a)b' }, /not a valid regular expression/],
    [{ silence: { minSec: 5 }, role: 'agent' }, /Unrecognized key/],
    [{ all: [{ event: 'x' }, { hold: {} }] }, /expected number|Invalid input/],
    [{ keywords: ['x'], window: { first: 2, lastSec: 3 } }, /exactly one/],
    [{ speechRate: {} }, /above and\/or below/],
  ];
  it.each(bad)('rejects %j', (cond, msg) => {
    const r = ConditionSchema.safeParse(cond);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message).join('; ')).toMatch(msg);
  });

  it('names lookahead/backreferences only when the pattern uses them', () => {
    const msg = (regex: string) => ConditionSchema.safeParse({ regex }).error!.issues.map((i) => i.message).join('; ');
    expect(msg('can i (have')).toMatch(/missing closing \)/);
    expect(msg('can i (have')).not.toMatch(/lookahead/);
    expect(msg('(a{1000}){1000}')).not.toMatch(/lookahead/);
    expect(msg('a(?!b)')).toMatch(/lookahead, lookbehind and backreferences are not supported/);
    expect(msg('(a)\\1')).toMatch(/backreferences are not supported/);
  });

  it('refuses a regex written in Traditional characters (sentences are matched in Simplified) and says what to write', () => {
    const msg = (c: unknown) => ConditionSchema.safeParse(c).error?.issues.map((i) => i.message).join('; ') ?? '';
    expect(msg({ regex: '工號\\d{4}' })).toMatch(/Traditional characters.*write "工号\\d\{4\}"/);
    expect(msg({ regex: '工号\\d{4}', exclude: '聽不清楚' })).toMatch(/write "听不清楚"/);
    expect(ConditionSchema.safeParse({ regex: '工号\\d{4}', exclude: '听不清楚' }).success).toBe(true);
  });

  it('refuses a deduction larger than the item, and reads ids errors without "id: id:"', () => {
    const r = ItemSchema.safeParse({ id: 'x', title: 't', source: 's', points: 2, deduct: 20, fail: { event: 'filler' } });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')).toMatch(/^deduct: deduct 20 is more than the item's 2 points/);
    expect(ItemSchema.safeParse({ id: 'x', title: 't', source: 's', points: 2, deduct: 2, fail: { event: 'filler' } }).success).toBe(true);
    const bad = ItemSchema.safeParse({ id: '-x', title: 't', source: 's', points: 2, fail: { event: 'filler' } });
    expect(bad.error!.issues[0]!.message).not.toMatch(/^id:/);
  });

  it('refuses a regex with capitals and no i flag (sentences are matched lower-cased); escapes and flags: i are fine', () => {
    const msg = (c: unknown) => ConditionSchema.safeParse(c).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') ?? '';
    expect(msg({ regex: 'Can I have your Name' })).toMatch(/regex: "Can I have your Name" has upper-case letters.*add flags: i/);
    expect(msg({ regex: 'name', exclude: 'My Name' })).toMatch(/^exclude: /);
    for (const ok of [{ regex: 'Can I', flags: 'i' }, { regex: '\\D\\S\\W\\p{Han}\\P{L}' }, { regex: '(?P<Who>name)' }, { regex: '工号\\d+' }])
      expect(ConditionSchema.safeParse(ok).success, JSON.stringify(ok)).toBe(true);
  });

  it('nested errors carry their path', () => {
    const r = ConditionSchema.safeParse({ all: [{ event: 'x' }, { relative: { to: { event: 'a' }, find: { keywords: [] }, position: 'after' } }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['all', 1, 'relative', 'find', 'keywords']);
  });
});
