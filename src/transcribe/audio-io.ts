import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ffmpegPath } from '../audio/tools.js';
import type { GatePlan } from './gate.js';
import { runTool } from './process.js';

/**
 * The audio side of transcription: one channel of the recording as 16 kHz mono 16-bit PCM (what whisper
 * wants), and the gated WAV built from it region by region with a small reusable buffer, so a two-hour
 * call is never held in memory.
 */

export const WHISPER_RATE = 16000;
const BYTES_PER_SAMPLE = 2;

/**
 * Extract channel `channel` (0-based; null = downmix everything, for mono) as raw s16le at 16 kHz.
 * The recording path goes to ffmpeg as one argv element after `-i` and nowhere else, absolute and behind
 * the `file:` protocol so names starting with '-' or looking like 'concat:...' are plain files;
 * `outFile` is a name the pipeline generated.
 */
export async function extractChannelPcm(
  recordingPath: string,
  channel: number | null,
  outFile: string,
  signal?: AbortSignal,
): Promise<{ samples: number }> {
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', `file:${resolve(recordingPath)}`, '-map', '0:a:0', '-vn'];
  if (channel !== null) args.push('-af', `pan=mono|c0=c${channel}`);
  args.push('-ac', '1', '-ar', String(WHISPER_RATE), '-c:a', 'pcm_s16le', '-f', 's16le', outFile);
  await runTool('ffmpeg', ffmpegPath(), args, { signal });
  const st = await stat(outFile);
  return { samples: Math.floor(st.size / BYTES_PER_SAMPLE) };
}

export function wavHeader(dataBytes: number, sampleRate = WHISPER_RATE): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * BYTES_PER_SAMPLE, 28);
  h.writeUInt16LE(BYTES_PER_SAMPLE, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/**
 * Write a WAV holding the plan's regions of `pcmFile` in order, with `plan.gapSec` of silence between
 * them. Region boundaries are rounded to whole samples; the plan's dstStart values were computed in
 * seconds, so the WAV is laid out from the plan (not from accumulated sample counts) to keep the time
 * map exact to within a sample.
 */
export async function writeGatedWav(pcmFile: string, plan: GatePlan, outFile: string): Promise<{ durationSec: number }> {
  const totalSamples = Math.round(plan.totalSec * WHISPER_RATE);
  const src = await open(pcmFile, 'r');
  const dst = await open(outFile, 'w');
  try {
    const srcSamples = Math.floor((await src.stat()).size / BYTES_PER_SAMPLE);
    await dst.write(wavHeader(totalSamples * BYTES_PER_SAMPLE), 0, 44, 0);
    const buf = Buffer.alloc(1 << 18); // 256 KiB, ~8 s of audio
    let written = 0; // samples written after the header
    const writeSilence = async (n: number) => {
      buf.fill(0);
      while (n > 0) {
        const k = Math.min(n, buf.length / BYTES_PER_SAMPLE);
        await dst.write(buf, 0, k * BYTES_PER_SAMPLE, 44 + written * BYTES_PER_SAMPLE);
        written += k;
        n -= k;
      }
    };
    for (const r of plan.regions) {
      const dstStart = Math.round(r.dstStart * WHISPER_RATE);
      if (dstStart > written) await writeSilence(dstStart - written);
      let from = Math.round(r.srcStart * WHISPER_RATE);
      const to = Math.min(Math.round(r.srcEnd * WHISPER_RATE), srcSamples);
      while (from < to) {
        const k = Math.min(to - from, buf.length / BYTES_PER_SAMPLE);
        const { bytesRead } = await src.read(buf, 0, k * BYTES_PER_SAMPLE, from * BYTES_PER_SAMPLE);
        if (bytesRead === 0) break;
        await dst.write(buf, 0, bytesRead, 44 + written * BYTES_PER_SAMPLE);
        written += bytesRead / BYTES_PER_SAMPLE;
        from += bytesRead / BYTES_PER_SAMPLE;
      }
      // the source can be a few samples shorter than the probed duration: pad so later regions stay aligned
      const regionEnd = dstStart + Math.round((r.srcEnd - r.srcStart) * WHISPER_RATE);
      if (regionEnd > written) await writeSilence(regionEnd - written);
    }
    if (totalSamples > written) await writeSilence(totalSamples - written);
    return { durationSec: written / WHISPER_RATE };
  } finally {
    await src.close();
    await dst.close();
  }
}
