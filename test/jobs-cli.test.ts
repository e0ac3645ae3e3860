import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `callqa analyze --jobs N`: calls in parallel on worker threads, one writer for the database; the report is
 * the same, in the same order, as one call at a time. (Speed is the benchmark's business, not a test's.)
 */
const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'src', 'cli', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'callqa-jobs-'));
const calls = join(work, 'calls');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: work, env: { ...process.env, DATABASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

beforeAll(() => {
  mkdirSync(calls, { recursive: true });
  for (const name of ['en-billing-bad.ogg', 'en-support-good.mp3', 'zh-billing-good.ogg', 'zh-complaint-bad.ogg']) {
    copyFileSync(join(ROOT, 'samples', name), join(calls, name));
    const t = name.replace(/\.\w+$/, '.transcript.json');
    copyFileSync(join(ROOT, 'samples', t), join(calls, t));
  }
  writeFileSync(join(calls, 'broken.wav'), 'this is not a recording\n'.repeat(20));
  // the same bytes under two more names, each with its own metadata: one recording in the store, so duplicates of
  // the first name (en-support-good.mp3), under --jobs 2 as under --jobs 1
  for (const [name, agent] of [['same-a.mp3', 'A1'], ['same-b.mp3', 'B2']]) {
    copyFileSync(join(ROOT, 'samples', 'en-support-good.mp3'), join(calls, name));
    copyFileSync(join(ROOT, 'samples', 'en-support-good.transcript.json'), join(calls, name.replace('.mp3', '.transcript.json')));
    writeFileSync(join(calls, `${name}.meta.json`), JSON.stringify({ agent_id: agent }));
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('analyze --jobs', () => {
  it('two calls at a time give the report of one at a time: same calls, same order, same findings and scores', async () => {
    const one = await cli(['analyze', '--jobs', '1', '--data', join(work, 'd1'), '--json', join(work, 'r1.json'), calls]);
    const two = await cli(['analyze', '--jobs', '2', '--data', join(work, 'd2'), '--json', join(work, 'r2.json'), calls]);
    expect(one.code, one.stderr).toBe(1); // broken.wav
    expect(two.code, two.stderr).toBe(1);
    const r1 = JSON.parse(readFileSync(join(work, 'r1.json'), 'utf8'));
    const r2 = JSON.parse(readFileSync(join(work, 'r2.json'), 'utf8'));
    expect(r2.calls.map((c: { file: string }) => c.file)).toEqual(r1.calls.map((c: { file: string }) => c.file));
    expect(r2.calls).toEqual(r1.calls);
    expect(r2.summary).toEqual(r1.summary);
    expect(r1.calls.filter((c: { status: string }) => c.status === 'done')).toHaveLength(4);
    expect(two.stderr).toMatch(/broken\.wav/);
    // files with the same bytes: the first found is analysed, the others are its duplicates (whichever hashed first)
    for (const r of [r1, r2]) {
      expect(r.calls.some((c: { file: string }) => c.file.includes('same-'))).toBe(false);
      expect(r.summary.skipped.map((s: { file: string; duplicateOf: string }) => [s.file, s.duplicateOf])).toEqual([
        [join(calls, 'same-a.mp3'), join(calls, 'en-support-good.mp3')],
        [join(calls, 'same-b.mp3'), join(calls, 'en-support-good.mp3')],
      ]);
    }
  }, 300_000);

  it('--jobs must be a whole number: exit 2 with a clear message', async () => {
    const r = await cli(['analyze', '--jobs', 'many', '--data', join(work, 'd3'), calls]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--jobs must be a whole number from 1 to 256, got "many"/);
  }, 120_000);
});
