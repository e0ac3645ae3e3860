import { spawn } from 'node:child_process';
import { InputError, ToolError } from '../core/errors.js';
import { safeInput } from './ffmpeg.js';
import { PeakAccumulator, type Peaks, type PeakTarget } from './peaks.js';
import { ffmpegPath } from './tools.js';

/**
 * The playable copy of a recording, for browsers: they cannot play mu-law, A-law, GSM or AMR in WAV, nor
 * most telephony containers. One ffmpeg run decodes the source once and writes two outputs:
 *  1. an MP3 file (constant bit rate, so a browser maps a seek to a byte range; channels kept apart, no joint
 *     stereo, so "play one side only" does not leak the other side);
 *  2. 8 kHz s16le PCM of the same channels on its pipe, reduced to waveform peaks as it streams.
 * MP3 rather than Opus: every browser an inspector may use plays MP3, including older Safari.
 */

/** Sample rate of the PCM reduced to peaks: plenty for a picture of the waveform, cheap to scan. */
const PEAK_PCM_RATE_HZ = 8_000;

export interface PlayableOptions {
  /** channels of the source (from the probe); more than two are cut to the first two */
  channels: number;
  sampleRateHz: number;
  peakTarget?: PeakTarget;
  signal?: AbortSignal;
}

/** MP3 rates every browser decodes, and a bit rate per channel that keeps telephone speech transparent. */
export function mp3Settings(sampleRateHz: number, channels: 1 | 2): { rateHz: number; kbps: number } {
  const rateHz = sampleRateHz <= 16_000 ? 16_000 : sampleRateHz <= 24_000 ? 24_000 : sampleRateHz <= 44_100 ? 44_100 : 48_000;
  const perChannel = rateHz <= 16_000 ? 24 : rateHz <= 24_000 ? 32 : 48;
  return { rateHz, kbps: perChannel * channels };
}

export async function makePlayableCopy(
  srcPath: string,
  displayName: string,
  outMp3Path: string,
  opts: PlayableOptions,
): Promise<Peaks> {
  const channels: 1 | 2 = opts.channels >= 2 ? 2 : 1;
  const pan = channels === 2 ? 'pan=stereo|c0=c0|c1=c1' : 'pan=mono|c0=c0';
  const mp3 = mp3Settings(opts.sampleRateHz, channels);
  const args = [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
    '-i', safeInput(srcPath),
    // output 1: the playable copy
    '-map', '0:a:0', '-vn', '-af', pan, '-ar', String(mp3.rateHz),
    '-c:a', 'libmp3lame', '-b:a', `${mp3.kbps}k`, '-joint_stereo', '0', '-f', 'mp3', `file:${outMp3Path}`,
    // output 2: PCM for the peaks
    '-map', '0:a:0', '-vn', '-af', pan, '-ar', String(PEAK_PCM_RATE_HZ), '-c:a', 'pcm_s16le', '-f', 's16le', 'pipe:1',
  ];
  const proc = spawn(ffmpegPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderrTail = '';
  proc.stderr.on('data', (d: Buffer) => {
    stderrTail = (stderrTail + d.toString('utf8')).slice(-4000);
  });
  const onAbort = () => proc.kill('SIGKILL');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const acc = new PeakAccumulator(PEAK_PCM_RATE_HZ, channels);
  const done = new Promise<void>((resolveDone, reject) => {
    proc.on('error', (err) => reject(new ToolError('ffmpeg', null, err.message, `cannot run ffmpeg (${ffmpegPath()}): ${err.message}`)));
    proc.on('close', (code, signal) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (code === 0) return resolveDone();
      if (opts.signal?.aborted) return reject(new Error('aborted'));
      const tail = stderrTail || `exit ${code ?? signal}`;
      if (code !== null && /Invalid data|could not find codec|Error while decoding|End of file|moov atom|No such file|does not contain any stream|matches no streams|Decoder.*not found/i.test(tail)) {
        reject(new InputError(displayName, `cannot decode audio for playback: ${lastLine(tail)}`));
      } else {
        reject(new ToolError('ffmpeg', code, tail));
      }
    });
  });
  const consume = (async () => {
    for await (const chunk of proc.stdout) acc.push(chunk as Buffer);
  })();
  await Promise.all([consume, done]);
  const peaks = acc.finish(opts.peakTarget);
  if (peaks.durationSec === 0) throw new InputError(displayName, 'no audio samples could be decoded (empty or truncated file)');
  return peaks;
}

function lastLine(s: string): string {
  const lines = s.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.pop() ?? 'unknown error').replace(/file:\S+:\s*/, '');
}
