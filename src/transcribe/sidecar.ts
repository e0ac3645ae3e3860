import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { jsonSyntaxError } from '../core/json-error.js';
import { decodeUtf8 } from '../core/text-file.js';
import type { Speaker, Transcript, TranscriptEngine } from '../core/types.js';
import { AWS_CALL_ANALYTICS_SHAPE, AWS_TRANSCRIBE_SHAPE, isAwsCallAnalytics, isAwsTranscribe, parseAwsCallAnalytics, parseAwsTranscribe } from './sidecar-aws.js';
import {
  checkAndBuild,
  decodeEntities,
  joinPieces,
  LANGUAGE_EXPECTED,
  labelled,
  languageFor,
  readCues,
  schemaError,
  sidecarLanguage,
  AGENT_SPEAKER_HINT,
  SPEAKER_EXPECTED,
  speakerLabels,
  speakerOf,
  stripBom,
  voiceSpans,
  type RawSegment,
  type SidecarOptions,
} from './sidecar-common.js';
import { parseSrtSidecar } from './sidecar-srt.js';

export { DEFAULT_END_TOLERANCE_SEC, sidecarLanguage, speakerOf, type SidecarOptions } from './sidecar-common.js';

/**
 * Transcripts the call platform already made ("sidecars"): `<recording basename>.transcript.json`,
 * `.transcript.vtt` or `.transcript.srt`, beside the recording or in a transcripts folder. They replace
 * whisper for that call. A `.transcript.json` is callqa's own shape, Amazon Transcribe's output or Amazon
 * Transcribe Call Analytics' output, told apart by its content (sidecar-aws.ts); SubRip is sidecar-srt.ts.
 * A sidecar is validated whole before anything is returned: a malformed or out-of-range file is an
 * InputError naming the file, the segment/cue and the field, never half-imported.
 *
 * File names are only ever handled with fs calls (no shell), so a recording called `$(touch x) "a".wav`
 * is just a string.
 */

/** The file's extension, in the order they are looked for: the storage folder keeps a copy as `<hash>.transcript.<format>`. */
export const SIDECAR_FORMATS = ['json', 'vtt', 'srt'] as const;
export type SidecarFormat = (typeof SIDECAR_FORMATS)[number];

export interface SidecarRef {
  /** absolute or as-given path to the sidecar file */
  path: string;
  format: SidecarFormat;
}

/**
 * Sidecars larger than this are refused rather than read into memory. A 10-hour call is ~2 MB of callqa's
 * JSON; Amazon Transcribe's word list (each word twice, ~400 bytes a word) makes it ~35 MB.
 */
export const MAX_SIDECAR_BYTES = 50 * 1024 * 1024;

/** Candidate sidecar names for a recording: extension stripped first, then the full file name. */
export function sidecarNames(recordingPath: string): string[] {
  const base = path.basename(recordingPath);
  const ext = path.extname(base);
  const stems = ext && ext !== base ? [base.slice(0, -ext.length), base] : [base];
  const out: string[] = [];
  for (const stem of stems) {
    for (const format of SIDECAR_FORMATS) out.push(`${stem}.transcript.${format}`);
  }
  return out;
}

/**
 * Find the sidecar for a recording: in `transcriptsDir` first (the user named it explicitly), then beside
 * the recording. At the same place JSON wins over WebVTT, WebVTT over SubRip. Returns null when there is none.
 */
export function findSidecar(recordingPath: string, transcriptsDir?: string): SidecarRef | null {
  const dirs = [transcriptsDir, path.dirname(recordingPath)].filter((d): d is string => !!d);
  for (const dir of dirs) {
    for (const name of sidecarNames(recordingPath)) {
      const p = path.join(dir, name);
      if (existsSync(p) && statSync(p).isFile()) {
        return { path: p, format: SIDECAR_FORMATS.find((f) => name.endsWith(`.${f}`))! };
      }
    }
  }
  return null;
}

/**
 * Every transcript file beside the recording under a name callqa reads (`findSidecar` uses the first of them):
 * what erasing the recording's personal data deletes, since a platform may have delivered more than one.
 */
export function sidecarsBeside(recordingPath: string): string[] {
  const dir = path.dirname(recordingPath);
  return sidecarNames(recordingPath)
    .map((name) => path.join(dir, name))
    .filter((p) => existsSync(p) && statSync(p).isFile());
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
  if (ref.format === 'vtt') return parseVttSidecar(text, ref.path, opts);
  if (ref.format === 'srt') return parseSrtSidecar(text, ref.path, opts);
  return parseJsonSidecar(text, ref.path, opts);
}

// ---------------------------------------------------------------------------------------------------------
// JSON

const finiteSec = z.number().refine(Number.isFinite, 'must be a finite number of seconds');

/** callqa's JSON, its speakers read by `speaker` (role names; with the call's agentSpeaker, diarisation labels too). */
function jsonSidecarSchema(speaker: (label: string) => Speaker | undefined) {
  return z.object({
    language: labelled(sidecarLanguage, LANGUAGE_EXPECTED, 'must be "zh" or "en"'),
    segments: z.array(
      z.object({
        // a diarising vendor may number its speakers as JSON numbers (0, 1): read as the labels "0", "1"
        speaker: z.preprocess((v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? String(v) : v), labelled(speaker, SPEAKER_EXPECTED)),
        start: finiteSec.refine((s) => s >= 0, 'must be >= 0'),
        end: finiteSec,
        text: z.string(),
        /** optional vendor confidence 0..1 */
        confidence: z.number().min(0).max(1).optional(),
      }),
    ),
  });
}

export const JsonSidecarSchema = jsonSidecarSchema(speakerOf);
export type JsonSidecar = z.infer<typeof JsonSidecarSchema>;

/** callqa's own JSON, as the accepted-shapes error describes it. */
const OWN_JSON_SHAPE = 'callqa\'s own ({"language": "zh", "segments": [{"speaker": "agent", "start": 0.5, "end": 2.9, "text": "..."}]})';

/** Whether a parsed `.transcript.json` is meant as callqa's own shape (it has either of its two keys). */
function isOwnJson(data: unknown): data is Record<string, unknown> {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && ('segments' in data || 'language' in data);
}

/**
 * A `.transcript.json`: callqa's own shape, Amazon Transcribe's output (`results`) or Amazon Transcribe Call
 * Analytics' (`Transcript`), told apart by their top-level keys; anything else is refused with the list.
 */
export function parseJsonSidecar(text: string, file: string, opts: SidecarOptions = {}): Transcript {
  let data: unknown;
  const body = stripBom(text);
  try {
    data = JSON.parse(body);
  } catch {
    // V8's message quotes the text around the fault: transcript text never goes into an error
    throw new InputError(file, `transcript sidecar is not valid JSON: ${jsonSyntaxError(body)}`);
  }
  if (isOwnJson(data)) return parseOwnJson(data, file, opts);
  if (isAwsCallAnalytics(data)) return parseAwsCallAnalytics(data, file, opts);
  if (isAwsTranscribe(data)) return parseAwsTranscribe(data, file, opts);
  throw new InputError(
    file,
    `invalid transcript sidecar: not one of the JSON shapes callqa reads: ${OWN_JSON_SHAPE}; ${AWS_TRANSCRIBE_SHAPE}; ${AWS_CALL_ANALYTICS_SHAPE}`,
  );
}

function parseOwnJson(data: unknown, file: string, opts: SidecarOptions): Transcript {
  const labels = speakerLabels(opts);
  const r = jsonSidecarSchema(labels.of).safeParse(data);
  if (!r.success) throw schemaError(file, r.error);
  labels.check(file);
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

/** WebVTT's cue identifier is any line before the timing line; NOTE, STYLE and REGION blocks are no cues. */
const VTT_CUES = {
  timing: TIMING_RE,
  example: '00:00:01.000 --> 00:00:04.500',
  hasId: (block: readonly string[]) => !block[0]!.includes('-->'),
  skip: (head: string) => /^(NOTE|STYLE|REGION)(\s|$)/.test(head),
};

export function parseVttSidecar(text: string, file: string, opts: SidecarOptions = {}): Transcript {
  const lines = stripBom(text).split(/\r\n|\r|\n/);
  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '')) {
    throw new InputError(file, 'not a WebVTT file: the first line must be "WEBVTT"');
  }
  const raw: RawSegment[] = [];
  const labels = speakerLabels(opts);
  for (const { where, start, end, payload } of readCues(lines, 1, file, VTT_CUES)) {
    for (const sp of voiceSpans(payload)) {
      if (sp.voice === null) {
        throw new InputError(file, `${where}: text without a <v Agent> or <v Customer> voice tag`);
      }
      // own keys only: <v constructor> is an unknown speaker, not Object (which failed in the database)
      const speaker = labels.of(sp.voice);
      if (!speaker) {
        // the tag is not quoted: call platforms put people's names there (personal data, never in an error)
        throw new InputError(file, `${where}: the <v> voice tag is not a speaker role (expected <v Agent> or <v Customer>, or <v Agent 1>, <v 坐席>, <v 客服>, <v 客户>); a speaker number or letter from diarisation (spk_0, Speaker 1, A) does not say which side is the agent: write the roles into the file, ${AGENT_SPEAKER_HINT}`);
      }
      raw.push({ label: where, speaker, start, end, text: joinPieces(decodeEntities(sp.text).split('\n').map((l) => l.trim())) });
    }
  }
  labels.check(file);
  const segments = checkAndBuild(raw, file, opts);
  return { engine: 'sidecar-vtt' satisfies TranscriptEngine, language: languageFor(segments, opts), segments };
}
