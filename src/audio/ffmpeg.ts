import ffmpeg from 'fluent-ffmpeg';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { InputError, NoAudioStreamError, ToolError } from '../core/errors.js';
import type { AudioInfo } from '../core/types.js';
import { ffmpegPath, ffprobePath } from './tools.js';

/**
 * The only module that talks to ffmpeg/ffprobe. fluent-ffmpeg is deprecated (repository archived May 2025),
 * so it stays inside this file (probing); decoding already runs ffmpeg by a direct spawn (see decodePcm).
 *
 * File names never reach a shell: fluent-ffmpeg spawns with an argument array, and we always hand it an
 * absolute path behind the `file:` protocol so that names starting with '-' or containing 'concat:' etc.
 * are read as plain files.
 */

ffmpeg.setFfmpegPath(ffmpegPath());
ffmpeg.setFfprobePath(ffprobePath());

export function safeInput(path: string): string {
  return `file:${resolve(path)}`;
}

const num = z.union([z.number(), z.string()]).transform((v) => Number(v));

const ProbeSchema = z.object({
  format: z
    .object({
      format_name: z.string().optional(),
      duration: num.optional(),
      bit_rate: num.optional(),
    })
    .passthrough(),
  streams: z.array(
    z
      .object({
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        channels: num.optional(),
        sample_rate: num.optional(),
        duration: num.optional(),
        /** attached_pic 1: a cover picture stored as a video stream (an .m4a's artwork), no video of its own */
        disposition: z.object({ attached_pic: num.optional() }).passthrough().optional(),
      })
      .passthrough(),
  ),
});

/** Names ffprobe gives to containers we accept, mapped to a short format name for the report. */
function shortFormat(formatName: string): string {
  const first = formatName.split(',')[0];
  if (formatName.includes('mp4') || formatName.includes('m4a')) return 'm4a';
  return first;
}

export function probe(path: string, displayName = path): Promise<AudioInfo> {
  return new Promise((resolvePromise, reject) => {
    ffmpeg.ffprobe(safeInput(path), (err: unknown, data: unknown) => {
      if (err) {
        const msg = err instanceof Error ? err.message : String(err);
        // ffprobe prints e.g. "Invalid data found when processing input"; keep its last line.
        const reason = msg.split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? 'unreadable';
        reject(new InputError(displayName, `not a readable audio file (${reason.replace(/^.*?file:[^:]*:\s*/, '')})`));
        return;
      }
      const parsed = ProbeSchema.safeParse(data);
      if (!parsed.success) {
        reject(new InputError(displayName, 'ffprobe returned no usable stream information'));
        return;
      }
      const audioStreams = parsed.data.streams.filter((s) => s.codec_type === 'audio').length;
      const audio = parsed.data.streams.find((s) => s.codec_type === 'audio');
      if (!audio) {
        // a video of its own (a screen capture without sound) is not a recording; nothing to hear and nothing to
        // see (a cover picture alone, a subtitle track alone) is a recording that lost its audio: an error
        const video = parsed.data.streams.some((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
        reject(video ? new NoAudioStreamError(displayName) : new InputError(displayName, 'no audio stream'));
        return;
      }
      const channels = audio.channels ?? 0;
      const sampleRate = audio.sample_rate ?? 0;
      const dur = [audio.duration, parsed.data.format.duration].find((d) => d !== undefined && Number.isFinite(d) && d > 0);
      // the container's length is its longest stream's: with another stream beside the first audio one (the other
      // side's stream, a video) and no length of the audio stream's own, it says nothing of how long that stream is
      const ownDuration = audio.duration !== undefined && Number.isFinite(audio.duration) && audio.duration > 0;
      const others = parsed.data.streams.filter((s) => s !== audio && s.disposition?.attached_pic !== 1 && (s.codec_type === 'audio' || s.codec_type === 'video'));
      const lengthOfContainer = !ownDuration && others.length > 0;
      if (!channels || !sampleRate) {
        reject(new InputError(displayName, `audio stream has no channels/sample rate (codec ${audio.codec_name ?? 'unknown'})`));
        return;
      }
      resolvePromise({
        format: shortFormat(parsed.data.format.format_name ?? 'unknown'),
        codec: audio.codec_name ?? 'unknown',
        durationSec: dur ?? 0,
        channels,
        sampleRate,
        bitRate: Number.isFinite(parsed.data.format.bit_rate) ? parsed.data.format.bit_rate : undefined,
        ...(audioStreams > 1 ? { audioStreams } : {}),
        ...(lengthOfContainer ? { lengthOfContainer: true } : {}),
      });
    });
  });
}

export interface DecodeOptions {
  /** output sample rate (Hz) */
  sampleRate: number;
  /** how many channels to output (1 = mono downmix of nothing: only the first channel is taken; 2 = first two) */
  channels: 1 | 2;
  signal?: AbortSignal;
}

export interface PcmStream {
  /** interleaved signed 16-bit little-endian PCM */
  stdout: Readable;
  /** resolves when ffmpeg exits cleanly, rejects with InputError/ToolError otherwise */
  done: Promise<void>;
}

/**
 * Decode the first audio stream to raw interleaved s16le PCM at the given rate, as a stream.
 * Channels are kept apart (never downmixed): channel 0 = left, 1 = right.
 *
 * Spawned directly rather than through fluent-ffmpeg: when its output stream closes, fluent-ffmpeg gives
 * ffmpeg 20 ms to exit before killing it and reporting "Output stream closed", which fires on a loaded
 * machine after a perfectly good decode (fluent-ffmpeg/node-fluent-ffmpeg#1171, unmerged fix #1292).
 */
export function decodePcm(path: string, displayName: string, opts: DecodeOptions): PcmStream {
  const pan = opts.channels === 2 ? 'pan=stereo|c0=c0|c1=c1' : 'pan=mono|c0=c0';
  const args = [
    '-nostdin', '-hide_banner', '-loglevel', 'error',
    '-i', safeInput(path),
    '-vn', '-map', '0:a:0', '-af', pan, '-ar', String(opts.sampleRate),
    '-acodec', 'pcm_s16le', '-f', 's16le', 'pipe:1',
  ];
  const proc = spawn(ffmpegPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderrTail = '';
  proc.stderr.on('data', (d: Buffer) => {
    stderrTail = (stderrTail + d.toString('utf8')).slice(-4000);
  });
  const onAbort = () => proc.kill('SIGKILL');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const done = new Promise<void>((resolveDone, reject) => {
    proc.on('error', (err) => reject(new ToolError('ffmpeg', null, err.message, `cannot run ffmpeg (${ffmpegPath()}): ${err.message}`)));
    proc.on('close', (code, signal) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (code === 0) return resolveDone();
      if (opts.signal?.aborted) return reject(new Error('aborted'));
      const tail = stderrTail || `exit ${code ?? signal}`;
      if (code !== null && /Invalid data|could not find codec|Error while decoding|End of file|moov atom|Invalid argument|No such file|does not contain any stream|matches no streams|Decoder.*not found/i.test(tail)) {
        reject(new InputError(displayName, `cannot decode audio: ${ffmpegErrorReason(tail, path)}`));
      } else {
        reject(new ToolError('ffmpeg', code, tail));
      }
    });
  });
  return { stdout: proc.stdout, done };
}

/** ffmpeg's bookkeeping lines: never the reason a file failed. */
const NOISE_LINE = /^(?:Last message repeated \d+ times?|Conversion failed!?|Exiting normally.*|.*non[ -]?monoton\w* increasing dts.*|.*Error (?:muxing|submitting) a packet.*|.*Error writing trailer.*|.*Task finished with error code.*|.*Terminating thread with return code.*)$/i;
/** The lines that name what is wrong with the input (preferred over whatever ffmpeg printed last). */
const CAUSE_LINE = /Invalid data|could not find codec|Error while decoding|End of file|moov atom|Invalid argument|No such file|does not contain any stream|matches no streams|Decoder.*not found|invalid|corrupt|error/i;

/**
 * One line saying why ffmpeg could not decode a file, from its stderr: the last line that names a cause, without
 * ffmpeg's bookkeeping ("Last message repeated 1 times", "Conversion failed!", the raw-output muxer's complaint
 * about timestamps after a corrupt frame), the "[flac @ 0x…]" context prefix or the input's own path (which
 * the error names already, and which may hold spaces).
 */
export function ffmpegErrorReason(stderr: string, inputPath?: string): string {
  const prefixes = inputPath ? [`${safeInput(inputPath)}: `, `${resolve(inputPath)}: `] : [];
  const lines = stderr
    .split('\n')
    .map((l) => {
      let t = l.trim().replace(/^\[[^\]]*@ ?(?:0x)?[0-9a-f]+\]\s*/i, '');
      for (const p of prefixes) if (t.startsWith(p)) t = t.slice(p.length);
      return t.replace(/file:\S+:\s*/, '');
    })
    .filter((l) => l && !NOISE_LINE.test(l));
  const cause = [...lines].reverse().find((l) => CAUSE_LINE.test(l));
  return cause ?? lines.pop() ?? 'unknown error';
}
