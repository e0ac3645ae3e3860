/**
 * Personal data over a whole transcript: findings with speaker and time, and the masked transcript.
 * Pure; the stages decide what is stored (see docs/privacy.md).
 */
import { normaliseText } from '../core/normalise.js';
import type { Speaker, Transcript, TranscriptSegment, WordTiming } from '../core/types.js';
import { findPii, maskText, type PiiCategory, type PiiOptions, type PiiSpan } from './find.js';

export interface PiiFinding {
  category: PiiCategory;
  speaker: Speaker;
  /** seconds from the start of the recording */
  start: number;
  end: number;
  /** index of the transcript segment */
  segment: number;
  /** offsets in that segment's raw text */
  charStart: number;
  charEnd: number;
  /** 'words': from the engine's word timings; 'estimated': proportional to the position in the segment */
  timing: 'words' | 'estimated';
}

/** Time of a character range of a segment: from word timings where the engine gave them, else by position. */
export function spanTime(seg: TranscriptSegment, charStart: number, charEnd: number): { start: number; end: number; timing: PiiFinding['timing'] } {
  const words = seg.words ?? [];
  if (words.length > 0) {
    const w = wordsCovering(seg.text, words, charStart, charEnd);
    if (w) return { ...w, timing: 'words' };
  }
  const len = Math.max(1, seg.text.length);
  const dur = seg.end - seg.start;
  const start = seg.start + (dur * charStart) / len;
  const end = seg.start + (dur * charEnd) / len;
  return { start: round2(start), end: round2(Math.max(end, start + 0.01)), timing: 'estimated' };
}

/**
 * Align words to the text by their characters without spaces (whisper's words are the text's tokens, possibly
 * with spaces or punctuation around them), and take the first and last word the range touches.
 */
function wordsCovering(text: string, words: readonly WordTiming[], charStart: number, charEnd: number): { start: number; end: number } | null {
  // non-space character index of each raw offset
  const nsAt: number[] = [];
  let ns = 0;
  for (let i = 0; i <= text.length; i++) {
    nsAt.push(ns);
    if (i < text.length && !/\s/.test(text[i]!)) ns++;
  }
  const from = nsAt[charStart]!;
  const to = nsAt[charEnd]!;
  let pos = 0;
  let first: WordTiming | null = null;
  let last: WordTiming | null = null;
  for (const w of words) {
    const wl = w.text.replace(/\s/g, '').length;
    const wFrom = pos;
    const wTo = pos + wl;
    pos = wTo;
    if (wTo > from && wFrom < to) {
      first ??= w;
      last = w;
    }
  }
  if (pos !== ns || !first || !last) return null; // words do not spell the text: estimate instead
  return { start: first.start, end: Math.max(last.end, first.start + 0.01) };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Every personal-data span in the transcript, in time order. */
export function findPiiInTranscript(t: Transcript, opts: PiiOptions = {}): PiiFinding[] {
  const out: PiiFinding[] = [];
  t.segments.forEach((seg, i) => {
    for (const s of findPii(seg.text, opts)) {
      const time = spanTime(seg, s.start, s.end);
      out.push({ category: s.category, speaker: seg.speaker, start: time.start, end: time.end, segment: i, charStart: s.start, charEnd: s.end, timing: time.timing });
    }
  });
  return out.sort((a, b) => a.start - b.start || a.segment - b.segment);
}

/**
 * The transcript with the given findings masked in `text` and `normText`; word timings inside a masked span are
 * replaced by one word carrying the label, so no digit of it survives anywhere. Findings not chosen stay as said.
 */
export function maskTranscript(t: Transcript, findings: readonly PiiFinding[]): Transcript {
  if (findings.length === 0) return t;
  const bySeg = new Map<number, PiiSpan[]>();
  for (const f of findings) {
    const list = bySeg.get(f.segment) ?? [];
    list.push({ category: f.category, start: f.charStart, end: f.charEnd });
    bySeg.set(f.segment, list);
  }
  return {
    ...t,
    segments: t.segments.map((seg, i) => {
      const spans = bySeg.get(i);
      if (!spans) return seg;
      const text = maskText(seg.text, spans);
      const masked: TranscriptSegment = { ...seg, text, normText: normaliseText(neutralFill(seg.text, spans)) };
      if (seg.words?.length) masked.words = maskWords(seg, spans, text);
      return masked;
    }),
  };
}

/**
 * What matchers and speech-rate counting read in place of a masked span: every Han character becomes 〇 and
 * every Latin/digit word becomes "x", so the span still counts as the same number of characters and words
 * (speech rate unchanged) but matches no lexicon phrase and holds no digit. The label is for people only.
 */
function neutralFill(text: string, spans: readonly PiiSpan[]): string {
  let out = '';
  let pos = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < pos) continue;
    out += text.slice(pos, s.start) + ' ' + text.slice(s.start, s.end).replace(/\p{Script=Han}/gu, '〇').replace(/[A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a@._'-]+/g, 'x') + ' ';
    pos = s.end;
  }
  return out + text.slice(pos);
}

function maskWords(seg: TranscriptSegment, spans: PiiSpan[], maskedText: string): WordTiming[] | undefined {
  const words = seg.words!;
  const times = spans.map((s) => wordsCovering(seg.text, words, s.start, s.end));
  if (times.some((t) => t === null)) return undefined; // cannot align: drop word timings rather than keep digits
  const out: WordTiming[] = [];
  const labels = [...maskedText.matchAll(/\[[^\]]+\]/g)].map((m) => m[0]);
  let k = 0;
  for (const w of words) {
    const hit = times.findIndex((t) => t !== null && w.start >= t.start - 1e-6 && w.end <= t.end + 1e-6);
    if (hit < 0) {
      out.push(w);
      continue;
    }
    const t = times[hit]!;
    if (w.start === t.start) out.push({ start: t.start, end: t.end, text: labels[Math.min(k++, labels.length - 1)] ?? '[PII]' });
  }
  return out;
}

/** Categories a program may choose to mask; card numbers are masked in storage always (PCI DSS 3.4). */
export const ALWAYS_MASKED: readonly PiiCategory[] = ['bank_card'];
