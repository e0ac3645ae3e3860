import { z } from 'zod';
import { describeUnsafe, findUnsafeChars } from '../core/control-chars.js';
import { InputError } from '../core/errors.js';
import { hasHan, normaliseText, toSimplifiedChinese } from '../core/normalise.js';
import type { Speaker, TranscriptSegment, WordTiming } from '../core/types.js';

/**
 * What every sidecar format shares (src/transcribe/sidecar.ts reads callqa's JSON and WebVTT,
 * sidecar-srt.ts SubRip, sidecar-aws.ts Amazon Transcribe's two outputs): speaker and language labels,
 * the range checks, the error wording. Errors name the file, the segment/cue and the field; they never
 * quote transcript text or a speaker's name (personal data).
 */

export interface SidecarOptions {
  /** the recording's duration; segments ending later than this (+ tolerance) are rejected */
  durationSec?: number;
  /** how far past the end a segment may run (vendor rounding), default 1 s; such ends are clamped */
  endToleranceSec?: number;
  /**
   * language for formats that carry none (WebVTT, SubRip, Amazon Transcribe without language identification):
   * the pipeline's, or guessed from the text when 'auto'
   */
  language?: string;
  /**
   * which side is on which stereo channel (left, right), as for whisper: the pipeline's `channels` or
   * `--channels`; default agent, customer. Amazon Transcribe's channel identification (ch_0 = left, ch_1 = right)
   * is mapped through it.
   */
  channels?: readonly [Speaker, Speaker];
  /**
   * the call's `agentSpeaker` metadata (manifest column `agent_speaker`, `.meta.json` `agentSpeaker`): which
   * diarisation label (spk_0, Speaker 1, A, ...) is the agent. That label is the agent and every other label that
   * names no role is the customer's side (speakerLabels); role labels (Agent, 客服) in the same file still win.
   * Without it a diarisation label is refused, saying to give it.
   */
  agentSpeaker?: string;
}

export const DEFAULT_END_TOLERANCE_SEC = 1;

/**
 * Speaker names accepted in a JSON segment's `speaker`, a WebVTT `<v Name>` tag and a SubRip label, including
 * common Chinese vendor labels. Looked up case-insensitively and with Traditional Chinese folded to Simplified,
 * so a Taiwan or Hong Kong platform's 客戶 / 用戶 is the customer as 客户 / 用户 is.
 */
const SPEAKER_NAMES: Record<string, Speaker> = {
  agent: 'agent',
  customer: 'customer',
  坐席: 'agent',
  座席: 'agent',
  客服: 'agent',
  客户: 'customer',
  用户: 'customer',
  representative: 'agent',
  'customer service representative': 'agent',
  csr: 'agent',
  client: 'customer',
  客服代表: 'agent',
  客服人员: 'agent',
  坐席人员: 'agent',
  座席人员: 'agent',
  坐席员: 'agent',
  座席员: 'agent',
  人工客服: 'agent',
  顾客: 'customer',
  来电人: 'customer',
  来电者: 'customer',
};

/**
 * The speaker a sidecar's name for it means, or undefined. Own keys only: `constructor` is not a speaker. A role
 * with a number (Agent 1, customer_2, 客服1: platforms number the agents of a transferred call) is that role; a
 * number or letter alone (spk_0, Speaker 1, A/B from diarisation) names no side and is undefined.
 */
export function speakerOf(name: string): Speaker | undefined {
  const key = toSimplifiedChinese(name.normalize('NFKC').trim().toLowerCase()).replace(/\s+/g, ' ');
  if (Object.hasOwn(SPEAKER_NAMES, key)) return SPEAKER_NAMES[key];
  const role = /^(.+?)[\s_#-]*\d{1,3}$/.exec(key)?.[1];
  return role !== undefined && Object.hasOwn(SPEAKER_NAMES, role) ? SPEAKER_NAMES[role] : undefined;
}

/** How to make a diarised file readable, for every refusal of a diarisation label. */
export const AGENT_SPEAKER_HINT =
  'or say which label is the agent for the call: the manifest column agent_speaker, or agentSpeaker in its .meta.json (such as spk_0)';

/** What a speaker label must be, for the messages of every format (the label itself is never quoted: names). */
export const SPEAKER_EXPECTED =
  'must name a side, "agent" or "customer" (also Agent 1, Customer 2, 坐席, 客服, 客户, 用户, 客服代表 …); a speaker number or letter ' +
  `from diarisation (spk_0, Speaker 1, A) does not say which side is the agent: write the roles into the file, ${AGENT_SPEAKER_HINT}`;

/**
 * A diarisation label as it is compared with `agentSpeaker`: NFKC, any case, blanks collapsed; a numbered speaker
 * in any of the vendors' spellings (spk_0, Speaker 0, speaker_0, SPK 0, SPEAKER_00, 说话人0, a bare 0) is `spk_0`,
 * a lettered one (Speaker A, A) the letter. Anything else is itself. '' for a blank label.
 */
export function diarisationKey(label: string): string {
  const key = toSimplifiedChinese(label.normalize('NFKC').trim().toLowerCase()).replace(/\s+/g, ' ');
  const n = /^(?:(?:speaker|spk|说话人|发言人|讲话人)[\s_#-]*)?(\d{1,3})$/u.exec(key)?.[1];
  if (n !== undefined) return `spk_${Number(n)}`;
  const letter = /^(?:(?:speaker|spk)[\s_#-]*)?([a-z])$/.exec(key)?.[1];
  return letter ?? key;
}

/**
 * Whether a label looks like a diarisation label (spk_0, Speaker 1, A, Guest-2), which an error may show: a voice tag
 * may also hold a person's name (personal data), which it never shows.
 */
function isShowableLabel(key: string): boolean {
  return /^spk_\d+$|^[a-z]$|^(?:guest|speaker|spk|s|participant|person|voice|channel|ch)[\s_#-]*(?:\d{1,3}|[a-z])$/.test(key);
}

export interface SpeakerLabels {
  /**
   * The speaker a label means: a role name is its role (speakerOf); with `agentSpeaker`, a label equal to it is the
   * agent and any other label the customer's side; else undefined (the format's refusal).
   */
  of(label: string): Speaker | undefined;
  /** After the file is read: with `agentSpeaker`, labels mapped but none of them equal to it is an InputError. */
  check(file: string): void;
}

/**
 * The speaker labels of one file, read with the call's `agentSpeaker`. A third label (a transfer target, a
 * supervisor joining) is the customer's side as well: a call has two sides, and the one callqa scores is the agent
 * named. Which labels were found is said when none is the agent's; a label that may be a person's name is counted,
 * not shown.
 */
export function speakerLabels(opts: Pick<SidecarOptions, 'agentSpeaker'>): SpeakerLabels {
  const agentKey = opts.agentSpeaker === undefined ? undefined : diarisationKey(opts.agentSpeaker);
  const found = new Map<string, string>();
  let agentSeen = false;
  return {
    of(label) {
      const role = speakerOf(label);
      if (role || agentKey === undefined || agentKey === '') return role;
      const key = diarisationKey(label);
      if (key === '') return undefined;
      if (!found.has(key)) found.set(key, label.normalize('NFKC').trim());
      if (key !== agentKey) return 'customer';
      agentSeen = true;
      return 'agent';
    },
    check(file) {
      if (agentKey === undefined || agentSeen || found.size === 0) return;
      const shown = [...found].filter(([k]) => isShowableLabel(k)).map(([, l]) => l);
      const hidden = found.size - shown.length;
      const listed = [
        shown.slice(0, 10).join(', ') + (shown.length > 10 ? ` (and ${shown.length - 10} more)` : ''),
        hidden > 0 ? `${hidden} other label(s), not shown (they may be people's names)` : '',
      ].filter((x) => x !== '');
      throw new InputError(
        file,
        `agentSpeaker (the manifest's agent_speaker column, or the .meta.json's agentSpeaker) is ${JSON.stringify(opts.agentSpeaker)}, ` +
          `but no speaker label in the file is that one; labels found: ${listed.join('; ')}`,
      );
    },
  };
}

/**
 * A sidecar's `language`: "zh" or "en", or a BCP 47 tag of either as call platforms write them (zh-TW, zh-Hant-HK,
 * zh_CN, cmn-Hans-CN, en-US, EN-gb); undefined for anything else.
 */
export function sidecarLanguage(tag: string): 'zh' | 'en' | undefined {
  const m = /^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$/i.exec(tag.trim());
  const primary = m?.[1]!.toLowerCase();
  return primary === 'zh' || primary === 'cmn' ? 'zh' : primary === 'en' ? 'en' : undefined;
}

export const LANGUAGE_EXPECTED = 'must be "zh" or "en" (or a tag of either, such as zh-TW or en-US)';

/** The language of a format that carries none: the pipeline's when it names one, else guessed from the text. */
export function languageFor(segments: readonly TranscriptSegment[], opts: SidecarOptions): string {
  if (opts.language && opts.language !== 'auto') return opts.language;
  // by share, not by presence: a Chinese name in an English call (Mr 王) does not make the call Mandarin. A Han
  // character is about a spoken syllable, an English word one to a few: zh when the Han characters are at least
  // as many as the Latin words
  let han = 0;
  let words = 0;
  for (const seg of segments) {
    han += seg.text.match(/\p{Script=Han}/gu)?.length ?? 0;
    words += seg.text.match(/[A-Za-z]+(?:'[A-Za-z]+)?/g)?.length ?? 0;
  }
  return han > 0 && han >= words ? 'zh' : 'en';
}

/** A string read through `read` (speaker labels, language tags); what it cannot read is an issue saying what is expected. */
export function labelled<T>(read: (v: string) => T | undefined, expected: string, notString = expected) {
  return z.string({ error: notString }).transform((v, ctx) => {
    const value = read(v);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: expected });
      return z.NEVER;
    }
    return value;
  });
}

export function zodPath(p: readonly PropertyKey[]): string {
  let s = '';
  for (const k of p) s += typeof k === 'number' ? `[${k}]` : s ? `.${String(k)}` : String(k);
  return s || '(root)';
}

/** The first three schema issues as `path: message`; zod's messages say what is expected, never the value. */
export function schemaError(file: string, error: z.ZodError, what = 'invalid transcript sidecar'): InputError {
  // the same problem on many segments (every speaker label of a diarised file) is said once, with where
  const byMessage = new Map<string, string[]>();
  for (const i of error.issues) byMessage.set(i.message, [...(byMessage.get(i.message) ?? []), zodPath(i.path)]);
  const said = [...byMessage]
    .slice(0, 3)
    .map(([message, paths]) => `${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ` (and ${paths.length - 3} more)` : ''}: ${message}`);
  const more = byMessage.size > 3 ? ` (and ${byMessage.size - 3} more problems)` : '';
  return new InputError(file, `${what}: ${said.join('; ')}${more}`);
}

export function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/** `00:01:02.500`, `01:02,500` (SubRip's comma), `1:00:00.000` as seconds. */
export function parseCueTimestamp(s: string): number {
  const parts = s.replace(',', '.').split(':');
  let sec = 0;
  for (const p of parts) sec = sec * 60 + Number(p);
  return sec;
}

/** A numeric character reference beyond Unicode is U+FFFD, as in HTML (String.fromCodePoint would throw). */
function codePoint(n: number): string {
  return Number.isInteger(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '\ufffd';
}

export function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lrm;|&rlm;/g, '')
    .replace(/&#(\d+);/g, (_, d: string) => codePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => codePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

const CJK_PUNCT = /[\u3000-\u303f\uff00-\uffef]/;
/** A Han character or CJK punctuation (full-width forms, 。、「」): no space is written next to it in Chinese. */
export const isCjk = (ch: string) => hasHan(ch) || CJK_PUNCT.test(ch);

/**
 * Pieces of one text (a cue's lines, a turn's words) joined as it is written: with a space, except where both
 * sides are Chinese (a line broken inside a Chinese sentence is one sentence, as callqa's JSON of the same call
 * has it: a space there would split the search index's bigrams and the text shown). Whole code points: a Han
 * character outside the BMP is two UTF-16 units.
 */
export function joinPieces(pieces: readonly string[]): string {
  const parts: string[] = [];
  let prev = '';
  for (const piece of pieces) {
    if (piece === '') continue;
    if (prev !== '' && !(isCjk(Array.from(prev).at(-1)!) && isCjk(String.fromCodePoint(piece.codePointAt(0)!)))) parts.push(' ');
    parts.push(piece);
    prev = piece;
  }
  return parts.join('');
}

/**
 * Split a cue payload into voice spans. `<v Agent>hello</v> <v Customer>hi` gives two; text outside any
 * voice span belongs to the voice opened last (WebVTT allows an unclosed `<v>` to run to the end of the cue).
 * Other tags (`<i>`, `<c.x>`, SubRip's `<font color=...>`) are formatting and dropped.
 */
export function voiceSpans(payload: string): { voice: string | null; text: string }[] {
  const out: { voice: string | null; text: string }[] = [];
  const tagRe = /<(\/?)([a-z]+)((?:\.[^\s>]*)?)(?:\s+([^>]*))?>|<(\d[\d:.]*)>/gi;
  let voice: string | null = null;
  let buf = '';
  let last = 0;
  const flush = () => {
    if (buf.trim() !== '') out.push({ voice, text: buf });
    buf = '';
  };
  for (let m = tagRe.exec(payload); m; m = tagRe.exec(payload)) {
    buf += payload.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[5] !== undefined) continue; // inline timestamp tag
    const closing = m[1] === '/';
    const tag = m[2].toLowerCase();
    if (tag !== 'v') continue; // <c>, <i>, <b>, <u>, <ruby>, <lang>, <font>: formatting only
    flush();
    voice = closing ? null : (m[4] ?? '').trim();
  }
  buf += payload.slice(last);
  flush();
  return out;
}

/** One cue of a WebVTT or SubRip file: where it is (for errors), its times and its text lines joined by \n. */
export interface Cue {
  /** "cue 4 (line 17)": the cue's number in the file and its timing line's */
  where: string;
  start: number;
  end: number;
  payload: string;
}

export interface CueSyntax {
  /** the timing line; groups 1 and 2 are the start and end timestamps (parseCueTimestamp) */
  timing: RegExp;
  /** the timing line as the error shows it, e.g. "00:00:01,000 --> 00:00:04,500" */
  example: string;
  /** whether the block's first line is a cue identifier (a SubRip cue number), not the timing line */
  hasId: (block: readonly string[]) => boolean;
  /** a block that is no cue (WebVTT's NOTE, STYLE, REGION) */
  skip?: (head: string) => boolean;
}

/**
 * The cues of a WebVTT or SubRip file from line `from` on: blocks separated by blank lines, an optional
 * identifier line, the timing line, the text. A bad timing line, or a timing line inside a cue's text (the
 * blank line between two cues missing: the next cue's timing and text would otherwise become this cue's), is an
 * InputError naming the cue and line, never quoting it (a malformed file may have transcript text there).
 */
export function readCues(lines: readonly string[], from: number, file: string, syntax: CueSyntax): Cue[] {
  const cues: Cue[] = [];
  let i = from;
  let cueNo = 0;
  while (i < lines.length) {
    if (lines[i]!.trim() === '') {
      i++;
      continue;
    }
    const blockStart = i;
    const block: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') block.push(lines[i++]!);
    if (syntax.skip?.(block[0]!)) continue;
    cueNo++;
    const t = syntax.hasId(block) ? 1 : 0;
    const where = `cue ${cueNo} (line ${blockStart + t + 1})`;
    const timing = block[t];
    const m = timing === undefined ? null : syntax.timing.exec(timing.trim());
    if (!m) throw new InputError(file, `${where}: bad timing line (expected "${syntax.example}")`);
    const inner = block.findIndex((line, k) => k > t && syntax.timing.test(line.trim()));
    if (inner !== -1) {
      throw new InputError(file, `${where}: a timing line inside the cue's text, at line ${blockStart + inner + 1} (is the blank line between two cues missing?)`);
    }
    for (const stamp of [m[1]!, m[2]!]) {
      // 00:75:01,000 is no time (a minute or second field of 60 or more): refused, not read as 4501 s
      if (stamp.split(':').slice(1).some((f) => Number(f.replace(',', '.')) >= 60)) {
        throw new InputError(file, `${where}: bad timing line: minutes and seconds must be below 60 (expected "${syntax.example}")`);
      }
    }
    cues.push({ where, start: parseCueTimestamp(m[1]!), end: parseCueTimestamp(m[2]!), payload: block.slice(t + 1).join('\n') });
  }
  return cues;
}

export interface RawSegment {
  /** where it came from, for error messages: "segments[3]" or "cue 4 (line 17)" */
  label: string;
  speaker: Speaker;
  start: number;
  end: number;
  text: string;
  confidence?: number;
  words?: WordTiming[];
  /** the format's names for the times, for error messages (`end_time`, `EndOffsetMillis`); default start, end */
  fields?: { start: string; end: string };
}

/**
 * When every time would fit the recording read as milliseconds (and cover a fair part of it), and some are past it
 * as seconds, the file was written in milliseconds (a platform's export the user converted by hand): say so beside
 * the range error. Only for times written as plain numbers of seconds (callqa's JSON): a format whose times are in
 * its own unit (`fields`) or clock notation never gets it.
 */
function millisecondsHint(raw: readonly RawSegment[], limitSec: number): string {
  if (raw.length === 0 || raw.some((s) => s.fields) || !raw[0]!.label.startsWith('segments[')) return '';
  let last = 0;
  for (const s of raw) last = Math.max(last, s.start, s.end);
  // read as milliseconds, the times must fit the recording and cover a fair part of it (a 50 s overrun of a 30 s
  // call is not a 0.05 s transcript)
  return last > limitSec && last / 1000 <= limitSec && last / 1000 >= 0.2 * limitSec
    ? `; the times look like milliseconds: write them in seconds (${(raw[0]!.start / 1000).toString()}, not ${raw[0]!.start})`
    : '';
}

/** Range checks shared by every format; builds the segments only when every one passes. */
export function checkAndBuild(raw: readonly RawSegment[], file: string, opts: SidecarOptions): TranscriptSegment[] {
  const tol = opts.endToleranceSec ?? DEFAULT_END_TOLERANCE_SEC;
  const dur = opts.durationSec;
  for (const s of raw) {
    const { start: startF, end: endF } = s.fields ?? { start: 'start', end: 'end' };
    const bad = findUnsafeChars(s.text);
    if (bad) throw new InputError(file, `${s.label}.text: ${describeUnsafe(bad)}`);
    if (!Number.isFinite(s.start) || s.start < 0) throw new InputError(file, `${s.label}.${startF}: must be >= 0 (got ${s.start})`);
    if (!Number.isFinite(s.end)) throw new InputError(file, `${s.label}.${endF}: must be a finite number (got ${s.end})`);
    if (s.end < s.start) throw new InputError(file, `${s.label}.${endF}: ${s.end} is before ${startF} ${s.start}`);
    if (dur !== undefined && Number.isFinite(dur)) {
      if (s.start > dur) {
        throw new InputError(file, `${s.label}.${startF}: ${s.start} s is after the end of the recording (${dur.toFixed(2)} s)${millisecondsHint(raw, dur + tol)}`);
      }
      if (s.end > dur + tol) {
        throw new InputError(file, `${s.label}.${endF}: ${s.end} s is past the end of the recording (${dur.toFixed(2)} s)${millisecondsHint(raw, dur + tol)}`);
      }
    }
  }
  const clamp = (t: number) => (dur !== undefined && Number.isFinite(dur) ? Math.min(t, dur) : t);
  const segs = raw.map(
    (s): TranscriptSegment => ({
      speaker: s.speaker,
      start: s.start,
      end: clamp(s.end),
      text: s.text,
      normText: normaliseText(s.text),
      ...(s.words ? { words: s.words.map((w) => ({ ...w, start: clamp(w.start), end: clamp(w.end) })) } : {}),
      ...(s.confidence !== undefined ? { confidence: s.confidence } : {}),
    }),
  );
  // stable sort by start: vendors sometimes list one channel after the other
  return segs
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s.start - b.s.start || a.i - b.i)
    .map((x) => x.s);
}
