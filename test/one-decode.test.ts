import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../src/audio/tools.js';
import { InputError } from '../src/core/errors.js';
import { defaultPipeline } from '../src/pipeline/config.js';
import { hashFile } from '../src/pipeline/files.js';
import { STAGES } from '../src/pipeline/graph.js';
import { createStagePool } from '../src/pipeline/stage-pool.js';
import { resolvePipeline } from '../src/pipeline/loader.js';
import { emptyState, mergeState, type StageContext } from '../src/pipeline/stage.js';
import { audioStage } from '../src/pipeline/stages/audio.js';
import { probeStage } from '../src/pipeline/stages/probe.js';
import { makeTranscribeStage } from '../src/pipeline/stages/transcribe.js';
import { openQueueContext, type QueueContext } from '../src/queue/context.js';
import { enqueueRecording, reconcile, type EnqueueRequest } from '../src/queue/enqueue.js';
import { AuditService } from '../src/services/audit.js';
import { QueueOperations } from '../src/services/operations.js';
import { PersonalDataService } from '../src/services/personal-data.js';
import { systemActor } from '../src/services/types.js';
import { artifactScope } from '../src/queue/storage.js';
import { startWorkers, type RunningWorkers } from '../src/queue/worker.js';
import type { StageName } from '../src/pipeline/stage.js';
import { extractChannelPcm } from '../src/transcribe/audio-io.js';
import type { TranscribeRequest, Transcriber } from '../src/transcribe/transcriber.js';
import { WhisperTranscriber } from '../src/transcribe/whisper.js';
import { admin, deleteKeys, queueTestEnv, REDIS_URL, waitFor } from './support/queue-env.js';

/**
 * One decode per call (issue 10): in the in-process runner the audio stage's ffmpeg decode also feeds
 * whisper, so the transcribe stage does not run ffmpeg on the recording again. Checked on a real
 * sox-made stereo call with real ffmpeg: the files handed to the transcriber are byte-for-byte what the
 * transcribe stage's own per-channel decode makes, and they are gone once the stage has run.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'callqa-one-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const call = path.join(dir, 'call.wav');
// 8 kHz stereo (the telephone case: resampled to 16 kHz for whisper), each side its own tone and rhythm
const side = (name: string, hz: number, tremoloHz: number) => {
  const f = path.join(dir, name);
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', f, 'synth', '6', 'sine', String(hz), 'tremolo', String(tremoloHz), '100']);
  return f;
};
execFileSync('sox', ['-M', side('left.wav', 300, 0.5), side('right.wav', 1100, 1.7), call]);
// whisper will run only if a model is there; the engine itself is swapped out below
const model = path.join(dir, 'ggml-fake.bin');
writeFileSync(model, 'not a real model');

function ctx(sameProcess: boolean): StageContext {
  return {
    recording: { id: 'r', path: call, displayName: 'call.wav', contentHash: 'h', metadata: {} },
    pipeline: defaultPipeline(),
    options: { transcribe: true, model },
    sameProcess,
  };
}

/** Runs the transcribe stage with an engine that only records what it was handed (no model can run here). */
async function transcribeRequestOf(state: Parameters<ReturnType<typeof makeTranscribeStage>['run']>[0], c: StageContext): Promise<TranscribeRequest> {
  let req: TranscribeRequest | undefined;
  const recorder: Transcriber = {
    engine: 'whisper',
    model: 'fake',
    async transcribe(r) {
      req = r;
      return { transcript: { engine: 'whisper', language: 'en', segments: [] }, stats: { audioSecTranscribed: 0, whisperSec: 0, droppedSegments: 0, threads: 1 } };
    },
  };
  await makeTranscribeStage(() => recorder).run(state, c);
  if (!req) throw new Error('the transcribe stage did not call the engine');
  return req;
}

describe('one decode per call', () => {
  it('the audio stage decodes once for both analysis and whisper, byte-identical to a decode of its own', async () => {
    const c = ctx(true);
    let state = mergeState(emptyState(), await probeStage.run(emptyState(), c));
    state = mergeState(state, await audioStage.run(state, c));
    expect(state.decoded?.files).toHaveLength(2);
    const decodedDir = state.decoded!.dir;

    const seen: TranscribeRequest[] = [];
    const copies: Buffer[] = [];
    const fake: Transcriber = {
      engine: 'whisper',
      model: 'fake',
      async transcribe(req) {
        seen.push(req);
        for (const ch of req.channels) copies.push(readFileSync(ch.pcmFile!));
        return { transcript: { engine: 'whisper', language: 'en', segments: [] }, stats: { audioSecTranscribed: 0, whisperSec: 0, droppedSegments: 0, threads: 1 } };
      },
    };
    await makeTranscribeStage(() => fake).run(state, c);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.channels.map((ch) => ch.channel)).toEqual([0, 1]);
    for (const [i, ch] of seen[0]!.channels.entries()) {
      expect(ch.pcmFile).toBe(state.decoded!.files[i]);
      const own = path.join(dir, `own${i}.pcm`);
      const { samples } = await extractChannelPcm(call, i, own);
      expect(samples).toBeGreaterThan(6 * 16000 - 100);
      expect(copies[i]!.equals(readFileSync(own))).toBe(true);
    }
    // used once, then removed
    expect(existsSync(decodedDir)).toBe(false);
  }, 60_000);

  it('with --jobs (stages on worker threads of this process) the audio stage still keeps its decode for the transcribe stage', async () => {
    const pool = createStagePool(2, defaultPipeline());
    try {
      const c = ctx(true);
      let state = mergeState(emptyState(), (await pool.execute(probeStage, emptyState(), c)).output);
      state = mergeState(state, (await pool.execute(audioStage, state, c)).output);
      // kept by a worker thread, on disk where the transcribe stage (any thread) finds it
      expect(state.decoded?.files).toHaveLength(2);
      for (const f of state.decoded!.files) expect(existsSync(f)).toBe(true);
      const req = await transcribeRequestOf(state, c);
      expect(req.channels.map((ch) => ch.pcmFile)).toEqual(state.decoded!.files);
      expect(existsSync(state.decoded!.dir)).toBe(false);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('stages in separate processes with nowhere to keep files (no artifacts): nothing is kept, the transcribe stage decodes itself', async () => {
    const c = ctx(false);
    let state = mergeState(emptyState(), await probeStage.run(emptyState(), c));
    state = mergeState(state, await audioStage.run(state, c));
    expect(state.decoded).toBeUndefined();
    const req = await transcribeRequestOf(state, c);
    expect(req.channels.every((ch) => ch.pcmFile === undefined)).toBe(true);
  }, 60_000);
});

/**
 * The queue path (issue 10): the stages of a call run as jobs, perhaps on different workers, so the audio
 * stage keeps its decoded channels as the run's artifacts (in the storage folder every worker reads) and the
 * transcribe stage reads them. Real Redis, real PostgreSQL, real ffmpeg behind a wrapper that logs every
 * run, on real human speech (two Asterisk voices, 8 kHz, one per channel), through the real whisper adapter
 * (its own decode when no decoded channel is handed to it, the gated WAVs). Only whisper-cli is a stand-in
 * (no model can be downloaded here) that answers with no segments; the test records what the adapter got.
 */
describe('one decode per call in the queue', () => {
  const qdir = mkdtempSync(path.join(tmpdir(), 'callqa-qdecode-'));
  const storageDir = path.join(qdir, 'storage');
  const q = queueTestEnv('qdecode', { CALLQA_STORAGE_DIR: storageDir, CALLQA_JOB_ATTEMPTS: '1' });
  const ffmpegLog = path.join(qdir, 'ffmpeg.log');
  const sounds = '/usr/share/asterisk/sounds';
  let ctx: QueueContext | undefined;
  let redis: Redis | undefined;
  const savedFfmpeg = process.env.FFMPEG_PATH;
  const seen = new Map<string, TranscribeRequest>();
  const copies = new Map<string, Buffer[]>();
  const workerLog: string[] = [];

  /** A stereo call of real speech: the agent (Allison) on the left, the customer (Carlo) on the right. */
  function realCall(name: string, agentPrompts: string[], customerPrompts: string[]): string {
    const agent = path.join(qdir, `${name}-agent.wav`);
    const customer = path.join(qdir, `${name}-customer.wav`);
    execFileSync('sox', [...agentPrompts.map((p) => `${sounds}/en_US_f_Allison/${p}.wav`), agent, 'pad', '0.3', '2']);
    execFileSync('sox', [...customerPrompts.map((p) => `${sounds}/it_IT_m_Carlo/${p}.wav`), customer, 'pad', '1.5', '0.5']);
    const out = path.join(qdir, `${name}.wav`);
    execFileSync('sox', ['-M', agent, customer, out]);
    return out;
  }

  /** ffmpeg runs that read the recording (by its storage key: the content hash). */
  function decodesOf(contentHash: string): number {
    if (!existsSync(ffmpegLog)) return 0;
    return readFileSync(ffmpegLog, 'utf8').split('\n').filter((l) => l.includes(contentHash)).length;
  }

  const standInCli = path.join(qdir, 'whisper-cli');
  const whisperLog = path.join(qdir, 'whisper.log');
  writeFileSync(standInCli, `#!/bin/sh\necho run >> '${whisperLog}'\n` + 'while [ $# -gt 0 ]; do [ "$1" = -of ] && out="$2"; shift; done\nprintf \'{"transcription":[]}\' > "$out.json"\n');
  chmodSync(standInCli, 0o755);
  const whisper = new WhisperTranscriber({ model: { name: 'stand-in', path: model }, cliPath: standInCli, threads: 1 });
  const fake: Transcriber = {
    engine: 'whisper',
    model: 'stand-in',
    async transcribe(req) {
      const hash = path.basename(req.audioPath).replace(/\.\w+$/, '');
      seen.set(hash, req);
      copies.set(hash, req.channels.map((ch) => (ch.pcmFile ? readFileSync(ch.pcmFile) : Buffer.alloc(0))));
      if (hash === failingHash) throw new InputError(req.audioPath, 'the stand-in recogniser refuses this call');
      return whisper.transcribe(req);
    },
  };
  let failingHash = '';
  let doneRunId = '';
  let keptCall = '';
  const stages = STAGES.map((s) => (s.name === 'transcribe' ? makeTranscribeStage(() => fake) : s));
  let req: EnqueueRequest;

  async function runWorkers(serve: StageName[], until: () => Promise<boolean>): Promise<void> {
    const w: RunningWorkers = await startWorkers(ctx!, {
      stages: serve,
      concurrency: {},
      defaultConcurrency: 1,
      reconcileAtStart: false,
      reconcileEverySec: 0,
      log: (line) => workerLog.push(line),
    });
    try {
      await waitFor(`stages ${serve.join(',')} to finish`, async () => until(), 120_000, () => workerLog.join('\n'));
    } finally {
      await w.stop('test done');
    }
  }

  async function enqueue(file: string): Promise<{ runId: string; hash: string }> {
    const o = await enqueueRecording(ctx!, { path: file, displayName: path.basename(file) }, req);
    expect(o.status, o.error).toBe('queued');
    return { runId: o.runId!, hash: await hashFile(file) };
  }
  const statusOf = async (runId: string) => (await ctx!.store.repo.getRun(runId))?.status;
  const artifactDir = (runId: string) => path.join(storageDir, 'artifacts', artifactScope(q.prefix, q.dbUrl), runId);

  afterAll(async () => {
    if (savedFfmpeg === undefined) delete process.env.FFMPEG_PATH;
    else process.env.FFMPEG_PATH = savedFfmpeg;
    await ctx?.close().catch(() => undefined);
    if (redis) {
      await deleteKeys(redis, `${q.prefix}:*`);
      redis.disconnect();
    }
    await admin(`drop database if exists "${q.dbName}" with (force)`).catch(() => undefined);
    rmSync(qdir, { recursive: true, force: true });
    rmSync(q.dir, { recursive: true, force: true });
  });

  it('set-up: servers, a counting ffmpeg, a model file for the stand-in', async () => {
    await admin(`create database "${q.dbName}"`);
    mkdirSync(storageDir, { recursive: true });
    const wrapper = path.join(qdir, 'ffmpeg');
    writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${ffmpegLog}'\nexec '${ffmpegPath()}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    process.env.FFMPEG_PATH = wrapper;
    expect(ffmpegPath()).toBe(wrapper);
    ctx = await openQueueContext({ env: q.env, stages });
    redis = new Redis(REDIS_URL);
    req = { pipeline: resolvePipeline('default'), options: { transcribe: true, model } };
  });

  it('the audio stage decodes once; the transcribe stage reads its channels from the storage folder; they are gone once the call is done', async () => {
    const call = realCall('kept', ['agent-loginok', 'auth-thankyou'], ['agent-pass', 'calling']);
    const { runId, hash } = await enqueue(call);
    doneRunId = runId;
    keptCall = call;
    await runWorkers(['probe', 'audio', 'transcribe'], async () => (await ctx!.store.repo.getRun(runId))?.stage === 'detect');
    // used by the transcribe stage, then removed at once (not left for the run's end)
    expect(existsSync(artifactDir(runId))).toBe(false);
    await runWorkers(['detect', 'score'], async () => (await statusOf(runId)) === 'done');

    expect(decodesOf(hash)).toBe(1);
    expect(readFileSync(ffmpegLog, 'utf8')).not.toMatch(/decoded-ch/); // nor were the kept channels decoded again
    const r = seen.get(hash)!;
    expect(r.channels.map((ch) => ch.channel)).toEqual([0, 1]);
    for (const [i, ch] of r.channels.entries()) {
      expect(ch.pcmFile, `channel ${i} read from the run's artifacts`).toBe(path.join(artifactDir(runId), `decoded-ch${i}.s16le`));
      // byte for byte what the transcribe stage's own decode of that channel makes
      const own = path.join(qdir, `own-kept-${i}.pcm`);
      const { samples } = await extractChannelPcm(call, i, own);
      expect(samples).toBeGreaterThan(16000 * 3);
      expect(copies.get(hash)![i]!.equals(readFileSync(own))).toBe(true);
    }
    // the adapter went on to run (the stand-in) whisper-cli on each side's speech
    expect(readFileSync(whisperLog, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(existsSync(artifactDir(runId))).toBe(false);
    expect(workerLog.join('\n')).not.toMatch(/decoding the recording again/);
  }, 240_000);

  it('decoded channels missing (a worker without the shared folder): the transcribe stage decodes each channel itself and says so', async () => {
    const call = realCall('lost', ['agent-newlocation', 'activated'], ['agent-incorrect', 'added']);
    const { runId, hash } = await enqueue(call);
    await runWorkers(['probe', 'audio'], async () => (await ctx!.store.repo.getRun(runId))?.stage === 'transcribe');
    expect(readdirSync(artifactDir(runId)).sort()).toEqual(['decoded-ch0.s16le', 'decoded-ch1.s16le']);
    rmSync(artifactDir(runId), { recursive: true });
    await runWorkers(['transcribe', 'detect', 'score'], async () => (await statusOf(runId)) === 'done');

    expect(decodesOf(hash)).toBe(3); // the audio stage's, then one per channel for whisper
    expect(seen.get(hash)!.channels.every((ch) => ch.pcmFile === undefined)).toBe(true);
    expect(workerLog.join('\n')).toMatch(new RegExp(`transcribe ${runId}: the decoded channels the audio stage kept are not in storage folder .*: decoding the recording again`));
  }, 240_000);

  it('a call that fails after the audio stage leaves no artifacts behind', async () => {
    const call = realCall('failing', ['agent-user', 'cancelled'], ['auth-thankyou', 'agent-loggedoff']);
    failingHash = await hashFile(call);
    const { runId, hash } = await enqueue(call);
    await runWorkers(['probe', 'audio'], async () => (await ctx!.store.repo.getRun(runId))?.stage === 'transcribe');
    expect(existsSync(path.join(artifactDir(runId), 'decoded-ch0.s16le'))).toBe(true);
    await runWorkers(['transcribe', 'detect', 'score'], async () => (await statusOf(runId)) === 'failed');

    expect(seen.get(hash)!.channels.every((ch) => ch.pcmFile !== undefined)).toBe(true);
    expect(decodesOf(hash)).toBe(1);
    expect(existsSync(artifactDir(runId))).toBe(false);
  }, 240_000);

  it('reconcile removes the artifacts an ended run left behind (its end came on another machine), and keeps those of unfinished runs', async () => {
    const call = realCall('pending', ['agent-alreadyon'], ['agent-user']);
    const { runId: pendingRunId } = await enqueue(call); // no worker runs: it stays pending
    const leftovers = [doneRunId, randomUUID(), pendingRunId];
    for (const id of leftovers) {
      mkdirSync(artifactDir(id), { recursive: true });
      writeFileSync(path.join(artifactDir(id), 'decoded-ch0.s16le'), Buffer.alloc(64));
    }
    const r = await reconcile(ctx!);
    expect(r.artifactsRemoved).toBe(2);
    expect(existsSync(artifactDir(doneRunId))).toBe(false);
    expect(existsSync(artifactDir(leftovers[1]!))).toBe(false);
    expect(existsSync(path.join(artifactDir(pendingRunId), 'decoded-ch0.s16le'))).toBe(true);
  }, 120_000);

  it('erasing a call (callqa data) removes its copy in the storage folder; the same file enqueued again is refused and not copied', async () => {
    const run = (await ctx!.store.repo.getRun(doneRunId))!;
    const rec = (await ctx!.store.repo.getRecording(run.recordingId))!;
    expect(rec.path).toMatch(/^storage:/);
    const copy = await ctx!.storage.localPath(rec.path);
    expect(existsSync(copy)).toBe(true);
    const svc = new PersonalDataService(ctx!.store, new AuditService(ctx!.store.db, () => new Date()), { mediaDir: path.join(qdir, 'media'), now: () => new Date(), storage: ctx!.storage });
    const r = await svc.erase(systemActor('test'), { callIds: [rec.id] }, { reason: 'request' });
    expect(r.erased.map((c) => c.id)).toEqual([rec.id]);
    expect(r.filesDeleted).toContain(copy);
    expect(r.audioLeft).toEqual([]); // the storage copy was callqa's; the file enqueue read stays the user's
    expect(existsSync(copy)).toBe(false);
    expect(existsSync(keptCall)).toBe(true);
    const again = await enqueueRecording(ctx!, { path: keptCall, displayName: 'kept-again.wav' }, req);
    expect(again.status).toBe('error');
    expect(again.error).toMatch(/^kept-again\.wav: this recording was erased at a data-subject request on \d{4}-\d{2}-\d{2}/);
    expect(existsSync(copy)).toBe(false);
    expect(await ctx!.store.repo.getRecordingByHash(rec.contentHash)).toBeNull();
  }, 120_000);

  it("erasing a call whose job failed removes the job from Redis too (its error text names the file)", async () => {
    const rec = (await ctx!.store.repo.getRecordingByHash(failingHash))!;
    const run = (await ctx!.store.repo.listRuns({ status: 'failed', limit: 1000 })).find((r) => r.recordingId === rec.id)!;
    const key = { contentHash: failingHash, pipelineId: run.pipelineId, pipelineVersion: run.pipelineVersion };
    const before = await ctx!.queues.jobsOf(key);
    expect(before.map((j) => j.state)).toContain('failed');
    expect(before.find((j) => j.state === 'failed')!.failedReason).toMatch(/stand-in recogniser refuses/);
    const ops = await QueueOperations.open({ env: q.env });
    try {
      const svc = new PersonalDataService(ctx!.store, new AuditService(ctx!.store.db, () => new Date()), { mediaDir: path.join(qdir, 'media'), now: () => new Date(), storage: ctx!.storage, jobs: ops });
      const r = await svc.erase(systemActor('test'), { callIds: [rec.id] }, { reason: 'request' });
      expect(r.erased.map((c) => c.id)).toEqual([rec.id]);
      expect(r.queueJobsRemoved).toBe(before.length);
    } finally {
      await ops.close();
    }
    expect(await ctx!.queues.jobsOf(key)).toEqual([]);
  }, 120_000);

  it('the same bytes under another name with another transcript, while the first is still queued: a duplicate (skipped), or with --force refused; neither changes anything', async () => {
    const a = realCall('twin-a', ['agent-user'], ['agent-pass']);
    const b = path.join(qdir, 'twin-b.wav');
    copyFileSync(a, b);
    const sidecar = (text: string) => JSON.stringify({ language: 'en', segments: [{ speaker: 'agent', start: 0.3, end: 1.2, text }] });
    writeFileSync(path.join(qdir, 'twin-a.transcript.json'), sidecar('thank you for calling'));
    writeFileSync(path.join(qdir, 'twin-b.transcript.json'), sidecar('please hold the line'));
    const first = await enqueueRecording(ctx!, { path: a, displayName: 'twin-a.wav', metadata: { agentId: 'A1' } }, req);
    expect(first.status).toBe('queued'); // no worker runs: it stays pending
    const hash = await hashFile(a);
    const copy = path.join(storageDir, hash.slice(0, 2), `${hash}.transcript.json`);
    expect(readFileSync(copy, 'utf8')).toContain('thank you for calling');

    const second = await enqueueRecording(ctx!, { path: b, displayName: 'twin-b.wav', metadata: { agentId: 'B2' } }, req);
    expect(second).toMatchObject({ status: 'duplicate', duplicateOf: 'twin-a.wav' });
    expect(second.reason).toMatch(/^duplicate of twin-a\.wav, being analysed: identical audio, one recording; not queued/);
    // --force asks for it as that recording: not while the queued call would have its inputs changed under it
    const forced = await enqueueRecording(ctx!, { path: b, displayName: 'twin-b.wav', metadata: { agentId: 'B2' } }, { ...req, force: true });
    expect(forced.status).toBe('error');
    expect(forced.error).toMatch(/^twin-b\.wav: the same recording \(identical bytes\) is being analysed now as twin-a\.wav from other inputs \(.*transcript.*\); enqueue this file again once that call is done$/);
    // the queued call's inputs are as they were: its recording row and the storage copy's sidecar
    const rec = (await ctx!.store.repo.getRecordingByHash(hash))!;
    expect([rec.fileName, rec.metadata.agentId]).toEqual(['twin-a.wav', 'A1']);
    expect(readFileSync(copy, 'utf8')).toContain('thank you for calling');
    // the first file again, unchanged, is that call in progress
    expect((await enqueueRecording(ctx!, { path: a, displayName: 'twin-a.wav', metadata: { agentId: 'A1' } }, req)).status).toBe('in-progress');
  }, 120_000);
});
