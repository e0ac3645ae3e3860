import { describe, expect, it } from 'vitest';
import { AhoCorasick } from '../src/lexicon/aho-corasick.js';
import { lexiconsFromTexts, withoutApostrophes } from '../src/lexicon/loader.js';
import { LexiconMatcher, QUOTE_MAX_CHARS, locateHit, quoteAround, segmentLanguages } from '../src/lexicon/matcher.js';
import { normaliseText } from '../src/core/normalise.js';
import type { TranscriptSegment } from '../src/core/types.js';

const ZH_BANNED = `
version: 1
language: zh
category: banned
defaults: { role: agent }
quoteMarkers: [您说]
entries:
  - id: zh.banned.bu-qing-chu
    phrases: [不清楚]
    source: test
    exceptions: [我听不清楚, 还有什么不清楚的地方]
  - id: zh.banned.bu-ming-bai
    phrases: [不明白]
    source: test
    exceptions: [我不太明白您的意思]
  - id: zh.banned.wei
    phrases: [喂]
    source: test
`;
const ZH_FILLER = `
version: 1
language: zh
category: filler
entries:
  - { id: zh.filler.a, phrases: [啊], source: test }
  - { id: zh.filler.ya, phrases: [呀], source: test }
  - { id: zh.filler.aya, phrases: [啊呀], source: test }
  - { id: zh.filler.nage, phrases: [那个], boundary: pause, source: test }
`;
const ZH_CLOSING = `
version: 1
language: zh
category: closing
defaults: { fuzzy: true, fuzzyConfidence: 0.8 }
entries:
  - { id: zh.closing.thanks, phrases: [感谢您的来电], source: test }
  - { id: zh.closing.wish, phrases: [祝您生活愉快], source: test }
`;
const ZH_SELF = `
version: 1
language: zh
category: self_identification
entries:
  - { id: zh.self.num, kind: staff_id, phrases: ["工号{n}", "{n}号客服"], source: test }
  - { id: zh.self.org, kind: organisation, phrases: [有线], source: test }
`;
const EN_BANNED = `
version: 1
language: en
category: banned
quoteMarkers: [you said]
entries:
  - id: en.banned.dont-know
    phrases: [i don't know]
    exceptions: [i don't know if you're aware, i don't know but let me find out]
`;
const EN_APOLOGY = `
version: 1
language: en
category: apology
defaults: { fuzzy: true }
entries:
  - { id: en.apology.apologise, phrases: [i apologize] }
  - { id: en.apology.inconvenience, phrases: [sorry for the inconvenience] }
`;
const EN_ESC = `
version: 1
language: en
category: escalation
defaults: { role: customer, fuzzy: true }
entries:
  - { id: en.escalation.supervisor, phrases: [supervisor] }
`;
const EN_FILLER = `
version: 1
language: en
category: filler
entries:
  - { id: en.filler.um, phrases: [um, uh] }
  - { id: en.filler.like, phrases: [like, you know], boundary: pause }
`;

const lex = lexiconsFromTexts({
  'zh/banned.yaml': ZH_BANNED,
  'zh/filler.yaml': ZH_FILLER,
  'zh/closing.yaml': ZH_CLOSING,
  'zh/self.yaml': ZH_SELF,
  'en/banned.yaml': EN_BANNED,
  'en/apology.yaml': EN_APOLOGY,
  'en/escalation.yaml': EN_ESC,
  'en/filler.yaml': EN_FILLER,
});
const m = new LexiconMatcher(lex);
const ids = (text: string, lang: 'zh' | 'en') => m.matchText(text, lang).map((h) => h.entry.id);
const seg = (speaker: TranscriptSegment['speaker'], start: number, end: number, text: string): TranscriptSegment => ({
  speaker,
  start,
  end,
  text,
  normText: normaliseText(text),
});

describe('Aho-Corasick', () => {
  it('finds every occurrence of every pattern in one pass, overlaps included', () => {
    const ac = new AhoCorasick<string>();
    for (const p of ['he', 'she', 'his', 'hers']) ac.add([...p].map((c) => c.charCodeAt(0)), p);
    const found: string[] = [];
    const text = Int32Array.from([...'ushers!!'].map((c) => c.charCodeAt(0)));
    ac.search(text, 6, (s, e, v) => found.push(`${v}@${s}-${e}`)); // reads only the first 6 symbols of a longer buffer
    expect(found.sort()).toEqual(['he@2-4', 'hers@2-6', 'she@1-4']);
  });
});

describe('LexiconMatcher (zh)', () => {
  it('matches on normalised text: Traditional characters, full-width, punctuation and spaces', () => {
    expect(ids('這個我不清楚。', 'zh')).toEqual(['zh.banned.bu-qing-chu']);
    expect(ids('感謝 您的來電！', 'zh')).toEqual(['zh.closing.thanks']);
  });

  it('a phrase written with 账 matches 帳 (Taiwan, Hong Kong: OpenCC makes it 帐) and the 帐 variant, quoted where it stands', () => {
    const acct = new LexiconMatcher(
      lexiconsFromTexts({
        'zh/escalation.yaml': 'version: 1\nlanguage: zh\ncategory: escalation\nentries:\n  - { id: zh.esc.close-account, phrases: [注销账户], source: test }\n',
      }),
    );
    for (const text of ['我要注销账户', '那我要註銷帳戶！', '我要注销帐户', '我要注銷賬戶']) {
      expect(acct.matchText(text, 'zh').map((h) => h.entry.id), text).toEqual(['zh.esc.close-account']);
    }
    const [hit] = acct.matchTranscript([seg('agent', 0, 2, '那我要註銷帳戶！')], { language: 'zh' });
    expect([...'那我要註銷帳戶！'].slice(hit!.from, hit!.to).join('')).toBe('註銷帳戶');
  });

  it('exceptions from the seed scripts cancel the hit; the plain phrase does not', () => {
    expect(ids('非常抱歉，我听不清楚，请您讲话大声点儿好吗？', 'zh')).toEqual([]);
    expect(ids('非常抱歉，我不太明白您的意思，请您说慢一点儿好吗？', 'zh')).toEqual([]);
    expect(ids('请问您还有什么不清楚的地方', 'zh')).toEqual([]);
    expect(ids('这个我不明白', 'zh')).toEqual(['zh.banned.bu-ming-bai']);
  });

  it('keeps the longest overlapping hit: 啊呀 is one filler, not 啊 + 呀', () => {
    expect(ids('啊呀，您别着急', 'zh')).toEqual(['zh.filler.aya']);
    expect(ids('好的啊', 'zh')).toEqual(['zh.filler.a']);
  });

  it('pause-bounded fillers: 那个 followed by a pause or repeated, never the demonstrative', () => {
    expect(ids('那个订单已经发货了', 'zh')).toEqual([]);
    expect(ids('那个，订单已经发货了', 'zh')).toEqual(['zh.filler.nage']);
    expect(ids('那个那个订单', 'zh')).toEqual(['zh.filler.nage', 'zh.filler.nage']);
    expect(ids('那个 订单', 'zh')).toEqual(['zh.filler.nage']); // whisper writes the pause as a space
  });

  it('number placeholders: ASCII digits and spoken Chinese numerals', () => {
    expect(ids('东方有线工号1024为您服务', 'zh').sort()).toEqual(['zh.self.num', 'zh.self.org']);
    expect(ids('工号幺零二四', 'zh')).toEqual(['zh.self.num']);
    expect(ids('工号为您服务', 'zh')).toEqual([]);
  });

  it('fuzzy pinyin homophones with a confidence below 1', () => {
    const hits = m.matchText('感谢您的来店，祝您生活遇快', 'zh');
    expect(hits.map((h) => h.entry.id)).toEqual(['zh.closing.thanks', 'zh.closing.wish']);
    for (const h of hits) {
      expect(h.fuzzy).toBe(true);
      expect(h.confidence).toBeGreaterThan(0.5);
      expect(h.confidence).toBeLessThan(0.8);
    }
    expect(m.matchText('感谢您的来电', 'zh')[0]).toMatchObject({ fuzzy: false, confidence: 1 });
  });
});

describe('LexiconMatcher (en)', () => {
  it('stems so inflections match', () => {
    expect(ids('I apologized for that', 'en')).toEqual(['en.apology.apologise']);
    expect(ids('Sorry for the inconveniences', 'en')).toEqual(['en.apology.inconvenience']);
  });

  it('exceptions: "I don\'t know if you\'re aware" and "I don\'t know, but let me find out"', () => {
    expect(ids("I don't know if you're aware, but the fee changed", 'en')).toEqual([]);
    expect(ids("I don't know, but let me find out.", 'en')).toEqual([]);
    expect(ids("I don't know.", 'en')).toEqual(['en.banned.dont-know']);
  });

  it('transcripts without apostrophes match phrases and exceptions written with them ("i dont know", "youre")', () => {
    expect(ids('i dont know you will have to ask in the store', 'en')).toEqual(['en.banned.dont-know']);
    expect(ids('i dont know if youre aware but the fee changed', 'en')).toEqual([]);
    expect(ids("i don't know if youre aware", 'en')).toEqual(['en.banned.dont-know']); // one variant: all or none
    expect(withoutApostrophes(["i don't know", 'hello', 'you’re'])).toEqual(["i don't know", 'hello', 'you’re', 'i dont know', 'youre']);
    expect(withoutApostrophes(["it's", "we'll", "i'm"])).toEqual(["it's", "we'll", "i'm", 'im']); // not the words its / well
  });

  it('fuzzy Metaphone for ASR misspellings', () => {
    const [h] = m.matchText('get me your superviser', 'en');
    expect(h).toMatchObject({ fuzzy: true, matched: 'superviser' });
    expect(h.confidence).toBeGreaterThan(0.5);
    expect(h.confidence).toBeLessThan(0.7);
  });

  it('"like" is a filler only at a pause', () => {
    expect(ids("I'd like to help", 'en')).toEqual([]);
    expect(ids('so, like, which one', 'en')).toEqual(['en.filler.like']);
    expect(ids('um, sure', 'en')).toEqual(['en.filler.um']);
  });
});

describe('matchTranscript', () => {
  it('is role-aware: a banned phrase counts only for the agent', () => {
    const hits = m.matchTranscript([seg('customer', 0, 2, '我也不清楚'), seg('agent', 3, 5, '这个我不清楚')]);
    expect(hits.map((h) => [h.entry.id, h.speaker])).toEqual([['zh.banned.bu-qing-chu', 'agent']]);
    expect(hits[0].start).toBeGreaterThanOrEqual(3);
    expect(hits[0].end).toBeLessThanOrEqual(5);
  });

  it('drops a banned phrase the agent quotes back from the customer', () => {
    const hits = m.matchTranscript([seg('customer', 0, 3, '你们客服都说不清楚'), seg('agent', 4, 8, '您说之前的客服说不清楚，非常抱歉')]);
    expect(hits.filter((h) => h.entry.category === 'banned')).toEqual([]);
    // without the customer having said it, the quote marker alone does not excuse it
    const alone = m.matchTranscript([seg('agent', 4, 8, '您说的这个我不清楚')]);
    expect(alone.map((h) => h.entry.id)).toEqual(['zh.banned.bu-qing-chu']);
  });

  it('a long segment is quoted around each hit, not whole: a platform transcript with one segment per side', () => {
    // 1 200 filler hits in one 12 kB segment each carried the whole segment: a 70 MB report, 1.1 GB of memory
    const zh = '您好 请问 嗯 那个 我想问一下 就是 我的账单 然后 啊 这个 您稍等 对 好的 '.repeat(160);
    const en = 'so um I was calling about my bill and uh basically the charge is wrong, like, twice. '.repeat(120);
    const hits = m.matchTranscript([seg('agent', 0, 300, zh), seg('agent', 300, 600, en)]);
    const zhHits = hits.filter((h) => h.language === 'zh');
    const enHits = hits.filter((h) => h.language === 'en');
    expect(zhHits.length).toBeGreaterThanOrEqual(160); // 啊 once a repeat (那个 here is no filler: no pause around it)
    expect(enHits.length).toBeGreaterThanOrEqual(240); // um and uh once a repeat each
    for (const h of hits) {
      expect([...h.text].length).toBeLessThanOrEqual(QUOTE_MAX_CHARS);
      // the quote holds what matched (the hit's place is estimated from the prepared text)
      expect(h.text.replace(/\s/g, '').toLowerCase()).toContain(h.matched.replace(/\s/g, '').toLowerCase());
      expect(h.text.startsWith('…') || h.text.endsWith('…')).toBe(true);
    }
    // the quotes follow the hits through the segment: the first is the segment's start, the last its end
    expect(zhHits[0]!.text.startsWith('您好')).toBe(true);
    expect(enHits.at(-1)!.text.endsWith('twice.')).toBe(true);
    // a segment of ordinary length is quoted whole
    const [short] = m.matchTranscript([seg('agent', 0, 3, '这个我不清楚，您稍等')]);
    expect(short!.text).toBe('这个我不清楚，您稍等');
  });

  it('a long segment of uneven text: the quote still holds the hit (found near the estimate, not only estimated)', () => {
    // English places are estimated by words: long words before the hit and short ones after threw the estimate off
    const en = `${'supercalifragilistic '.repeat(100)}so um well ${'uh '.repeat(100)}`;
    const zh = `${'您'.repeat(400)}，so the bill um is wrong and uh ${'好的'.repeat(150)}`;
    const hits = m.matchTranscript([seg('agent', 0, 60, en), seg('agent', 60, 120, zh)]);
    const um = hits.filter((h) => h.matched === 'um');
    expect(um.length).toBe(2);
    for (const h of um) {
      expect(h.text).toMatch(/\bum\b/);
      expect([...h.text].length).toBeLessThanOrEqual(QUOTE_MAX_CHARS);
    }
    for (const h of hits) expect(h.text.replace(/\s/g, '').toLowerCase()).toContain(h.matched.replace(/\s/g, '').toLowerCase());
  });

  it('locateHit: the occurrence nearest the estimate, across punctuation and case; nothing when it is not near', () => {
    const cps = Array.from(`${'x '.repeat(3000)}Um, well ${'y '.repeat(3000)}um ${'z '.repeat(20000)}`);
    const first = 6000;
    expect(locateHit(cps, 'um', first + 10)).toEqual([first, first + 2]);
    const second = first + 'Um, well '.length + 6000;
    expect(locateHit(cps, 'um', second - 5)).toEqual([second, second + 2]);
    // the matched text of a Chinese hit is compact: spaces and punctuation in the raw text are skipped
    const zh = Array.from(`${'好'.repeat(500)}我 不，清楚${'好'.repeat(500)}`);
    expect(locateHit(zh, '我不清楚', 480)).toEqual([500, 506]);
    // beyond the widest window it is not searched for: the caller keeps its estimate
    expect(locateHit(cps, 'um', cps.length - 1)).toBeUndefined();
    expect(locateHit(cps, 'not there', first)).toBeUndefined();
    // regex characters in the matched text are literal
    expect(locateHit(Array.from(`${'a'.repeat(300)} c++ (x) ${'b'.repeat(300)}`), 'c++ (x)', 300)).toEqual([301, 308]);
  });

  it('locateHit stays bounded: thousands of hits in a segment of megabytes', () => {
    const cps = Array.from('so um I was calling about my bill and uh basically the charge is wrong. '.repeat(30_000));
    let found = 0;
    for (let i = 0; i < 5_000; i++) if (locateHit(cps, 'uh', Math.floor((i / 5_000) * cps.length))) found++;
    // each call reads a window of a few kB: scanning the 2 MB segment from its start for every hit took minutes
    // (the test's timeout catches that), this takes about a second
    expect(found).toBe(5_000);
  });

  it('quoteAround: cuts at word and clause boundaries, never through the hit', () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const q = quoteAround(words, 0.5, 0.505);
    expect(q).toMatch(/^…word\d+ .* word\d+…$/);
    expect(q).toContain('word100');
    expect(q.length).toBeLessThanOrEqual(QUOTE_MAX_CHARS);
    // at either end there is nothing to cut on that side
    expect(quoteAround(words, 0, 0.01).startsWith('word0 ')).toBe(true);
    expect(quoteAround(words, 0.995, 1).endsWith(' word199')).toBe(true);
    // a hit longer than the window is kept whole
    const long = 'x'.repeat(300);
    expect(quoteAround(`a ${long} b ${'y '.repeat(200)}`, 0, 0.5)).toContain(long);
    expect(quoteAround('short text', 0.2, 0.4)).toBe('short text');
  });

  it('unknown speakers (mono) match with reduced confidence and say so', () => {
    const [h] = m.matchTranscript([seg('unknown', 0, 2, '这个我不清楚')]);
    expect(h).toMatchObject({ speakerAssumed: true, confidence: 0.5 });
  });

  it('auto language picks per segment by script, both for mixed utterances', () => {
    expect(segmentLanguages('您好', 'auto')).toEqual(['zh']);
    expect(segmentLanguages('hello there', 'auto')).toEqual(['en']);
    expect(segmentLanguages('您的 order 已经 shipped, thank you', 'auto')).toEqual(['zh', 'en']);
    const hits = m.matchTranscript([seg('agent', 0, 3, '不好意思，I apologize for that，我不清楚')]);
    expect(hits.map((h) => h.entry.id).sort()).toEqual(['en.apology.apologise', 'zh.banned.bu-qing-chu']);
  });
});
