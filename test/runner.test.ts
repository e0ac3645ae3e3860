import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../src/audio/tools.js';
import { defaultPipeline } from '../src/pipeline/config.js';
import { STAGES } from '../src/pipeline/graph.js';
import { analyzeFile } from '../src/pipeline/runner.js';
import type { Stage } from '../src/pipeline/stage.js';
import { openStore, type Store } from '../src/store/db.js';

/**
 * The in-process runner's own promises, on a real sox/ffmpeg-made call and the embedded database: a call's
 * folder for files its stages leave each other is gone however the call ends, and a call analysed again from
 * the start keeps nothing of the earlier attempt when it fails.
 */
const work = mkdtempSync(join(tmpdir(), 'callqa-runner-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const wav = join(work, 'call.wav');
execFileSync(ffmpegPath(), ['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=300:d=4', '-f', 'lavfi', '-i', 'sine=f=500:d=4', '-filter_complex', 'amerge=inputs=2', '-ar', '8000', wav]);

describe('the in-process runner', () => {
  let store: Store;
  afterAll(async () => store?.close());
  const ctx = (stages?: readonly Stage[], force = false) => ({
    repo: store.repo,
    pipeline: defaultPipeline(),
    options: { transcribe: false },
    versions: {},
    force,
    ...(stages ? { stages } : {}),
  });

  it("removes the call's folder (the audio stage's decoded channels) when a later stage fails, and stores no stage output of the failed attempt", async () => {
    store = await openStore({ dataDir: join(work, 'data') });
    // first a real, complete analysis: five stage outputs stored
    const done = await analyzeFile({ path: wav, displayName: 'call.wav' }, ctx());
    expect(done.status).toBe('done');
    const runId = done.status === 'done' ? done.report.run.id : '';
    expect((await store.repo.loadStageOutputs(runId)).map((o) => o.stage).sort()).toEqual(['audio', 'detect', 'probe', 'score', 'transcribe']);

    // again from the start (--force), where the audio stage keeps decoded channels and the next stage fails
    let workDir: string | undefined;
    const keeps: Stage = {
      name: 'audio',
      async run(_state, c) {
        workDir = c.workDir;
        const dir = await mkdtemp(join(c.workDir!, 'callqa-decoded-'));
        writeFileSync(join(dir, 'ch0.s16le'), Buffer.alloc(3200));
        return { decoded: { dir, files: [join(dir, 'ch0.s16le')] } };
      },
    };
    const fails: Stage = { name: 'transcribe', run: () => Promise.reject(new Error('the engine fell over')) };
    const failed = await analyzeFile({ path: wav, displayName: 'call.wav' }, ctx([STAGES[0]!, keeps, fails], true));
    expect(failed.status).toBe('failed');
    expect(workDir).toBeDefined();
    expect(existsSync(workDir!)).toBe(false);
    const [run] = await store.repo.listRuns({ status: 'failed' });
    expect(run).toMatchObject({ id: runId, stage: 'transcribe', error: expect.stringMatching(/the engine fell over/) });
    // nothing of the earlier attempt is left to resume from (a retry starts at the probe)
    expect(await store.repo.loadStageOutputs(runId)).toEqual([]);
  }, 120_000);

  it('a field taken out of the call metadata (a corrected manifest) is gone from the report, as from the scoring', async () => {
    store ??= await openStore({ dataDir: join(work, 'data') });
    const first = await analyzeFile({ path: wav, displayName: 'call.wav', metadata: { agentId: 'A1', hungUpBy: 'agent', ringSec: 30 } }, ctx());
    expect(first.status === 'done' && first.report.recording.metadata).toEqual({ agentId: 'A1', hungUpBy: 'agent', ringSec: 30 });
    const again = await analyzeFile({ path: wav, displayName: 'call.wav', metadata: { agentId: 'A1' } }, ctx());
    expect(again.status).toBe('done');
    expect(again.status === 'done' && again.reanalysed).toEqual(['metadata changed']);
    expect(again.status === 'done' && again.report.recording.metadata).toEqual({ agentId: 'A1' });
    // and the same metadata once more is the same call: not analysed again
    const third = await analyzeFile({ path: wav, displayName: 'call.wav', metadata: { agentId: 'A1' } }, ctx());
    expect(third.status).toBe('cached');
  }, 120_000);

  it('a call stopped before it starts is not analysed', async () => {
    const ac = new AbortController();
    ac.abort();
    const out = await analyzeFile({ path: wav, displayName: 'call.wav' }, { ...ctx(undefined, true), signal: ac.signal });
    expect(out.status).toBe('failed');
    expect(out.status === 'failed' && out.error.message).toMatch(/interrupted before it finished/);
  }, 60_000);
});
