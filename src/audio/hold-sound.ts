import { intersectSpans, mergeSpans, spanDuration } from '../core/spans.js';
import type { TimeSpan } from '../core/types.js';
import type { Features } from './features.js';

/**
 * Music or tone on hold, from one-second blocks of the holding channel (pure).
 *
 * A block is hold-like when it carries sound (well above the channel's floor) that is spectrally steady
 * (low frame-to-frame spectral flux: notes and tones sustain, speech formants move every few tens of ms)
 * and lacks speech's syllabic energy modulation (low spread of frame energies), or when it is a near-pure
 * tone (very low spectral flatness). Runs of such blocks, with short gaps bridged (tone cadences, quiet bars),
 * while the other side is mostly silent, and lasting at least `minSec`, are hold.
 */

export interface HoldSoundParams {
  /** block must be this far above the channel noise floor (dB, median frame energy) */
  presenceDb: number;
  /** max mean spectral flux for steady sound, when its energy is also steady */
  maxFlux: number;
  /** flux this low is steady sound whatever the energy does (music with dynamics) */
  maxFluxAlone: number;
  /** max std-dev of frame energy (dB) within the block */
  maxModulationDb: number;
  /** flatness below which a block is a tone whatever its modulation */
  toneFlatness: number;
  /** gaps of non-hold blocks bridged inside a hold (s) */
  bridgeSec: number;
  /** max share of the hold during which the other side speaks */
  maxOtherSpeechShare: number;
  /** how far from a hold's edge to look for the pause between words and hold sound (s) */
  edgeSearchSec: number;
  /** a pause at least this long (s) separates words from hold sound */
  edgePauseSec: number;
  /** ... if the hold sound then runs at least this long (s) without another such pause */
  edgeSteadySec: number;
}

export const DEFAULT_HOLD_SOUND: HoldSoundParams = {
  presenceDb: 10,
  maxFlux: 0.115,
  maxFluxAlone: 0.085,
  maxModulationDb: 7,
  toneFlatness: 0.001,
  bridgeSec: 4,
  maxOtherSpeechShare: 0.25,
  edgeSearchSec: 2.5,
  edgePauseSec: 0.3,
  edgeSteadySec: 4,
};

export interface HoldBlock {
  start: number;
  present: boolean;
  flux: number;
  modulationDb: number;
  flatness: number;
  holdLike: boolean;
}

export function holdBlocks(features: Features, channel: number, floorDb: number, p: HoldSoundParams = DEFAULT_HOLD_SOUND): HoldBlock[] {
  const ch = features.channels[channel];
  const per = Math.max(1, Math.round(1 / features.frameSec));
  const out: HoldBlock[] = [];
  for (let s = 0; s + per <= features.nFrames; s += per) {
    // Statistics over the block's active frames only, so on/off tone cadences and pauses between notes
    // don't dilute the steadiness of the sound itself.
    const active: number[] = [];
    for (let t = s; t < s + per; t++) if (ch.energyDb[t] >= floorDb + p.presenceDb) active.push(t);
    const present = active.length >= 0.3 * per;
    let flux = 1;
    let flat = 1;
    let sd = 99;
    if (present) {
      const e = active.map((t) => ch.energyDb[t]);
      const mean = e.reduce((a, b) => a + b, 0) / e.length;
      sd = Math.sqrt(e.reduce((a, b) => a + (b - mean) ** 2, 0) / e.length);
      // flux of a frame compares it with the previous one: skip onsets (previous frame inactive)
      const steadyFrames = active.filter((t) => t > s && ch.energyDb[t - 1] >= floorDb + p.presenceDb);
      flux = steadyFrames.length ? steadyFrames.reduce((a, t) => a + ch.flux[t], 0) / steadyFrames.length : 1;
      flat = active.reduce((a, t) => a + ch.flatness[t], 0) / active.length;
    }
    const steady = flux <= p.maxFluxAlone || (flux <= p.maxFlux && sd <= p.maxModulationDb);
    const tone = flat <= p.toneFlatness && sd <= p.maxModulationDb;
    out.push({ start: s * features.frameSec, present, flux, modulationDb: sd, flatness: flat, holdLike: present && (steady || tone) });
  }
  return out;
}

export function detectHoldSound(
  features: Features,
  channel: number,
  otherSpeech: readonly TimeSpan[],
  floorDb: number,
  minSec: number,
  p: HoldSoundParams = DEFAULT_HOLD_SOUND,
): TimeSpan[] {
  const blocks = holdBlocks(features, channel, floorDb, p);
  const blockSec = Math.max(1, Math.round(1 / features.frameSec)) * features.frameSec;
  const raw = blocks.filter((b) => b.holdLike).map((b) => ({ start: b.start, end: b.start + blockSec }));
  const merged = mergeSpans(raw, p.bridgeSec).map((h) => refineEdges(features, channel, floorDb, h, p));
  return merged.filter((h) => {
    const dur = h.end - h.start;
    if (dur < minSec) return false;
    // Most of a hold-like run must be hold-like blocks, not bridged gaps.
    const covered = spanDuration(intersectSpans(raw, [h]));
    if (covered < 0.6 * dur) return false;
    const otherTalk = spanDuration(intersectSpans(mergeSpans(otherSpeech), [h]));
    return otherTalk <= p.maxOtherSpeechShare * dur;
  });
}

/**
 * Blocks are a second long, so a hold found from them can swallow the words just before or after it
 * ("One moment, please." then music). Music and tones seldom stop for long; speech handing over to hold
 * does. Within `edgeSearchSec` of each edge, move the edge to the far side of the last (first) pause of at
 * least `edgePauseSec`.
 */
function refineEdges(features: Features, channel: number, floorDb: number, h: TimeSpan, p: HoldSoundParams): TimeSpan {
  const e = features.channels[channel].energyDb;
  const fs = features.frameSec;
  const quiet = (t: number) => e[t] < floorDb + p.presenceDb;
  const minRun = Math.max(1, Math.round(p.edgePauseSec / fs));
  const a = Math.round(h.start / fs);
  const z = Math.min(e.length, Math.round(h.end / fs));
  const search = Math.round(p.edgeSearchSec / fs);
  let start = a;
  let run = 0;
  for (let t = a; t < Math.min(z, a + search); t++) {
    run = quiet(t) ? run + 1 : 0;
    if (run >= minRun) start = t + 1;
  }
  let end = z;
  run = 0;
  for (let t = z - 1; t >= Math.max(start, z - search); t--) {
    run = quiet(t) ? run + 1 : 0;
    if (run >= minRun) end = t;
  }
  // A tone cadence (beep, pause, beep) pauses again and again; the handover from words to music pauses
  // once. Only cut when the hold sound after the pause runs on without another pause for a while.
  const pauses = (from: number, to: number) => {
    let r = 0;
    for (let t = Math.max(0, from); t < Math.min(e.length, to); t++) {
      r = quiet(t) ? r + 1 : 0;
      if (r >= minRun) return true;
    }
    return false;
  };
  const steady = Math.round(p.edgeSteadySec / fs);
  if (start > a && pauses(start, start + steady)) start = a;
  if (end < z && pauses(end - steady, end)) end = z;
  return end > start ? { start: start * fs, end: end * fs } : h;
}
