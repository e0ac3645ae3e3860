import { describe, expect, it } from 'vitest';
import { DIGITAL_SILENCE_DB, digitalSilenceDb } from './vad.js';

/** frame energies: `silent` frames at `silenceDb` (±0.5 dB), the rest line noise and speech between -50 and -10 dB */
function channel(n: number, silentShare: number, silenceDb: number): Float64Array {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  return Float64Array.from({ length: n }, (_, i) => (i % 100 < silentShare * 100 ? silenceDb - 0.5 + rand() : -50 + 40 * rand()));
}

describe('digitalSilenceDb', () => {
  it('true digital silence (zeros) and a line with no silence keep the fixed threshold', () => {
    expect(digitalSilenceDb(channel(5000, 0.4, -120))).toBe(DIGITAL_SILENCE_DB);
    expect(digitalSilenceDb(channel(5000, 0, -120))).toBe(DIGITAL_SILENCE_DB);
    expect(digitalSilenceDb(new Float64Array(0))).toBe(DIGITAL_SILENCE_DB);
  });
  it("a codec's faint noise in place of silence (GSM: about -89 dB) is silence, real line noise above it is not", () => {
    const t = digitalSilenceDb(channel(5000, 0.4, -88.6));
    expect(t).toBeGreaterThan(-89);
    expect(t).toBeLessThan(-80);
    // a quiet but real line (noise at -70 dB) is not taken for silence
    expect(digitalSilenceDb(channel(5000, 0.4, -70))).toBe(DIGITAL_SILENCE_DB);
  });
});

describe('digitalSilenceDb with real zeros too', () => {
  it('a GSM line that starts with true zeros still has its coded silence read as silence', () => {
    const e = channel(5000, 0.4, -88.6);
    for (let i = 0; i < 150; i++) e[i] = -120;
    const t = digitalSilenceDb(e);
    expect(t).toBeGreaterThan(-89);
    expect(t).toBeLessThan(-80);
  });
});
