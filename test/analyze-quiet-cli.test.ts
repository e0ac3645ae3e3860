import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../src/audio/tools.js';
import { callqaSync } from './support/cli.js';

/**
 * `callqa analyze -q` as cron runs it: no progress, nothing at all when every file was analysed, but a file
 * left out still says why on stderr (one line each, as a failure does) and the closing line counts them, so
 * the mail cron sends shows what needs a look and an operator can grep it.
 */
const work = mkdtempSync(join(tmpdir(), 'callqa-quiet-'));
const calls = join(work, 'calls');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function ff(args: string[]): void {
  execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

beforeAll(() => {
  mkdirSync(calls);
  ff(['-f', 'lavfi', '-i', 'sine=f=300:d=2', '-ar', '8000', join(calls, 'a.wav')]);
  copyFileSync(join(calls, 'a.wav'), join(calls, 'b.wav')); // the same bytes: a duplicate of a.wav
  ff(['-f', 'lavfi', '-i', 'sine=f=500:d=2', '-ar', '8000', join(calls, 'c.wav')]);
  // a screen capture without sound, found by the folder walk: skipped, not failed
  ff(['-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5', '-t', '2', '-an', '-c:v', 'mpeg4', join(calls, 'screen.mp4')]);
  writeFileSync(join(calls, 'notes.wav'), 'this is not audio\n'.repeat(50)); // a failure
}, 60_000);

describe('analyze -q', () => {
  it('says each skipped file and each failure on stderr, one line each, and the closing count; nothing on stdout', () => {
    const a = join(calls, 'a.wav');
    // a.wav named, then the folder that holds it: its second mention is a repeat
    const r = callqaSync(['analyze', '-q', '--no-transcribe', '--jobs', '1', '--data', join(work, 'data'), a, calls]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      `callqa: skipped ${a}: listed more than once (as ${a} before); analysed once`,
      expect.stringMatching(new RegExp(`^callqa: skipped ${calls}/b\\.wav: duplicate of ${a}: identical audio, one recording; `)),
      `callqa: skipped ${calls}/screen.mp4: no audio stream`,
      expect.stringMatching(new RegExp(`^callqa: ${calls}/notes\\.wav: `)),
      '2 of 3 call(s) analysed, 1 failed, 3 file(s) skipped',
    ]);
  }, 120_000);

  it('a batch where nothing was skipped or failed says nothing', () => {
    const r = callqaSync(['analyze', '-q', '--no-transcribe', '--jobs', '1', '--data', join(work, 'data'), join(calls, 'a.wav'), join(calls, 'c.wav')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
  }, 120_000);

  it('a duplicate alone still says why it was left out, though nothing failed (exit 0)', () => {
    const r = callqaSync(['analyze', '-q', '--no-transcribe', '--jobs', '1', '--data', join(work, 'data'), join(calls, 'b.wav')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^callqa: skipped ${calls}/b\\.wav: duplicate of ${join(calls, 'a.wav')}, analysed before: .*\\n0 of 0 call\\(s\\) analysed, 1 file\\(s\\) skipped\\n$`));
  }, 120_000);
});
