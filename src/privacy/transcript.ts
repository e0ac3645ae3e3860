/**
 * Personal data over a whole transcript: findings with speaker and time, and the masked transcript.
 * Pure; the stages decide what is stored (see docs/privacy.md).
 */
import { normaliseText } from '../core/normalise.js';
import type { Speaker, Transcript, TranscriptSegment, WordTiming } from '../core/types.js';
import { findDigitRuns } from './digits.js';
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

/** What a number said across segments needs of a segment: who said it, when, and what. */
export interface SegmentText {
  speaker: string;
  start: number;
  end: number;
  text: string;
}

/** The longest pause (seconds) within one number said across two segments of one speaker. */
const SPLIT_GAP_S = 3;
// what may stand between a segment's last digit and its end, or before the next one's first: punctuation, hesitations
const EDGE = /^(?:[\s\p{P}+＋嗯呃额啊]|\b(?:uh|um|er|erm)\b)*$/iu;

// a quick test before the digit runs of a segment are read: its last or first word (punctuation aside) may be a digit
const DIGIT_CHARS = new Set([...'0123456789０１２３４５６７８９零〇洞一幺壹二两贰三叁四肆五伍六陆七拐柒八捌九勾玖嗯呃额啊']);
const DIGIT_WORDS = new Set(['zero', 'oh', 'o', 'nought', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'niner', 'uh', 'um', 'er', 'erm']);
function digitAtEdge(text: string, end: boolean): boolean {
  const m = end ? /([A-Za-z]+|[^\s\p{P}])[\s\p{P}]*$/u.exec(text) : /^[\s\p{P}+＋]*([A-Za-z]+|[^\s\p{P}])/u.exec(text);
  if (!m) return false;
  const w = m[1]!;
  return w.length === 1 && !/[A-Za-z]/.test(w) ? DIGIT_CHARS.has(w) : DIGIT_WORDS.has(w.toLowerCase());
}

/**
 * The personal-data spans of each segment (offsets in that segment's text), with the numbers a speaker said across
 * consecutive segments of their own (ASR cut "我的手机号是139" | "1234 5678" at a pause): a segment that ends with a
 * digit and the speaker's next one, at most SPLIT_GAP_S later, that begins with one are read as one text, and a span
 * that crosses from one into the next is masked in each, as the category of the whole, merged with any span of that
 * segment it overlaps (joining only adds to what each segment masks on its own). The other side may speak
 * in between with a backchannel (嗯, 好的), not with a turn of their own. Spans within one segment are those of the
 * segment read on its own.
 */
export function segmentsPii(segs: readonly SegmentText[], opts: PiiOptions = {}): PiiSpan[][] {
  const out = segs.map((s) => findPii(s.text, opts));
  const edges = segs.map((s) => {
    if (!digitAtEdge(s.text, true) && !digitAtEdge(s.text, false)) return { first: -1, last: -1 };
    const runs = findDigitRuns(s.text, 1);
    const first = runs[0];
    const last = runs[runs.length - 1];
    return {
      first: first && EDGE.test(s.text.slice(0, first.start)) ? first.start : -1,
      last: last && EDGE.test(s.text.slice(last.end)) ? last.end : -1,
    };
  });
  // the speaker's next segment, if what the other side said in between is only a backchannel (嗯, 好的, ok, uh huh):
  // after a question (身份证后六位呢？) the next answer is another number
  const nextOfSpeaker = (i: number): number => {
    for (let j = i + 1; j < segs.length; j++) {
      // the speaker's own hesitation as a segment of its own (嗯, uh) is skipped, not taken for the next part
      if (segs[j]!.speaker === segs[i]!.speaker) {
        if (EDGE.test(segs[j]!.text)) continue;
        return j;
      }
      if (!backchannel(segs[j]!.text)) return -1;
    }
    return -1;
  };
  const member = new Set<number>();
  for (let i = 0; i < segs.length; i++) {
    if (member.has(i)) continue;
    const chain = [i];
    for (let cur = i; ;) {
      const j = nextOfSpeaker(cur);
      if (edges[cur]!.last < 0 || j < 0 || edges[j]!.first < 0 || segs[j]!.start - segs[cur]!.end > SPLIT_GAP_S) break;
      chain.push(j);
      member.add(j);
      cur = j;
    }
    if (chain.length < 2) continue;
    // the chain as one text: the first segment up to its last digit, the middle ones from their first digit to their
    // last, the last one from its first digit on; one space between
    const pieces = chain.map((m, k) => {
      const text = segs[m]!.text;
      const from = k === 0 ? 0 : edges[m]!.first;
      const to = k === chain.length - 1 ? text.length : edges[m]!.last;
      return { m, from, text: text.slice(from, Math.max(from, to)) };
    });
    let joined = '';
    const at: number[] = [];
    for (const p of pieces) {
      if (joined) joined += ' ';
      at.push(joined.length);
      joined += p.text;
    }
    for (const span of findPii(joined, opts)) {
      const parts = pieces
        .map((p, k) => ({ p, s: Math.max(span.start, at[k]!) - at[k]!, e: Math.min(span.end, at[k]! + p.text.length) - at[k]! }))
        .filter((x) => x.e > x.s);
      if (parts.length < 2) continue;
      for (const { p, s, e } of parts) {
        // the part widens what the segment masks on its own, never narrows it: a span it overlaps is merged into it
        // (read together, the cut may fall elsewhere: 617 555 0112 | 5551234 → 0112 5551234; 617 555 stays masked)
        out[p.m] = mergeSpans(out[p.m]!, { category: span.category, start: p.from + s, end: p.from + e });
      }
    }
  }
  return out;
}

/**
 * The texts of consecutive segments with their personal data masked, a number said across segments in each
 * (segmentsPii): what every masked answer that shows segments uses (the call view, search snippets, a
 * regression example), so that they agree with the transcribe stage's findings.
 */
export function maskSegmentTexts(segs: readonly SegmentText[], opts: PiiOptions = {}): string[] {
  const spans = segmentsPii(segs, opts);
  return segs.map((s, i) => maskText(s.text, spans[i]!));
}

/** `spans` (in order, none overlapping) with `part` added: every span it overlaps, or one of those does, is merged into it. */
function mergeSpans(spans: readonly PiiSpan[], part: PiiSpan): PiiSpan[] {
  const merged = { ...part };
  const rest: PiiSpan[] = [];
  for (const o of [...spans].sort((a, b) => a.start - b.start)) {
    if (o.end > merged.start && o.start < merged.end) {
      merged.start = Math.min(merged.start, o.start);
      merged.end = Math.max(merged.end, o.end);
    } else rest.push(o);
  }
  return rest.filter((o) => o.end <= merged.start || o.start >= merged.end).concat(merged).sort((a, b) => a.start - b.start);
}

/** What a listener says to show they are following, not a turn of their own: at most four characters or two words, no digit. */
function backchannel(text: string): boolean {
  const t = text.replace(/[\s\p{P}]+/gu, ' ').trim();
  if (/[0-9０-９]/.test(t)) return false;
  return [...t.replace(/\s/g, '')].length <= 4 || (t.split(' ').length <= 2 && t.length <= 12 && !/\p{Script=Han}/u.test(t));
}

/** Every personal-data span in the transcript, in time order; a number said across segments has a finding in each. */
export function findPiiInTranscript(t: Transcript, opts: PiiOptions = {}): PiiFinding[] {
  const out: PiiFinding[] = [];
  const spans = segmentsPii(t.segments, opts);
  t.segments.forEach((seg, i) => {
    for (const s of spans[i]!) {
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
