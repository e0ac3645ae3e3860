import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioInfo, CallEvent, Transcript } from '../src/core/types.js';
import type { ScorecardDraft } from '../src/score/types.js';
import { openStore, type Store } from '../src/store/db.js';
import { RunLocks } from '../src/store/queue-repo.js';
import type { CompleteRunInput } from '../src/store/repository.js';

/**
 * The queue's fast path (queue-fast.ts: two round trips per stage job, statements pipelined on the claim's
 * connection) and the repositories must store the same rows: the same call is taken through both on the
 * PostgreSQL server and every stored column is compared. Values that broke the old hand-quoted SQL (a
 * pipeline version ending in the dollar-quote tag, `$$` and `$cq$` in a transcript) are part of the call.
 */
const ADMIN_URL = process.env.CALLQA_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `callqa_parity_${randomBytes(5).toString('hex')}`;
const dbUrl = (() => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${dbName}`;
  return u.toString();
})();

async function admin(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

let store: Store;
let locks: RunLocks;

beforeAll(async () => {
  await admin(`create database "${dbName}"`);
  store = await openStore({ databaseUrl: dbUrl });
  locks = new RunLocks(dbUrl, 2);
});

afterAll(async () => {
  await locks?.close();
  await store?.close();
  await admin(`drop database if exists "${dbName}" with (force)`);
}, 30_000);

const PIPELINE = { id: 'parity', version: '1$cq' }; // ends in the old literal's tag: `$cq$1$cq$cq$` broke every job
const info: AudioInfo = { format: 'wav', codec: 'pcm_s16le', durationSec: 42.5, channels: 2, sampleRate: 8000 };
const events: CallEvent[] = [
  { type: 'silence', speaker: null, start: 3.125, end: 9.75, details: { durationSec: 6.625, after: 'customer' } },
  { type: 'talk_over', speaker: 'customer', start: 12.25, end: 13.5, details: { overlapSec: 1.25, interrupted: 'agent' } },
  { type: 'hold', speaker: 'agent', start: 20, end: 30.5, details: { durationSec: 10.5, customerSpokeSec: 0 } },
];
const transcript: Transcript = {
  engine: 'sidecar-json',
  language: 'en',
  segments: [
    { speaker: 'agent', start: 0.5, end: 2, text: 'Hello $$ and $cq$ are just text', normText: 'hello $$ and $cq$ are just text', confidence: 0.9 },
    {
      speaker: 'customer',
      start: 2.5,
      end: 4,
      text: "it's 'quoted' \\ and \"double\"",
      normText: "it's 'quoted' \\ and \"double\"",
      words: [{ start: 2.5, end: 3, text: "it's", p: 0.8 }],
    },
  ],
};
const card = { total: 87, maxTotal: 100, note: 'ends with $cq' } as unknown as ScorecardDraft;
const result: CompleteRunInput = { events, transcript, metrics: { talkRatio: 0.62, x: null }, notes: ['a note $cq'], scorecard: card };
const t = (s: number) => new Date(Date.UTC(2026, 10, 30, 6, 0, s));
const outputs = {
  probe: { info, notes: ['probe $cq'] },
  audio: { events, metrics: { holdCount: 1 }, notes: [] },
  score: { scorecard: card },
};

async function newRun(tag: string): Promise<{ recordingId: string; runId: string }> {
  const rec = await store.repo.upsertRecording({ contentHash: `${tag}-${randomBytes(4).toString('hex')}`, path: `/calls/${tag}.wav`, fileName: 'call.wav', sizeBytes: 1000, metadata: { agentId: 'A1' } });
  const { run } = await store.repo.getOrCreateRun(rec.id, PIPELINE.id, PIPELINE.version, { callqa: 'test', 'input.metadata': 'abc$cq' });
  return { recordingId: rec.id, runId: run.id };
}

async function rows(runId: string, recordingId: string) {
  const q = async (text: string, values: unknown[]) => (await (store.db as unknown as { $client: pg.Pool }).$client.query(text, values)).rows;
  const [run] = await q(
    `select pipeline_id, pipeline_version, versions, status, stage, error, metrics, notes, attempts, started_at is not null as started,
       finished_at is not null as finished from analysis_runs where id = $1`,
    [runId],
  );
  return {
    run,
    recording: (await q('select format, codec, duration_sec, channels, sample_rate, metadata from recordings where id = $1', [recordingId]))[0],
    stageOutputs: await q('select stage, output, started_at, finished_at from stage_outputs where run_id = $1 order by stage', [runId]),
    events: await q('select type, speaker, start_sec, end_sec, details from events where run_id = $1 order by id', [runId]),
    transcripts: await q('select engine, model, language from transcripts where run_id = $1', [runId]),
    segments: await q('select idx, speaker, start_sec, end_sec, text, norm_text, words, confidence from transcript_segments where run_id = $1 order by idx', [runId]),
    scorecards: await q('select pipeline_id, pipeline_version, card from scorecards where run_id = $1', [runId]),
  };
}

describe('queue fast path and repositories store identical rows (PostgreSQL)', () => {
  it('a call through every stage, both ways', async () => {
    // Through the repositories, as the in-process runner does.
    const a = await newRun('repo');
    await store.repo.markRunStarted(a.runId, 'probe');
    await store.repo.saveStageOutput(a.runId, 'probe', outputs.probe, t(0), t(1));
    await store.repo.setRecordingInfo(a.recordingId, info);
    await store.repo.markStage(a.runId, 'audio');
    await store.repo.saveStageOutput(a.runId, 'audio', outputs.audio, t(1), t(5));
    await store.repo.markStage(a.runId, 'score');
    await store.repo.saveStageOutput(a.runId, 'score', outputs.score, t(5), t(6));
    await store.repo.completeRun(a.runId, result);

    // Through the fast path, as three queue jobs do.
    const b = await newRun('fast');
    let c = (await locks.claimAndLoad(b.runId))!;
    expect(c.load.run).toMatchObject({ id: b.runId, pipelineVersion: PIPELINE.version, status: 'pending' });
    expect(c.load.recording).toMatchObject({ id: b.recordingId, fileName: 'call.wav', metadata: { agentId: 'A1' } });
    await c.claim.markRunStarted('probe');
    await c.claim.saveAndRelease({ stage: 'probe', output: outputs.probe, startedAt: t(0), finishedAt: t(1), info: { recordingId: b.recordingId, info }, nextStage: 'audio' });
    c = (await locks.claimAndLoad(b.runId))!;
    expect(c.load.run).toMatchObject({ status: 'running', stage: 'audio' });
    expect(c.load.outputs.get('probe')).toEqual(outputs.probe);
    await c.claim.saveAndRelease({ stage: 'audio', output: outputs.audio, startedAt: t(1), finishedAt: t(5), nextStage: 'score' });
    c = (await locks.claimAndLoad(b.runId))!;
    // what the repository reads back equals what this job loaded (from the database or its own cache)
    const saved = new Map((await store.repo.loadStageOutputs(b.runId)).map((o) => [o.stage, o.output]));
    expect(Object.fromEntries(c.load.outputs)).toEqual(Object.fromEntries(saved));
    await c.claim.completeAndRelease({ stage: 'score', output: outputs.score, startedAt: t(5), finishedAt: t(6) }, PIPELINE, result);

    const ra = await rows(a.runId, a.recordingId);
    const rb = await rows(b.runId, b.recordingId);
    expect(ra.run).toMatchObject({ status: 'done', stage: 'score', attempts: 1, started: true, finished: true, pipeline_version: '1$cq' });
    expect(ra.events).toHaveLength(3);
    expect(ra.segments).toHaveLength(2);
    expect(ra.segments[0].text).toBe('Hello $$ and $cq$ are just text');
    expect(ra.scorecards).toEqual([{ pipeline_id: 'parity', pipeline_version: '1$cq', card }]);
    expect(rb).toEqual(ra);
    // and the report reads the same
    const [repA, repB] = [await store.repo.getRunReport(a.runId), await store.repo.getRunReport(b.runId)];
    expect(repB!.events).toEqual(repA!.events);
    expect(repB!.transcript).toEqual(repA!.transcript);
    expect(repB!.scorecard!.card).toEqual(repA!.scorecard!.card);
  }, 60_000);

  it('a failing write stores nothing, leaves the run as it was and lets go of the claim', async () => {
    const b = await newRun('fail');
    const c = (await locks.claimAndLoad(b.runId))!;
    await c.claim.markRunStarted('score');
    const bad = { ...result, transcript: { ...transcript, segments: [transcript.segments[0]!, { ...transcript.segments[1]!, start: 5, end: 4 }] } };
    await expect(c.claim.completeAndRelease({ stage: 'score', output: outputs.score, startedAt: t(0), finishedAt: t(1) }, PIPELINE, bad)).rejects.toThrow(
      /transcript_segments_span_check/,
    );
    const r = await rows(b.runId, b.recordingId);
    expect(r.run).toMatchObject({ status: 'running', stage: 'score', finished: false });
    expect(r.stageOutputs).toEqual([]);
    expect(r.events).toEqual([]);
    expect(r.segments).toEqual([]);
    expect(r.scorecards).toEqual([]);
    // the claim stays held until the job lets go (after marking the run failed), then it is free
    expect(await locks.claimAndLoad(b.runId)).toBeNull();
    await c.claim.release();
    // A claim whose write failed is let go by dropping its connection: the server ends that session (and its
    // advisory lock) a moment after the socket closes, so the run is free soon, not necessarily at once.
    let again: Awaited<ReturnType<typeof locks.claimAndLoad>> = null;
    for (let i = 0; i < 100 && !again; i++) {
      again = await locks.claimAndLoad(b.runId);
      if (!again) await new Promise((r) => setTimeout(r, 100));
    }
    expect(again).not.toBeNull();
    await again!.claim.release();
  }, 60_000);
});
