import { describe, expect, it } from 'vitest';
import { normaliseText } from '../core/normalise.js';
import type { Transcript } from '../core/types.js';
import { findPiiInTranscript, maskTranscript } from './transcript.js';

const seg = (speaker: 'agent' | 'customer', start: number, end: number, text: string, words?: Array<[number, number, string]>) => ({
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
