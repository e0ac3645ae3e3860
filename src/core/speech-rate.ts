/**
 * 语速 / speech rate, computed in one place for the speech-rate detector (detect/text/speech-rate.ts) and the
 * scorecard's `speechRate:` rule condition (score/rules.ts), so a call is never "too fast" by one and fine by the
 * other (issue 10). Pure: text and times in, a rate out.
 */

import { countAsciiDigits, countHan, countLatinWords } from './text-count.js';

/**
 * The shortest speaking time a rate is computed for, seconds: below it a handful of characters decides the
 * rate (a 1 s "好的好的" is 240 per minute). One value for turns and whole calls; pipelines may ask for more
 * (text.speechRate.minTurnSec, a rule's minSentenceSec) but never get a rate from less by default.
 */
export const MIN_RATED_SPEECH_SEC = 4;

export type RateLanguage = 'zh' | 'en';


/** Chinese when an utterance has at least as many Han characters as Latin words. */
export function rateLanguage(text: string): RateLanguage {
  const han = countHan(text);
  return han > 0 && han >= countLatinWords(text) ? 'zh' : 'en';
}

/**
 * The units the thresholds are written in: Han characters for Chinese (ASR writes numbers read digit by digit —
 * 工号 6001, phone numbers — as ASCII digits: each is one spoken syllable, so each counts), Latin words for English.
 */
export function speechUnits(text: string, language: RateLanguage = rateLanguage(text)): number {
  if (language === 'zh') return countHan(text) + countAsciiDigits(text);
  return countLatinWords(text);
}

export interface SpeechRate {
  language: RateLanguage;
  unit: 'chars_per_min' | 'words_per_min';
  /** characters (zh) or words (en) */
  units: number;
  /** the sum of the utterances' durations */
  speakingSec: number;
  perMin: number;
}

/**
 * Units per minute of speaking time over some utterances (one turn, or all of one side's speech), in one
 * language (given, or that of their text taken together). Null when the speaking time is under `minSec` or
 * nothing countable was said: no rate, rather than a misleading one.
 */
export function speechRate(
  utterances: readonly { text: string; start: number; end: number }[],
  language?: RateLanguage,
  minSec: number = MIN_RATED_SPEECH_SEC,
): SpeechRate | null {
  const lang = language ?? rateLanguage(utterances.map((u) => u.text).join(' '));
  let units = 0;
  let speakingSec = 0;
  for (const u of utterances) {
    units += speechUnits(u.text, lang);
    speakingSec += Math.max(0, u.end - u.start);
  }
  if (units === 0 || speakingSec < minSec) return null;
  return { language: lang, unit: lang === 'zh' ? 'chars_per_min' : 'words_per_min', units, speakingSec, perMin: units / (speakingSec / 60) };
}
