import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { jsonSyntaxError } from '../core/json-error.js';

/**
 * whisper-cli's `-ojf` (full JSON) output, validated. Times are in gated-audio milliseconds here; the
 * caller maps them back to the recording.
 */

const Offsets = z.object({ from: z.number(), to: z.number() });

const TokenSchema = z.object({
  text: z.string(),
  offsets: Offsets.optional(),
  id: z.number().int(),
  // whisper.cpp prints floats with iostream: nan/inf are possible and are turned into null before parsing
  p: z.number().nullable().optional(),
});

const SegmentSchema = z.object({
  offsets: Offsets,
  text: z.string(),
  tokens: z.array(TokenSchema).optional(),
});

export const WhisperJsonSchema = z.object({
  result: z.object({ language: z.string() }).optional(),
  transcription: z.array(SegmentSchema),
});
export type WhisperJson = z.infer<typeof WhisperJsonSchema>;

/**
 * whisper.cpp writes JSON by hand (examples/cli/cli.cpp `output_json`): strings escape only `"` and `\`,
 * numbers are iostream floats. Raw control characters inside strings and nan/inf numbers would make
 * JSON.parse fail, so they are repaired first.
 */
export function repairWhisperJson(raw: string): string {
  return (
    raw
      // control characters never appear in the structure except \t \n \r, which whisper uses for layout
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ' ')
      .replace(/:\s*-?(?:nan|inf)(?:inity)?\b/gi, ': null')
  );
}

export function parseWhisperJson(raw: string, file = 'whisper-cli output'): WhisperJson {
  let data: unknown;
  const repaired = repairWhisperJson(raw);
  try {
    data = JSON.parse(repaired);
  } catch {
    // V8's message quotes the text around the fault: the transcript never goes into an error
    throw new ToolError('whisper-cli', 0, '', `${file}: unreadable JSON output: ${jsonSyntaxError(repaired)}`);
  }
  const r = WhisperJsonSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new ToolError('whisper-cli', 0, '', `${file}: unexpected JSON output at ${i.path.join('.')}: ${i.message}`);
  }
  return r.data;
}

export interface RawToken {
  text: string;
  startSec: number;
  endSec: number;
  p?: number;
}

export interface RawWhisperSegment {
  startSec: number;
  endSec: number;
  text: string;
  tokens: RawToken[];
}

/**
 * Special tokens (end-of-text, start-of-transcript, language, timestamps: every id >= 50256 in both the
 * English-only and the multilingual vocabularies) and their `[_TT_123]`-style names are not words.
 * `-ojf` lists timestamp tokens among the others.
 */
export function isSpecialToken(t: { id: number; text: string }): boolean {
  return t.id >= 50256 || /^\[_[A-Z]+_?.*\]$/.test(t.text) || /^<\|.*\|>$/.test(t.text);
}

export function whisperSegments(json: WhisperJson): RawWhisperSegment[] {
  return json.transcription.map((s) => ({
    startSec: s.offsets.from / 1000,
    endSec: s.offsets.to / 1000,
    text: s.text.trim(),
    tokens: (s.tokens ?? [])
      .filter((t) => !isSpecialToken(t) && t.offsets)
      .map((t) => ({
        text: t.text,
        startSec: t.offsets!.from / 1000,
        endSec: t.offsets!.to / 1000,
        ...(typeof t.p === 'number' && Number.isFinite(t.p) ? { p: t.p } : {}),
      })),
  }));
}
