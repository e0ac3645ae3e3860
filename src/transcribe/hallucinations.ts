import { compactText } from '../core/normalise.js';

/**
 * Text whisper is known to invent on silence, music and noise: subtitle credits and video-outro lines from
 * its training data. On a contact-centre call these are never what anyone said, and several contain words
 * a greeting/closing detector looks for ("谢谢", "thank you"), so they must not reach the matchers.
 *
 * Matching is on compactText (Simplified, case-folded, no punctuation or spaces), so "謝謝觀看！" and
 * "Thank you for watching." match. Add phrases here as QA staff find them.
 * Background: openai/whisper discussion #679 (hallucinations on silence, from YouTube-subtitle training data).
 */
export const HALLUCINATION_PHRASES: readonly string[] = [
  // Mandarin
  '谢谢观看',
  '谢谢大家观看',
  '感谢观看',
  '谢谢收看',
  '感谢收看',
  '请不吝点赞 订阅 转发 打赏支持明镜与点点栏目',
  '明镜与点点栏目',
  '字幕由 Amara.org 社群提供',
  '字幕由Amara.org社区提供',
  '优优独播剧场——YoYo Television Series Exclusive',
  'YoYo Television Series Exclusive',
  '中文字幕志愿者',
  '请订阅我的频道',
  '点赞订阅',
  '订阅转发',
  '本字幕由',
  '字幕制作',
  // English
  'Thank you for watching',
  'Thanks for watching',
  'Thank you so much for watching',
  'Please subscribe to my channel',
  'Please like and subscribe',
  'Like and subscribe',
  'Subtitles by the Amara.org community',
  'Transcription by CastingWords',
  "I'll see you in the next video",
  'See you in the next video',
];

/** Non-speech annotations whisper writes in brackets: [BLANK_AUDIO], (music), 【音乐】, ♪ ... */
const ANNOTATION_ONLY = /^[\s♪♫🎵]*(?:[[(（【［][^\])）】］]*[\])）】］][\s♪♫🎵.。,，]*)*$/u;

const COMPACT = HALLUCINATION_PHRASES.map((p) => compactText(p)).filter((p) => p.length > 0);

export interface HallucinationCheck {
  /** the whole segment is invented: drop it */
  drop: boolean;
  /** text with the phrases removed, when only part of it was (for normText) */
  cleaned: string;
  /** which phrases were found (compact forms) */
  found: string[];
}

/**
 * Decide about one segment's text. A segment made only of known phrases (or annotations, or nothing)
 * is dropped; a segment that also says something else keeps its raw text, and the phrase is taken out of
 * what matchers see.
 */
export function checkHallucination(text: string): HallucinationCheck {
  if (ANNOTATION_ONLY.test(text.trim())) return { drop: true, cleaned: '', found: ['(annotation)'] };
  let c = compactText(text);
  const found: string[] = [];
  for (const p of COMPACT) {
    if (c.includes(p)) {
      found.push(p);
      c = c.split(p).join('');
    }
  }
  return { drop: c.length === 0, cleaned: c, found };
}
