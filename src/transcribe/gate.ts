import type { TimeSpan } from '../core/types.js';

/**
 * Voice-activity gating: whisper only hears the speech regions of a channel, laid end to end with a
 * short silence between them, and a time map takes whisper's times back to the recording. Pure functions;
 * the WAV writing lives in audio-io.ts.
 *
 * Why: whisper is faster on less audio, and it invents text on long silence and hold music
 * ("谢谢观看", "Thank you for watching").
 */

export interface GateParams {
  /** padding added before and after each speech span, so word onsets/offsets are not clipped */
  padSec: number;
  /** silence inserted between regions in the gated audio, so whisper sees a pause */
  gapSec: number;
  /** regions closer than this (after padding) are joined instead of cut apart */
  joinGapSec: number;
}

export const DEFAULT_GATE: GateParams = { padSec: 0.2, gapSec: 0.3, joinGapSec: 0.5 };

export interface GateRegion {
  /** span in the original recording */
  srcStart: number;
  srcEnd: number;
  /** where it starts in the gated audio */
  dstStart: number;
}

export interface GatePlan {
  regions: GateRegion[];
  /** length of the gated audio */
  totalSec: number;
  gapSec: number;
}

/** Build the plan for one channel's speech spans within [0, durationSec]. */
export function planGate(speech: readonly TimeSpan[], durationSec: number, p: GateParams = DEFAULT_GATE): GatePlan {
  const padded = [...speech]
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start)
    .map((s) => ({ start: Math.max(0, s.start - p.padSec), end: Math.min(durationSec, s.end + p.padSec) }))
    .filter((s) => s.end > s.start);
  const joined: TimeSpan[] = [];
  for (const s of padded) {
    const last = joined[joined.length - 1];
    if (last && s.start - last.end <= p.joinGapSec) last.end = Math.max(last.end, s.end);
    else joined.push({ ...s });
  }
  const regions: GateRegion[] = [];
  let cursor = 0;
  for (const s of joined) {
    if (regions.length > 0) cursor += p.gapSec;
    regions.push({ srcStart: s.start, srcEnd: s.end, dstStart: cursor });
    cursor += s.end - s.start;
  }
  return { regions, totalSec: cursor, gapSec: p.gapSec };
}

/** The identity plan: the whole channel, ungated. */
export function identityPlan(durationSec: number): GatePlan {
  return { regions: [{ srcStart: 0, srcEnd: durationSec, dstStart: 0 }], totalSec: durationSec, gapSec: 0 };
}

/**
 * Index of the region a gated time falls in, or -1 - i when it falls in the gap before region i
 * (or past the end: -1 - regions.length).
 */
export function regionAt(plan: GatePlan, dstSec: number): number {
  const r = plan.regions;
  let lo = 0;
  let hi = r.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (r[mid].dstStart <= dstSec) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return -1; // before the first region (cannot happen: it starts at 0)
  const reg = r[found];
  if (dstSec <= reg.dstStart + (reg.srcEnd - reg.srcStart) + 1e-9) return found;
  return -1 - (found + 1);
}

/**
 * Gated time -> recording time. A time inside an inserted gap has no source; `bias` picks the previous
 * region's end ('before', for span ends) or the next region's start ('after', for span starts).
 */
export function mapTime(plan: GatePlan, dstSec: number, bias: 'before' | 'after' = 'before'): number {
  const r = plan.regions;
  if (r.length === 0) return 0;
  const i = regionAt(plan, dstSec);
  if (i >= 0) return r[i].srcStart + (dstSec - r[i].dstStart);
  const next = -1 - i;
  if (next >= r.length) return r[r.length - 1].srcEnd;
  if (next === 0) return r[0].srcStart;
  return bias === 'before' ? r[next - 1].srcEnd : r[next].srcStart;
}

/**
 * Map a span of gated time back to the recording. Null when it lies wholly inside inserted silence
 * (whisper wrote text where there was no audio at all) or past the end of the gated audio.
 */
export function mapSpan(plan: GatePlan, dstStart: number, dstEnd: number): TimeSpan | null {
  if (dstStart >= plan.totalSec) return null;
  const a = regionAt(plan, dstStart);
  const b = regionAt(plan, Math.min(dstEnd, plan.totalSec));
  if (a < 0 && a === b) return null; // both ends in the same gap
  const start = mapTime(plan, dstStart, 'after');
  const end = mapTime(plan, Math.min(dstEnd, plan.totalSec), 'before');
  if (end < start) return null;
  return { start, end };
}
