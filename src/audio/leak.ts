import { N_BANDS } from './features.js';
import { quantileOfSorted } from '../core/select.js';

/**
 * Cross-channel leakage (crosstalk, line echo) between the two sides of a stereo call, in the band-power
 * domain. A copy of side A reaches side B attenuated by g_b (per band) and delayed by d frames:
 *
 *   B_b(t) = own_b(t) + g_b * A_b(t - d)
 *
 * The coupling at a lag is estimated from frames where A is loud: when B is not speaking itself (most of
 * the time, since people take turns) the ratio B/A at the true lag is the coupling; where B speaks the ratio
 * is higher. A low percentile of the ratio is therefore a robust coupling estimate, and the lag with the
 * highest such estimate is the leak path (misaligned lags see A's syllable dips and score lower).
 * Two paths are kept (direct crosstalk near 0 ms and a delayed echo), which covers the usual hybrid echo.
 */

export interface LeakPath {
  delayFrames: number;
  /** per-band linear power coupling */
  gain: Float64Array;
  /** overall coupling in dB (median over bands) */
  gainDb: number;
  /**
   * a room on the path (a speakerphone): each frame of the source also rings on, its power falling by this factor per
   * frame, and the leaked copy is `gain` times the sum
   */
  decay?: number;
  /**
   * with a room: the per-band coupling of the direct sound (the loudspeaker heard straight, before the room rings
   * on), fitted jointly with `gain` (which then scales only the room's part) and at least `gain`
   */
  directGain?: Float64Array;
}

export interface LeakEstimate {
  paths: LeakPath[];
}

const MAX_LAG_FRAMES = 20; // 400 ms at 20 ms hops: covers crosstalk and typical line echo
const RATIO_PERCENTILE = 0.2;
const MIN_LEAK_CORRELATION = 0.35;
/** a path whose frames do not correlate is still a leak when the destination's lower envelope rises this fast with the source */
const MIN_ENVELOPE_SLOPE = 0.33;

function logCorrelation(src: Float64Array, dst: Float64Array, frames: Int32Array, d: number, step: number): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < frames.length; i += step) {
    const t = frames[i];
    if (t + d >= dst.length) break;
    const x = Math.log(src[t] + 1e-15);
    const y = Math.log(dst[t + d] + 1e-15);
    n++;
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  if (n < 20) return 0;
  const cov = sxy / n - (sx / n) * (sy / n);
  const vx = sxx / n - (sx / n) ** 2;
  const vy = syy / n - (sy / n) ** 2;
  return vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : 0;
}

/**
 * How the destination's quiet side follows the source: source frames from 18 dB below to 6 dB above its speech
 * level (95th percentile) in 3 dB bins, the destination's 20th-percentile level (dB) `d` frames later per bin,
 * and the median slope over all pairs of bins (Theil-Sen: one odd bin, such as keypad tones, does not move
 * it). About 1 where the destination carries a copy of the source at its quiet moments, about 0 where it
 * carries only its own sound; talking back raises upper percentiles, not the 20th, unless it fills more than
 * four fifths of the source's speech.
 */
export function lowerEnvelopeSlope(srcTotal: Float64Array, dstTotal: Float64Array, d: number): number {
  const BIN_DB = 3;
  const LOW = -18;
  const HIGH = 6;
  const nBins = (HIGH - LOW) / BIN_DB;
  const level = 10 * Math.log10(percentile(srcTotal, 0.95) + 1e-15);
  const bins: number[][] = Array.from({ length: nBins }, () => []);
  for (let t = 0; t + d < dstTotal.length; t++) {
    const x = 10 * Math.log10(srcTotal[t] + 1e-15) - level;
    if (x < LOW || x >= HIGH) continue;
    bins[Math.floor((x - LOW) / BIN_DB)].push(10 * Math.log10(dstTotal[t + d] + 1e-15));
  }
  const pts: [number, number][] = [];
  bins.forEach((ys, b) => {
    if (ys.length >= 20) pts.push([LOW + (b + 0.5) * BIN_DB, percentile(ys, RATIO_PERCENTILE)]);
  });
  if (pts.length < 4) return 0;
  const slopes: number[] = [];
  for (let i = 0; i < pts.length; i++) for (let j = i + 1; j < pts.length; j++) slopes.push((pts[j][1] - pts[i][1]) / (pts[j][0] - pts[i][0]));
  return percentile(slopes, 0.5);
}

const percentile = quantileOfSorted;

/**
 * Frames of `src` loud enough to measure coupling from: within 6 dB of its speech level (95th percentile),
 * when that level stands at least 12 dB above its quiet frames (10th percentile).
 */
function loudFrames(srcTotal: Float64Array): Int32Array {
  const level = percentile(srcTotal, 0.95);
  const floor = percentile(srcTotal, 0.1);
  const thr = level / 4;
  const idx: number[] = [];
  if (!(level > floor * 16)) return new Int32Array(0); // no clear activity on the source
  for (let t = 0; t < srcTotal.length; t++) if (srcTotal[t] >= thr) idx.push(t);
  return Int32Array.from(idx);
}

export function totalPower(bands: Float32Array[]): Float64Array {
  const n = bands[0]?.length ?? 0;
  const out = new Float64Array(n);
  for (const b of bands) for (let t = 0; t < n; t++) out[t] += b[t];
  return out;
}

/** No room on the path: estimateLeak's default. */
export const NO_ROOM_DECAYS = new Float64Array(0);

/** Estimate how side `src` leaks into side `dst`. `decaysPerFrame`: the room decays to try (a typed array: see scoreAt below). */
export function estimateLeak(src: Float32Array[], dst: Float32Array[], decaysPerFrame: Float64Array = NO_ROOM_DECAYS): LeakEstimate {
  const srcTotal = totalPower(src);
  const dstTotal = totalPower(dst);
  const loud = loudFrames(srcTotal);
  if (loud.length < 50) return { paths: [] };
  // Subsample to bound cost on long calls.
  const step = Math.max(1, Math.floor(loud.length / 20000));
  // Typed arrays here, not arrays of pairs: an array of [score, lag] pairs sent V8 into a loop of
  // deoptimising and recompiling this function, call after call (26 times over 48 calls), which cost more CPU
  // than the function itself.
  const scoreAt = new Float64Array(MAX_LAG_FRAMES + 1);
  const ratios = new Float64Array(Math.ceil(loud.length / step));
  for (let d = 0; d <= MAX_LAG_FRAMES; d++) {
    let n = 0;
    for (let i = 0; i < loud.length; i += step) {
      const t = loud[i] + d;
      if (t >= dstTotal.length) break;
      ratios[n++] = dstTotal[t] / (srcTotal[loud[i]] + 1e-15);
    }
    scoreAt[d] = percentile(ratios.subarray(0, n), RATIO_PERCENTILE);
  }
  // Up to two local maxima, the second at least 3 frames from the first and within 10 dB of it. Lags by
  // score, highest first; equal (or NaN) scores keep the shorter lag first.
  const order = Int32Array.from(scoreAt.keys()).sort((a, b) => scoreAt[b] - scoreAt[a] || a - b);
  const chosen: number[] = [];
  for (const d of order) {
    const s = scoreAt[d];
    if (chosen.length === 2) break;
    if (chosen.some((c) => Math.abs(c - d) < 3)) continue;
    if (chosen.length === 1 && s < scoreAt[chosen[0]] / 10) break;
    const isPeak = (d === 0 || scoreAt[d - 1] <= s) && (d === MAX_LAG_FRAMES || scoreAt[d + 1] <= s);
    if (isPeak) chosen.push(d);
  }
  const paths: LeakPath[] = [];
  for (const d of chosen) {
    // A real leak follows the source: the destination's level tracks the source's level frame by frame.
    // Independent sound on the destination (babble, its own speech) does not.
    // A destination that talks back a lot (a customer on a speakerphone, who interrupts and backchannels while
    // the agent talks) drowns the frame-by-frame correlation; the leak still sets the destination's lower
    // envelope, which then rises dB for dB with the source.
    // A path through a room (a speakerphone) is modelled rung on (`roomDecay`); one so smeared that only its
    // rung-on copy tracks the destination is a path too.
    const slope = lowerEnvelopeSlope(srcTotal, dstTotal, d);
    let decay = decaysPerFrame.length ? roomDecay(srcTotal, dstTotal, d, slope, decaysPerFrame) : 0;
    const tracks = logCorrelation(srcTotal, dstTotal, loud, d, step) >= MIN_LEAK_CORRELATION || slope >= MIN_ENVELOPE_SLOPE;
    if (!tracks && decay === 0) continue;
    const rung = decay > 0 ? src.map((band) => ringing(band, decay)) : null;
    let gain = gains(rung ?? src, dst, loud, d, step);
    let directGain: Float64Array | undefined;
    if (decay > 0 && gainDb(gain) < ROOM_MIN_DB) {
      // too weak for a loudspeaker in a room (the generated speakerphones' echo is -8..-26 dB): no room
      if (!tracks) continue;
      decay = 0;
      gain = gains(src, dst, loud, d, step);
    }
    // Coupling weaker than -45 dB is indistinguishable from noise: ignore the path.
    if (decay > 0 && rung) directGain = directGains(src, rung, gain, dst, loud, d, step);
    if (gainDb(gain) > -45) paths.push({ delayFrames: d, gain, gainDb: gainDb(gain), ...(decay > 0 ? { decay, directGain } : {}) });
  }
  return { paths };
}

/** Per-band coupling of `model` (the source, or the source rung on by a room) into `dst` at lag `d`: a low percentile of the ratio over the source's loud frames. */
function gains(model: readonly (Float32Array | Float64Array)[], dst: Float32Array[], loud: Int32Array, d: number, step: number): Float64Array {
  const gain = new Float64Array(N_BANDS);
  for (let b = 0; b < N_BANDS; b++) {
    const ratios: number[] = [];
    for (let i = 0; i < loud.length; i += step) {
      const t = loud[i] + d;
      if (t >= dst[b].length) break;
      if (model[b][loud[i]] > 0) ratios.push(dst[b][t] / model[b][loud[i]]);
    }
    gain[b] = ratios.length ? percentile(ratios, RATIO_PERCENTILE) : 0;
  }
  return gain;
}

/**
 * The direct part of a path through a room, fitted jointly with the room's part: the leaked copy is
 * g_d * src[t - d] + g_r * (what the room still rings with from before), g_r being `room` (fitted on the whole rung-on
 * source); g_d is the same low percentile of what the destination holds beyond the room's ringing, relative to the
 * source, over the source's loud frames, and at least g_r.
 */
function directGains(src: Float32Array[], rung: Float64Array[], room: Float64Array, dst: Float32Array[], loud: Int32Array, d: number, step: number): Float64Array {
  const gain = new Float64Array(N_BANDS);
  for (let b = 0; b < N_BANDS; b++) {
    const ratios: number[] = [];
    for (let i = 0; i < loud.length; i += step) {
      const k = loud[i];
      const t = k + d;
      if (t >= dst[b].length) break;
      const past = rung[b][k] - src[b][k];
      // onsets: frames whose own sound outweighs what the room still rings with (there the direct part shows)
      if (src[b][k] > 0 && src[b][k] >= past) ratios.push(Math.max(0, dst[b][t] - room[b] * past) / src[b][k]);
    }
    gain[b] = Math.max(room[b], ratios.length ? percentile(ratios, RATIO_PERCENTILE) : 0);
  }
  return gain;
}

/** overall coupling in dB: median over bands */
const gainDb = (gain: Float64Array): number => 10 * Math.log10(percentile(gain, 0.5) + 1e-15);

/** The source's power rung on by a room: out[t] = x[t] + decay * out[t - 1]. */
function ringing(x: Float32Array | Float64Array, decay: number): Float64Array {
  const out = new Float64Array(x.length);
  let acc = 0;
  for (let t = 0; t < x.length; t++) out[t] = acc = x[t] + decay * acc;
  return out;
}

/** a room's rung-on source must set the destination's lower envelope with at least this slope ... */
const MIN_ROOM_ENVELOPE_SLOPE = 0.5;
/** ... and this much more steeply than the source itself does */
const MIN_ROOM_ENVELOPE_GAIN = 0.25;
/** a path through a room at least this strong (dB): a loudspeaker's echo, not a faint line's */
const ROOM_MIN_DB = -30;

/**
 * A room on the path (the agent's voice from a speakerphone, back through the customer's room) fills the source's
 * pauses with its reverberation: the leaked copy is the source's power summed over the past with a decay. The
 * destination's quiet moments then follow that rung-on copy, not the source itself: the decay (power factor per
 * frame, among `decays`) whose rung-on source sets the destination's lower envelope (`lowerEnvelopeSlope`, which a
 * customer talking back a lot does not disturb) with a slope of at least MIN_ROOM_ENVELOPE_SLOPE, and at least
 * MIN_ROOM_ENVELOPE_GAIN more steeply than the source itself (`slope`), is the path's; 0 for no room.
 */
function roomDecay(srcTotal: Float64Array, dstTotal: Float64Array, d: number, slope: number, decays: Float64Array): number {
  let best = -Infinity;
  let decay = 0;
  for (const r of decays) {
    const x = lowerEnvelopeSlope(ringing(srcTotal, r), dstTotal, d);
    if (x > best) (best = x), (decay = r);
  }
  return best >= MIN_ROOM_ENVELOPE_SLOPE && best - slope >= MIN_ROOM_ENVELOPE_GAIN ? decay : 0;
}

/**
 * Predicted leaked power per band and frame on the destination channel. Uses the max of the source over
 * +-1 frame around each path's delay, so small delay jitter does not leave a leaked residue.
 */
export function predictLeak(src: Float32Array[], est: LeakEstimate, nFrames: number): Float32Array[] {
  const out = Array.from({ length: N_BANDS }, () => new Float32Array(nFrames));
  for (const p of est.paths) {
    for (let b = 0; b < N_BANDS; b++) {
      const s = src[b];
      const o = out[b];
      const g = p.gain[b];
      const r = p.decay ?? 0;
      const gd = p.directGain?.[b] ?? g;
      let acc = 0;
      for (let t = 0; t < nFrames; t++) {
        const k = t - p.delayFrames;
        let m = 0;
        for (let j = k - 1; j <= k + 1; j++) if (j >= 0 && j < s.length && s[j] > m) m = s[j];
        acc = m + r * acc;
        // the room's part tolerates a frame of delay jitter (the max around k); the direct part, sharper and
        // stronger, is taken at k itself, so it does not spread onto the frames either side of each onset
        o[t] += g * acc + (gd - g) * (k >= 0 && k < s.length ? s[k] : 0);
      }
    }
  }
  return out;
}
