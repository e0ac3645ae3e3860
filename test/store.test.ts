/**
 * One store suite, run unchanged on embedded PGlite (temp folder) and on the PostgreSQL server
 * (a fresh database per run, dropped afterwards). PostgreSQL being down FAILS the suite: .ci/run starts it.
 * Server: CALLQA_TEST_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.js';
import type { AudioInfo, CallEvent, Transcript } from '../src/core/types.js';
import type { ScorecardDraft } from '../src/score/types.js';

/** The store keeps a draft as it is given: a stand-in object is enough to test storage. */
const card = (c: Record<string, unknown>) => c as unknown as ScorecardDraft;
import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import * as schema from '../src/store/schema.js';
import { MIGRATIONS_DIR, openStore, type OpenStoreOptions, type Store } from '../src/store/db.js';

const ADMIN_URL = process.env.CALLQA_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const info: AudioInfo = { format: 'wav', codec: 'pcm_s16le', durationSec: 62.5, channels: 2, sampleRate: 8000 };
const hash = () => randomBytes(32).toString('hex');

interface Backend {
  name: string;
  setup(): Promise<OpenStoreOptions>;
  teardown(): Promise<void>;
}

const pgliteBackend = (): Backend => {
  let dir = '';
  return {
    name: 'pglite',
    async setup() {
      dir = mkdtempSync(path.join(tmpdir(), 'callqa-store-'));
      return { dataDir: dir };
    },
    async teardown() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
};

const postgresBackend = (): Backend => {
  const dbName = `callqa_test_${randomBytes(6).toString('hex')}`;
  let created = false;
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
    try {
      await c.connect();
    } catch (err) {
      const e = err as { code?: string; message?: string };
      throw new Error(
        `PostgreSQL is not reachable at ${new URL(ADMIN_URL).host} (${e.code ?? e.message}); the store suite needs it: ` +
          'start it (.ci/run does) or set CALLQA_TEST_PG_ADMIN_URL',
        { cause: err },
      );
    }
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  return {
    name: 'postgres',
    async setup() {
      await admin((c) => c.query(`create database "${dbName}"`));
      created = true;
      const u = new URL(ADMIN_URL);
      u.pathname = `/${dbName}`;
      return { databaseUrl: u.toString() };
    },
    async teardown() {
      if (created) await admin((c) => c.query(`drop database if exists "${dbName}" with (force)`));
    },
  };
};

for (const makeBackend of [pgliteBackend, postgresBackend]) {
  const backend = makeBackend();
  describe(`store on ${backend.name}`, () => {
    let opts: OpenStoreOptions;
    let store: Store;

    beforeAll(async () => {
      opts = await backend.setup();
      store = await openStore(opts);
    });
    afterAll(async () => {
      await store?.close();
      await backend.teardown();
    });

    const newRecording = async (metadata = {}) =>
      store.repo.upsertRecording({ contentHash: hash(), path: '/audio/a.wav', fileName: 'a.wav', info, sizeBytes: 1_000_000, metadata });

    it('applies migrations on a fresh database, and re-opening is a no-op', async () => {
      expect(store.kind).toBe(backend.name);
      const tables = await store.db.execute(
        sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      );
      // exactly the tables the drizzle schema declares: the migrations and the schema agree
      const declared = Object.values(schema).filter((t) => is(t, PgTable)).map((t) => getTableName(t as PgTable)).sort();
      expect(declared).toContain('transcript_segments');
      expect((tables as unknown as { rows: Array<{ table_name: string }> }).rows.map((r) => r.table_name)).toEqual(declared);
      const { id } = await newRecording();
      const countMigrations = async (s: Store) => {
        const r = (await s.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown as {
          rows: Array<{ n: number }>;
        };
        return Number(r.rows[0]!.n);
      };
      const before = await countMigrations(store);
      expect(before).toBeGreaterThanOrEqual(1);

      // PGlite serves one process (and one open per folder): close before re-opening it.
      if (backend.name === 'pglite') await store.close();
      const again = await openStore(opts);
      try {
        expect(await countMigrations(again)).toBe(before);
        expect((await again.repo.getRecording(id))?.id).toBe(id);
      } finally {
        if (backend.name === 'pglite') store = again;
        else await again.close();
      }
    });

    it('upserts a recording idempotently by content hash', async () => {
      const contentHash = hash();
      const first = await store.repo.upsertRecording({
        contentHash,
        path: '/in/call 1.wav',
        fileName: 'call 1.wav',
        info,
        sizeBytes: 5_000_000_000, // beyond 32 bits
        metadata: { agentId: 'A7', team: 'blue' },
      });
      expect(first.created).toBe(true);
      const second = await store.repo.upsertRecording({
        contentHash,
        path: '/moved/call 1.wav',
        fileName: '通话 $(x).wav',
        info,
        sizeBytes: 5_000_000_000,
        metadata: { direction: 'inbound', team: 'red' },
      });
      expect(second).toEqual({ id: first.id, created: false });
      const row = await store.repo.getRecording(first.id);
      expect(row).toMatchObject({
        contentHash,
        path: '/moved/call 1.wav',
        fileName: '通话 $(x).wav',
        sizeBytes: 5_000_000_000,
        durationSec: 62.5,
        channels: 2,
        sampleRate: 8000,
        metadata: { agentId: 'A7', team: 'red', direction: 'inbound' },
      });
      expect((await store.repo.getRecordingByHash(contentHash))?.id).toBe(first.id);
    });

    it('records a file before probing (enqueue) and fills in the probe results later', async () => {
      const contentHash = hash();
      const { id, created } = await store.repo.upsertRecording({ contentHash, path: '/inbox/b.wav', fileName: 'b.wav', sizeBytes: 42 });
      expect(created).toBe(true);
      expect(await store.repo.getRecording(id)).toMatchObject({ format: null, durationSec: null, channels: null });
      await store.repo.setRecordingInfo(id, info);
      // a later upsert without info (the same file enqueued again) keeps the probe results
      await store.repo.upsertRecording({ contentHash, path: '/inbox/b.wav', fileName: 'b.wav', sizeBytes: 42 });
      expect(await store.repo.getRecording(id)).toMatchObject({ format: 'wav', codec: 'pcm_s16le', durationSec: 62.5, channels: 2, sampleRate: 8000 });
    });

    it('two concurrent getOrCreateRun for the same key yield one run', async () => {
      const { id } = await newRecording();
      const results = await Promise.all(
        Array.from({ length: 6 }, () => store.repo.getOrCreateRun(id, 'inbound-service', '1.0.0', { callqa: '0.1.0' })),
      );
      const ids = new Set(results.map((r) => r.run.id));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => !r.existing)).toHaveLength(1);
      expect(results[0]!.run).toMatchObject({ status: 'pending', attempts: 0, versions: { callqa: '0.1.0' } });
      // a new pipeline version is a new run
      const other = await store.repo.getOrCreateRun(id, 'inbound-service', '1.1.0');
      expect(other.existing).toBe(false);
      expect(other.run.id).not.toBe(results[0]!.run.id);
    });

    const sampleEvents: CallEvent[] = [
      { type: 'talk_over', speaker: 'customer', start: 12.25, end: 13.5, details: { overlapSec: 1.25, interrupted: 'agent' } },
      { type: 'silence', speaker: null, start: 3.125, end: 9.75, details: { durationSec: 6.625, after: 'customer' } },
      { type: 'hold', speaker: 'agent', start: 20, end: 80.5, details: { durationSec: 60.5, customerSpokeSec: 0 } },
      { type: 'backchannel', speaker: 'customer', start: 30, end: 30.4, details: { durationSec: 0.4 } },
    ];
    const sampleTranscript: Transcript = {
      engine: 'whisper',
      model: 'ggml-base',
      language: 'zh',
      segments: [
        { speaker: 'agent', start: 0.5, end: 2.75, text: '您好，很高興為您服務', normText: '您好很高兴为您服务', confidence: 0.91, words: [{ start: 0.5, end: 1, text: '您好', p: 0.98 }] },
        { speaker: 'customer', start: 3, end: 4.5, text: "Hello, I've a problem", normText: "hello i've a problem" },
      ],
    };

    it('round-trips a completed run into the report', async () => {
      const contentHash = hash();
      const { id } = await store.repo.upsertRecording({ contentHash, path: '/a.wav', fileName: 'a.wav', info, sizeBytes: 10, metadata: { agentId: 'A1' } });
      const { run } = await store.repo.getOrCreateRun(id, 'p', '1', { callqa: '0.1.0', lexicon: 'abc' });
      const started = await store.repo.markRunStarted(run.id, 'probe');
      expect(started).toMatchObject({ status: 'running', stage: 'probe', attempts: 1 });
      const t0 = new Date('2025-01-01T00:00:00Z');
      const t1 = new Date('2025-01-01T00:00:01.500Z');
      await store.repo.saveStageOutput(run.id, 'probe', { info }, t0, t1);
      await store.repo.markStage(run.id, 'audio');
      const timeline = { durationSec: 62.5, channels: [{ speaker: 'agent', speech: [{ start: 0.5, end: 2.75 }] }, { speaker: 'customer', speech: [] }], hold: [{ start: 10, end: 40.25 }] };
      expect(await store.repo.loadTimeline(run.id)).toBeNull();
      await store.repo.saveStageOutput(run.id, 'audio', { timeline }, t1, new Date(t1.getTime() + 2000));
      // a retried stage replaces its output
      await store.repo.saveStageOutput(run.id, 'probe', { info, again: true }, t0, t1);
      const outputs = await store.repo.loadStageOutputs(run.id);
      expect(outputs.map((o) => o.stage)).toEqual(['probe', 'audio']);
      expect(outputs[0]).toEqual({ stage: 'probe', output: { info, again: true }, startedAt: t0, finishedAt: t1 });

      await store.repo.completeRun(run.id, {
        events: sampleEvents,
        transcript: sampleTranscript,
        metrics: { talkRatio: 0.62, agentSpeechSec: 30.5, monoTalkOver: null },
        notes: ['hold music detected on a quiet line'],
        scorecard: card({ total: 87, items: [] }),
      });

      const report = await store.repo.findRunByHash(contentHash, 'p', '1');
      expect(report).not.toBeNull();
      expect(report!.recording).toMatchObject({ id, contentHash, metadata: { agentId: 'A1' } });
      expect(report!.run).toMatchObject({
        id: run.id,
        status: 'done',
        stage: 'audio',
        error: null,
        attempts: 1,
        versions: { callqa: '0.1.0', lexicon: 'abc' },
        metrics: { talkRatio: 0.62, agentSpeechSec: 30.5, monoTalkOver: null },
        notes: ['hold music detected on a quiet line'],
      });
      expect(report!.run.finishedAt).toBeInstanceOf(Date);
      expect(report!.events).toEqual([...sampleEvents].sort((a, b) => a.start - b.start));
      expect(report!.transcript).toEqual(sampleTranscript);
      expect(report!.scorecard).toMatchObject({ pipelineId: 'p', pipelineVersion: '1', card: { total: 87, items: [] } });
      expect(report!.stages.map((s) => [s.stage, s.durationSec])).toEqual([
        ['probe', 1.5],
        ['audio', 2],
      ]);
      expect(report!.timeline).toEqual(timeline);
      expect(await store.repo.loadTimeline(run.id)).toEqual(timeline);
      expect(await store.repo.getRunReport(run.id)).toEqual(report);

      // completing again replaces events and transcript rather than duplicating them
      await store.repo.completeRun(run.id, { events: sampleEvents.slice(0, 1), transcript: null, metrics: {}, notes: [] });
      const again = await store.repo.getRunReport(run.id);
      expect(again!.events).toEqual(sampleEvents.slice(0, 1));
      expect(again!.transcript).toBeNull();
      // and keeps the earlier draft, which re-scoring only ever adds to
      const rescored = await store.repo.addScorecard(run.id, 'p', '2', card({ total: 90 }));
      expect((await store.repo.getRunReport(run.id))!.scorecard).toEqual(rescored);
      expect((await store.repo.listScorecards(run.id)).map((c) => c.card)).toEqual([{ total: 87, items: [] }, { total: 90 }]);
    });

    it('completeRun is atomic: a failure mid-transaction stores nothing and leaves the run as it was', async () => {
      const { id } = await newRecording();
      const { run } = await store.repo.getOrCreateRun(id, 'p', '1');
      await store.repo.markRunStarted(run.id, 'detect');

      // The events insert succeeds, then a transcript segment breaks a CHECK constraint inside the transaction.
      const badTranscript: Transcript = {
        ...sampleTranscript,
        segments: [sampleTranscript.segments[0]!, { ...sampleTranscript.segments[1]!, start: 5, end: 4 }],
      };
      await expect(
        store.repo.completeRun(run.id, { events: sampleEvents, transcript: badTranscript, metrics: { x: 1 }, notes: [], scorecard: card({ total: 1 }) }),
      ).rejects.toThrow();
      let report = await store.repo.getRunReport(run.id);
      expect(report!.events).toEqual([]);
      expect(report!.transcript).toBeNull();
      expect(report!.scorecard).toBeNull();
      expect(report!.run).toMatchObject({ status: 'running', stage: 'detect', metrics: {}, finishedAt: null });

      // A done run keeps its earlier results when a later completion fails (the deletes roll back too).
      await store.repo.completeRun(run.id, { events: sampleEvents.slice(0, 2), transcript: sampleTranscript, metrics: { x: 1 }, notes: [] });
      const badEvents = [...sampleEvents, { type: 'silence', speaker: 'nobody', start: 1, end: 2 } as unknown as CallEvent];
      await expect(store.repo.completeRun(run.id, { events: badEvents, transcript: null, metrics: { x: 2 }, notes: [] })).rejects.toThrow();
      report = await store.repo.getRunReport(run.id);
      expect(report!.events).toHaveLength(2);
      expect(report!.transcript).toEqual(sampleTranscript);
      expect(report!.run).toMatchObject({ status: 'done', metrics: { x: 1 } });

      // Non-finite times are refused before the database is touched, naming the event.
      await expect(
        store.repo.completeRun(run.id, { events: [{ type: 'silence', speaker: null, start: 0, end: Number.NaN, details: { durationSec: Number.NaN, after: null } }], transcript: null, metrics: {}, notes: [] }),
      ).rejects.toThrow(/event 0 \(silence\)/);
    });

    it('stores a large run in chunks', async () => {
      const { id } = await newRecording();
      const { run } = await store.repo.getOrCreateRun(id, 'p', '1');
      const many: CallEvent[] = Array.from({ length: 2500 }, (_, i) => ({ type: 'silence', speaker: null, start: i, end: i + 0.5, details: { durationSec: 0.5, after: i % 2 ? 'agent' : null } }));
      await store.repo.completeRun(run.id, { events: many, transcript: null, metrics: {}, notes: [] });
      const report = await store.repo.getRunReport(run.id);
      expect(report!.events).toHaveLength(2500);
      expect(report!.events[2499]).toEqual(many[2499]);
    });

    it('counts and lists runs by status', async () => {
      const before = await store.repo.countRunsByStatus();
      const mk = async () => (await store.repo.getOrCreateRun((await newRecording()).id, 'count', '1')).run.id;
      const pending = await mk();
      const running = await mk();
      const done = await mk();
      const failed = await mk();
      await store.repo.markRunStarted(running, 'audio');
      await store.repo.markRunStarted(done, 'probe');
      await store.repo.completeRun(done, { events: [], transcript: null, metrics: {}, notes: [] });
      await store.repo.markRunStarted(failed, 'probe');
      await store.repo.failRun(failed, 'a.wav: not an audio file');

      const after = await store.repo.countRunsByStatus();
      expect(Object.keys(after).sort()).toEqual(['done', 'failed', 'pending', 'running']);
      expect(after.pending - before.pending).toBe(1);
      expect(after.running - before.running).toBe(1);
      expect(after.done - before.done).toBe(1);
      expect(after.failed - before.failed).toBe(1);

      const failedRuns = await store.repo.listRuns({ status: 'failed', limit: 50 });
      const f = failedRuns.find((r) => r.id === failed);
      expect(f).toMatchObject({ status: 'failed', error: 'a.wav: not an audio file', fileName: 'a.wav', stage: 'probe' });
      expect(failedRuns.every((r) => r.status === 'failed')).toBe(true);
      const open = await store.repo.listRuns({ status: ['pending', 'running'], limit: 1000, order: 'oldest' });
      expect(open.map((r) => r.id)).toEqual(expect.arrayContaining([pending, running]));
      expect(await store.repo.listRuns({ limit: 2 })).toHaveLength(2);

      await store.repo.resetRun(failed);
      expect(await store.repo.getRun(failed)).toMatchObject({ status: 'pending', error: null, attempts: 1 });
    });
  });
}

describe('store on postgres: several processes at once', () => {
  const backend = postgresBackend();
  let opts: OpenStoreOptions;
  beforeAll(async () => {
    opts = await backend.setup();
  });
  afterAll(() => backend.teardown());

  it('workers opening a fresh database together migrate it once', async () => {
    const stores = await Promise.all(Array.from({ length: 4 }, () => openStore({ ...opts, maxConnections: 2 })));
    try {
      const r = (await stores[0]!.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown as {
        rows: Array<{ n: number }>;
      };
      const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
      expect(r.rows[0]!.n).toBe(journal.entries.length);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('refuses a database whose schema is newer than this build', async () => {
    const s = await openStore(opts);
    await s.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('future', ${Date.now() + 86_400_000})`);
    await s.close();
    const err = await openStore(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/schema at .* is newer than this callqa/);
  });
});

describe('openStore failures are clear ConfigErrors', () => {
  it('names host:port and the cause when PostgreSQL is unreachable', async () => {
    const err = await openStore({ databaseUrl: 'postgres://u:secret@127.0.0.1:1/x', connectTimeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe('cannot connect to PostgreSQL at 127.0.0.1:1 (DATABASE_URL): ECONNREFUSED');
  });

  it('rejects an unusable data directory', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'callqa-store-'));
    try {
      const file = path.join(dir, 'not-a-dir');
      writeFileSync(file, 'x');
      const err = await openStore({ dataDir: file }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/data directory .*not-a-dir is unusable/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a second open of the same data directory', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'callqa-store-'));
    const s = await openStore({ dataDir: dir });
    try {
      const err = await openStore({ dataDir: dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/already open/);
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
