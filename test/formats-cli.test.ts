/**
 * A new user's folder of recordings in the formats their systems write, through the real `callqa analyze`:
 * - bare codec streams (AMR-WB, ADTS AAC) whose length ffprobe can only estimate from a bit rate were called
 *   truncated ("the container promises 31.0 s … holds only 30.0 s"), while a cut-short MP3 with a length in its
 *   header still is;
 * - a folder walk took no .mkv, .mka, .3gp or .mov: such recordings were silently left out of the batch;
 * - their length was ffprobe's estimate (an ADTS AAC file of 30 s read 25.9 s), and a sidecar running to the
 *   real end was refused as past it;
 * - a file with two audio streams (a recorder writing each side as its own stream) was analysed from the first
 *   stream alone with no word about the second.
 * Files made here by the npm ffmpeg the CLI itself uses.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../src/audio/tools.js';
import type { CallReport } from '../src/pipeline/report.js';
import { CLI_BIN } from './support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'callqa-formats-'));
const calls = join(work, 'calls');
const ff = (...args: string[]) => execFileSync(ffmpegPath(), ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);
// two sides taking turns: a tone on the left, then one on the right, every 4 s
const TURNS = "aevalsrc=exprs='if(lt(mod(t,4),1.5),0.3*sin(2*PI*300*t),0)|if(between(mod(t,4),2,3.5),0.3*sin(2*PI*500*t),0)':s=16000:d=30";

let report: { calls: CallReport[] };
let stderr = '';
beforeAll(() => {
  execFileSync('mkdir', ['-p', calls]);
  const src = ['-f', 'lavfi', '-i', TURNS];
  ff(...src, '-ac', '1', '-c:a', 'libvo_amrwbenc', '-b:a', '23.85k', join(calls, 'wb.amr'));
  ff(...src, '-c:a', 'aac', '-f', 'adts', join(calls, 'adts.aac'));
  // the platform's transcript of it, to its last second (ffprobe guesses the file 26 s long)
  const seg = (speaker: string, start: number) => ({ speaker, start, end: start + 1.5, text: 'hello there' });
  writeFileSync(join(calls, 'adts.transcript.json'), JSON.stringify({ language: 'en', segments: [seg('agent', 0), seg('customer', 2), seg('agent', 28)] }));
  ff(...src, '-ac', '1', '-ar', '8000', '-c:a', 'libopencore_amrnb', '-b:a', '12.2k', join(calls, 'phone.3gp'));
  ff(...src, '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=2:d=30', '-c:v', 'mpeg4', '-c:a', 'aac', join(calls, 'screen.mkv'));
  ff(...src, ...src, '-map', '0:a', '-map', '1:a', '-ac', '1', '-c:a', 'aac', join(calls, 'two-streams.mka'));
  // each side its own stream, the second running 6 s longer (its recorder stopped later): the container says 36 s
  ff(...src, '-f', 'lavfi', '-i', TURNS.replace('d=30', 'd=36'), '-map', '0:a', '-map', '1:a', '-ac', '1', '-c:a', 'libopus', join(calls, 'uneven-streams.mka'));
  ff(...src, '-c:a', 'libmp3lame', '-b:a', '32k', join(work, 'full.mp3'));
  writeFileSync(join(calls, 'cut.mp3'), readFileSync(join(work, 'full.mp3')).subarray(0, 40_000));
  const r = spawnSync(process.execPath, [CLI_BIN, 'analyze', '--no-transcribe', '--jobs', '1', '--no-table', '--data', join(work, 'data'), '--json', join(work, 'r.json'), calls], {
    env: { ...process.env, DATABASE_URL: '' },
    encoding: 'utf8',
  });
  stderr = r.stderr;
  expect(r.status, r.stderr).toBe(0);
  report = JSON.parse(readFileSync(join(work, 'r.json'), 'utf8')) as { calls: CallReport[] };
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const call = (name: string) => report.calls.find((c) => c.file.endsWith(`/${name}`));

describe('recordings as a new user has them', () => {
  it('a folder walk takes .3gp, .mkv and .mka recordings too', () => {
    expect(report.calls.map((c) => c.file.slice(calls.length + 1)).sort()).toEqual(['adts.aac', 'cut.mp3', 'phone.3gp', 'screen.mkv', 'two-streams.mka', 'uneven-streams.mka', 'wb.amr'].sort());
    expect(call('screen.mkv')!.status).toBe('done');
  });

  it('a bare AMR-WB or ADTS AAC stream (length only estimated) is not called truncated; a cut-short MP3 still is', () => {
    for (const f of ['wb.amr', 'adts.aac', 'phone.3gp', 'screen.mkv']) {
      expect(call(f)!.warnings.filter((w) => w.startsWith('truncated')), f).toEqual([]);
    }
    expect(stderr).not.toMatch(/wb\.amr: truncated|adts\.aac: truncated/);
    expect(call('cut.mp3')!.warnings.some((w) => w.startsWith('truncated: the container promises 30.'))).toBe(true);
  });

  it("a bare stream's length is what decoded, not ffprobe's estimate: in the report, and for its sidecar's times", () => {
    const aac = call('adts.aac')!;
    expect(aac.status, aac.errors.join()).toBe('done');
    expect(aac.transcript?.segments).toHaveLength(3);
    expect(aac.durationSec).toBeGreaterThan(29.8);
    expect(aac.durationSec).toBeLessThan(30.2);
    expect(call('wb.amr')!.durationSec).toBeLessThan(30.2);
  });

  it('two audio streams: says only the first is analysed, and how to merge them', () => {
    expect(call('two-streams.mka')!.warnings).toContain(
      '2 audio streams: only the first is analysed (a recording with each side in its own stream can be made one stereo file first: ' +
        'ffmpeg -i IN -filter_complex "[0:a:0][0:a:1]amerge=inputs=2" -ac 2 OUT.wav)',
    );
    expect(call('screen.mkv')!.warnings.some((w) => w.includes('audio streams'))).toBe(false);
  });

  it('two audio streams of different lengths: the longer second one does not make the first "truncated"', () => {
    const c = call('uneven-streams.mka')!;
    expect(c.status).toBe('done');
    expect(c.warnings.some((w) => w.startsWith('2 audio streams'))).toBe(true);
    expect(c.warnings.filter((w) => w.startsWith('truncated'))).toEqual([]);
    expect(c.metrics.truncatedAtSec).toBeUndefined();
    expect(stderr).not.toMatch(/uneven-streams\.mka: truncated/);
  });
});

/**
 * A video-only file (a screen capture without sound) in a folder of recordings: the walk takes .mkv, and it failed
 * the batch line (exit 1) though nothing was wrong with the batch. Found by a walk it is skipped with a line saying
 * so; named on the command line it is still an error naming the file.
 */
describe('a video-only file (no audio stream)', () => {
  const folder = join(work, 'with-video');
  const video = join(folder, 'screen-only.mkv');
  const run = (args: string[]) =>
    spawnSync(process.execPath, [CLI_BIN, 'analyze', '--no-transcribe', '--no-table', ...args], { env: { ...process.env, DATABASE_URL: '' }, encoding: 'utf8' });
  beforeAll(() => {
    execFileSync('mkdir', ['-p', folder]);
    ff('-f', 'lavfi', '-i', TURNS, '-t', '8', join(folder, 'call.wav'));
    ff('-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=2:d=3', '-an', '-c:v', 'mpeg4', video);
  }, 60_000);

  it.each([['1'], ['2']])('found by a folder walk (--jobs %s): skipped with a line saying why, not failed; exit 0', (jobs) => {
    const json = join(work, `video-walk-${jobs}.json`);
    const r = run(['--jobs', jobs, '--data', join(work, `data-video-${jobs}`), '--json', json, folder]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.includes('screen-only.mkv'));
    expect(lines.filter((l) => /skipped: no audio stream$/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /fail/i.test(l))).toEqual([]);
    expect(r.stderr).toMatch(/^1 of 1 call\(s\) analysed, 1 file\(s\) skipped; report: /m);
    const doc = JSON.parse(readFileSync(json, 'utf8')) as { calls: CallReport[]; summary: { calls: number; failed: number; skipped: unknown[] } };
    expect(doc.calls.map((c) => [c.file, c.status])).toEqual([[join(folder, 'call.wav'), 'done']]);
    expect(doc.summary).toMatchObject({ calls: 1, failed: 0, skipped: [{ file: video, reason: 'no audio stream' }] });
  }, 120_000);

  it('named on the command line: still an error naming the file (exit 1)', () => {
    const json = join(work, 'video-named.json');
    const r = run(['--jobs', '1', '--data', join(work, 'data-video-named'), '--json', json, video]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`callqa: ${video}: no audio stream`);
    const doc = JSON.parse(readFileSync(json, 'utf8')) as { calls: CallReport[]; summary: { skipped: unknown[] } };
    expect(doc.calls).toMatchObject([{ file: video, status: 'failed', errors: [`${video}: no audio stream`] }]);
    expect(doc.summary.skipped).toEqual([]);
  }, 120_000);

  /**
   * ffprobe says what the file holds: a video stream of its own is a screen capture, skipped. A recording that
   * holds nothing to hear and no video either (an .m4a of its cover picture alone, an .mka of a subtitle track: an
   * export that lost its audio) is a broken recording in the folder, and fails naming the file, as it did.
   */
  it('found by a folder walk, a recording with no audio and no video of its own (cover picture alone, subtitles alone) fails naming the file', () => {
    const broken = join(work, 'lost-audio');
    execFileSync('mkdir', ['-p', broken]);
    const pic = join(work, 'cover.png');
    ff('-f', 'lavfi', '-i', 'testsrc=size=64x48:d=1', '-frames:v', '1', pic);
    ff('-i', pic, '-c:v', 'mjpeg', '-disposition:v', 'attached_pic', '-f', 'mp4', join(broken, 'cover-only.m4a'));
    const srt = join(work, 'lost.srt');
    writeFileSync(srt, '1\n00:00:00,000 --> 00:00:01,000\nhi\n');
    ff('-i', srt, '-c:s', 'srt', join(broken, 'subtitles-only.mka'));
    ff('-f', 'lavfi', '-i', TURNS, '-t', '8', join(broken, 'call.wav'));
    const json = join(work, 'lost-audio.json');
    const r = run(['--jobs', '1', '--data', join(work, 'data-lost-audio'), '--json', json, broken]);
    expect(r.status, r.stderr).toBe(1);
    const doc = JSON.parse(readFileSync(json, 'utf8')) as { calls: CallReport[]; summary: { skipped: unknown[] } };
    expect(doc.calls.map((c) => [c.file, c.status, c.errors])).toEqual([
      [join(broken, 'call.wav'), 'done', []],
      [join(broken, 'cover-only.m4a'), 'failed', [`${join(broken, 'cover-only.m4a')}: no audio stream`]],
      [join(broken, 'subtitles-only.mka'), 'failed', [`${join(broken, 'subtitles-only.mka')}: no audio stream`]],
    ]);
    expect(doc.summary.skipped).toEqual([]);
  }, 120_000);
});

describe('a SubRip sidecar with lower-case and parenthesised labels beside a recording', () => {
  it('(Agent), agent:, （客服） … are read through the real analyze; a Speaker 1: file fails naming the file and cue', () => {
    const folder = join(work, 'srt-labels');
    execFileSync('mkdir', ['-p', folder]);
    ff('-f', 'lavfi', '-i', TURNS, join(folder, 'call.wav'));
    ff('-f', 'lavfi', '-i', TURNS, '-ac', '1', join(folder, 'diarised.wav'));
    const fixtures = join(import.meta.dirname, 'fixtures', 'sidecars');
    copyFileSync(join(fixtures, 'mixed-case-labels.transcript.srt'), join(folder, 'call.transcript.srt'));
    copyFileSync(join(fixtures, 'speaker-numbers.transcript.srt'), join(folder, 'diarised.transcript.srt'));
    const json = join(work, 'srt-labels.json');
    const r = spawnSync(process.execPath, [CLI_BIN, 'analyze', '--no-transcribe', '--no-table', '--jobs', '1', '--data', join(work, 'data-srt'), '--json', json, folder], {
      env: { ...process.env, DATABASE_URL: '' },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(1);
    const doc = JSON.parse(readFileSync(json, 'utf8')) as { calls: CallReport[] };
    const ok = doc.calls.find((c) => c.file.endsWith('call.wav'))!;
    expect(ok.status, ok.errors.join()).toBe('done');
    const segs = (ok.transcript as { engine: string; segments: { speaker: string }[] }).segments;
    expect((ok.transcript as { engine: string }).engine).toBe('sidecar-srt');
    expect(segs.map((s) => s.speaker)).toEqual(['agent', 'customer', 'agent', 'customer', 'customer', 'agent', 'customer', 'agent']);
    const bad = doc.calls.find((c) => c.file.endsWith('diarised.wav'))!;
    expect(bad.status).toBe('failed');
    expect(bad.errors[0]).toMatch(/diarised\.transcript\.srt: cue 1 \(line 2\): a numbered speaker label \(Speaker 1, spk_0\) does not say which side is the agent/);
  }, 120_000);
});
