import { mohFiles, prng, type Codec, type HardLine, type HardLineOptions } from './callgen.js';

/**
 * The varied sets' per-call overrides of `hardLineCallSpec` (test/bench/hard-lines-varied.ts): a seed and its
 * place `k` in the set give the codec, the speakerphone's room and echo, and the hold music. Shared with the
 * tests that keep the varied sets' hard cases (test/audio-hard-lines.test.ts).
 */
const CODECS: Codec[] = ['pcm16', 'mulaw', 'alaw', 'gsm-stereo', 'mp3-16k', 'opus', 'aac', 'flac'];

export function variation(line: HardLine, seed: number, k: number): { opts: HardLineOptions; label: string } {
  const r = prng(seed * 31 + 7);
  const u = (a: number, b: number) => a + (b - a) * r();
  const codec = CODECS[(k + seed) % CODECS.length];
  if (line === 'speakerphone') {
    const echo = { echoDb: -u(8, 26), delayMs: u(20, 250) };
    if (k % 3 === 2) {
      const rt60Sec = u(0.25, 1.4);
      return { opts: { codec, rt60Sec, ...echo }, label: `schroeder rt60 ${rt60Sec.toFixed(2)} echo ${echo.echoDb.toFixed(0)} dB` };
    }
    const room = { reverberance: Math.round(u(30, 95)), hfDamping: Math.round(u(10, 90)), roomScale: Math.round(u(20, 100)), preDelayMs: Math.round(u(0, 30)), drrDb: u(-6, 4) };
    return {
      opts: { codec, room, ...echo },
      label: `sox rev ${room.reverberance} room ${room.roomScale} hf ${room.hfDamping} drr ${room.drrDb.toFixed(0)} echo ${echo.echoDb.toFixed(0)} dB`,
    };
  }
  const files = mohFiles();
  const mohFile = files.length ? files[k % files.length] : undefined;
  return { opts: { codec, ...(mohFile ? { mohFile } : {}) }, label: mohFile ? mohFile.replace(/\.wav$/, '') : '' };
}
