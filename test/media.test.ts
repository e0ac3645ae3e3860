import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../src/audio/ffmpeg.js';
import { PeakAccumulator } from '../src/audio/peaks.js';
import { ffmpegPath } from '../src/audio/tools.js';
import { fileResponse } from '../src/api/file-response.js';
import { createMediaService, type MediaSource } from '../src/services/media.js';

/**
 * The playable copy and peaks, on telephony codecs browsers cannot play, made by ffmpeg and sox here with known
 * ground truth: the left (agent) channel carries a tone from 0 to 2 s, the right (customer) channel from 3 to 5 s,
 * silence elsewhere; the mono files carry Asterisk's recorded human speech.
 */
let dir: string;
const ff = (...args: string[]) => execFileSync(ffmpegPath(), ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);

function source(file: string, speakers?: MediaSource['speakers']): MediaSource {
  const hash = createHash('sha256').update(readFileSync(file)).digest('hex');
  return { contentHash: hash, path: file, fileName: path.basename(file), speakers };
}

/** RMS per channel of [fromSec, toSec) of a file, decoded by ffmpeg (not by the code under test). */
function rmsPerChannel(file: string, fromSec: number, toSec: number, channels: number): number[] {
  const pcm = execFileSync(ffmpegPath(), ['-nostdin', '-loglevel', 'error', '-ss', String(fromSec), '-t', String(toSec - fromSec), '-i', file, '-ac', String(channels), '-ar', '8000', '-f', 's16le', '-c:a', 'pcm_s16le', 'pipe:1'], { maxBuffer: 1 << 26 });
  const sums = new Array<number>(channels).fill(0);
  const n = pcm.length / 2 / channels;
  for (let i = 0; i < n; i++) for (let c = 0; c < channels; c++) sums[c] += pcm.readInt16LE((i * channels + c) * 2) ** 2;
  return sums.map((s) => Math.sqrt(s / n) / 32768);
}

const TONES = "aevalsrc=exprs='if(lt(t,2),0.5*sin(2*PI*440*t),0)|if(between(t,3,5),0.5*sin(2*PI*660*t),0)':s=8000:d=6";
const SPEECH = '/usr/share/asterisk/sounds/en/agent-pass.wav';

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'callqa-media-'));
  ff('-f', 'lavfi', '-i', TONES, '-c:a', 'pcm_mulaw', path.join(dir, 'stereo-mulaw.wav'));
  ff('-f', 'lavfi', '-i', TONES, '-c:a', 'pcm_alaw', path.join(dir, 'stereo-alaw.wav'));
  // GSM 6.10 in WAV (sox writes the Microsoft variant) and AMR-NB: mono codecs, real speech.
  execFileSync('sox', [SPEECH, '-r', '8000', '-c', '1', '-e', 'gsm-full-rate', path.join(dir, 'speech-gsm.wav')]);
  ff('-i', SPEECH, '-ar', '8000', '-ac', '1', '-c:a', 'libopencore_amrnb', '-b:a', '12.2k', path.join(dir, 'speech.amr'));
  writeFileSync(path.join(dir, 'broken.wav'), Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt '), Buffer.alloc(64, 7)]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PeakAccumulator', () => {
  it('takes the max |sample| per bucket per channel, across chunk boundaries that split a frame', () => {
    const acc = new PeakAccumulator(100, 2, 10); // 10 frames per bucket
    const pcm = Buffer.alloc(30 * 4);
    for (let i = 0; i < 30; i++) {
      pcm.writeInt16LE(i === 4 ? -32768 : 100, i * 4); // channel 0: full scale once in bucket 0
      pcm.writeInt16LE(i === 25 ? 16384 : 0, i * 4 + 2); // channel 1: half scale in bucket 2
    }
    acc.push(pcm.subarray(0, 7)); // split inside a frame
    acc.push(pcm.subarray(7));
    const p = acc.finish({ maxBuckets: 1000, maxPeaksPerSec: 1000 });
    expect(p.durationSec).toBeCloseTo(0.3, 6);
    expect(p.channels[0].peaks).toEqual([255, 1, 1]);
    expect(p.channels[1].peaks).toEqual([0, 0, 128]);
  });

  it('merges buckets so that a long call stays within the bucket budget', () => {
    const acc = new PeakAccumulator(1000, 1, 100);
    acc.push(Buffer.alloc(2 * 1000 * 60)); // 60 s of silence
    const p = acc.finish({ maxBuckets: 600, maxPeaksPerSec: 100 });
    expect(p.channels[0].peaks.length).toBe(600);
    expect(p.peaksPerSec).toBe(10);
  });
});

describe('media service on telephony codecs', () => {
  it.each(['stereo-mulaw.wav', 'stereo-alaw.wav'])('%s: a stereo MP3 with the channels kept apart, peaks per channel in the right places', async (name) => {
    const cache = path.join(dir, `cache-${name}`);
    const media = createMediaService({ cacheDir: cache });
    const src = source(path.join(dir, name), ['agent', 'customer']);
    const file = await media.playable(src);
    expect(file.mimeType).toBe('audio/mpeg');
    const info = await probe(file.path);
    expect(info.codec).toBe('mp3');
    expect(info.channels).toBe(2);
    expect(info.durationSec).toBeGreaterThan(5.8);
    expect(info.durationSec).toBeLessThan(6.3);
    // The copy keeps who spoke when: agent loud and customer silent at 0.5-1.5 s, the reverse at 3.5-4.5 s.
    const [a1, c1] = rmsPerChannel(file.path, 0.5, 1.5, 2);
    const [a2, c2] = rmsPerChannel(file.path, 3.5, 4.5, 2);
    expect(a1).toBeGreaterThan(0.25);
    expect(c1).toBeLessThan(0.01);
    expect(c2).toBeGreaterThan(0.25);
    expect(a2).toBeLessThan(0.01);

    const peaks = await media.peaks(src);
    expect(peaks.speakers).toEqual(['agent', 'customer']);
    expect(peaks.channels).toHaveLength(2);
    expect(peaks.durationSec).toBeCloseTo(6, 1);
    const at = (ch: number, sec: number) => peaks.channels[ch].peaks[Math.floor(sec * peaks.peaksPerSec)];
    // 0.5 full scale = 127/255, give or take the codec
    for (const s of [0.3, 1.0, 1.7]) {
      expect(at(0, s)).toBeGreaterThan(110);
      expect(at(1, s)).toBeLessThan(3);
    }
    for (const s of [3.3, 4.0, 4.7]) {
      expect(at(1, s)).toBeGreaterThan(110);
      expect(at(0, s)).toBeLessThan(3);
    }
    expect(at(0, 5.5)).toBeLessThan(3);
    expect(at(1, 5.5)).toBeLessThan(3);
  });

  it.each(['speech-gsm.wav', 'speech.amr'])('%s (mono, human speech): a mono MP3 of the same length and speech-shaped peaks', async (name) => {
    const media = createMediaService({ cacheDir: path.join(dir, `cache-${name}`) });
    const src = source(path.join(dir, name));
    const srcInfo = await probe(src.path);
    const file = await media.playable(src);
    const info = await probe(file.path);
    expect(info.channels).toBe(1);
    expect(Math.abs(info.durationSec - srcInfo.durationSec)).toBeLessThan(0.15);
    const peaks = await media.peaks(src);
    expect(peaks.speakers).toEqual(['unknown']);
    const p = peaks.channels[0].peaks;
    // Speech has loud and quiet stretches (pauses between words), unlike a tone or noise.
    const loud = p.filter((v) => v > 40).length / p.length;
    expect(loud).toBeGreaterThan(0.2);
    expect(loud).toBeLessThan(0.95);
    expect(Math.min(...p)).toBeLessThan(10);
  });

  it('makes the copy once: concurrent first requests share one ffmpeg run; a new service reuses the cache', async () => {
    const cache = path.join(dir, 'cache-shared');
    const src = source(path.join(dir, 'stereo-mulaw.wav'));
    const media = createMediaService({ cacheDir: cache });
    const [a, b, p] = await Promise.all([media.playable(src), media.playable(src), media.peaks(src)]);
    expect(a.path).toBe(b.path);
    expect(p.channels).toHaveLength(2);
    const files = readdirSync(path.join(cache, src.contentHash.slice(0, 2)));
    expect(files.sort()).toEqual([`${src.contentHash}.v1.mp3`, `${src.contentHash}.v1.peaks.json`]);
    const again = await createMediaService({ cacheDir: cache }).playable({ ...src, path: '/nonexistent/file.wav' });
    expect(again.mtime.getTime()).toBe(a.mtime.getTime());
  });

  it('a corrupt file: an error naming the file, nothing cached', async () => {
    const cache = path.join(dir, 'cache-broken');
    const media = createMediaService({ cacheDir: cache });
    const src = source(path.join(dir, 'broken.wav'));
    await expect(media.playable(src)).rejects.toThrow(/broken\.wav/);
    const sub = path.join(cache, src.contentHash.slice(0, 2));
    expect(readdirSync(sub)).toEqual([]);
  });
});

describe('fileResponse: HTTP byte ranges', () => {
  let file: string;
  let bytes: Buffer;
  const base = () => ({ path: file, sizeBytes: bytes.length, mimeType: 'audio/mpeg', etag: '"abc-v1"', mtime: new Date(0) });
  beforeAll(() => {
    file = path.join(dir, 'range.bin');
    bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    writeFileSync(file, bytes);
  });
  const body = async (r: Response) => Buffer.from(await r.arrayBuffer());

  it('no Range: 200 with the whole file and Accept-Ranges', async () => {
    const r = fileResponse(base());
    expect(r.status).toBe(200);
    expect(r.headers.get('accept-ranges')).toBe('bytes');
    expect(r.headers.get('content-length')).toBe('1000');
    expect((await body(r)).equals(bytes)).toBe(true);
  });
  it('bytes=100-199: 206 with exactly those bytes', async () => {
    const r = fileResponse({ ...base(), range: 'bytes=100-199' });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect((await body(r)).equals(bytes.subarray(100, 200))).toBe(true);
  });
  it('open-ended and suffix ranges (what a media element sends)', async () => {
    const open = fileResponse({ ...base(), range: 'bytes=990-' });
    expect(open.headers.get('content-range')).toBe('bytes 990-999/1000');
    expect((await body(open)).equals(bytes.subarray(990))).toBe(true);
    const suffix = fileResponse({ ...base(), range: 'bytes=-10' });
    expect((await body(suffix)).equals(bytes.subarray(990))).toBe(true);
  });
  it('unsatisfiable: 416 with the size; stale If-Range: the whole file', async () => {
    const bad = fileResponse({ ...base(), range: 'bytes=5000-6000' });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe('bytes */1000');
    const stale = fileResponse({ ...base(), range: 'bytes=0-9', ifRange: '"old-v0"' });
    expect(stale.status).toBe(200);
    expect((await body(stale)).length).toBe(1000);
  });
  it('If-None-Match with the current ETag: 304', () => {
    expect(fileResponse({ ...base(), ifNoneMatch: '"abc-v1"' }).status).toBe(304);
  });
});
