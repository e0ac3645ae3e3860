/**
 * After `callqa rescore --program OTHER`, the score a call shows (`calls list`, `calls export`, the API's
 * CallSummary) is the newest draft's, so the program and version shown beside it must be that draft's too, and
 * `--program` must filter on it: they were the analysis run's ("default 1.2.0" beside a support-en total).
 * Runs the CLI from source on a real short call (ffmpeg tone) with a sidecar transcript.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../src/audio/tools.js';
import { callqaSync } from './support/cli.js';

const work = mkdtempSync(path.join(tmpdir(), 'callqa-rescore-list-'));
const data = path.join(work, 'data');
const call = path.join(work, 'calls', 'call.wav');

interface Listed { file: string; program: string; programVersion: string; score: number | null }

describe('calls list / export after a rescore under another program', () => {
  let rescored: { total: number; pipeline: { id: string; version: string } };
  beforeAll(() => {
    mkdirSync(path.dirname(call));
    execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=f=300:d=3', '-ar', '8000', call]);
    const segments = [{ speaker: 'agent', start: 0.2, end: 2, text: 'Thank you for calling, how can I help?' }];
    writeFileSync(call.replace(/\.wav$/, '.transcript.json'), JSON.stringify({ language: 'en', segments }));
    const a = callqaSync(['analyze', '--quiet', '--jobs', '1', '--program', 'default', '--data', data, call]);
    expect(a.code, a.stderr).toBe(0);
    const out = path.join(work, 'rescore.json');
    const r = callqaSync(['rescore', '--program', 'support-en', '--data', data, '--json', out, call]);
    expect(r.code, r.stderr).toBe(0);
    rescored = JSON.parse(readFileSync(out, 'utf8')).calls[0].scorecard;
    expect(rescored.pipeline.id).toBe('support-en');
  }, 180_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('calls list shows the newest draft with the program that drafted it', () => {
    const r = callqaSync(['calls', 'list', '--json', '--data', data]);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Listed);
    expect(rows).toHaveLength(1);
    expect(rows[0].score).toBe(rescored.total);
    expect([rows[0].program, rows[0].programVersion]).toEqual(['support-en', rescored.pipeline.version]);
  });

  it('--program filters on that program', () => {
    const en = callqaSync(['calls', 'list', '--json', '--program', 'support-en', '--data', data]);
    expect(en.code, en.stderr).toBe(0);
    expect(en.stdout.trim().split('\n').filter(Boolean)).toHaveLength(1);
    const def = callqaSync(['calls', 'list', '--json', '--program', 'default', '--data', data]);
    expect(def.code, def.stderr).toBe(0);
    expect(def.stdout.trim()).toBe('');
  });

  it('calls export names the program and version of the score it exports', () => {
    const csv = path.join(work, 'calls.csv');
    const r = callqaSync(['calls', 'export', '-o', csv, '--data', data]);
    expect(r.code, r.stderr).toBe(0);
    const [head, row] = readFileSync(csv, 'utf8').replace(/^\uFEFF/, '').trim().split('\n').map((l) => l.split(','));
    const at = (name: string) => row[head.indexOf(name)];
    expect(at('program')).toBe('support-en');
    expect(at('programVersion')).toBe(rescored.pipeline.version);
    expect(Number(at('score'))).toBe(rescored.total);
  });
});
