import type { TranscriptHit } from '../../lexicon/matcher.js';

/**
 * Whisper invents text on silence and music (谢谢观看, 字幕由 Amara.org 社群提供, "Thank you for watching";
 * openai/whisper discussions #679, #928). A segment at least `coverage` covered by hallucination-lexicon hits
 * is dropped before any detector runs, so it can never be a greeting, closing or thanks.
 */
export function hallucinatedSegments(hits: readonly TranscriptHit[], coverage: number): Set<number> {
  // keyed by segment and language: a mixed utterance is matched twice, in characters and in tokens
  const covered = new Map<string, { seg: number; len: number; marks: boolean[] }>();
  for (const h of hits) {
    if (h.entry.category !== 'hallucination') continue;
    const key = `${h.segmentIndex}:${h.language}`;
    let c = covered.get(key);
    if (!c) covered.set(key, (c = { seg: h.segmentIndex, len: h.length, marks: new Array<boolean>(h.length).fill(false) }));
    for (let i = h.from; i < h.to; i++) c.marks[i] = true;
  }
  const out = new Set<number>();
  for (const c of covered.values()) if (c.len > 0 && c.marks.filter(Boolean).length / c.len >= coverage) out.add(c.seg);
  return out;
}
