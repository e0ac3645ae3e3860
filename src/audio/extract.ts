import type { AudioInfo } from '../core/types.js';
import { InputError } from '../core/errors.js';
import { decodePcm } from './ffmpeg.js';
import { FeatureExtractor, type Features } from './features.js';

/** Analysis sample rate: every input (8 kHz telephone or wideband) is decoded to 16 kHz per channel. */
export const ANALYSIS_RATE_HZ = 16_000;

/**
 * Decode a recording as a stream and reduce it to frame features. Memory stays proportional to the
 * number of 20 ms frames (a few floats each), never to the number of samples.
 */
export async function extractFeatures(
  path: string,
  displayName: string,
  info: AudioInfo,
  opts: { progress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Promise<Features> {
  const channels: 1 | 2 = info.channels >= 2 ? 2 : 1;
  const { stdout, done } = decodePcm(path, displayName, { sampleRate: ANALYSIS_RATE_HZ, channels, signal: opts.signal });
  const fx = new FeatureExtractor(ANALYSIS_RATE_HZ, channels);
  const bytesPerSec = ANALYSIS_RATE_HZ * 2 * channels;
  let bytes = 0;
  let lastReport = 0;
  // Consume the stream and wait for ffmpeg's exit together, so a decode error is never lost.
  const consume = (async () => {
    for await (const chunk of stdout) {
      fx.push(chunk as Buffer);
      bytes += (chunk as Buffer).length;
      if (opts.progress && info.durationSec > 0 && bytes - lastReport > bytesPerSec * 30) {
        lastReport = bytes;
        opts.progress(Math.min(1, bytes / bytesPerSec / info.durationSec));
      }
    }
  })();
  await Promise.all([consume, done]);
  const features = fx.finish();
  if (features.nFrames === 0) throw new InputError(displayName, 'no audio samples could be decoded (empty or truncated file)');
  opts.progress?.(1);
  return features;
}
