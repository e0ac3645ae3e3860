import type { Transcript } from '../core/types.js';
import { hallucinatedSegments } from '../detect/text/hallucination.js';
import { matcherFor } from '../detect/text/index.js';
import type { LoadedLexicons } from '../lexicon/schema.js';

/**
 * The hallucination guard, applied to every transcript source (whisper and sidecar files alike) where the
 * transcript enters, before it is stored or read by any detector. Whisper invents text on silence and music —
 * subtitle credits and video outros from its training data (谢谢观看, 字幕由Amara.org社区提供, "Thanks for
 * watching"; openai/whisper discussions #679, #928) — and a transcript made by whisper and handed over as a
 * sidecar file carries them too.
 *
 * The phrases are data, kept once: the `hallucination` category of the pipeline's lexicons
 * (lexicons/<set>/hallucination.yaml). A segment at least `coverage` (text.hallucinationCoverage) covered by
 * them is dropped; the text detectors apply the same rule with the same lexicon (detect/text/hallucination.ts)
 * to transcripts stored before, and ignore anything found inside a phrase of a segment that is kept. This module
 * holds only what is not a phrase: whisper's bracketed non-speech annotations.
 */

/** Non-speech annotations whisper writes in brackets: [BLANK_AUDIO], (music), 【音乐】, ♪ ... (or nothing at all) */
const ANNOTATION_ONLY = /^[\s♪♫🎵]*(?:[[(（【［][^\])）】］]*[\])）】］][\s♪♫🎵.。,，]*)*$/u;

export function isAnnotationOnly(text: string): boolean {
  return ANNOTATION_ONLY.test(text.trim());
}

const HALLUCINATION = ['hallucination'] as const;

/**
 * The transcript without invented segments (lexicon phrases or bare annotations) and without segments that hold
 * no text at all; how many of each were dropped. Told apart: an empty segment of a sidecar file (a platform's
 * placeholder for a turn it could not transcribe) is not something a speech recogniser invented, and the note
 * must not say so.
 */
export function dropHallucinations(
  transcript: Transcript,
  lex: LoadedLexicons,
  coverage: number,
): { transcript: Transcript; dropped: number; empty: number } {
  const segments = transcript.segments;
  if (segments.length === 0) return { transcript, dropped: 0, empty: 0 };
  const hits = matcherFor(lex, [], HALLUCINATION).matchTranscript(segments, { categories: HALLUCINATION, language: 'auto' });
  const invented = hallucinatedSegments(hits, coverage);
  const blank = new Set<number>();
  segments.forEach((s, i) => {
    if (s.text.trim() === '') blank.add(i);
    else if (isAnnotationOnly(s.text)) invented.add(i);
  });
  for (const i of blank) invented.delete(i);
  if (invented.size === 0 && blank.size === 0) return { transcript, dropped: 0, empty: 0 };
  return {
    transcript: { ...transcript, segments: segments.filter((_, i) => !invented.has(i) && !blank.has(i)) },
    dropped: invented.size,
    empty: blank.size,
  };
}
