/**
 * Waveform peaks per channel, computed in one streaming pass over interleaved s16le PCM. Pure (no I/O): the
 * media service feeds it the PCM that the playable-copy ffmpeg run also writes to its pipe.
 *
 * Peaks are the maximum absolute sample per bucket, quantised to 0..255 (0 = silence, 255 = full scale), so
 * a 2-hour call is a few tens of kilobytes per channel and the browser draws it without decoding audio.
 */

export interface ChannelPeaks {
  /** max |sample| per bucket, 0..255 of full scale */
  peaks: number[];
}

export interface Peaks {
  durationSec: number;
  /** buckets per second of audio (the last bucket may cover less) */
  peaksPerSec: number;
  channels: ChannelPeaks[];
}

export interface PeakTarget {
  /** at most this many buckets per channel for the whole call (a 2-hour call gets coarser buckets) */
  maxBuckets: number;
  /** never finer than this (a 30 s call does not need 1 ms buckets) */
  maxPeaksPerSec: number;
}

export const DEFAULT_PEAK_TARGET: PeakTarget = { maxBuckets: 24_000, maxPeaksPerSec: 100 };

/**
 * Accumulates at `fineBucketsPerSec` while streaming (duration is not trusted before the decode ends: headers
 * lie), then `finish` merges fine buckets into the coarsest resolution the target allows.
 */
export class PeakAccumulator {
  private readonly samplesPerFineBucket: number;
  private readonly fine: number[][];
  private current: number[];
  private inBucket = 0;
  private totalFrames = 0;
  private carry: Buffer | null = null;

  constructor(
    readonly sampleRateHz: number,
    readonly channelCount: number,
    readonly fineBucketsPerSec = 100,
  ) {
    if (channelCount < 1) throw new Error('PeakAccumulator needs at least one channel');
    this.samplesPerFineBucket = Math.max(1, Math.round(sampleRateHz / fineBucketsPerSec));
    this.fine = Array.from({ length: channelCount }, () => []);
    this.current = new Array<number>(channelCount).fill(0);
  }

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.carry) {
      buf = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    const frameBytes = 2 * this.channelCount;
    const whole = buf.length - (buf.length % frameBytes);
    if (whole < buf.length) this.carry = Buffer.from(buf.subarray(whole));
    // An Int16Array view needs 2-byte alignment; pipe chunks are usually aligned, copy when not. (s16le on a
    // little-endian host, which is every platform Node ships for.)
    const aligned = buf.byteOffset % 2 === 0 ? buf : Buffer.from(buf.subarray(0, whole));
    const samples = new Int16Array(aligned.buffer, aligned.byteOffset, whole / 2);
    const nch = this.channelCount;
    const cur = this.current;
    for (let i = 0; i < samples.length; i += nch) {
      for (let ch = 0; ch < nch; ch++) {
        const v = samples[i + ch];
        const a = v < 0 ? -v : v;
        if (a > cur[ch]) cur[ch] = a;
      }
      this.totalFrames++;
      if (++this.inBucket === this.samplesPerFineBucket) this.flush();
    }
  }

  private flush(): void {
    for (let ch = 0; ch < this.channelCount; ch++) {
      this.fine[ch].push(this.current[ch]);
      this.current[ch] = 0;
    }
    this.inBucket = 0;
  }

  finish(target: PeakTarget = DEFAULT_PEAK_TARGET): Peaks {
    if (this.inBucket > 0) this.flush();
    const durationSec = this.totalFrames / this.sampleRateHz;
    const fineCount = this.fine[0].length;
    const fineRate = this.sampleRateHz / this.samplesPerFineBucket;
    // Merge `group` fine buckets into one so that both limits hold.
    const byCount = Math.ceil(fineCount / Math.max(1, target.maxBuckets));
    const byRate = Math.ceil(fineRate / Math.max(1e-9, target.maxPeaksPerSec));
    const group = Math.max(1, byCount, byRate);
    const channels = this.fine.map((fine) => {
      const peaks: number[] = [];
      for (let i = 0; i < fine.length; i += group) {
        let m = 0;
        const end = Math.min(fine.length, i + group);
        for (let j = i; j < end; j++) if (fine[j] > m) m = fine[j];
        peaks.push(Math.min(255, Math.round((m / 32768) * 255)));
      }
      return { peaks };
    });
    return { durationSec, peaksPerSec: fineRate / group, channels };
  }
}
