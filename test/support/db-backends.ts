/**
 * The two databases a store-level suite runs on unchanged: the embedded PGlite in a temp folder and a fresh
 * database on the PostgreSQL server (CALLQA_TEST_PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { OpenStoreOptions } from '../../src/store/db.js';

export const PG_ADMIN_URL = process.env.CALLQA_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface DbBackend {
  name: 'pglite' | 'postgres';
  setup(): Promise<OpenStoreOptions>;
  teardown(): Promise<void>;
}

export function pgliteBackend(): DbBackend {
  let dir = '';
  return {
    name: 'pglite',
    async setup() {
      dir = mkdtempSync(path.join(tmpdir(), 'callqa-db-'));
      return { dataDir: dir };
    },
    async teardown() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
  } catch (err) {
    const e = err as { code?: string; message?: string };
    throw new Error(
      `PostgreSQL is not reachable at ${new URL(PG_ADMIN_URL).host} (${e.code ?? e.message}): start it (.ci/run does) or set CALLQA_TEST_PG_ADMIN_URL`,
      { cause: err },
    );
  }
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export function postgresBackend(): DbBackend {
  const dbName = `callqa_test_${randomBytes(6).toString('hex')}`;
  let created = false;
  return {
    name: 'postgres',
    async setup() {
      await admin((c) => c.query(`create database "${dbName}"`));
      created = true;
      const u = new URL(PG_ADMIN_URL);
      u.pathname = `/${dbName}`;
      return { databaseUrl: u.toString() };
    },
    async teardown() {
      if (created) await admin((c) => c.query(`drop database if exists "${dbName}" with (force)`));
    },
  };
}

export const DB_BACKENDS = [pgliteBackend, postgresBackend] as const;
