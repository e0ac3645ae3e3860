import { spawn } from 'node:child_process';
import { InputError, ToolError } from '../core/errors.js';
import { decodePcm, ffmpegErrorReason, safeInput } from './ffmpeg.js';
import { PeakAccumulator, type Peaks, type PeakTarget } from './peaks.js';
import { ffmpegPath } from './tools.js';

/**
 * Media for browsers, which cannot play mu-law, A-law, GSM or AMR in WAV, nor most telephony containers.
 *
 * Two ffmpeg runs, not one: the waveform peaks come from a decode-only pass (about 0.1 s of CPU for 10 minutes of
 * telephone audio), so the player draws at once, while the MP3 encode (seconds of CPU for the same 10 minutes)
 * runs beside it. In one run with two outputs ffmpeg advances both in lockstep and the peaks would wait for the
 * encoder.
 */

/** Sample rate of the PCM reduced to peaks: plenty for a picture of the waveform, cheap to scan. */
const PEAK_PCM_RATE_HZ = 8_000;

export interface SourceFormat {
  /** channels of the source (from the probe); more than two are cut to the first two */
  channels: number;
  sampleRateHz: number;
}

/** MP3 rates every browser decodes (MPEG-1/2, not the 2.5 extension), and a bit rate per channel ample for speech. */
export function mp3Settings(sampleRateHz: number, channels: 1 | 2): { rateHz: number; kbps: number } {
  const rateHz = sampleRateHz <= 16_000 ? 16_000 : sampleRateHz <= 24_000 ? 24_000 : sampleRateHz <= 44_100 ? 44_100 : 48_000;
  const perChannel = rateHz <= 16_000 ? 24 : rateHz <= 24_000 ? 32 : 48;
  return { rateHz, kbps: perChannel * channels };
}

/** Waveform peaks per channel (channels kept apart), in one streaming decode pass. */
export async function decodePeaks(srcPath: string, displayName: string, fmt: SourceFormat, target?: PeakTarget, signal?: AbortSignal): Promise<Peaks> {
  const channels: 1 | 2 = fmt.channels >= 2 ? 2 : 1;
  const { stdout, done } = decodePcm(srcPath, displayName, { sampleRate: PEAK_PCM_RATE_HZ, channels, signal });
  const acc = new PeakAccumulator(PEAK_PCM_RATE_HZ, channels);
  const consume = (async () => {
    for await (const chunk of stdout) acc.push(chunk as Buffer);
  })();
  await Promise.all([consume, done]);
  const peaks = acc.finish(target);
  if (peaks.durationSec === 0) throw new InputError(displayName, 'no audio samples could be decoded (empty or truncated file)');
  return peaks;
}

/**
 * The playable copy: MP3 at a constant bit rate (a browser maps a seek to a byte range), channels kept apart (no
 * joint stereo, so "play one side only" does not leak the other side), LAME's fastest algorithm (speech at these
 * bit rates does not need the slow psychoacoustics, and the first play of a long call waits for this).
 */
export function encodePlayable(
  srcPath: string,
  displayName: string,
  outMp3Path: string,
  fmt: SourceFormat,
  signal?: AbortSignal,
  /** an extra filter after the channel selection (the redacted copy's mute, src/privacy/audio.ts) */
  extraFilter?: string,
): Promise<void> {
  const channels: 1 | 2 = fmt.channels >= 2 ? 2 : 1;
  const pan = (channels === 2 ? 'pan=stereo|c0=c0|c1=c1' : 'pan=mono|c0=c0') + (extraFilter ? `,${extraFilter}` : '');
  const mp3 = mp3Settings(fmt.sampleRateHz, channels);
  const args = [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
    '-i', safeInput(srcPath),
    '-map', '0:a:0', '-vn', '-af', pan, '-ar', String(mp3.rateHz),
    '-c:a', 'libmp3lame', '-b:a', `${mp3.kbps}k`, '-joint_stereo', '0', '-compression_level', '9',
    '-f', 'mp3', `file:${outMp3Path}`,
  ];
  const proc = spawn(ffmpegPath(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderrTail = '';
  proc.stderr.on('data', (d: Buffer) => {
    stderrTail = (stderrTail + d.toString('utf8')).slice(-4000);
  });
  const onAbort = () => proc.kill('SIGKILL');
  signal?.addEventListener('abort', onAbort, { once: true });
  return new Promise<void>((resolveDone, reject) => {
    proc.on('error', (err) => reject(new ToolError('ffmpeg', null, err.message, `cannot run ffmpeg (${ffmpegPath()}): ${err.message}`)));
    proc.on('close', (code, sig) => {
      signal?.removeEventListener('abort', onAbort);
      if (code === 0) return resolveDone();
      if (signal?.aborted) return reject(new Error('aborted'));
      const tail = stderrTail || `exit ${code ?? sig}`;
      if (code !== null && /Invalid data|could not find codec|Error while decoding|End of file|moov atom|No such file|does not contain any stream|matches no streams|Decoder.*not found/i.test(tail)) {
        reject(new InputError(displayName, `cannot decode audio for playback: ${ffmpegErrorReason(tail, srcPath)}`));
      } else {
        reject(new ToolError('ffmpeg', code, tail));
      }
    });
  });
}
