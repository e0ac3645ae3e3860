/**
 * Migration 0011 (recordings.source_path) on a database that already holds recordings, the upgrade every
 * existing install goes through: a database made at migration 0010 (the embedded one and a REAL PostgreSQL
 * server), rows written the way callqa 0010 wrote them (a recording analysed where it lies, one enqueued where it
 * lies, one enqueued into a storage folder: `storage:...`), then opened by this callqa. The paths are kept as
 * their source; a storage copy has no known source (null), and the duplicate rule then takes its file to be there
 * still (src/pipeline/duplicates.ts).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrationsConfig, openStore } from '../src/store/db.js';
import { copyTemplate, ensureTemplate, type MigrationsConfig } from '../src/store/pglite-create.js';
import { admin, ADMIN_URL } from './support/queue-env.js';

const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };

let root: string;
const savedCache = process.env.CALLQA_CACHE_DIR;

/** The migrations as callqa shipped them up to 0010 (before recordings kept where they came from). */
function migrationsTo0010(): MigrationsConfig {
  const dir = path.join(root, 'migrations-0010');
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const upTo = journal.entries.findIndex((e) => e.tag.startsWith('0010_'));
  expect(upTo).toBeGreaterThan(0);
  writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo + 1) }));
  return { ...migrationsConfig(), migrationsFolder: dir };
}

const ROWS = [
  { hash: 'a'.repeat(64), path: '/calls/analysed/a.wav', file: 'a.wav' },
  { hash: 'b'.repeat(64), path: '/mnt/shared/inbox/b.wav', file: 'inbox/b.wav' },
  { hash: 'c'.repeat(64), path: `storage:${'c'.repeat(64)}.wav`, file: 'c.wav' },
];
const INSERT = `insert into recordings (content_hash, path, file_name, size_bytes, metadata) values ($1, $2, $3, 1000, '{"agentId":"A1"}'::jsonb)`;

async function sourcePaths(db: { execute: (q: ReturnType<typeof sql>) => Promise<unknown> }) {
  const r = (await db.execute(sql`select content_hash, path, file_name, source_path, metadata from recordings order by content_hash`)) as {
    rows: Array<{ content_hash: string; path: string; file_name: string; source_path: string | null; metadata: unknown }>;
  };
  return r.rows.map((x) => [x.path, x.file_name, x.source_path, x.metadata]);
}
const EXPECTED = [
  ['/calls/analysed/a.wav', 'a.wav', '/calls/analysed/a.wav', { agentId: 'A1' }],
  ['/mnt/shared/inbox/b.wav', 'inbox/b.wav', '/mnt/shared/inbox/b.wav', { agentId: 'A1' }],
  [`storage:${'c'.repeat(64)}.wav`, 'c.wav', null, { agentId: 'A1' }],
];

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'callqa-mig0011-'));
  process.env.CALLQA_CACHE_DIR = path.join(root, 'cache');
});
afterAll(() => {
  if (savedCache === undefined) delete process.env.CALLQA_CACHE_DIR;
  else process.env.CALLQA_CACHE_DIR = savedCache;
  rmSync(root, { recursive: true, force: true });
});

describe('migration 0011 on a database holding recordings', () => {
  it('embedded (PGlite): paths become their source_path, a storage copy stays null', async () => {
    const data = path.join(root, 'data');
    mkdirSync(path.join(data, 'pglite'), { recursive: true });
    copyTemplate(await ensureTemplate(path.join(root, 'cache'), migrationsTo0010()), path.join(data, 'pglite'));
    const { PGlite } = await import('@electric-sql/pglite');
    const old = await PGlite.create(path.join(data, 'pglite'));
    try {
      const cols = await old.query<{ column_name: string }>(`select column_name from information_schema.columns where table_name = 'recordings'`);
      expect(cols.rows.map((c) => c.column_name)).not.toContain('source_path');
      for (const r of ROWS) await old.query(INSERT, [r.hash, r.path, r.file]);
    } finally {
      await old.close();
    }
    const s = await openStore({ dataDir: data });
    try {
      expect(await sourcePaths(s.db as never)).toEqual(EXPECTED);
      // and the store reads them: a recording row carries its source
      expect((await s.repo.getRecordingByHash('c'.repeat(64)))?.sourcePath).toBeNull();
      // and no machine of its own (0012): an unknown source's file is taken to be there still, a known one is looked for here
      expect((await s.repo.getRecordingByHash('b'.repeat(64)))?.sourceHost).toBeNull();
      expect((await s.repo.getRecordingByHash('b'.repeat(64)))?.sourcePath).toBe('/mnt/shared/inbox/b.wav');
    } finally {
      await s.close();
    }
  }, 120_000);

  it('PostgreSQL: the same, and re-opening (another worker starting) changes nothing', async () => {
    const dbName = `callqa_mig0011_${randomBytes(5).toString('hex')}`;
    const u = new URL(ADMIN_URL);
    u.pathname = `/${dbName}`;
    await admin(`create database "${dbName}"`);
    try {
      const client = new pg.Client({ connectionString: u.toString() });
      await client.connect();
      try {
        await migrate(drizzle({ client }), migrationsTo0010());
        for (const r of ROWS) await client.query(INSERT, [r.hash, r.path, r.file]);
      } finally {
        await client.end();
      }
      for (let i = 0; i < 2; i++) {
        const s = await openStore({ databaseUrl: u.toString() });
        try {
          expect(await sourcePaths(s.db as never)).toEqual(EXPECTED);
        } finally {
          await s.close();
        }
      }
    } finally {
      await admin(`drop database if exists "${dbName}" with (force)`);
    }
  }, 120_000);
});
