import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probe } from '../src/audio/ffmpeg.js';
import { ffmpegPath } from '../src/audio/tools.js';
import { wavHeaderInfo } from '../src/audio/wav-header.js';

/**
 * The probe stage reads a plain WAV's header instead of starting ffprobe (src/audio/wav-header.ts). Every
 * field must be what ffprobe says, on WAVs written by sox and by ffmpeg in every layout the fast path takes
 * (integer, float, A-law and mu-law PCM; mono to 6 channels; WAVE_FORMAT_EXTENSIBLE; chunks before and
 * after the audio; a streamed header with placeholder sizes; a file cut short), and the codecs it leaves to
 * ffprobe (GSM, ADPCM) must be left to it.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'callqa-wavhdr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(cmd: string, args: string[], stdoutFile?: string): void {
  const r = spawnSync(cmd, args, { encoding: stdoutFile ? 'buffer' : 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr?.toString()}`);
  if (stdoutFile) writeFileSync(stdoutFile, r.stdout as Buffer);
}
/** 3.37 s of a two-tone signal (odd length: the last frame is not a round number). */
const SOX_SIGNAL = ['synth', '3.37', 'sine', '440', 'sine', '660'];
const sox = (name: string, fmt: string[]) => {
  const f = path.join(dir, name);
  run('sox', ['-n', ...fmt, f, ...SOX_SIGNAL]);
  return f;
};
const ff = (name: string, args: string[]) => {
  const f = path.join(dir, name);
  run(ffmpegPath(), ['-v', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', 'sine=frequency=500:duration=2.71', ...args, f]);
  return f;
};
const headerInfo = (f: string) => wavHeaderInfo(readFileSync(f).subarray(0, 64 * 1024), statSync(f).size);

const cases: [string, () => string][] = [
  ['sox 8 kHz mono 16-bit', () => sox('s16.wav', ['-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer'])],
  ['sox 8 kHz stereo mu-law', () => sox('mulaw.wav', ['-r', '8000', '-c', '2', '-e', 'mu-law'])],
  ['sox 8 kHz stereo A-law', () => sox('alaw.wav', ['-r', '8000', '-c', '2', '-e', 'a-law'])],
  ['sox 11025 Hz mono 8-bit unsigned', () => sox('u8.wav', ['-r', '11025', '-c', '1', '-b', '8', '-e', 'unsigned-integer'])],
  ['sox 16 kHz stereo 24-bit (extensible)', () => sox('s24.wav', ['-r', '16000', '-c', '2', '-b', '24', '-e', 'signed-integer'])],
  ['sox 44.1 kHz stereo 32-bit float', () => sox('f32.wav', ['-r', '44100', '-c', '2', '-b', '32', '-e', 'floating-point'])],
  ['sox 48 kHz 4 channels 16-bit (extensible)', () => sox('quad.wav', ['-r', '48000', '-c', '4', '-b', '16', '-e', 'signed-integer'])],
  ['ffmpeg 8 kHz stereo s16 (LIST chunk before the audio)', () => ff('ff-s16.wav', ['-ac', '2', '-ar', '8000', '-c:a', 'pcm_s16le'])],
  ['ffmpeg 8 kHz mono mu-law', () => ff('ff-mulaw.wav', ['-ar', '8000', '-c:a', 'pcm_mulaw'])],
  ['ffmpeg 22050 Hz mono f64', () => ff('ff-f64.wav', ['-ar', '22050', '-c:a', 'pcm_f64le'])],
  ['ffmpeg 16 kHz 6 channels s32', () => ff('ff-6ch.wav', ['-ac', '6', '-ar', '16000', '-c:a', 'pcm_s32le'])],
  [
    'ffmpeg streamed to a pipe (placeholder sizes)',
    () => {
      const f = path.join(dir, 'piped.wav');
      run(ffmpegPath(), ['-v', 'error', '-nostdin', '-f', 'lavfi', '-i', 'sine=frequency=500:duration=1.93', '-ac', '2', '-ar', '8000', '-c:a', 'pcm_s16le', '-f', 'wav', 'pipe:1'], f);
      return f;
    },
  ],
  [
    'a chunk after the audio',
    () => {
      const f = sox('trailing.wav', ['-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer']);
      const tail = Buffer.concat([Buffer.from('LIST'), Buffer.from([12, 0, 0, 0]), Buffer.from('INFOISFT'), Buffer.from([0, 0, 0, 0])]);
      appendFileSync(f, tail);
      const b = readFileSync(f);
      b.writeUInt32LE(b.length - 8, 4);
      writeFileSync(f, b);
      return f;
    },
  ],
  [
    'cut short (the header promises more than the file holds)',
    () => {
      const f = sox('cut.wav', ['-r', '8000', '-c', '2', '-e', 'mu-law']);
      truncateSync(f, statSync(f).size - 9001);
      return f;
    },
  ],
];

describe('the probe stage reads a plain WAV header as ffprobe would', () => {
  it.each(cases)('%s', async (_name, make) => {
    const f = make();
    const fromHeader = headerInfo(f);
    const fromProbe = await probe(f);
    expect(fromHeader).not.toBeNull();
    expect({ ...fromHeader!, durationSec: undefined, bitRate: undefined }).toEqual({ ...fromProbe, durationSec: undefined, bitRate: undefined });
    expect(Math.abs(fromHeader!.durationSec - fromProbe.durationSec)).toBeLessThan(0.001);
    if (fromProbe.bitRate !== undefined) expect(Math.abs(fromHeader!.bitRate! - fromProbe.bitRate) / fromProbe.bitRate).toBeLessThan(0.001);
  });

  it.each([
    ['GSM 6.10 in WAV', () => sox('gsm.wav', ['-r', '8000', '-c', '1', '-e', 'gsm-full-rate'])],
    ['IMA ADPCM', () => ff('adpcm.wav', ['-ar', '8000', '-c:a', 'adpcm_ima_wav'])],
    ['not a WAV (an Ogg file)', () => ff('x.ogg', ['-c:a', 'libvorbis'])],
  ])('%s: left to ffprobe', (_name, make) => {
    expect(headerInfo(make())).toBeNull();
  });

  it('what ffmpeg refuses (a sample rate past 768 kHz, more than 64 channels) or an unknown sub-format is left to ffprobe', () => {
    const base = readFileSync(sox('bounds.wav', ['-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer']));
    const withRate = (rate: number) => {
      const b = Buffer.from(base);
      b.writeUInt32LE(rate, 24);
      b.writeUInt32LE(rate * 2, 28);
      return b;
    };
    expect(wavHeaderInfo(withRate(768_000), base.length)?.sampleRate).toBe(768_000);
    expect(wavHeaderInfo(withRate(0x48000000), base.length)).toBeNull();
    const many = Buffer.from(base);
    many.writeUInt16LE(600, 22); // channels
    many.writeUInt16LE(1200, 32); // block align
    many.writeUInt32LE(8000 * 1200, 28); // byte rate
    expect(wavHeaderInfo(many, many.length)).toBeNull();
    const ext = readFileSync(sox('ext.wav', ['-r', '16000', '-c', '2', '-b', '24', '-e', 'signed-integer']));
    expect(wavHeaderInfo(ext, ext.length)?.codec).toBe('pcm_s24le');
    const fmtAt = ext.indexOf('fmt ');
    ext[fmtAt + 8 + 24 + 10] ^= 0xff; // a byte of the sub-format GUID's fixed tail
    expect(wavHeaderInfo(ext, ext.length)).toBeNull();
  });

  it('a header that does not add up is left to ffprobe', () => {
    const b = readFileSync(sox('bad.wav', ['-r', '8000', '-c', '2', '-b', '16', '-e', 'signed-integer']));
    b.writeUInt32LE(12345, 28); // byte rate no longer sample rate x block align
    expect(wavHeaderInfo(b, b.length)).toBeNull();
    const empty = Buffer.from(b.subarray(0, 44));
    expect(wavHeaderInfo(empty, empty.length)).toBeNull(); // no audio at all: ffprobe words it
  });
});
