import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { describeUnsafe, findUnsafeChars } from '../core/control-chars.js';
import { InputError } from '../core/errors.js';
import { jsonSyntaxError } from '../core/json-error.js';
import { decodeUtf8 } from '../core/text-file.js';
import { hasHan, normaliseText, toSimplifiedChinese } from '../core/normalise.js';
import type { Speaker, Transcript, TranscriptEngine, TranscriptSegment } from '../core/types.js';

/**
 * Transcripts the call platform already made ("sidecars"): `<recording basename>.transcript.json` or
 * `<recording basename>.transcript.vtt`, beside the recording or in a transcripts folder. They replace
 * whisper for that call. A sidecar is validated whole before anything is returned: a malformed or
 * out-of-range file is an InputError naming the file, the segment/cue and the field, never half-imported.
 *
 * File names are only ever handled with fs calls (no shell), so a recording called `$(touch x) "a".wav`
 * is just a string.
 */

export type SidecarFormat = 'json' | 'vtt';

export interface SidecarRef {
  /** absolute or as-given path to the sidecar file */
  path: string;
  format: SidecarFormat;
}

export interface SidecarOptions {
  /** the recording's duration; segments ending later than this (+ tolerance) are rejected */
  durationSec?: number;
  /** how far past the end a segment may run (vendor rounding), default 1 s; such ends are clamped */
  endToleranceSec?: number;
  /** language for formats that carry none (WebVTT): the pipeline's, or guessed from the text when 'auto' */
  language?: string;
}

/** Sidecars larger than this are refused rather than read into memory (a 10-hour call is ~2 MB of JSON). */
export const MAX_SIDECAR_BYTES = 50 * 1024 * 1024;
export const DEFAULT_END_TOLERANCE_SEC = 1;

/** Candidate sidecar names for a recording: extension stripped first, then the full file name. */
export function sidecarNames(recordingPath: string): string[] {
  const base = path.basename(recordingPath);
  const ext = path.extname(base);
  const stems = ext && ext !== base ? [base.slice(0, -ext.length), base] : [base];
  const out: string[] = [];
  for (const stem of stems) {
    out.push(`${stem}.transcript.json`, `${stem}.transcript.vtt`);
  }
  return out;
}

/**
 * Find the sidecar for a recording: in `transcriptsDir` first (the user named it explicitly), then beside
 * the recording. JSON wins over VTT at the same place. Returns null when there is none.
 */
export function findSidecar(recordingPath: string, transcriptsDir?: string): SidecarRef | null {
  const dirs = [transcriptsDir, path.dirname(recordingPath)].filter((d): d is string => !!d);
  for (const dir of dirs) {
    for (const name of sidecarNames(recordingPath)) {
      const p = path.join(dir, name);
      if (existsSync(p) && statSync(p).isFile()) {
        return { path: p, format: name.endsWith('.vtt') ? 'vtt' : 'json' };
      }
    }
  }
  return null;
}

/** Read and validate a sidecar. Throws InputError(sidecar path, reason). */
export async function loadSidecar(ref: SidecarRef, opts: SidecarOptions = {}): Promise<Transcript> {
  let size: number;
  try {
    size = statSync(ref.path).size;
  } catch (err) {
    throw new InputError(ref.path, `cannot read transcript sidecar: ${(err as Error).message}`, { cause: err });
  }
  if (size > MAX_SIDECAR_BYTES) {
    throw new InputError(ref.path, `transcript sidecar is ${size} bytes, more than the ${MAX_SIDECAR_BYTES}-byte limit`);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(ref.path);
  } catch (err) {
    throw new InputError(ref.path, `cannot read transcript sidecar: ${(err as Error).message}`, { cause: err });
  }
  const text = decodeUtf8(bytes, ref.path, 'transcript sidecar');
  return ref.format === 'json' ? parseJsonSidecar(text, ref.path, opts) : parseVttSidecar(text, ref.path, opts);
}

/**
 * Speaker names accepted in a JSON segment's `speaker` and a WebVTT `<v Name>` tag, including common Chinese
 * vendor labels. Looked up case-insensitively and with Traditional Chinese folded to Simplified, so a Taiwan or
 * Hong Kong platform's 客戶 / 用戶 is the customer as 客户 / 用户 is.
 */
const SPEAKER_NAMES: Record<string, Speaker> = {
  agent: 'agent',
  customer: 'customer',
  坐席: 'agent',
  座席: 'agent',
  客服: 'agent',
  客户: 'customer',
  用户: 'customer',
};

/** The speaker a sidecar's name for it means, or undefined. Own keys only: `constructor` is not a speaker. */
export function speakerOf(name: string): Speaker | undefined {
  const key = toSimplifiedChinese(name.normalize('NFKC').trim().toLowerCase());
  return Object.hasOwn(SPEAKER_NAMES, key) ? SPEAKER_NAMES[key] : undefined;
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

// ---------------------------------------------------------------------------------------------------------
// JSON

const finiteSec = z.number().refine(Number.isFinite, 'must be a finite number of seconds');

/** A string read through `read` (speaker labels, language tags); what it cannot read is an issue saying what is expected. */
function labelled<T>(read: (v: string) => T | undefined, expected: string, notString = expected) {
  return z.string({ error: notString }).transform((v, ctx) => {
    const value = read(v);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: expected });
      return z.NEVER;
    }
    return value;
  });
}

const JsonSegmentSchema = z.object({
  speaker: labelled(speakerOf, 'must be "agent" or "customer"'),
  start: finiteSec.refine((s) => s >= 0, 'must be >= 0'),
  end: finiteSec,
  text: z.string(),
  /** optional vendor confidence 0..1 */
  confidence: z.number().min(0).max(1).optional(),
});

export const JsonSidecarSchema = z.object({
  language: labelled(sidecarLanguage, 'must be "zh" or "en" (or a tag of either, such as zh-TW or en-US)', 'must be "zh" or "en"'),
  segments: z.array(JsonSegmentSchema),
});
export type JsonSidecar = z.infer<typeof JsonSidecarSchema>;

function zodPath(p: readonly PropertyKey[]): string {
  let s = '';
  for (const k of p) s += typeof k === 'number' ? `[${k}]` : s ? `.${String(k)}` : String(k);
  return s || '(root)';
}

export function parseJsonSidecar(text: string, file: string, opts: SidecarOptions = {}): Transcript {
  let data: unknown;
  const body = stripBom(text);
  try {
    data = JSON.parse(body);
  } catch {
    // V8's message quotes the text around the fault: transcript text never goes into an error
    throw new InputError(file, `transcript sidecar is not valid JSON: ${jsonSyntaxError(body)}`);
  }
  const r = JsonSidecarSchema.safeParse(data);
  if (!r.success) {
    const first = r.error.issues.slice(0, 3).map((i) => `${zodPath(i.path)}: ${i.message}`);
    const more = r.error.issues.length > 3 ? ` (and ${r.error.issues.length - 3} more)` : '';
    throw new InputError(file, `invalid transcript sidecar: ${first.join('; ')}${more}`);
  }
  const raw = r.data.segments.map((s, i) => ({
    label: `segments[${i}]`,
    speaker: s.speaker as Speaker,
    start: s.start,
    end: s.end,
    text: s.text,
    confidence: s.confidence,
  }));
  return {
    engine: 'sidecar-json',
    language: r.data.language,
    segments: checkAndBuild(raw, file, opts),
  };
}

// ---------------------------------------------------------------------------------------------------------
// WebVTT


const TIMING_RE = /^((?:\d+:)?\d{2}:\d{2}[.,]\d{3})\s+-->\s+((?:\d+:)?\d{2}:\d{2}[.,]\d{3})(?:\s+.*)?$/;

export function parseVttTimestamp(s: string): number {
  const parts = s.replace(',', '.').split(':');
  let sec = 0;
  for (const p of parts) sec = sec * 60 + Number(p);
  return sec;
}

/** A numeric character reference beyond Unicode is U+FFFD, as in HTML (String.fromCodePoint would throw). */
function codePoint(n: number): string {
  return Number.isInteger(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '\ufffd';
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lrm;|&rlm;/g, '')
    .replace(/&#(\d+);/g, (_, d: string) => codePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => codePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

interface RawSegment {
  /** where it came from, for error messages: "segments[3]" or "cue 4 (line 17)" */
  label: string;
  speaker: Speaker;
  start: number;
  end: number;
  text: string;
  confidence?: number;
}

/**
 * Split a cue payload into voice spans. `<v Agent>hello</v> <v Customer>hi` gives two; text outside any
 * voice span belongs to the voice opened last (WebVTT allows an unclosed `<v>` to run to the end of the cue).
 */
function voiceSpans(payload: string): { voice: string | null; text: string }[] {
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
    if (tag !== 'v') continue; // <c>, <i>, <b>, <u>, <ruby>, <lang>: formatting only
    flush();
    voice = closing ? null : (m[4] ?? '').trim();
  }
  buf += payload.slice(last);
  flush();
  return out;
}

export function parseVttSidecar(text: string, file: string, opts: SidecarOptions = {}): Transcript {
  const lines = stripBom(text).split(/\r\n|\r|\n/);
  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '')) {
    throw new InputError(file, 'not a WebVTT file: the first line must be "WEBVTT"');
  }
  const raw: RawSegment[] = [];
  let i = 1;
  let cueNo = 0;
  while (i < lines.length) {
    // skip blank lines between blocks
    if (lines[i].trim() === '') {
      i++;
      continue;
    }
    const blockStart = i;
    const block: string[] = [];
    while (i < lines.length && lines[i].trim() !== '') block.push(lines[i++]);
    const head = block[0];
    if (/^(NOTE|STYLE|REGION)(\s|$)/.test(head)) continue;
    // optional cue identifier line
    let t = 0;
    if (!head.includes('-->')) t = 1;
    const timing = block[t];
    cueNo++;
    const where = `cue ${cueNo} (line ${blockStart + t + 1})`;
    const m = timing === undefined ? null : TIMING_RE.exec(timing.trim());
    // the line is not quoted: a malformed file may have transcript text where the timing should be
    if (!m) throw new InputError(file, `${where}: bad timing line (expected "00:00:01.000 --> 00:00:04.500")`);
    const start = parseVttTimestamp(m[1]);
    const end = parseVttTimestamp(m[2]);
    const payload = block.slice(t + 1).join('\n');
    const spans = voiceSpans(payload);
    if (spans.length === 0) continue; // empty cue
    for (const sp of spans) {
      if (sp.voice === null) {
        throw new InputError(file, `${where}: text without a <v Agent> or <v Customer> voice tag`);
      }
      // own keys only: <v constructor> is an unknown speaker, not Object (which failed in the database)
      const speaker = speakerOf(sp.voice);
      if (!speaker) {
        // the tag is not quoted: call platforms put people's names there (personal data, never in an error)
        throw new InputError(file, `${where}: the <v> voice tag is not a speaker role (expected <v Agent> or <v Customer>, or <v 坐席>, <v 客服>, <v 客户>)`);
      }
      raw.push({ label: where, speaker, start, end, text: decodeEntities(sp.text).replace(/\s*\n\s*/g, ' ').trim() });
    }
  }
  const segments = checkAndBuild(raw, file, opts);
  let language = opts.language && opts.language !== 'auto' ? opts.language : undefined;
  if (!language) language = segments.some((s) => hasHan(s.text)) ? 'zh' : 'en';
  return { engine: 'sidecar-vtt' satisfies TranscriptEngine, language, segments };
}

// ---------------------------------------------------------------------------------------------------------

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/** Range checks shared by both formats; builds the segments only when every one passes. */
function checkAndBuild(raw: readonly RawSegment[], file: string, opts: SidecarOptions): TranscriptSegment[] {
  const tol = opts.endToleranceSec ?? DEFAULT_END_TOLERANCE_SEC;
  const dur = opts.durationSec;
  for (const s of raw) {
    const bad = findUnsafeChars(s.text);
    if (bad) throw new InputError(file, `${s.label}.text: ${describeUnsafe(bad)}`);
    if (!Number.isFinite(s.start) || s.start < 0) throw new InputError(file, `${s.label}.start: must be >= 0 (got ${s.start})`);
    if (!Number.isFinite(s.end)) throw new InputError(file, `${s.label}.end: must be a finite number (got ${s.end})`);
    if (s.end < s.start) throw new InputError(file, `${s.label}.end: ${s.end} is before start ${s.start}`);
    if (dur !== undefined && Number.isFinite(dur)) {
      if (s.start > dur) {
        throw new InputError(file, `${s.label}.start: ${s.start} s is after the end of the recording (${dur.toFixed(2)} s)`);
      }
      if (s.end > dur + tol) {
        throw new InputError(file, `${s.label}.end: ${s.end} s is past the end of the recording (${dur.toFixed(2)} s)`);
      }
    }
  }
  const segs = raw.map(
    (s): TranscriptSegment => ({
      speaker: s.speaker,
      start: s.start,
      end: dur !== undefined && Number.isFinite(dur) ? Math.min(s.end, dur) : s.end,
      text: s.text,
      normText: normaliseText(s.text),
      ...(s.confidence !== undefined ? { confidence: s.confidence } : {}),
    }),
  );
  // stable sort by start: vendors sometimes list one channel after the other
  return segs
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s.start - b.s.start || a.i - b.i)
    .map((x) => x.s);
}
