/**
 * `callqa rescore` checks the program it scores with against what each stored analysis recorded (the run's
 * `input.pipeline` and `input.lexicons` fingerprints, src/pipeline/inputs.ts) and warns (stderr and the JSON's
 * `warnings`) when the program's content changed under the version number calls were scored with, or the
 * lexicons changed since the analysis. Runs the CLI from source on copies of pipelines/ and lexicons/.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../src/audio/tools.js';
import { callqaSync } from './support/cli.js';

const ROOT = path.join(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'src', 'cli', 'bin.js');
const work = mkdtempSync(path.join(tmpdir(), 'callqa-rescore-'));
const pipelines = path.join(work, 'pipelines');
const lexicons = path.join(work, 'lexicons');
const data = path.join(work, 'data');
const call = path.join(work, 'calls', 'call.wav');

function callqa(args: string[]): { code: number; stdout: string; stderr: string } {
  const env = { ...process.env, DATABASE_URL: '', CALLQA_PIPELINES_DIR: pipelines, CALLQA_LEXICONS_DIR: lexicons };
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface RescoreJson {
  warnings: string[];
  calls: { file: string; scorecard?: { pipeline: { version: string } }; runId?: string; skipped?: string; duplicateOf?: string; error?: string }[];
}
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as RescoreJson;

describe('callqa rescore: the program and lexicons against what the analysis used', () => {
  beforeAll(() => {
    cpSync(path.join(ROOT, 'pipelines'), pipelines, { recursive: true });
    cpSync(path.join(ROOT, 'lexicons'), lexicons, { recursive: true });
    mkdirSync(path.dirname(call));
    execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=f=300:d=3', '-ar', '8000', call]);
    const segments = [{ speaker: 'agent', start: 0.2, end: 2, text: 'Thank you for calling, how can I help?' }];
    writeFileSync(call.replace(/\.wav$/, '.transcript.json'), JSON.stringify({ language: 'en', segments }));
    const r = callqa(['analyze', '--quiet', '--jobs', '1', '--pipeline', 'default', '--data', data, call]);
    expect(r.code, r.stderr).toBe(0);
  }, 180_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the program is named with --program (or -p, or --pipeline as it was spelt before); without one, or with two, exit 2', () => {
    const env = { CALLQA_PIPELINES_DIR: pipelines, CALLQA_LEXICONS_DIR: lexicons };
    for (const flag of ['--program', '-p', '--pipeline']) {
      const out = path.join(work, `flag${flag}.json`);
      const r = callqaSync(['rescore', flag, 'support-en', '--data', data, '--json', out, call], undefined, env);
      expect(r.code, `${flag}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(readFileSync(out, 'utf8')).calls[0].scorecard.pipeline.id).toBe('support-en');
    }
    const none = callqaSync(['rescore', '--data', data, call], undefined, env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/name the QA program: -p, --program <id\|file>/);
    const two = callqaSync(['rescore', '--program', 'support-en', '--pipeline', 'default', '--data', data, call], undefined, env);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/--program "support-en" and --pipeline "default" name different programs/);
  });
  it('nothing changed: rescored, no warning', () => {
    const out = path.join(work, 'same.json');
    const r = callqa(['rescore', '--pipeline', 'default', '--data', data, '--json', out, call]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/warning|changed/);
    expect(json(out).warnings).toEqual([]);
  }, 120_000);

  it('the program changed without a version bump: rescored with a warning on stderr and in the JSON; after a bump, none', () => {
    const file = path.join(pipelines, 'default.yaml');
    const yaml = readFileSync(file, 'utf8');
    const edited = yaml.replace('title: callqa basic QA (zh + en)', 'title: callqa basic QA (zh + en), edited');
    expect(edited).not.toBe(yaml);
    writeFileSync(file, edited);
    const out = path.join(work, 'unbumped.json');
    const r = callqa(['rescore', '--pipeline', 'default', '--data', data, '--json', out, call]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: program default 1\.2\.0 changed since calls were scored under that version \(1 call\(s\): .*call\.wav\): bump `version:` so old and new scores are told apart/);
    expect(json(out).warnings).toEqual([expect.stringMatching(/^program default 1\.2\.0 changed since calls were scored under that version/)]);

    writeFileSync(file, edited.replace('version: "1.2.0"', 'version: "1.2.1"'));
    const bumped = path.join(work, 'bumped.json');
    const b = callqa(['rescore', '--pipeline', 'default', '--data', data, '--json', bumped, call]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).not.toMatch(/changed/);
    expect(json(bumped).warnings).toEqual([]);
    expect(json(bumped).calls[0]!.scorecard!.pipeline.version).toBe('1.2.1');
  }, 240_000);

  it('lexicons changed since the analysis: rescored, with a warning on stderr and in the JSON', () => {
    appendFileSync(path.join(lexicons, 'en', 'thanks.yaml'), '  - id: en.thanks.cheers\n    phrases: [cheers]\n');
    const out = path.join(work, 'lexicons.json');
    const r = callqa(['rescore', '--pipeline', 'default', '--data', data, '--json', out, call]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: lexicons changed since the analysis of 1 call\(s\): .*call\.wav: rescoring reuses the stored findings/);
    expect(json(out).warnings).toEqual([expect.stringMatching(/^lexicons changed since the analysis/)]);
  }, 120_000);
  it('a copy under another name is a duplicate: skipped naming both (not reported as its own call, exit 0); renamed, it is that call', () => {
    const copy = path.join(work, 'calls', 'copy.wav');
    copyFileSync(call, copy);
    const out = path.join(work, 'duplicate.json');
    const r = callqa(['rescore', '--pipeline', 'default', '--data', data, '--json', out, copy]);
    expect(r.code, r.stderr).toBe(0);
    const reason = `duplicate of ${call}, analysed before: identical audio, one recording; its stored analysis is that file's, not rescored under this name (rescore ${call}; callqa analyze --force makes this file that recording, under this name)`;
    expect(r.stderr).toContain(`callqa: ${copy}: skipped: ${reason}\n`);
    expect(r.stdout).toContain(`skipped: duplicate of ${call}`);
    expect(json(out).calls).toEqual([{ file: copy, skipped: reason, duplicateOf: call }]);

    // both named: the first is rescored, the copy skipped naming it
    const both = path.join(work, 'both.json');
    const b = callqa(['rescore', '--pipeline', 'default', '--data', data, '--json', both, call, copy]);
    expect(b.code, b.stderr).toBe(0);
    expect(json(both).calls.map((c) => [c.file, c.scorecard ? 'rescored' : c.duplicateOf])).toEqual([[call, 'rescored'], [copy, call]]);

    // the analysed file renamed (gone from where it was analysed): the copy is that recording now, rescored under its name
    const runId = json(both).calls[0].runId;
    renameSync(call, path.join(work, 'calls', 'moved-away.bak'));
    const renamed = path.join(work, 'renamed.json');
    const m = callqa(['rescore', '--pipeline', 'default', '--data', data, '--json', renamed, copy]);
    expect(m.code, m.stderr).toBe(0);
    expect(json(renamed).calls).toMatchObject([{ file: copy, runId }]);
    expect(json(renamed).calls[0].scorecard).toBeDefined();
    renameSync(path.join(work, 'calls', 'moved-away.bak'), call);
  }, 120_000);
});
