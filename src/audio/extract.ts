import { createWriteStream, type WriteStream } from 'node:fs';
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
  opts: {
    progress?: (fraction: number) => void;
    signal?: AbortSignal;
    /**
     * Also write each decoded channel here, as 16 kHz mono s16le (one file per channel, in order): what
     * whisper reads, so the transcribe stage need not decode the recording again.
     */
    channelFiles?: readonly string[];
  } = {},
): Promise<Features> {
  const channels: 1 | 2 = info.channels >= 2 ? 2 : 1;
  const { stdout, done } = decodePcm(path, displayName, { sampleRate: ANALYSIS_RATE_HZ, channels, signal: opts.signal });
  const sink = opts.channelFiles ? new ChannelFiles(opts.channelFiles.slice(0, channels), channels) : null;
  const fx = new FeatureExtractor(ANALYSIS_RATE_HZ, channels);
  const bytesPerSec = ANALYSIS_RATE_HZ * 2 * channels;
  let bytes = 0;
  let lastReport = 0;
  // Consume the stream and wait for ffmpeg's exit together, so a decode error is never lost.
  const consume = (async () => {
    for await (const chunk of stdout) {
      fx.push(chunk as Buffer);
      if (sink) await sink.write(chunk as Buffer);
      bytes += (chunk as Buffer).length;
      if (opts.progress && info.durationSec > 0 && bytes - lastReport > bytesPerSec * 30) {
        lastReport = bytes;
        opts.progress(Math.min(1, bytes / bytesPerSec / info.durationSec));
      }
    }
  })();
  try {
    await Promise.all([consume, done]);
  } finally {
    await sink?.close();
  }
  const features = fx.finish();
  if (features.nFrames === 0) throw new InputError(displayName, 'no audio samples could be decoded (empty or truncated file)');
  opts.progress?.(1);
  return features;
}

/**
 * Splits interleaved s16le frames into one file per channel, with back-pressure. A frame can straddle two
 * chunks: the remainder is carried over.
 */
class ChannelFiles {
  private readonly streams: WriteStream[];
  private carry = Buffer.alloc(0);

  constructor(
    files: readonly string[],
    private readonly channels: 1 | 2,
  ) {
    if (files.length !== channels) throw new Error(`channelFiles: ${files.length} file(s) for ${channels} channel(s)`);
    this.streams = files.map((f) => createWriteStream(f));
  }

  async write(chunk: Buffer): Promise<void> {
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const frameBytes = 2 * this.channels;
    const usable = data.length - (data.length % frameBytes);
    this.carry = Buffer.from(data.subarray(usable));
    if (usable === 0) return;
    if (this.channels === 1) return this.put(0, data.subarray(0, usable));
    const frames = usable / frameBytes;
    const left = Buffer.allocUnsafe(frames * 2);
    const right = Buffer.allocUnsafe(frames * 2);
    for (let i = 0, o = 0; o < left.length; i += 4, o += 2) {
      left[o] = data[i];
      left[o + 1] = data[i + 1];
      right[o] = data[i + 2];
      right[o + 1] = data[i + 3];
    }
    await Promise.all([this.put(0, left), this.put(1, right)]);
  }

  private put(i: number, buf: Buffer): Promise<void> {
    const s = this.streams[i];
    return s.write(buf) ? Promise.resolve() : new Promise((r) => s.once('drain', () => r()));
  }

  close(): Promise<void> {
    return Promise.all(
      this.streams.map((s) => new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())))),
    ).then(() => undefined);
  }
}
