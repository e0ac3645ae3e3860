import FFT from 'fft.js';

/**
 * Frame features per channel, computed incrementally from interleaved 16-bit PCM so that a long call is
 * never held whole in memory: only the features (a few floats per 20 ms frame) are kept.
 *
 * Per frame (hop 20 ms, Hann window 32 ms at 16 kHz):
 * - band powers in six telephone-band bands (150-3800 Hz): the unit the cross-channel leak model works in
 * - energyDb: total telephone-band power in dB relative to full scale
 * - flatness: spectral flatness (0 tonal .. 1 noise-like)
 * - flux: 1 - cosine similarity of this frame's magnitude spectrum with the previous one (0 = steady)
 * - dtmfShare: share of the power at the strongest keypad (DTMF) row tone plus the strongest column tone
 *   (+-2 bins each, both present): ~1 while a key is pressed, far lower for speech, whose power spreads over
 *   many harmonics and formants (the Goertzel-style test every PBX runs, on the spectrum we already have)
 */

/**
 * A keypad (DTMF) frame: at least this share of its power at one row and one column tone (dtmfShare);
 * about 0.3 % of speech frames reach it, nearly every frame of a pressed key does.
 */
export const DTMF_FRAME_SHARE = 0.7;

export const BAND_EDGES_HZ = [150, 400, 800, 1300, 2000, 2800, 3800] as const;
export const N_BANDS = BAND_EDGES_HZ.length - 1;
const DTMF_ROW_HZ = [697, 770, 852, 941] as const;
const DTMF_COLUMN_HZ = [1209, 1336, 1477, 1633] as const;

export interface ChannelFeatures {
  /** band power (linear, mean-square units) per band: bands[b][frame] */
  bands: Float32Array[];
  energyDb: Float32Array;
  flatness: Float32Array;
  flux: Float32Array;
  dtmfShare: Float32Array;
}

export interface Features {
  sampleRate: number;
  frameSec: number;
  nFrames: number;
  channels: ChannelFeatures[];
}

class GrowableF32 {
  buf = new Float32Array(4096);
  length = 0;
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  done(): Float32Array {
    return this.buf.slice(0, this.length);
  }
}

interface ChannelAcc {
  bands: GrowableF32[];
  energyDb: GrowableF32;
  flatness: GrowableF32;
  flux: GrowableF32;
  dtmfShare: GrowableF32;
  ring: Float32Array; // circular buffer of the last `win` samples
  ringPos: number; // next write index
  ringFill: number;
  sinceHop: number;
  prevMag: Float32Array;
  hasPrev: boolean;
}

export class FeatureExtractor {
  readonly hop: number;
  readonly win: number;
  private readonly fft: FFT;
  private readonly window: Float32Array;
  private readonly input: number[];
  private readonly spectrum: number[];
  private readonly binLo: number;
  private readonly binHi: number;
  private readonly bandOfBin: Int8Array;
  private readonly powerScale: number;
  private readonly acc: ChannelAcc[];
  private carry: Buffer | null = null;
  private readonly frame: Float32Array;
  private readonly bandPow = new Float64Array(N_BANDS);
  private readonly binPow: Float64Array;

  constructor(
    readonly sampleRate: number,
    readonly nChannels: number,
    frameSec = 0.02,
  ) {
    this.hop = Math.round(sampleRate * frameSec);
    let win = 1;
    while (win < this.hop * 1.5) win <<= 1; // 512 at 16 kHz
    this.win = win;
    this.fft = new FFT(win);
    this.window = new Float32Array(win);
    let wsum = 0;
    for (let i = 0; i < win; i++) {
      this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (win - 1));
      wsum += this.window[i] ** 2;
    }
    // Parseval: mean square of the windowed frame = 2 * sum(|X_k|^2) / (N * sum w^2) over one side.
    this.powerScale = 2 / (win * wsum);
    this.input = new Array(win).fill(0);
    this.spectrum = this.fft.createComplexArray() as number[];
    const hzPerBin = sampleRate / win;
    this.binLo = Math.ceil(BAND_EDGES_HZ[0] / hzPerBin);
    this.binHi = Math.min(win / 2, Math.floor(BAND_EDGES_HZ[N_BANDS] / hzPerBin));
    this.bandOfBin = new Int8Array(win / 2 + 1).fill(-1);
    for (let k = this.binLo; k <= this.binHi; k++) {
      const hz = k * hzPerBin;
      let b = 0;
      while (b < N_BANDS - 1 && hz >= BAND_EDGES_HZ[b + 1]) b++;
      this.bandOfBin[k] = b;
    }
    this.frame = new Float32Array(win);
    this.binPow = new Float64Array(this.binHi - this.binLo + 1);
    this.acc = Array.from({ length: nChannels }, () => ({
      bands: Array.from({ length: N_BANDS }, () => new GrowableF32()),
      energyDb: new GrowableF32(),
      flatness: new GrowableF32(),
      flux: new GrowableF32(),
      dtmfShare: new GrowableF32(),
      ring: new Float32Array(win),
      ringPos: 0,
      ringFill: 0,
      sinceHop: 0,
      prevMag: new Float32Array(this.binHi - this.binLo + 1),
      hasPrev: false,
    }));
  }

  /** Feed a chunk of interleaved s16le PCM (any length; a split sample is carried over). */
  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.carry) {
      buf = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    const bytesPerFrame = 2 * this.nChannels;
    const usable = buf.length - (buf.length % bytesPerFrame);
    if (usable < buf.length) this.carry = Buffer.from(buf.subarray(usable));
    const n = usable / bytesPerFrame;
    const nc = this.nChannels;
    // Int16Array needs 2-byte alignment; stream chunks usually are, copy when not.
    const aligned = buf.byteOffset % 2 === 0 ? buf : Buffer.from(buf.subarray(0, usable));
    const pcm = new Int16Array(aligned.buffer, aligned.byteOffset, n * nc);
    const win = this.win;
    for (let c = 0; c < nc; c++) {
      const a = this.acc[c];
      const ring = a.ring;
      let pos = a.ringPos;
      let since = a.sinceHop;
      const hop = this.hop;
      for (let i = 0; i < n; i++) {
        ring[pos] = pcm[i * nc + c] / 32768;
        if (++pos === win) pos = 0;
        if (++since === hop) {
          since = 0;
          a.ringPos = pos;
          if (a.ringFill < win) a.ringFill = Math.min(win, a.ringFill + hop);
          this.analyse(a);
        }
      }
      // samples since the last hop count towards the fill on the next analysis
      a.ringPos = pos;
      a.sinceHop = since;
    }
  }

  private analyse(a: ChannelAcc): void {
    const win = this.win;
    // oldest sample first (the ring's write position), zeros while it is still filling; two straight
    // loops instead of a modulo per sample
    const offset = win - a.ringFill;
    const input = this.input;
    const w = this.window;
    const ring = a.ring;
    const head = a.ringPos;
    let i = 0;
    for (; i < offset; i++) input[i] = 0;
    let k = (head + i) % win;
    for (; i < win; i++) {
      input[i] = ring[k] * w[i];
      if (++k === win) k = 0;
    }
    this.fft.realTransform(this.spectrum, this.input);
    const bandPow = this.bandPow;
    bandPow.fill(0);
    let total = 0;
    let logSum = 0;
    let dot = 0;
    let normCur = 0;
    let normPrev = 0;
    const count = this.binHi - this.binLo + 1;
    // Spectral flatness needs the mean log power: one log per 8 bins of a running product (powers are
    // >= 1e-12 and <= ~1e3, so 8 of them never leave double range).
    let prod = 1;
    let inProd = 0;
    for (let k = this.binLo; k <= this.binHi; k++) {
      const re = this.spectrum[2 * k];
      const im = this.spectrum[2 * k + 1];
      const p = re * re + im * im;
      bandPow[this.bandOfBin[k]] += p;
      total += p;
      prod *= p + 1e-12;
      if (++inProd === 8) {
        logSum += Math.log(prod);
        prod = 1;
        inProd = 0;
      }
      const mag = Math.sqrt(p);
      const j = k - this.binLo;
      this.binPow[j] = p;
      dot += mag * a.prevMag[j];
      normCur += p;
      normPrev += a.prevMag[j] * a.prevMag[j];
      a.prevMag[j] = mag;
    }
    if (inProd > 0) logSum += Math.log(prod);
    for (let b = 0; b < N_BANDS; b++) a.bands[b].push(bandPow[b] * this.powerScale);
    const ms = total * this.powerScale;
    a.energyDb.push(10 * Math.log10(ms + 1e-12));
    const arith = total / count;
    a.flatness.push(arith > 0 ? Math.exp(logSum / count) / (arith + 1e-12) : 1);
    a.flux.push(a.hasPrev && normCur > 0 && normPrev > 0 ? 1 - dot / Math.sqrt(normCur * normPrev) : 0);
    a.hasPrev = true;
    a.dtmfShare.push(total > 0 ? this.dtmfPower() / total : 0);
  }

  /** Power of the strongest DTMF row tone plus the strongest column tone; 0 unless each has 8 % of the frame's power. */
  private dtmfPower(): number {
    let total = 0;
    for (let j = 0; j < this.binPow.length; j++) total += this.binPow[j];
    const group = (hz: readonly number[]) => {
      let best = 0;
      for (const f of hz) {
        const k = Math.round(f / (this.sampleRate / this.win)) - this.binLo;
        let sum = 0;
        for (let j = Math.max(0, k - 2); j <= Math.min(this.binPow.length - 1, k + 2); j++) sum += this.binPow[j];
        best = Math.max(best, sum);
      }
      return best;
    };
    const low = group(DTMF_ROW_HZ);
    const high = group(DTMF_COLUMN_HZ);
    return Math.min(low, high) >= 0.08 * total ? low + high : 0;
  }

  finish(): Features {
    const channels = this.acc.map((a) => ({
      bands: a.bands.map((b) => b.done()),
      energyDb: a.energyDb.done(),
      flatness: a.flatness.done(),
      flux: a.flux.done(),
      dtmfShare: a.dtmfShare.done(),
    }));
    return {
      sampleRate: this.sampleRate,
      frameSec: this.hop / this.sampleRate,
      nFrames: channels[0]?.energyDb.length ?? 0,
      channels,
    };
  }
}
