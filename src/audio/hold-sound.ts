import { intersectSpans, mergeSpans, spanDuration, unionSpans } from '../core/spans.js';
import type { TimeSpan } from '../core/types.js';
import { DTMF_FRAME_SHARE, type Features } from './features.js';
import { digitalSilenceDb } from './vad.js';

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
  /** a weaker presence (dB above the floor) counts too when the block sounds nearly all the time (music on a noisy line) */
  presenceLowDb: number;
  /** flux this low is steady sound whatever the energy does (music with dynamics) */
  maxFluxAlone: number;
  /** max std-dev of frame energy (dB) within the block */
  maxModulationDb: number;
  /** flatness below which a block is a tone whatever its modulation */
  toneFlatness: number;
  /**
   * music through a low-rate codec (Opus at 16 kbit/s): the fine spectrum changes frame to frame whatever the
   * music does, so a block whose band envelope moves at most this much (mean |dB change| per band and frame) ...
   */
  maxBandFluxDb: number;
  /** ... and whose level is this steady (std-dev of frame energy, dB) is steady sound up to a fine-spectrum flux of ... */
  maxCodedModulationDb: number;
  /** ... this (babble of other agents near a headset, as steady in band envelope and level, changes its fine spectrum more) */
  maxCodedFlux: number;
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
  /** an edge block this many dB louder than the hold's typical level is speech on the line, not the hold */
  edgeLouderDb: number;
  /** ... or this many dB more modulated (syllables) than the hold's typical block */
  edgeModulationDb: number;
  /** pieces of hold separated by up to this long (s) are one hold (a recorded announcement between the music) ... */
  announcementMaxSec: number;
  /** ... when the other side speaks at most this long (s) in between, and each piece lasts at least this long (s) */
  announcementOtherSpeechSec: number;
  minPieceSec: number;
  /** ... a piece as short as this (s) may still join the hold before it (`soundsLike`) */
  minShortPieceSec: number;
  /**
   * ... and pieces separated by up to this long (s) when the other side says nothing at all in between and the
   * gap sounds (carries anything above the line's floor) for at most `announcementMaxSec` of it: a quiet
   * passage of the music sinks into a noisy line's floor
   */
  quietGapMaxSec: number;
  /** a hold reaches out up to this far (s) to the pause before the next words (and after the last ones) over quiet, sparse music */
  extendMaxSec: number;
  /**
   * after its last steady block (and before its first) a hold runs on, up to this far (s), over its own sound
   * (`holdSoundLimits`: a closing or opening announcement, a quiet or restless passage of the music): no louder
   * than the hold's typical level + `reachLouderDb` ...
   */
  reachMaxSec: number;
  reachLouderDb: number;
  /** ... and at least this far below the channel's speech level (dB) ... */
  reachBelowSpeechDb: number;
  /**
   * ... or, where the hold plays far below the speech, anything up to this far below the speech level (dB), where
   * a block may also swing like an announcement when its band envelope moves at most `reachBandFluxDb` more
   * than the hold's typical block (dB)
   */
  reachFarBelowSpeechDb: number;
  reachBandFluxDb: number;
  /** ... and over silent stretches of up to this long (s) between such sound */
  reachQuietSec: number;
  /** the hold reaches back over such sound only when there are at least this many seconds of it (s) */
  reachBackMinSec: number;
  /** a hold as loud as the agent's speech (within this many dB of its level) ... */
  speechLikeRelDb: number;
  /** ... and modulated like it (median block modulation, dB) is the agent's slow, even speech ... */
  speechLikeModulationDb: number;
  /** ... when it lasts at most this long (s) */
  speechLikeMaxSec: number;
}

export const DEFAULT_HOLD_SOUND: HoldSoundParams = {
  presenceDb: 10,
  presenceLowDb: 3.5,
  maxFlux: 0.115,
  maxFluxAlone: 0.085,
  maxModulationDb: 7,
  toneFlatness: 0.001,
  maxBandFluxDb: 3,
  maxCodedModulationDb: 3.5,
  maxCodedFlux: 0.17,
  bridgeSec: 4,
  maxOtherSpeechShare: 0.25,
  edgeSearchSec: 2.5,
  edgePauseSec: 0.3,
  edgeSteadySec: 4,
  edgeLouderDb: 6,
  edgeModulationDb: 2.5,
  announcementMaxSec: 14,
  announcementOtherSpeechSec: 0.5,
  minPieceSec: 4,
  minShortPieceSec: 2,
  quietGapMaxSec: 30,
  extendMaxSec: 6,
  reachMaxSec: 15,
  reachLouderDb: 4,
  reachBelowSpeechDb: 6,
  reachFarBelowSpeechDb: 10,
  reachBackMinSec: 3,
  reachBandFluxDb: 2,
  speechLikeRelDb: 6,
  speechLikeModulationDb: 4,
  speechLikeMaxSec: 20,
  reachQuietSec: 5,
};

export interface HoldBlock {
  start: number;
  present: boolean;
  flux: number;
  modulationDb: number;
  flatness: number;
  /** mean |dB change| of the band powers between consecutive sounding frames */
  bandFluxDb: number;
  /** mean level of the block's sounding frames (dB) */
  levelDb: number;
  holdLike: boolean;
}

/** Median spectral flatness of the channel's quiet frames (within 3 dB of its floor): the line's own noise. */
function lineNoiseFlatness(features: Features, channel: number, floorDb: number, aboveDb = -Infinity): number {
  const { energyDb: e, flatness: flat } = features.channels[channel];
  const quietFlat: number[] = [];
  for (let t = 0; t < e.length; t += 5) if (e[t] < floorDb + 3 && e[t] > aboveDb) quietFlat.push(flat[t]);
  quietFlat.sort((x, y) => x - y);
  return quietFlat.length ? quietFlat[Math.floor(quietFlat.length / 2)] : 1;
}

/**
 * The same for the noise the line carries while it sends: where pauses are digital silence (DTX, a gate), the
 * floor is that silence, and the noise that comes with the line is its quietest sounding frames.
 */
function sendingNoiseFlatness(features: Features, channel: number): number {
  const { energyDb: e, flatness: flat } = features.channels[channel];
  const live: number[] = [];
  const silenceDb = digitalSilenceDb(e);
  for (let t = 0; t < e.length; t += 5) if (e[t] > silenceDb) live.push(e[t]);
  if (live.length < 20) return 1;
  live.sort((x, y) => x - y);
  return lineNoiseFlatness(features, channel, live[Math.floor(0.1 * live.length)], silenceDb);
}

export function holdBlocks(features: Features, channel: number, floorDb: number, p: HoldSoundParams = DEFAULT_HOLD_SOUND): HoldBlock[] {
  const ch = features.channels[channel];
  const per = Math.max(1, Math.round(1 / features.frameSec));
  const out: HoldBlock[] = [];
  const noiseFlatness = sendingNoiseFlatness(features, channel);
  for (let s = 0; s + per <= features.nFrames; s += per) {
    // Statistics over the block's active frames only, so on/off tone cadences and pauses between notes
    // don't dilute the steadiness of the sound itself.
    // Keypad tones (an agent dialling a transfer, a customer typing into an IVR) are steady dual tones, but not
    // hold: their frames, and one either side (a key's onset and release), are no evidence of it.
    const keypad = (t: number) => (ch.dtmfShare[t] ?? 0) >= DTMF_FRAME_SHARE || (ch.dtmfShare[t - 1] ?? 0) >= DTMF_FRAME_SHARE || (ch.dtmfShare[t + 1] ?? 0) >= DTMF_FRAME_SHARE;
    let active: number[] = [];
    for (let t = s; t < s + per; t++) if (ch.energyDb[t] >= floorDb + p.presenceDb && !keypad(t)) active.push(t);
    let present = active.length >= 0.3 * per;
    if (!present) {
      // Music 12 dB below the speech on a line with 20 dB SNR sits only ~8 dB above the floor: it counts when
      // it sounds through nearly the whole block (speech pauses between syllables and words, music does not).
      const weak: number[] = [];
      for (let t = s; t < s + per; t++) if (ch.energyDb[t] >= floorDb + p.presenceLowDb && !keypad(t)) weak.push(t);
      if (weak.length >= 0.8 * per) {
        active = weak;
        present = true;
      }
    }
    let flux = 1;
    let bandFlux = 99;
    let flat = 1;
    let sd = 99;
    let mean = -120;
    if (present) {
      const e = active.map((t) => ch.energyDb[t]);
      mean = e.reduce((a, b) => a + b, 0) / e.length;
      sd = Math.sqrt(e.reduce((a, b) => a + (b - mean) ** 2, 0) / e.length);
      // flux of a frame compares it with the previous one: skip onsets (previous frame inactive)
      const steadyFrames = active.filter((t) => t > s && ch.energyDb[t - 1] >= floorDb + p.presenceDb);
      flux = steadyFrames.length ? steadyFrames.reduce((a, t) => a + ch.flux[t], 0) / steadyFrames.length : 1;
      if (steadyFrames.length) {
        let d = 0;
        for (const t of steadyFrames) for (const band of ch.bands) d += Math.abs(10 * Math.log10((band[t] + 1e-12) / (band[t - 1] + 1e-12)));
        bandFlux = d / (steadyFrames.length * ch.bands.length);
      }
      flat = active.reduce((a, t) => a + ch.flatness[t], 0) / active.length;
    }
    // Music through a low-rate codec: its fine spectrum is redrawn every frame (flux 0.14 for music at 0.09
    // uncoded), but its band envelope and its level hold, where speech moves both (formants, syllables);
    // and it is far less noise-like than the line's own noise, which holds its band envelope and level too.
    const coded = flux <= p.maxCodedFlux && bandFlux <= p.maxBandFluxDb && sd <= p.maxCodedModulationDb && flat <= 0.5 * noiseFlatness;
    const steady = flux <= p.maxFluxAlone || (flux <= p.maxFlux && sd <= p.maxModulationDb) || coded;
    const tone = flat <= p.toneFlatness && sd <= p.maxModulationDb;
    out.push({ start: s * features.frameSec, present, flux, modulationDb: sd, flatness: flat, bandFluxDb: bandFlux, levelDb: mean, holdLike: present && (steady || tone) });
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
  ownSpeech: readonly TimeSpan[] = [],
  speechLevelDb = Infinity,
): TimeSpan[] {
  const blocks = holdBlocks(features, channel, floorDb, p);
  const blockSec = Math.max(1, Math.round(1 / features.frameSec)) * features.frameSec;
  const raw = blocks.filter((b) => b.holdLike).map((b) => ({ start: b.start, end: b.start + blockSec }));
  const other = mergeSpans(otherSpeech);
  const own = mergeSpans(ownSpeech);
  const pieces = mergeSpans(raw, p.bridgeSec)
    .map((h) => trimEdges(blocks, blockSec, h, p, speechLevelDb))
    .filter((h): h is TimeSpan => h !== null)
    .map((h) => refineEdges(features, channel, floorDb, h, p))
    .filter((h) => {
      const dur = h.end - h.start;
      if (dur < Math.min(minSec, p.minShortPieceSec)) return false;
      // At least half of a hold-like run must be hold-like blocks, not bridged gaps.
      const covered = spanDuration(intersectSpans(raw, [h]));
      if (covered < 0.5 * dur) return false;
      const otherTalk = spanDuration(intersectSpans(other, [h]));
      return otherTalk <= p.maxOtherSpeechShare * dur;
    });
  // A PBX plays a recorded announcement every 15-30 s of a hold ("thank you for holding…"): 5-10 s of
  // speech between stretches of the same music. The customer, still waiting, does not answer it; an agent
  // coming back does get an answer. Pieces of hold around such a gap are one hold, the announcement its part.
  // A short piece (under `minPieceSec`: the music's last bars after an announcement) only joins the hold
  // before it, and only when it sounds like that hold (level and modulation of its typical block).
  // Past `announcementMaxSec`, the gap is bridged only while the other side says nothing at all: an agent who
  // checks back in mid-hold ("still there? one more minute") gets an answer, however short.
  const holds: TimeSpan[] = [];
  for (const h of pieces) {
    const last = holds[holds.length - 1];
    const short = h.end - h.start < Math.min(minSec, p.minPieceSec);
    const gap = last ? { start: last.end, end: h.start } : null;
    let joins = false;
    if (last && gap) {
      const len = gap.end - gap.start;
      const otherTalk = spanDuration(intersectSpans(other, [gap]));
      const sounding = blocks.filter((b) => b.present && b.start + blockSec > gap.start && b.start < gap.end).length * blockSec;
      joins =
        (len <= p.announcementMaxSec && otherTalk <= p.announcementOtherSpeechSec) ||
        (len <= p.quietGapMaxSec && otherTalk === 0 && sounding <= p.announcementMaxSec);
      if (short) joins &&= soundsLike(blocks, blockSec, last, h, p);
    }
    if (joins) last!.end = h.end;
    // (a short piece never starts a hold of its own)
    else if (!short) holds.push({ ...h });
  }
  const speech = unionSpans(own, other);
  const reached = holds
    .filter((h) => h.end - h.start >= minSec && !speechLike(blocks, blockSec, h, speechLevelDb, p))
    .map((h) => reachOverHoldSound(features, channel, floorDb, speechLevelDb, blocks, blockSec, h, other, p, 1))
    .map((h) => reachOverHoldSound(features, channel, floorDb, speechLevelDb, blocks, blockSec, h, other, p, -1));
  return mergeSpans(reached.map((h) => extendEdges(features, channel, floorDb, h, speech, p)));
}

/**
 * The last steady block of a hold is often not its end: a PBX closes many holds with an announcement in its
 * own voice, and music has quiet or restless passages that fail the block test, so the hold found from
 * blocks ends seconds early. The agent who takes the call back speaks louder than the hold sound or, where
 * the PBX plays it as loud, with the syllabic swings of close speech that music and a distant recorded voice on
 * a noisy line lack; the customer who hears the agent answers. So after the hold's last steady block, the hold's
 * own sound as `holdSoundLimits` accepts it (no louder than its typical level + `reachLouderDb` and well below
 * the channel's speech level, no more modulated than its typical block + `edgeModulationDb`; far below the
 * speech, an announcement's swings too), with silent stretches of at most `reachQuietSec` between, up to
 * `reachMaxSec`, while the other side says nothing, still belongs to the hold; the hold ends with the last of
 * it, before the first block it does not accept. The same before the hold's first steady block (`direction`
 * -1): a PBX may open a hold with a few seconds of music and then an announcement over it, which fails the block
 * test; there at least `reachBackMinSec` of such sound is needed.
 */
function reachOverHoldSound(
  features: Features,
  channel: number,
  floorDb: number,
  speechLevelDb: number,
  blocks: HoldBlock[],
  blockSec: number,
  h: TimeSpan,
  other: TimeSpan[],
  p: HoldSoundParams,
  direction: 1 | -1,
): TimeSpan {
  const sound = holdSoundLimits(blocks, blockSec, h, speechLevelDb, p);
  if (!sound) return h;
  const from = direction === 1 ? h.end : h.start;
  const edge = walkHoldSound(blocks, blockSec, from, direction, sound.accepts, other, p);
  // (before the hold, a second of sound is as likely the quiet end of the agent's last words as its first notes)
  if (direction === 1 ? edge === from : from - edge < p.reachBackMinSec) return h;
  // the new edge on the sounding frame nearest the far end of what was taken
  const e = features.channels[channel].energyDb;
  const fs = features.frameSec;
  const soundDb = floorDb + p.presenceLowDb + 3;
  if (direction === 1) {
    let t = Math.min(e.length, Math.round(edge / fs)) - 1;
    while (t > h.end / fs && e[t] < soundDb) t--;
    return { start: h.start, end: Math.max(h.end, (t + 1) * fs) };
  }
  let t = Math.max(0, Math.round(edge / fs));
  while (t < h.start / fs && e[t] < soundDb) t++;
  return { start: Math.min(h.start, t * fs), end: h.end };
}

/**
 * From a hold's edge at `from`, block by block away from the hold (`direction` 1: after it, -1: before it), over
 * blocks `accepts` takes and silent stretches of at most `reachQuietSec`, up to `reachMaxSec`, stopping where the
 * other side speaks: the farthest edge of the last block taken (`from` when none is).
 */
function walkHoldSound(
  blocks: HoldBlock[],
  blockSec: number,
  from: number,
  direction: 1 | -1,
  accepts: (b: HoldBlock) => boolean,
  other: TimeSpan[],
  p: HoldSoundParams,
): number {
  let edge = from;
  let quiet = 0;
  for (let k = 0; k < blocks.length; k++) {
    const b = blocks[direction === 1 ? k : blocks.length - 1 - k];
    if (direction === 1 ? b.start < from - 1e-9 : b.start + blockSec > from + 1e-9) continue;
    if (direction === 1 ? b.start + blockSec > from + p.reachMaxSec : b.start < from - p.reachMaxSec) break;
    if (other.some((o) => o.start < b.start + blockSec && o.end > b.start)) break;
    if (!b.present) {
      quiet += blockSec;
      if (quiet > p.reachQuietSec) break;
      continue;
    }
    if (!accepts(b)) break;
    quiet = 0;
    edge = direction === 1 ? b.start + blockSec : b.start;
  }
  return edge;
}

/** The blocks of `piece` are typical of `hold`: no louder than its median block + `reachLouderDb`, no more modulated than + `edgeModulationDb`. */
function soundsLike(blocks: HoldBlock[], blockSec: number, hold: TimeSpan, piece: TimeSpan, p: HoldSoundParams): boolean {
  const within = (h: TimeSpan) => blocks.filter((b) => b.holdLike && b.start >= h.start - 1e-9 && b.start + blockSec <= h.end + 1e-9);
  const body = within(hold);
  const mine = within(piece);
  if (body.length < 3 || !mine.length) return false;
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const level = median(body.map((b) => b.levelDb));
  const modulation = median(body.map((b) => b.modulationDb));
  return mine.every((b) => b.levelDb <= level + p.reachLouderDb && b.modulationDb <= modulation + p.edgeModulationDb);
}

/**
 * A slow, even voice (a recorded prompt, a synthetic voice, an agent reading out a long sentence) can pass the
 * block test for a few seconds on end while the customer listens. Such a "hold" plays as loud as the agent
 * speaks (its typical block within `speechLikeRelDb` of the channel's speech level) and keeps speech's
 * syllabic swings (typical block modulation at least `speechLikeModulationDb`); music and tones played that loud
 * hold their level far more evenly (measured on the varied sets: true holds that loud 0.1-2.9 dB, such voices 4.6-5.6 dB).
 */
function speechLike(blocks: HoldBlock[], blockSec: number, h: TimeSpan, speechLevelDb: number, p: HoldSoundParams): boolean {
  // (a long hold of loud music with dynamics is still a hold: the voices this is about last seconds)
  if (h.end - h.start > p.speechLikeMaxSec) return false;
  const inside = blocks.filter((b) => b.holdLike && b.start >= h.start - 1e-9 && b.start + blockSec <= h.end + 1e-9);
  if (!inside.length || !Number.isFinite(speechLevelDb)) return false;
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  return median(inside.map((b) => b.levelDb)) >= speechLevelDb - p.speechLikeRelDb && median(inside.map((b) => b.modulationDb)) >= p.speechLikeModulationDb;
}

/**
 * What `reachOverHoldSound` accepts, after and before a hold, as the hold's own sound: no louder than its
 * typical block + `reachLouderDb` and at least `reachBelowSpeechDb` below the channel's speech level, no more
 * modulated than its typical block + `edgeModulationDb`. Where the hold plays far below the agent's voice (a
 * boosted, clipping microphone), an announcement mixed over the music may be louder than the music by more than
 * `reachLouderDb` and still far below any words: up to `reachFarBelowSpeechDb` below the speech level counts.
 */
function holdSoundLimits(blocks: HoldBlock[], blockSec: number, h: TimeSpan, speechLevelDb: number, p: HoldSoundParams): { accepts: (b: HoldBlock) => boolean } | null {
  const inside = blocks.filter((b) => b.holdLike && b.start >= h.start - 1e-9 && b.start + blockSec <= h.end + 1e-9);
  if (inside.length < 3) return null;
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const holdLevel = median(inside.map((b) => b.levelDb));
  const holdModulation = median(inside.map((b) => b.modulationDb));
  // (no speech level known: the hold's own level alone, and no announcement allowance)
  const known = Number.isFinite(speechLevelDb);
  const maxLevel = known ? Math.min(Math.max(holdLevel + p.reachLouderDb, speechLevelDb - p.reachFarBelowSpeechDb), speechLevelDb - p.reachBelowSpeechDb) : holdLevel + p.reachLouderDb;
  // (an announcement mixed over the music moves like speech, less than words on the line do: far below the
  // agent's words, it may be twice as much more modulated than the music, its band envelope moving at most
  // `reachBandFluxDb` more; the agent's first words move their formants more)
  const holdBandFlux = median(inside.map((b) => b.bandFluxDb));
  const farBelow = known ? speechLevelDb - p.reachFarBelowSpeechDb : -Infinity;
  const modulation = (b: HoldBlock) => b.modulationDb - holdModulation;
  const announcementLike = (b: HoldBlock) => b.levelDb <= farBelow && modulation(b) <= 2 * p.edgeModulationDb && b.bandFluxDb <= holdBandFlux + p.reachBandFluxDb;
  return { accepts: (b) => b.levelDb <= maxLevel && (modulation(b) <= p.edgeModulationDb || announcementLike(b)) };
}

/**
 * Quiet, sparse music (notes with rests, barely above a noisy line's floor) fails the one-second block test
 * near a hold's edges, so the hold found from blocks can start late and end early. Nobody speaks between a
 * hold and the words before or after it: when that gap still carries sound well above the floor, the hold
 * reaches over it to the pause next to the words.
 */
function extendEdges(features: Features, channel: number, floorDb: number, h: TimeSpan, speech: TimeSpan[], p: HoldSoundParams): TimeSpan {
  const e = features.channels[channel].energyDb;
  const fs = features.frameSec;
  const soundDb = floorDb + p.presenceLowDb + 3;
  // the words nearest the hold on either side (words overlapping an edge leave that edge alone)
  const next = speech.find((s) => s.end > h.end)?.start ?? e.length * fs;
  const prev = [...speech].reverse().find((s) => s.start < h.start)?.end ?? 0;
  const sounding = (a: number, z: number) => {
    let n = 0;
    for (let t = a; t < z; t++) if (e[t] >= soundDb) n++;
    return z > a && n >= 0.1 * (z - a);
  };
  let { start, end } = h;
  const z = Math.min(e.length, Math.round(next / fs));
  if (next > h.end && next - h.end <= p.extendMaxSec && sounding(Math.round(h.end / fs), z)) {
    let t = z - 1;
    while (t > h.end / fs && e[t] < soundDb) t--;
    end = Math.max(h.end, (t + 1) * fs);
  }
  const a = Math.max(0, Math.round(prev / fs));
  if (prev < h.start && h.start - prev <= p.extendMaxSec && sounding(a, Math.round(h.start / fs))) {
    let t = a;
    while (t < h.start / fs && e[t] < soundDb) t++;
    start = Math.min(h.start, t * fs);
  }
  // Farther from any words (dead air before the hold, a hang-up after it), or where the first notes were
  // taken for words, the hold still reaches over whole seconds of quiet music: sounding, far less
  // noise-like than the line's own noise, and not moving like speech (fast spectral change with syllabic
  // energy swings).
  const flat = features.channels[channel].flatness;
  const noiseFlatness = lineNoiseFlatness(features, channel, floorDb);
  const per = Math.max(1, Math.round(1 / fs));
  const musicLike = (from: number, to: number) => {
    const ts: number[] = [];
    for (let t = Math.max(0, from); t < Math.min(e.length, to); t++) if (e[t] >= soundDb) ts.push(t);
    if (ts.length < 0.1 * per || ts.reduce((acc, t) => acc + flat[t], 0) / ts.length > 0.5 * noiseFlatness) return false;
    const steady = ts.filter((t) => t > 0 && e[t - 1] >= soundDb);
    const flux = steady.length ? steady.reduce((acc, t) => acc + features.channels[channel].flux[t], 0) / steady.length : 0;
    const mean = ts.reduce((acc, t) => acc + e[t], 0) / ts.length;
    const sd = Math.sqrt(ts.reduce((acc, t) => acc + (e[t] - mean) ** 2, 0) / ts.length);
    return !(flux > p.maxFlux && sd > 3);
  };
  const words = (from: number, to: number) => speech.some((x) => x.start < to * fs && x.end > from * fs && x.end - x.start > 1.5);
  if (end === h.end) {
    let z2 = Math.round(end / fs);
    const limit = Math.min(e.length, z2 + Math.round(p.extendMaxSec / fs));
    while (z2 + per <= limit && musicLike(z2, z2 + per) && !words(z2, z2 + per)) z2 += per;
    if (z2 > Math.round(end / fs)) {
      while (z2 > end / fs && e[z2 - 1] < soundDb) z2--;
      end = Math.max(end, z2 * fs);
    }
  }
  if (start === h.start) {
    let a2 = Math.round(start / fs);
    const limit = Math.max(0, a2 - Math.round(p.extendMaxSec / fs));
    while (a2 - per >= limit && musicLike(a2 - per, a2) && !words(a2 - per, a2)) a2 -= per;
    if (a2 < Math.round(start / fs)) {
      while (a2 < start / fs && e[a2] < soundDb) a2++;
      start = Math.min(start, a2 * fs);
    }
  }
  return { start, end };
}

/**
 * A run of hold-like blocks, bridged over short gaps, can take in a block of the agent's words at either end
 * when the line's noise makes speech look steady. Such a block is far louder or far more modulated than the
 * hold's own typical block: drop blocks from each end until one looks like the hold.
 */
function trimEdges(blocks: HoldBlock[], blockSec: number, h: TimeSpan, p: HoldSoundParams, speechLevelDb = Infinity): TimeSpan | null {
  const inside = blocks.filter((b) => b.start >= h.start - 1e-9 && b.start + blockSec <= h.end + 1e-9);
  const body = inside.filter((b) => b.holdLike);
  if (body.length < 3) return h;
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const level = median(body.map((b) => b.levelDb));
  const modulation = median(body.map((b) => b.modulationDb));
  // Where the PBX plays the hold well below the agent's voice (the hold's own sound is what `reachOverHoldSound`
  // accepts), a steady voice (a synthetic one, words on a noisy line) stands out by its level sooner.
  const quietHold = level + p.reachLouderDb <= speechLevelDb - p.reachBelowSpeechDb;
  const louder = quietHold ? p.reachLouderDb : p.edgeLouderDb;
  const typical = (b: HoldBlock) => b.holdLike && b.levelDb <= level + louder && b.modulationDb <= modulation + p.edgeModulationDb;
  let i = 0;
  let j = inside.length - 1;
  while (i <= j && !typical(inside[i])) i++;
  while (j >= i && !typical(inside[j])) j--;
  if (i > j) return null;
  // A typical block cut off from the rest of the hold by more than `bridgeSec` of atypical ones (the agent
  // back on the line, a sustained last syllable passing the block test) is no part of it: the run reached it
  // only over blocks that were hold-like but atypical.
  const prevTypical = (k: number) => {
    for (let m = k - 1; m >= i; m--) if (typical(inside[m])) return m;
    return -1;
  };
  const nextTypical = (k: number) => {
    for (let m = k + 1; m <= j; m++) if (typical(inside[m])) return m;
    return -1;
  };
  for (let m = prevTypical(j); m >= 0 && inside[j].start - (inside[m].start + blockSec) > p.bridgeSec; m = prevTypical(j)) j = m;
  for (let m = nextTypical(i); m >= 0 && inside[m].start - (inside[i].start + blockSec) > p.bridgeSec; m = nextTypical(i)) i = m;
  return { start: inside[i].start, end: inside[j].start + blockSec };
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
