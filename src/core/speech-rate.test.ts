import { describe, expect, it } from 'vitest';
import { MIN_RATED_SPEECH_SEC, rateLanguage, speechRate, speechUnits } from './speech-rate.js';

const u = (text: string, start: number, end: number) => ({ text, start, end });

describe('speech rate (one function for the detector and the scorecard rules)', () => {
  it.each([
    ['您好，工号6001为您服务', 'zh', 12], // 8 Han + 4 digits read out
    ['Thank you for calling, how can I help?', 'en', 8],
    ['我的iPhone充不进电了', 'zh', 7],
    ['hi 我的网 is very slow 一直很慢', 'zh', 7],
  ] as const)('%j: %s, %i units', (text, lang, units) => {
    expect(rateLanguage(text)).toBe(lang);
    expect(speechUnits(text)).toBe(units);
  });

  it('units per minute of speaking time; below the one minimum duration there is no rate', () => {
    const r = speechRate([u('您好请问有什么可以帮您', 0, 2), u('好的我帮您查一下', 3, 5)]);
    expect(r).toMatchObject({ language: 'zh', unit: 'chars_per_min', units: 19, speakingSec: 4 });
    expect(r!.perMin).toBeCloseTo(285, 5);
    expect(speechRate([u('好的好的', 0, MIN_RATED_SPEECH_SEC - 0.1)])).toBeNull();
    expect(speechRate([u('好的好的', 0, MIN_RATED_SPEECH_SEC)])?.perMin).toBe(60);
    expect(speechRate([u('...', 0, 10)])).toBeNull();
    expect(speechRate([u('one two three', 0, 1)], 'en', 0.5)?.perMin).toBe(180);
  });
});
