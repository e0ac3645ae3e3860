import { describe, expect, it } from 'vitest';
import { normaliseText } from '../core/normalise.js';
import type { Speaker, Transcript } from '../core/types.js';
import { findPii, maskText } from './find.js';
import { findPiiInTranscript, maskTranscript, segmentsPii } from './transcript.js';

const seg = (speaker: Speaker, start: number, end: number, text: string, words?: Array<[number, number, string]>) => ({
  speaker, start, end, text, normText: normaliseText(text), ...(words ? { words: words.map(([s, e, w]) => ({ start: s, end: e, text: w })) } : {}),
});

describe('findPiiInTranscript', () => {
  it('takes the time from word timings when the engine gave them', () => {
    const t: Transcript = { engine: 'whisper', language: 'en', segments: [
      seg('customer', 10, 16, 'sure, it is 415 555 2671 thanks', [[10, 10.4, 'sure,'], [10.4, 10.6, 'it'], [10.6, 10.8, 'is'], [11, 11.6, '415'], [11.7, 12.3, '555'], [12.4, 13.5, '2671'], [14, 15, 'thanks']]),
    ] };
    const f = findPiiInTranscript(t);
    expect(f).toEqual([expect.objectContaining({ category: 'us_phone', speaker: 'customer', start: 11, end: 13.5, timing: 'words' })]);
  });
  it('estimates the time within the segment otherwise', () => {
    const t: Transcript = { engine: 'sidecar-json', language: 'zh', segments: [seg('customer', 20, 30, '我的手机号是13812345678')] };
    const [f] = findPiiInTranscript(t);
    expect(f!.timing).toBe('estimated');
    expect(f!.start).toBeGreaterThan(22);
    expect(f!.end).toBeCloseTo(30, 1);
  });
});

describe('maskTranscript', () => {
  it('masks text, normText and word timings; no digit of the span survives', () => {
    const t: Transcript = { engine: 'whisper', language: 'en', segments: [
      seg('agent', 0, 3, 'thank you for calling'),
      seg('customer', 10, 16, 'card 4111 1111 1111 1111 ok', [[10, 10.5, 'card'], [10.6, 11, '4111'], [11, 11.5, '1111'], [11.5, 12, '1111'], [12, 12.5, '1111'], [13, 13.5, 'ok']]),
    ] };
    const m = maskTranscript(t, findPiiInTranscript(t));
    expect(m.segments[0]).toBe(t.segments[0]);
    expect(m.segments[1]!.text).toBe('card [CARD] ok');
    expect(m.segments[1]!.normText).not.toMatch(/\d/);
    // the same number of words for speech rate: card x x x x ok
    expect(m.segments[1]!.normText).toBe('card x x x x ok');
    expect(m.segments[1]!.words!.map((w) => w.text)).toEqual(['card', '[CARD]', 'ok']);
    expect(JSON.stringify(m)).not.toContain('1111');
  });
});

describe('a number said across two segments of one speaker', () => {
  const zh = (segs: Array<[Speaker, number, number, string]>): Transcript => ({
    engine: 'sidecar-json', language: 'zh', segments: segs.map(([speaker, start, end, text]) => seg(speaker, start, end, text)),
  });
  const masked = (t: Transcript) => maskTranscript(t, findPiiInTranscript(t)).segments.map((s) => s.text);
  it.each([
    // ASR cut the mobile at a pause: neither half is a number on its own
    [[['customer', 0, 2, '我的手机号是139'], ['customer', 2.5, 4, '1234 5678']], ['我的手机号是[手机号]', '[PHONE]']],
    // the agent's 嗯 in between; punctuation at the cut
    [[['customer', 0, 2, '我的手机号是139，'], ['agent', 2.1, 2.4, '嗯'], ['customer', 2.5, 4, '1234，5678，对']], ['我的手机号是[手机号]，', '嗯', '[手机号]，对']],
    // across three segments, read in Chinese numerals
    [[['customer', 0, 2, '我的手机号是幺三九'], ['customer', 2.5, 3, '幺二三四'], ['customer', 3.2, 4, '五六七八 记一下']], ['我的手机号是[手机号]', '[手机号]', '[手机号] 记一下']],
    [[['customer', 0, 2, 'my number is 555'], ['customer', 2.5, 4, '1234 thanks']], ['my number is [PHONE]', '[PHONE] thanks']],
    [[['customer', 0, 2, '电话是+86'], ['customer', 2.5, 4, '139 1234 5678']], ['电话是[手机号]', '[PHONE]']],
    // the speaker's own hesitation cut off as a segment of its own between the parts
    [[['customer', 0, 2, '我的手机号是139'], ['customer', 2.2, 2.6, '1234'], ['customer', 2.8, 3, '嗯'], ['customer', 3.2, 4, '5678']], ['我的手机号是[手机号]', '[PHONE]', '嗯', '[PHONE]']],
  ] as Array<[Array<[Speaker, number, number, string]>, string[]]>)('%j', (segs, want) => {
    expect(masked(zh(segs))).toEqual(want);
  });
  it.each([
    // a long pause: two things said, not one number
    [[['customer', 0, 2, 'my number is 555'], ['customer', 12.5, 14, '1234 thanks']]],
    // an answer to another question is another number: 卡号后四位, then 身份证后六位
    [[['agent', 9.5, 11.9, '请您报一下卡号后四位。'], ['customer', 12.3, 13.0, '7713。'], ['agent', 13.5, 15.0, '身份证后六位呢？'], ['customer', 15.8, 16.9, '020918。']]],
    // another speaker's segment is not the rest of the number
    [[['agent', 0, 2, '您的手机号是139'], ['customer', 2.5, 4, '1234 5678']]],
    // what the cue says holds across the cut; counts and times stay readable
    [[['customer', 0, 2, '订单号是12345'], ['customer', 2.5, 4, '6789 对吗']]],
    [[['customer', 0, 2, '我今年35'], ['customer', 2.5, 4, '20分钟后到']]],
  ] as Array<[Array<[Speaker, number, number, string]>]>)('look-alike: %j', (segs) => {
    expect(masked(zh(segs))).toEqual(segs.map((s) => s[3]));
  });
  it('a number whole in one segment is found there once, whatever the next segment begins with', () => {
    const t = zh([['customer', 0, 2, '手机13912345678'], ['customer', 2.5, 4, '30号之前打']]);
    expect(findPiiInTranscript(t).map((f) => [f.category, f.segment])).toEqual([['mobile', 0]]);
    expect(masked(t)).toEqual(['手机[手机号]', '30号之前打']);
  });
  it('joining never unmasks what a segment masks on its own: a reading across the cut adds to it', () => {
    // each segment alone masks its whole number; read together, the cut falls elsewhere (0112 5551234, 617 …): the
    // joined reading may only widen the masks, never leave part of a number a segment masked readable
    const cases: Array<Array<[Speaker, number, number, string]>> = [
      [['customer', 0, 2, 'my number is 617 555 0112'], ['customer', 2.5, 4, '5551234 ok']],
      [['customer', 0, 2, 'my number is 1 3 9 1 2 3 4 5 6 7 8 1430'], ['customer', 2.5, 4, '617 555 0112 30 ok']],
      [['customer', 0, 2, '我的手机是30 0755 2687 1234'], ['customer', 2.5, 4, '5551234 好的']],
    ];
    for (const segs of cases) {
      const spans = segmentsPii(zh(segs).segments);
      segs.forEach(([, , , text], i) => {
        for (const own of findPii(text)) {
          for (let p = own.start; p < own.end; p++) {
            expect(spans[i]!.some((s) => s.start <= p && p < s.end), `${text}: offset ${p} left readable`).toBe(true);
          }
        }
        // still spans maskText can apply: in order, none overlapping
        spans[i]!.forEach((s, k) => k > 0 && expect(s.start).toBeGreaterThanOrEqual(spans[i]![k - 1]!.end));
      });
      // the masked text shows no digit of the number the first segment masks on its own
      expect(masked(zh(segs))[0]).toBe(maskText(segs[0]![3], segmentsPii(zh(segs).segments)[0]!));
    }
  });
  it('each half is timed in its own segment', () => {
    const f = findPiiInTranscript(zh([['customer', 0, 2, '我的手机号是139'], ['customer', 2.5, 4, '1234 5678']]));
    expect(f.map((x) => x.segment)).toEqual([0, 1]);
    expect(f[0]!.end).toBeLessThanOrEqual(2);
    expect(f[1]!.start).toBeGreaterThanOrEqual(2.5);
  });
});
