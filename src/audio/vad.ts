import { intersectSpans, mergeSpans, subtractSpans } from '../core/spans.js';
import type { TimeSpan } from '../core/types.js';
import { N_BANDS, type ChannelFeatures, type Features } from './features.js';
import { DTMF_FRAME_SHARE } from './features.js';
import { detectHoldSound } from './hold-sound.js';
import { NO_ROOM_DECAYS, estimateLeak, predictLeak, type LeakEstimate } from './leak.js';
import { quantileOfSorted } from '../core/select.js';

/**
 * Voice activity for call recordings, per channel, from frame features (pure; no I/O).
 *
 * What it has to survive, and how:
 * - bleed and echo of the other side: the leaked copy is estimated per call (leak.ts) and subtracted in
 *   band power before deciding; a frame also has to stand clearly above the predicted leak.
 * - noise floors that differ per call, per channel and over time (AGC pumping in pauses): the floor is
 *   tracked per channel with minimum statistics over a few seconds.
 * - one side 15-20 dB quieter, and babble of other agents near the headset: speech may only *start* near
 *   the channel's own typical speech level (its loud percentile), not merely above its floor; it may then
 *   continue down to a lower threshold (hysteresis), so word endings are kept.
 * - music or tones on hold on the agent channel: classified separately (hold-sound.ts) and removed from speech.
 */

export interface VadParams {
  /** speech may start when own energy is within this many dB of the channel's speech level */
  startBelowLevelDb: number;
  /** ... widened up to this on a clean line (background far below the speech level) */
  startBelowLevelMaxDb: number;
  /** ... and at least this far above the local noise floor */
  startAboveFloorDb: number;
  /** speech continues while within this many dB of the speech level */
  continueBelowLevelDb: number;
  continueAboveFloorDb: number;
  /** own energy must exceed the predicted leak from the other side by this much */
  aboveLeakDb: number;
  /** gaps shorter than this inside speech are bridged */
  bridgeGapSec: number;
  /** speech islands shorter than this are dropped */
  minSpeechSec: number;
  /** hold (music/tone) shorter than this is not hold */
  holdMinSec: number;
  /** speech may start only in frames at most this fraction as spectrally flat as the channel's noise */
  maxStartFlatness: number;
  /** how far (s) speech may extend from a core frame over frames between the two thresholds */
  extendSec: number;
  /** the speech level is the loud percentile over this window around each moment (s) */
  levelWindowSec: number;
  /** cross-channel leak is estimated per window of this length (s) */
  leakWindowSec: number;
  /** a leak path at least this strong (dB) is taken out of its channel before that channel's own leak back is estimated */
  strongEchoDb: number;
  /** the predicted leak of such a strong path decays at most this fast (dB/s): a room's reverberation tail */
  echoTailDecayDbPerSec: number;
  /** a leak path found only through the reverberant envelope counts when at least this strong (dB) */
  roomEchoMinDb: number;
  /** rooms a leak path may pass through: their decay rates (dB/s), tried for each path (leak.ts); none when empty */
  roomDecaysDbPerSec: number[];
  /** decay tail: a rise of at least this much (dB) after a span's last peak is a new onset */
  tailRiseDb: number;
  /** decay tail: the span's sound counts as its last syllable until it falls this far (dB) below the last peak */
  tailDropDb: number;
  /** decay tail: ... and this long (s) after that */
  tailKeepSec: number;
  /** decay tail: on a side whose leak from the other side shows no room, only tails at least this long (s) */
  tailDryMinSec: number;
}

export const DEFAULT_VAD: VadParams = {
  startBelowLevelDb: 11,
  startBelowLevelMaxDb: 20,
  startAboveFloorDb: 9,
  continueBelowLevelDb: 26,
  continueAboveFloorDb: 5,
  aboveLeakDb: 6,
  bridgeGapSec: 0.25,
  minSpeechSec: 0.12,
  holdMinSec: 8,
  maxStartFlatness: 0.5,
  extendSec: 0.3,
  levelWindowSec: 60,
  leakWindowSec: 120,
  strongEchoDb: -15,
  echoTailDecayDbPerSec: 120,
  roomEchoMinDb: -18,
  roomDecaysDbPerSec: [240, 120, 60, 30],
  tailRiseDb: 6,
  tailDropDb: 10,
  tailKeepSec: 0.15,
  tailDryMinSec: 0.3,
};

export interface ChannelVad {
  speech: TimeSpan[];
  /** keypad (DTMF) bursts: taken out of speech */
  tones: TimeSpan[];
  /** the decaying ends of speech spans after their last syllable (a room ringing on): within speech, left out when judging talk-over */
  tails: TimeSpan[];
  /** estimated levels, for diagnostics and the report */
  speechLevelDb: number;
  noiseFloorDb: number;
}

export interface VadResult {
  /** both channels carry the same signal (a mono call saved as stereo): analysed as one channel */
  dualMono: boolean;
  channels: ChannelVad[];
  /** non-speech hold sound on channel `holdChannel` */
  hold: TimeSpan[];
  /** leak of channel i into channel 1-i (stereo only) */
  leaks: LeakEstimate[];
}

function percentileOf(values: Float32Array | Float64Array, q: number): number {
  return values.length === 0 ? -120 : quantileOfSorted(values, q);
}

/**
 * Local noise floor per frame: 10th percentile per 1 s block, min over +-2 s, then smoothed. Frames outside
 * `live` (digital silence of a DTX line) are left out: the floor is that of the line while it sends, and a
 * stretch with no live frame takes the floor of the nearest one that has them.
 */
export function noiseFloor(energyDb: Float32Array | Float64Array, frameSec: number, live?: Uint8Array): Float64Array {
  const n = energyDb.length;
  const block = Math.max(1, Math.round(1 / frameSec));
  const nb = Math.ceil(n / block);
  const blockFloor = new Float64Array(nb);
  for (let b = 0; b < nb; b++) {
    const from = b * block;
    const to = Math.min(n, (b + 1) * block);
    if (!live) {
      blockFloor[b] = percentileOf(energyDb.subarray(from, to), 0.1);
      continue;
    }
    const xs: number[] = [];
    for (let t = from; t < to; t++) if (live[t]) xs.push(energyDb[t]);
    blockFloor[b] = xs.length >= 5 ? percentileOf(Float64Array.from(xs), 0.1) : NaN;
  }
  if (live) fillGaps(blockFloor);
  const span = 2;
  const local = new Float64Array(nb);
  for (let b = 0; b < nb; b++) {
    let m = Infinity;
    for (let j = Math.max(0, b - span); j <= Math.min(nb - 1, b + span); j++) m = Math.min(m, blockFloor[j]);
    local[b] = m;
  }
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    // linear interpolation between block centres
    const x = t / block - 0.5;
    const b0 = Math.max(0, Math.min(nb - 1, Math.floor(x)));
    const b1 = Math.min(nb - 1, b0 + 1);
    const f = Math.max(0, Math.min(1, x - b0));
    out[t] = local[b0] * (1 - f) + local[b1] * f;
  }
  return out;
}

/** NaN entries take the nearest finite value (both ways); all NaN becomes -120. */
function fillGaps(x: Float64Array): void {
  let last = NaN;
  for (let i = 0; i < x.length; i++) (Number.isNaN(x[i]) ? (x[i] = last) : (last = x[i]));
  last = NaN;
  for (let i = x.length - 1; i >= 0; i--) (Number.isNaN(x[i]) ? (x[i] = last) : (last = x[i]));
  for (let i = 0; i < x.length; i++) if (Number.isNaN(x[i])) x[i] = -120;
}

/**
 * Frames at or below this total level carry no signal at all: the digital silence a line with discontinuous
 * transmission (DTX) records between utterances. Real line noise, even on a quiet digital line, sits far above.
 */
export const DIGITAL_SILENCE_DB = -95;

/**
 * A codec may turn digital silence into a faint, steady noise of its own: GSM 06.10 decodes zeros to about
 * -89 dB on this scale, while real line noise sits some 30 dB higher. Where a channel's quietest frames
 * (its 1st percentile) lie below `CODED_SILENCE_BELOW_DB`, frames within `CODED_SILENCE_SPREAD_DB` of them are that
 * silence too (never above `CODED_SILENCE_BELOW_DB` + 3).
 */
const CODED_SILENCE_BELOW_DB = -85;
const CODED_SILENCE_SPREAD_DB = 6;

/** The level at or below which this channel's frames are digital silence (pure). */
export function digitalSilenceDb(energyDb: ArrayLike<number>): number {
  const n = energyDb.length;
  if (n === 0) return DIGITAL_SILENCE_DB;
  // (over the frames above true digital silence: a recording that starts with real zeros may still code the
  // rest of its silence as faint noise)
  const xs: number[] = [];
  for (let i = 0; i < n; i += 5) if (energyDb[i] > DIGITAL_SILENCE_DB) xs.push(energyDb[i]);
  if (xs.length === 0) return DIGITAL_SILENCE_DB;
  const low = percentileOf(Float64Array.from(xs), 0.01);
  if (!(low < CODED_SILENCE_BELOW_DB)) return DIGITAL_SILENCE_DB;
  return Math.min(low + CODED_SILENCE_SPREAD_DB, CODED_SILENCE_BELOW_DB + 3);
}

/** an island whose sounding frames are at least this share next to key presses is what is left of a burst */
const DTMF_ISLAND_SHARE = 0.5;

const HIST_MIN_DB = -120;
const HIST_BIN_DB = 0.5;
const HIST_BINS = 240;

/**
 * A percentile of frame energies (dB) over a sliding window, per frame, via per-block histograms in 0.5 dB
 * bins: linear in the number of frames whatever the window, so an hour-long call costs next to nothing.
 * Windows shorter than the call are centred; the whole call is used when it is shorter than the window.
 */
export function slidingPercentileDb(
  db: Float64Array | Float32Array,
  frameSec: number,
  windowSec: number,
  q: number,
  mask?: Uint8Array,
  minCount = 1,
): Float64Array {
  const n = db.length;
  const block = Math.max(1, Math.round(5 / frameSec)); // 5 s blocks
  const nb = Math.max(1, Math.ceil(n / block));
  const hist = new Uint32Array(nb * HIST_BINS);
  for (let t = 0; t < n; t++) {
    if (mask && !mask[t]) continue;
    const bin = Math.min(HIST_BINS - 1, Math.max(0, Math.floor((db[t] - HIST_MIN_DB) / HIST_BIN_DB)));
    hist[Math.floor(t / block) * HIST_BINS + bin]++;
  }
  const half = Math.max(1, Math.round(windowSec / 2 / (block * frameSec)));
  const win = new Float64Array(HIST_BINS);
  let count = 0;
  const blockLevel = new Float64Array(nb);
  let lo = 0;
  let hi = -1;
  const add = (b: number, sign: number) => {
    for (let k = 0; k < HIST_BINS; k++) {
      const c = hist[b * HIST_BINS + k];
      win[k] += sign * c;
      count += sign * c;
    }
  };
  for (let b = 0; b < nb; b++) {
    const from = Math.max(0, b - half);
    const to = Math.min(nb - 1, b + half);
    while (hi < to) add(++hi, 1);
    while (lo < from) add(lo++, -1);
    if (count < minCount) {
      blockLevel[b] = NaN;
      continue;
    }
    const target = q * count;
    let acc = 0;
    let k = 0;
    for (; k < HIST_BINS; k++) {
      acc += win[k];
      if (acc >= target) break;
    }
    blockLevel[b] = HIST_MIN_DB + (k + 0.5) * HIST_BIN_DB;
  }
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = blockLevel[Math.floor(t / block)];
  return out;
}

/** Runs of active frames as time spans. */
export function framesToSpans(active: Uint8Array, frameSec: number): TimeSpan[] {
  const spans: TimeSpan[] = [];
  let start = -1;
  for (let t = 0; t <= active.length; t++) {
    const on = t < active.length && active[t] === 1;
    if (on && start < 0) start = t;
    if (!on && start >= 0) {
      spans.push({ start: start * frameSec, end: t * frameSec });
      start = -1;
    }
  }
  return spans;
}

/** Hysteresis decision on one channel's own energy. */
function decide(
  ownDb: Float64Array,
  ch: ChannelFeatures,
  leakDb: Float64Array | null,
  frameSec: number,
  p: VadParams,
  room: boolean,
): ChannelVad {
  const { energyDb: totalDb, flatness } = ch;
  const n = ownDb.length;
  // Digital silence (a DTX line between utterances) is no part of the line's noise: the floor, the noise's
  // spectral shape and the background are measured on the frames that carry signal. Otherwise the noise
  // that returns with each utterance would stand 60+ dB above a "floor" of zeros and pass for speech.
  const live = new Uint8Array(n);
  let nLive = 0;
  const silenceDb = digitalSilenceDb(totalDb);
  for (let t = 0; t < n; t++) if (totalDb[t] > silenceDb) (live[t] = 1), nLive++;
  const dtx = nLive < 0.97 * n && nLive > 0;
  const floor = noiseFloor(ownDb, frameSec, dtx ? live : undefined);
  const liveDb = dtx ? Float64Array.from(ownDb.filter((_, t) => live[t] === 1)) : ownDb;
  const globalFloor = percentileOf(liveDb, 0.1);
  // Spectral shape of this channel's noise: speech (harmonics, formants) is far less flat than the noise
  // it sits in, so a frame may only start speech if it is clearly less flat than the channel's noise.
  const quiet: number[] = [];
  for (let t = 0; t < n; t++) if (ownDb[t] <= floor[t] + 3 && (!dtx || live[t])) quiet.push(flatness[t]);
  const noiseFlatness = quiet.length > 20 ? percentileOf(Float64Array.from(quiet), 0.5) : 1;
  const startFlatness = Math.max(p.maxStartFlatness * noiseFlatness, 0.02);
  // The channel's speech level: its loud percentile, over the whole call (reported) and locally over a few
  // minutes (used), since levels drift over a long call (transfers, a new line, AGC). Digital silence or a
  // channel with no activity gives a level near the floor, and the start threshold then stays at
  // floor + startAboveFloorDb.
  // (on a DTX line: the same number of loudest frames as 5 % of the whole call would be)
  const level = percentileOf(liveDb, dtx ? Math.max(0.5, 1 - (0.05 * n) / nLive) : 0.95);
  // Local level from speech-like frames only (well above the local floor, less flat than the noise): a
  // window where this side does not speak (a long hold, the other side's monologue) keeps the call's level
  // instead of sinking to its own noise or leak.
  const candidate = new Uint8Array(n);
  for (let t = 0; t < n; t++) candidate[t] = ownDb[t] >= floor[t] + 12 && flatness[t] <= 0.5 * noiseFlatness ? 1 : 0;
  const minSpeechFrames = Math.round(3 / frameSec);
  const localLevel = slidingPercentileDb(ownDb, frameSec, p.levelWindowSec, 0.9, candidate, minSpeechFrames);
  for (let t = 0; t < n; t++) if (Number.isNaN(localLevel[t])) localLevel[t] = level;
  // The background a start must stand out from: the 30th percentile over ~15 s. Pauses between words pull
  // it down to the line's floor on a clean line; continuous babble or noise keeps it up.
  const background = dtx
    ? slidingPercentileDb(ownDb, frameSec, 10, 0.3, live, 10).map((x, t) => (Number.isNaN(x) ? floor[t] : x))
    : slidingPercentileDb(ownDb, frameSec, 10, 0.3);
  // Core frames: loud enough to start speech, speech-shaped, and clear of the other side's leak.
  const core = new Uint8Array(n);
  const ok = new Uint8Array(n);
  const clear = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    const e = ownDb[t];
    const leakMargin = leakDb === null ? Infinity : totalDb[t] - leakDb[t];
    const lv = localLevel[t];
    // How far below the speech level a frame may start speech depends on how busy the background is: on a
    // clean line (floor far below the level) quiet utterances may start 20 dB down; with babble or noise
    // close to the level, only frames within `startBelowLevelDb` of it may.
    const below = Math.min(p.startBelowLevelMaxDb, Math.max(p.startBelowLevelDb, lv - background[t] - 20));
    const startThr = Math.max(floor[t] + p.startAboveFloorDb, lv - below, -70);
    const contThr = Math.max(floor[t] + p.continueAboveFloorDb, lv - p.continueBelowLevelDb, -75);
    const f = (flatness[t] + (flatness[t - 1] ?? flatness[t]) + (flatness[t + 1] ?? flatness[t])) / 3;
    core[t] = e >= startThr && leakMargin >= p.aboveLeakDb && f <= startFlatness ? 1 : 0;
    ok[t] = e >= contThr && leakMargin >= p.aboveLeakDb - 3 ? 1 : 0;
    clear[t] = leakMargin >= p.aboveLeakDb ? 1 : 0;
  }
  // Hysteresis with a bounded reach: from each core frame, speech extends over weaker frames (onsets, word
  // endings) for at most `extendSec` each way. Unbounded hysteresis would run on through babble or pumped
  // noise that sits between the two thresholds.
  // Key presses are taken out frame by frame (with the onset and decay frames around each) before the
  // hysteresis, so they neither start speech nor carry it on, and words said right after typing stay
  // speech; what is left of a burst (a stray edge frame) is dropped below.
  const keypad = dilate(ch.dtmfShare, DTMF_FRAME_SHARE, 2);
  for (let t = 0; t < n; t++) if (keypad[t]) core[t] = ok[t] = 0;
  const reach = Math.max(1, Math.round(p.extendSec / frameSec));
  const active = new Uint8Array(n);
  let lastCore = -Infinity;
  for (let t = 0; t < n; t++) {
    if (core[t]) lastCore = t;
    if (core[t] || (ok[t] && t - lastCore <= reach && active[t - 1])) active[t] = 1;
  }
  let nextCore = Infinity;
  for (let t = n - 1; t >= 0; t--) {
    if (core[t]) nextCore = t;
    else if (!active[t] && ok[t] && nextCore - t <= reach && (t + 1 < n && active[t + 1])) active[t] = 1;
  }
  const nearKeypad = dilate(ch.dtmfShare, DTMF_FRAME_SHARE, 6);
  let spans = framesToSpans(active, frameSec);
  spans = mergeSpans(spans, p.bridgeGapSec).filter((s) => s.end - s.start >= p.minSpeechSec && !mostlyKeypad(s, nearKeypad, ok, frameSec));
  // the bursts themselves (key presses 40 ms or longer, pauses between keys bridged) for the timeline
  const pressed = dilate(ch.dtmfShare, DTMF_FRAME_SHARE, 0);
  const tones = mergeSpans(framesToSpans(pressed, frameSec), 0.3);
  // a side heard through a room (the other side's leak into it rings on) rings on after its own words too
  const tails = decayTails(ownDb, clear, core, spans, frameSec, p, room ? 0 : p.tailDryMinSec);
  return { speech: spans, tones, tails, speechLevelDb: level, noiseFloorDb: globalFloor };
}

/**
 * The decaying end of each speech span, which on a speakerphone is the customer's room ringing on after the last
 * syllable (0.2-0.65 s on the generated rooms): speech to the ear and kept as speech, but no speech to talk over
 * or to lengthen a backchannel with. Going back from the span's end over the frames this side's own sound decides
 * (not those the other side's leak does), the last peak is the loudest start-worthy frame of the final stretch that
 * never rises `tailRiseDb` above what follows it (a new syllable would); the tail runs from where the sound has
 * fallen `tailDropDb` below that peak, plus `tailKeepSec`, to the span's end. Only tails at least `minSec` long are
 * kept: on a side with no sign of a room, `tailDryMinSec`, longer than the fade of a dry voice's last syllable
 * (up to ~0.26 s past that point on the generated dry calls), since trimming those costs real talk-over.
 */
function decayTails(ownDb: Float64Array, clear: Uint8Array, core: Uint8Array, spans: TimeSpan[], frameSec: number, p: VadParams, minSec: number): TimeSpan[] {
  const n = ownDb.length;
  const keep = Math.round(p.tailKeepSec / frameSec);
  const tails: TimeSpan[] = [];
  for (const span of spans) {
    const a = Math.max(0, Math.round(span.start / frameSec));
    const b = Math.min(n, Math.round(span.end / frameSec));
    let peak = -Infinity;
    let at = -1;
    let after = -Infinity;
    let low = 0;
    for (let t = b - 1; t >= a; t--) {
      if (!clear[t]) continue;
      const x = ownDb[t];
      if (x < after - p.tailRiseDb) {
        if (++low >= 2) break;
        continue;
      }
      low = 0;
      after = Math.max(after, x);
      if (core[t] && x > peak) (peak = x), (at = t);
    }
    if (at < 0) continue;
    let q = at;
    while (q < b && (!clear[q] || ownDb[q] >= peak - p.tailDropDb)) q++;
    const cut = q + keep;
    if (cut < b && (b - cut) * frameSec >= minSec) tails.push({ start: cut * frameSec, end: span.end });
  }
  return tails;
}

/**
 * Frames within `radius` frames of a run of at least two frames whose value reaches `threshold` (a key is
 * pressed for 40 ms or more; a lone speech frame that happens to look like a key press is left alone).
 */
function dilate(x: Float32Array, threshold: number, radius: number): Uint8Array {
  const out = new Uint8Array(x.length);
  for (let t = 0; t < x.length; t++) {
    if (x[t] < threshold || !((x[t - 1] ?? 0) >= threshold || (x[t + 1] ?? 0) >= threshold)) continue;
    for (let k = Math.max(0, t - radius); k <= Math.min(x.length - 1, t + radius); k++) out[k] = 1;
  }
  return out;
}

/** What is left of a keypad (DTMF) burst: an island whose sounding frames are mostly next to key presses. */
function mostlyKeypad(s: TimeSpan, nearKeypad: Uint8Array, ok: Uint8Array, frameSec: number): boolean {
  let sounding = 0;
  let tone = 0;
  for (let t = Math.round(s.start / frameSec); t < Math.min(ok.length, Math.round(s.end / frameSec)); t++) {
    if (!ok[t]) continue;
    sounding++;
    if (nearKeypad[t]) tone++;
  }
  return sounding > 0 && tone >= DTMF_ISLAND_SHARE * sounding;
}

function toDb(x: number): number {
  return 10 * Math.log10(x + 1e-12);
}

/**
 * Voice activity for every channel. For stereo, `holdChannel` (the agent's) is also searched for
 * music/tone on hold, which is removed from that channel's speech.
 */
export function detectVoiceActivity(
  features: Features,
  params: Partial<VadParams> = {},
  holdChannel: number | null = 0,
): VadResult {
  const p = { ...DEFAULT_VAD, ...params };
  const { nFrames, frameSec } = features;
  let chans = features.channels;
  const dualMono = chans.length === 2 && isDualMono(features);
  if (dualMono) chans = [chans[0]];
  const leaks: LeakEstimate[] = [];
  const results: ChannelVad[] = [];
  const decays = Float64Array.from(p.roomDecaysDbPerSec, (dbPerSec) => 10 ** (-(dbPerSec * frameSec) / 10));
  // first[c]: how the other side leaks into channel c, estimated from the other channel as recorded; when
  // no path tracks it frame by frame, from its reverberant envelope (a speakerphone's room rings on after
  // each word, so the leaked copy is a smeared one)
  const first =
    chans.length === 2
      ? [0, 1].map((c) => {
          const direct = windowedLeak(chans[1 - c].bands, chans[c].bands, nFrames, frameSec, p.leakWindowSec, decays);
          if (direct.any) return direct;
          const room = reverberantEnvelope(chans[1 - c].bands, frameSec, p.echoTailDecayDbPerSec);
          const viaRoom = windowedLeak(room, chans[c].bands, nFrames, frameSec, p.leakWindowSec);
          // only a strong acoustic path (a speakerphone) is taken this way: a smeared envelope correlates
          // weakly with almost anything, and a weak path found so would eat quiet speech on clean lines
          const strong = viaRoom.any && Math.max(...viaRoom.strongest.paths.map((x) => x.gainDb)) >= p.roomEchoMinDb;
          return strong ? viaRoom : direct;
        })
      : [];
  for (let c = 0; c < chans.length; c++) {
    const own = new Float64Array(nFrames);
    let leakDb: Float64Array | null = null;
    // the other side reaches this one through a room (its leak rings on): this side speaks in that room
    let room = false;
    if (chans.length === 2) {
      const other = chans[1 - c];
      let pred = first[c];
      // A side that carries a strong echo of this one (a speakerphone: the agent's voice back through the
      // customer's room) is loud whenever this side talks; estimated from that channel as recorded, its
      // leak into this side is masked by this side's own speech and is missed. Estimate it from the other
      // side's own sound instead: its channel less the echo of this side.
      const reverse = first[1 - c];
      if (reverse.any && Math.max(...reverse.strongest.paths.map((x) => x.gainDb)) >= p.strongEchoDb) {
        const ownOfOther = other.bands.map((band, b) => band.map((x, t) => Math.max(0, x - reverse.bands[b][t])));
        const again = windowedLeak(ownOfOther, chans[c].bands, nFrames, frameSec, p.leakWindowSec, decays);
        if (again.any) pred = again;
      }
      leaks[1 - c] = pred.strongest;
      room = pred.strongest.paths.some((x) => (x.decay ?? 0) > 0);
      if (pred.any && Math.max(...pred.strongest.paths.map((x) => x.gainDb)) >= p.strongEchoDb) {
        // A strong acoustic path (a speakerphone) comes back through a room: it rings on after the other
        // side stops. The band-power model predicts one delayed copy, so its tail would pass for this side's
        // speech; let the predicted leak decay no faster than a small room does (`echoTailDecayDbPerSec`).
        const r = 10 ** (-(p.echoTailDecayDbPerSec * frameSec) / 10);
        for (const band of pred.bands) for (let t = 1; t < nFrames; t++) band[t] = Math.max(band[t], band[t - 1] * r);
      }
      if (pred.any) {
        leakDb = new Float64Array(nFrames);
        for (let t = 0; t < nFrames; t++) {
          let residual = 0;
          let leak = 0;
          for (let b = 0; b < N_BANDS; b++) {
            const r = chans[c].bands[b][t] - pred.bands[b][t];
            if (r > 0) residual += r;
            leak += pred.bands[b][t];
          }
          own[t] = toDb(residual);
          leakDb[t] = toDb(leak);
        }
      }
    }
    if (leakDb === null) own.set(chans[c].energyDb);
    results.push(decide(own, chans[c], leakDb, frameSec, p, room));
  }
  let hold: TimeSpan[] = [];
  if (dualMono) holdChannel = 0;
  if (holdChannel !== null && holdChannel < chans.length) {
    const otherSpeech = chans.length === 2 ? results[1 - holdChannel].speech : [];
    hold = detectHoldSound(features, holdChannel, otherSpeech, results[holdChannel].noiseFloorDb, p.holdMinSec, undefined, results[holdChannel].speech, results[holdChannel].speechLevelDb);
    if (hold.length) {
      const r = results[holdChannel];
      r.speech = subtractSpans(r.speech, hold).filter((s) => s.end - s.start >= p.minSpeechSec);
      if (r.tails.length) r.tails = intersectSpans(r.tails, r.speech);
    }
  }
  return { channels: results, hold, leaks, dualMono };
}

/**
 * Leak of `src` into `dst`, estimated per window of `windowSec` (the line can change during a long call:
 * transfers, a conference leg, a different handset), each window's estimate taken from the window plus
 * half a window of context either side.
 */
function windowedLeak(
  src: Float32Array[],
  dst: Float32Array[],
  nFrames: number,
  frameSec: number,
  windowSec: number,
  decays: Float64Array = NO_ROOM_DECAYS,
): { bands: Float32Array[]; any: boolean; strongest: LeakEstimate } {
  const win = Math.max(1, Math.round(windowSec / frameSec));
  const ctx = Math.round(win / 2);
  const out = Array.from({ length: N_BANDS }, () => new Float32Array(nFrames));
  let any = false;
  let strongest: LeakEstimate = { paths: [] };
  const strength = (e: LeakEstimate) => Math.max(-Infinity, ...e.paths.map((x) => x.gainDb));
  const nWin = nFrames <= win * 1.5 ? 1 : Math.ceil(nFrames / win);
  for (let w = 0; w < nWin; w++) {
    const a = nWin === 1 ? 0 : w * win;
    const z = nWin === 1 ? nFrames : Math.min(nFrames, (w + 1) * win);
    const ea = Math.max(0, a - ctx);
    const ez = Math.min(nFrames, z + ctx);
    const est = estimateLeak(src.map((b) => b.subarray(ea, ez)), dst.map((b) => b.subarray(ea, ez)), decays);
    if (est.paths.length === 0) continue;
    any = true;
    if (strength(est) > strength(strongest)) strongest = est;
    const pred = predictLeak(src.map((b) => b.subarray(ea, ez)), est, ez - ea);
    for (let b = 0; b < N_BANDS; b++) out[b].set(pred[b].subarray(a - ea, z - ea), a);
  }
  return { bands: out, any, strongest };
}

/** Band powers that fall no faster than `decayDbPerSec` (a room's reverberation after each sound). */
function reverberantEnvelope(bands: Float32Array[], frameSec: number, decayDbPerSec: number): Float32Array[] {
  const r = 10 ** (-(decayDbPerSec * frameSec) / 10);
  return bands.map((band) => {
    const out = new Float32Array(band.length);
    for (let t = 0; t < band.length; t++) out[t] = Math.max(band[t], t > 0 ? out[t - 1] * r : 0);
    return out;
  });
}

/** Both channels the same signal: per-frame band powers within ~1 dB nearly everywhere sound is. */
export function isDualMono(features: Features): boolean {
  const [a, b] = features.channels;
  let loud = 0;
  let same = 0;
  for (let t = 0; t < features.nFrames; t++) {
    if (a.energyDb[t] < -60 && b.energyDb[t] < -60) continue;
    loud++;
    if (Math.abs(a.energyDb[t] - b.energyDb[t]) < 1) same++;
  }
  return loud > 0 && same / loud > 0.95;
}
