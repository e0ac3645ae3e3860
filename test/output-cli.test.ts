import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../src/audio/tools.js';

/**
 * Output that does not mislead (issue 16), through the real `callqa` in a child process: the missing whisper
 * model said once per batch with the command that fixes it, every score shown with its items still to review
 * (table and JSON), a truncated file called truncated with how much audio it held, failures and warnings kept
 * apart in the report. And `callqa rescore` on what analyze stored.
 */
const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'src', 'cli', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'callqa-output-'));
const calls = join(work, 'calls');
const noModels = join(work, 'no-models');
const data = join(work, 'data');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}
function cli(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const env = { ...process.env, DATABASE_URL: '', CALLQA_MODELS_DIR: noModels };
    const p = spawn(process.execPath, [BIN, ...args], { cwd: work, env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

interface ScoreSummary { total: number; maxTotal: number; toReview: number; final: boolean }
interface CallJson {
  file: string;
  status: string;
  score?: ScoreSummary | null;
  scorecard?: { total: number; counts: Record<string, number>; pipeline: { id: string } } | null;
  metrics: Record<string, unknown>;
  errors: string[];
  warnings: string[];
}

beforeAll(async () => {
  mkdirSync(calls, { recursive: true });
  mkdirSync(noModels, { recursive: true });
  // a real call with no transcript beside it (whisper would be needed) ...
  copyFileSync(join(ROOT, 'samples', 'en-billing-bad.ogg'), join(calls, 'no-transcript.ogg'));
  // ... one with the call platform's transcript ...
  copyFileSync(join(ROOT, 'samples', 'en-support-good.mp3'), join(calls, 'with-transcript.mp3'));
  copyFileSync(join(ROOT, 'samples', 'en-support-good.transcript.json'), join(calls, 'with-transcript.transcript.json'));
  // ... a WAV whose header promises 62 s but whose data ends after 1 s of speech ...
  const full = join(calls, 'cut.wav');
  await promisify(execFile)(ffmpegPath(), ['-v', 'error', '-y', '-i', join(ROOT, 'samples', 'en-billing-bad.ogg'), '-ac', '2', '-ar', '8000', '-c:a', 'pcm_s16le', full]);
  const header = readFileSync(full).indexOf('data') + 8;
  expect(statSync(full).size - header).toBeGreaterThan(60 * 32000);
  truncateSync(full, header + 32000);
  // ... ten seconds of digital silence on both channels (a recording of a call nobody spoke on) ...
  await promisify(execFile)(ffmpegPath(), ['-v', 'error', '-y', '-f', 'lavfi', '-t', '10', '-i', 'anullsrc=r=8000:cl=stereo', '-c:a', 'pcm_s16le', join(calls, 'silent.wav')]);
  // ... and a file that is not audio
  writeFileSync(join(calls, 'notes.wav'), 'this is not a recording\n'.repeat(20));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('output that does not mislead', () => {
  let first: CliResult;
  let report: { schema: string; calls: CallJson[] };
  beforeAll(async () => {
    first = await cli(['analyze', '--data', data, '--json', join(work, 'r.json'), calls]);
    report = JSON.parse(readFileSync(join(work, 'r.json'), 'utf8'));
  }, 180_000);
  const call = (name: string) => report.calls.find((c) => c.file.endsWith(name))!;

  it('no whisper model: said once per batch on the terminal, with what is missing and the command that fixes it', () => {
    expect(first.code, first.stderr).toBe(1); // notes.wav failed; the others were analysed
    const notices = first.stderr.split('\n').filter((l) => l.includes('no speech recognition for this batch'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('ggml-base.bin');
    expect(notices[0]).toContain('callqa models download base');
    expect(notices[0]).toMatch(/left to review/);
  });

  it('every score carries its open items: "N/M · K to review" in the table, score.toReview in the JSON', () => {
    expect(report.schema).toBe('callqa.report/2');
    for (const name of ['no-transcript.ogg', 'with-transcript.mp3', 'cut.wav']) {
      const c = call(name);
      expect(c.score, name).toBeTruthy();
      expect(c.score!.total).toBe(c.scorecard!.total);
      expect(c.score!.toReview).toBe(c.scorecard!.counts.needs_review);
      expect(c.score!.final).toBe(c.score!.toReview === 0);
      const row = first.stdout.split('\n').find((l) => l.includes(name))!;
      expect(row, name).toContain(c.score!.toReview > 0 ? `${c.score!.total}/${c.score!.maxTotal} · ${c.score!.toReview} to review` : `${c.score!.total}/${c.score!.maxTotal}`);
    }
    // without a transcript the text items cannot be judged: more is left to review than with one
    expect(call('no-transcript.ogg').score!.toReview).toBeGreaterThan(call('with-transcript.mp3').score!.toReview);
    expect(call('no-transcript.ogg').score!.final).toBe(false);
  });

  it('a truncated file is called truncated, with how much audio there was (report, table, terminal)', () => {
    const c = call('cut.wav');
    expect(c.status).toBe('done');
    const w = c.warnings.find((x) => x.startsWith('truncated:'));
    expect(w).toMatch(/promises 62\.\d s of audio but the file holds only 1\.0 s/);
    expect(c.metrics.truncatedAtSec).toBe(1);
    expect(first.stdout.split('\n').find((l) => l.includes('cut.wav'))).toContain('truncated at 0:01');
    expect(first.stderr).toMatch(/cut\.wav: truncated: the header promises 62\.\d s/);
    expect(call('no-transcript.ogg').warnings.some((x) => x.startsWith('truncated'))).toBe(false);
  });

  it('a recording with no speech says so in the table instead of "0" dead air', () => {
    const c = call('silent.wav');
    expect(c.status).toBe('done');
    expect(c.metrics.speechSec).toBe(0);
    expect(c.warnings.some((x) => x.startsWith('no speech found on any channel'))).toBe(true);
    const cells = first.stdout.split('\n').find((l) => l.includes('silent.wav'))!.split('│').map((x) => x.trim());
    expect(cells).toContain('done, no speech found');
    expect(cells[5]).toBe('n/a'); // dead air: | file | length | ch | talk | dead air
    // a call with speech keeps its count
    const other = first.stdout.split('\n').find((l) => l.includes('with-transcript.mp3'))!.split('│').map((x) => x.trim());
    expect(other[5]).toBe('0');
    expect(other.at(-2)).toBe('done');
  });

  it('failures and warnings are kept apart in the report', () => {
    const bad = call('notes.wav');
    expect(bad.status).toBe('failed');
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]).toContain('notes.wav');
    expect(bad.warnings).toEqual([]);
    for (const name of ['no-transcript.ogg', 'with-transcript.mp3', 'cut.wav']) expect(call(name).errors, name).toEqual([]);
    expect(call('no-transcript.ogg').warnings.some((x) => /transcript skipped: no model/.test(x))).toBe(true);
    expect(call('with-transcript.mp3').warnings.some((x) => /transcript skipped/.test(x))).toBe(false);
  });

  it('--quiet still says once what is missing', async () => {
    const r = await cli(['analyze', '--data', data, '--quiet', '--force', join(calls, 'no-transcript.ogg'), join(calls, 'cut.wav')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('no speech recognition for this batch'))).toHaveLength(1);
    // and, every call analysed, prints no table and no closing count, which its --help says (it said only "no progress output")
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/call\(s\) analysed/);
    const help = await cli(['analyze', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/-q, --quiet no progress and no summary table; silent when every call was analysed \(skipped files and failures are still said/);
  }, 120_000);

  it('callqa rescore drafts a new card from the stored findings, keeps the old one, and shows open items', async () => {
    const target = join(calls, 'with-transcript.mp3');
    const before = call('with-transcript.mp3');
    // the same program again: the same findings give the same draft
    const same = await cli(['rescore', '--data', data, '--pipeline', 'default', '--json', join(work, 'same.json'), target]);
    expect(same.code, same.stderr).toBe(0);
    const sameJson = JSON.parse(readFileSync(join(work, 'same.json'), 'utf8')) as { calls: { previousTotal: number; scorecard: { total: number }; score: ScoreSummary }[] };
    expect(sameJson.calls[0].scorecard.total).toBe(before.scorecard!.total);
    expect(sameJson.calls[0].previousTotal).toBe(before.scorecard!.total);
    expect(sameJson.calls[0].score.toReview).toBe(before.score!.toReview);
    // another program: a new draft from it, the previous one named as what it was
    const other = await cli(['rescore', '--data', data, '--pipeline', 'support-en', '--json', join(work, 'other.json'), target]);
    expect(other.code, other.stderr).toBe(0);
    const otherJson = JSON.parse(readFileSync(join(work, 'other.json'), 'utf8')) as { pipeline: { id: string }; calls: { from: string; previousTotal: number; scorecard: { pipeline: { id: string }; maxTotal: number; total: number }; score: ScoreSummary }[] };
    expect(otherJson.pipeline.id).toBe('support-en');
    expect(otherJson.calls[0].scorecard.pipeline.id).toBe('support-en');
    expect(otherJson.calls[0].from).toMatch(/^default@/);
    expect(otherJson.calls[0].previousTotal).toBe(before.scorecard!.total); // the last draft before this one
    const s = otherJson.calls[0].score;
    const row = other.stdout.split('\n').find((l) => l.includes('with-transcript.mp3'))!;
    expect(row).toContain(s.toReview > 0 ? `${s.total}/${s.maxTotal} · ${s.toReview} to review` : `${s.total}/${s.maxTotal}`);
    // a recording never analysed: exit 1, named
    copyFileSync(join(ROOT, 'samples', 'zh-billing-good.ogg'), join(work, 'never.ogg'));
    const never = await cli(['rescore', '--data', data, '--pipeline', 'default', join(work, 'never.ogg')]);
    expect(never.code).toBe(1);
    expect(never.stderr).toMatch(/never\.ogg: not analysed yet/);
  }, 120_000);
});
