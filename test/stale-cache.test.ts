import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { CallReport } from '../src/pipeline/report.js';
import { openStore } from '../src/store/db.js';

/**
 * A finished analysis is reused only while everything it was made from is unchanged (issue 16, "stale
 * results"): the real CLI on a shipped sample with its sidecar transcript, the embedded database on disk.
 * Correcting the sidecar or changing the call's metadata analyses the call again, and the table and the
 * report say why; the same inputs again are served from the database.
 */
const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'src', 'cli', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'callqa-stale-'));
const data = join(work, 'data');
const call = join(work, 'call.ogg');
const sidecar = join(work, 'call.transcript.json');
copyFileSync(join(ROOT, 'samples', 'en-billing-bad.ogg'), call);
copyFileSync(join(ROOT, 'samples', 'en-billing-bad.transcript.json'), sidecar);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function analyze(...extra: string[]): Promise<{ code: number; stdout: string; stderr: string; report: CallReport }> {
  const json = join(work, 'report.json');
  rmSync(json, { force: true });
  return new Promise((resolve, reject) => {
    const args = [BIN, 'analyze', '--data', data, '--pipeline', 'support-en', '--no-transcribe', '--json', json, call, ...extra];
    const p = spawn(process.execPath, args, { cwd: work, env: { ...process.env, DATABASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => {
      try {
        const report = (JSON.parse(readFileSync(json, 'utf8')) as { calls: CallReport[] }).calls[0]!;
        resolve({ code: code ?? -1, stdout, stderr, report });
      } catch (err) {
        reject(new Error(`no report (exit ${code}): ${stderr}`, { cause: err }));
      }
    });
  });
}

const statusCell = (stdout: string) => stdout.split('\n').find((l) => l.includes('call.ogg')) ?? '';

// Each step runs the real CLI (a few seconds on an idle machine); the timeouts allow for a loaded one.
describe('cache key covers the inputs, and the table says why a call was re-analysed', () => {
  let first: CallReport;
  it('first analysis, then the same inputs are cached', async () => {
    const r = await analyze();
    first = r.report;
    expect(r.code).toBe(0);
    expect(first.status).toBe('done');
    expect(first.reanalysed).toBeUndefined();
    expect(first.events.some((e) => e.type === 'greeting')).toBe(false);
    const again = await analyze();
    expect(again.report.status).toBe('cached');
    expect(statusCell(again.stdout)).toMatch(/cached/);
    expect(statusCell(again.stdout)).not.toMatch(/re-analysed/);
  }, 300_000);

  it('a corrected sidecar transcript is analysed again, and its findings change', async () => {
    expect(first.events.some((e) => e.type === 'greeting')).toBe(false);
    // the agent's first words corrected from "Yeah, billing." to a proper greeting
    const t = JSON.parse(readFileSync(sidecar, 'utf8')) as { segments: { text: string }[] };
    t.segments[0]!.text = 'Good morning, thank you for calling, this is billing.';
    writeFileSync(sidecar, JSON.stringify(t, null, 1));
    const after = await analyze();
    expect(after.code).toBe(0);
    expect(after.report.status).toBe('done');
    expect(after.report.reanalysed).toEqual(['transcript changed']);
    expect(statusCell(after.stdout)).toMatch(/done \(re-analysed: transcript changed\)/);
    expect(after.report.events.some((e) => e.type === 'greeting')).toBe(true);
    expect((after.report.transcript?.segments[0] as { text: string }).text).toMatch(/^Good morning/);
  }, 300_000);

  it('the transcript handed over as SubRip or as Amazon Transcribe Call Analytics JSON instead: its content is in the key too', async () => {
    // the same call's transcript as SubRip, the JSON sidecar gone: a new source, analysed again
    const t = JSON.parse(readFileSync(sidecar, 'utf8')) as { segments: { speaker: string; start: number; end: number; text: string }[] };
    const ts = (sec: number) => new Date(Math.round(sec * 1000)).toISOString().slice(11, 23).replace('.', ',');
    const srt = (segs: typeof t.segments) => segs.map((s, i) => `${i + 1}\n${ts(s.start)} --> ${ts(s.end)}\n${s.speaker === 'agent' ? 'Agent' : 'Customer'}: ${s.text}\n`).join('\n');
    const srtFile = join(work, 'call.transcript.srt');
    rmSync(sidecar);
    writeFileSync(srtFile, srt(t.segments));
    const asSrt = await analyze();
    expect(asSrt.report.status).toBe('done');
    expect(asSrt.report.reanalysed).toEqual(['transcript changed']);
    expect(asSrt.report.transcript?.engine).toBe('sidecar-srt');
    expect(asSrt.report.events.some((e) => e.type === 'greeting')).toBe(true);
    expect((await analyze()).report.status).toBe('cached');
    // a corrected line in the SubRip file: analysed again, the greeting gone with it
    writeFileSync(srtFile, srt([{ ...t.segments[0]!, text: 'Yeah, billing.' }, ...t.segments.slice(1)]));
    const corrected = await analyze();
    expect(corrected.report.reanalysed).toEqual(['transcript changed']);
    expect(corrected.report.events.some((e) => e.type === 'greeting')).toBe(false);
    // Call Analytics JSON beside it wins over SubRip (JSON first): analysed again from that file
    const ca = { JobStatus: 'COMPLETED', LanguageCode: 'en-US', Transcript: t.segments.map((s) => ({ ParticipantRole: s.speaker.toUpperCase(), Content: s.text, BeginOffsetMillis: Math.round(s.start * 1000), EndOffsetMillis: Math.round(s.end * 1000) })) };
    writeFileSync(sidecar, JSON.stringify(ca));
    const asCa = await analyze();
    expect(asCa.report.reanalysed).toEqual(['transcript changed']);
    expect(asCa.report.transcript?.engine).toBe('sidecar-aws-call-analytics');
    expect(asCa.report.events.some((e) => e.type === 'greeting')).toBe(true);
    rmSync(srtFile);
    expect((await analyze()).report.status).toBe('cached');
  }, 600_000);

  it('changed call metadata is analysed again; then cached again', async () => {
    const changed = await analyze('--meta', 'agent_id=A17', 'team=blue');
    expect(changed.report.status).toBe('done');
    expect(changed.report.reanalysed).toEqual(['metadata changed']);
    expect(statusCell(changed.stdout)).toMatch(/re-analysed: metadata changed/);
    expect(changed.report.metadata).toMatchObject({ agentId: 'A17', team: 'blue' });
    const same = await analyze('--meta', 'agent_id=A17', 'team=blue');
    expect(same.report.status).toBe('cached');
    const forced = await analyze('--meta', 'agent_id=A17', 'team=blue', '--force');
    expect(forced.report.reanalysed).toEqual(['forced (--force)']);
  }, 400_000);

  it('a result made by another build of the analysis code is analysed again (an upgrade under the same version number)', async () => {
    // the run as an older callqa would have left it: the same inputs, another fingerprint of the detectors' code
    const store = await openStore({ dataDir: data });
    try {
      await store.db.execute(sql`update analysis_runs set versions = jsonb_set(versions, '{input.code}', '"0000000000000000"')`);
    } finally {
      await store.close();
    }
    const after = await analyze('--meta', 'agent_id=A17', 'team=blue');
    expect(after.report.status).toBe('done');
    expect(after.report.reanalysed).toEqual(['analysis code changed (another callqa build)']);
    expect((await analyze('--meta', 'agent_id=A17', 'team=blue')).report.status).toBe('cached');
  }, 300_000);
});
