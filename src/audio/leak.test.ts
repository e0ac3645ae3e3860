import { describe, expect, it } from 'vitest';
import { N_BANDS } from './features.js';
import { estimateLeak, predictLeak } from './leak.js';

/** a talker's band powers: words of 0.2-0.6 s with pauses, 20 ms frames, a faint noise floor between */
function talker(n: number, seed: number): Float32Array[] {
  let s = seed;
  const r = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const on = new Float32Array(n);
  for (let t = 0; t < n; ) {
    const word = 10 + Math.floor(r() * 20);
    const level = 0.3 + r();
    for (let i = 0; i < word && t < n; i++, t++) on[t] = level * (0.5 + r());
    t += 5 + Math.floor(r() * 40);
  }
  return Array.from({ length: N_BANDS }, () => on.map((x) => x * (0.5 + r()) + 1e-6));
}

describe('estimateLeak: a loudspeaker in a room (direct sound plus the room ringing on)', () => {
  it('fits the direct part and the room part jointly, so the onsets of the leaked copy are not under-predicted', () => {
    const n = 3000;
    const src = talker(n, 7);
    const d = 4;
    const decay = 10 ** (-(60 * 0.02) / 10); // 60 dB/s
    const gDirect = 10 ** (-10 / 10);
    const gRoom = 10 ** (-20 / 10);
    const dst = src.map((band) => {
      const out = new Float32Array(n);
      let past = 0;
      for (let t = d; t < n; t++) {
        out[t] = gDirect * band[t - d] + gRoom * past + 1e-7;
        past = decay * (past + band[t - d]);
      }
      return out;
    });
    const est = estimateLeak(src, dst, Float64Array.of(10 ** (-(240 * 0.02) / 10), 10 ** (-(120 * 0.02) / 10), decay, 10 ** (-(30 * 0.02) / 10)));
    const path = est.paths.find((p) => p.delayFrames === d)!;
    expect(path.decay).toBeGreaterThan(0);
    const db = (x: number) => 10 * Math.log10(x);
    for (let b = 0; b < N_BANDS; b++) expect(Math.abs(db(path.directGain![b]) - -10)).toBeLessThan(3);
    // predicted at the onsets of words: within 3 dB of the true leak, where the room-only model is far under
    const pred = predictLeak(src, est, n);
    const onsets: number[] = [];
    for (let t = d + 1; t < n; t++) if (src[0][t - d] > 0.1 && src[0][t - d - 1] < 0.01) onsets.push(t);
    expect(onsets.length).toBeGreaterThan(20);
    for (const t of onsets) expect(db(pred[0][t] / dst[0][t])).toBeGreaterThan(-3);
  });
});
