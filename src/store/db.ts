/**
 * Opening the database: embedded PGlite on disk (one process) or a PostgreSQL server (many workers), the
 * same drizzle schema and migrations on both. Migrations are applied on open; a database whose schema is
 * newer than this build is refused rather than written to.
 */
import { existsSync, mkdirSync, statSync, accessSync, constants } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Pool, PoolClient } from 'pg';
import { ConfigError, errorMessage } from '../core/errors.js';
import { lockDataDir } from './data-lock.js';
import { Repository } from './repository.js';
import { BASELINE_WASM, createMigratedInChild, type CreatedFrom, type MigrationsConfig, createPgliteDataDir, discardCopiedTemplate, PGLITE_INITDB_PARAMS, templateCacheDir } from './pglite-create.js';
import { env } from '../config/env.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
/**
 * One drizzle type for both drivers: PgliteDatabase and NodePgDatabase both extend PgDatabase and differ
 * only in the raw query-result type, which repository code never looks at.
 */
export type StoreDb = PgDatabase<PgQueryResultHKT, Schema>;

export interface OpenStoreOptions {
  /** callqa's data folder; the embedded database lives in `<dataDir>/pglite`. Default: CALLQA_DATA_DIR or ./data */
  dataDir?: string;
  /** postgres://... of a PostgreSQL server; when set (or DATABASE_URL is), PGlite is not used */
  databaseUrl?: string;
  /** pool size for PostgreSQL (default 10) */
  maxConnections?: number;
  /** how long to wait for PostgreSQL before giving up at open (default 5000 ms) */
  connectTimeoutMs?: number;
  /** who holds the embedded data folder, named to a second process that finds it in use (e.g. 'callqa serve') */
  purpose?: string;
  /**
   * A long-lived process (`callqa serve`): the embedded database's WebAssembly is tiered up to optimised code as
   * V8 does by default. Otherwise (every short command) it stays on V8's baseline compiler, see BASELINE_WASM.
   */
  longLived?: boolean;
  /**
   * Only an embedded database that is already there: a command that reads what was analysed (search, trends,
   * calls, audit, review, rules, rescore) given a mistyped --data would otherwise make a new, empty one and
   * answer "nothing found".
   */
  existing?: boolean;
}

export interface Store {
  readonly kind: 'pglite' | 'postgres';
  /** for messages: the data folder, or host:port/database (never the password) */
  readonly location: string;
  readonly db: StoreDb;
  readonly repo: Repository;
  /** an embedded database made by this open: copied from the template, or by initdb (pglite-create.ts) */
  readonly created?: CreatedFrom;
  close(): Promise<void>;
}

/** Where drizzle-kit writes migrations (see drizzle.config.ts); found from this module, whatever the cwd. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

const MIGRATIONS_TABLE = '__drizzle_migrations';
const MIGRATIONS_SCHEMA = 'drizzle';
/** pg_advisory_lock key held while migrating, so workers starting together do not race on CREATE TABLE */
const MIGRATION_LOCK_KEY = 0x63616c6c; // "call"

export async function openStore(opts: OpenStoreOptions = {}): Promise<Store> {
  // Explicit options win over the environment: a given dataDir means PGlite even when DATABASE_URL is set.
  const databaseUrl = opts.databaseUrl ?? (opts.dataDir === undefined ? env().DATABASE_URL : undefined);
  if (databaseUrl) return openPostgres(databaseUrl, opts);
  const dataDir = opts.dataDir ?? env().CALLQA_DATA_DIR ?? './data';
  if (opts.existing && !existsSync(path.join(path.resolve(dataDir), 'pglite', 'PG_VERSION'))) {
    throw new ConfigError(`no callqa data in ${path.resolve(dataDir)}: check --data (or CALLQA_DATA_DIR), or analyse calls into it first`);
  }
  return openPglite(dataDir, opts.purpose, opts.longLived === true);
}

export function migrationsConfig(): MigrationsConfig {
  if (!existsSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'))) {
    throw new ConfigError(`database migrations not found at ${MIGRATIONS_DIR} (a build must copy src/store/migrations next to db.js)`);
  }
  return { migrationsFolder: MIGRATIONS_DIR, migrationsTable: MIGRATIONS_TABLE, migrationsSchema: MIGRATIONS_SCHEMA };
}

/**
 * drizzle's migrator only applies what is newer than the last applied migration; it says nothing when the
 * database is ahead of the code (an older callqa pointed at a newer database). Refuse that here.
 */
async function checkSchemaNotAhead(db: StoreDb, location: string): Promise<{ lastApplied: number; lastKnown: number }> {
  const known = readMigrationFiles(migrationsConfig());
  const lastKnown = Math.max(0, ...known.map((m) => m.folderMillis));
  const rows = await db.execute<{ created_at: string | number | null; n: string | number }>(
    sql`select max(created_at) as created_at, count(*) as n from ${sql.identifier(MIGRATIONS_SCHEMA)}.${sql.identifier(MIGRATIONS_TABLE)}`,
  );
  const row = (rows as unknown as { rows: Array<{ created_at: string | number | null; n: string | number }> }).rows[0];
  const lastApplied = Number(row?.created_at ?? 0);
  if (lastApplied > lastKnown) {
    throw new ConfigError(
      `database schema at ${location} is newer than this callqa (${row?.n} migrations applied, ${known.length} known): upgrade callqa`,
    );
  }
  return { lastApplied, lastKnown };
}

// ---------------------------------------------------------------------------------------------- PGlite

/**
 * Memory: PostgreSQL's defaults (shared_buffers 128 MB) are sized for a server; callqa's embedded database
 * holds one batch's rows and writes each call once, so 16 MB of buffers is plenty (measured: an open of an
 * existing folder peaks at ~200 MB RSS instead of ~320 MB, no measurable slowdown; README "Memory").
 * PGlite's own start parameters (PGlite.defaultStartParams) are kept and these appended.
 */
const PGLITE_MEMORY_PARAMS = ['-c', 'shared_buffers=16MB', '-c', 'work_mem=4MB', '-c', 'maintenance_work_mem=16MB', '-c', 'temp_buffers=4MB'];

async function openPglite(dataDir: string, purpose = 'callqa (embedded database)', longLived = false): Promise<Store> {
  const root = path.resolve(dataDir);
  const dbDir = path.join(root, 'pglite');
  prepareDataDir(root, dbDir);
  // A kernel-held lock for the life of this process (see data-lock.ts): released on close or on any death.
  const lock = lockDataDir(root, purpose);
  const release = () => lock.release();

  let opened: { client: PGlite; db: StoreDb };
  let created: CreatedFrom | undefined;
  try {
    // before PGlite's module is compiled: V8 reads it then (see BASELINE_WASM)
    if (!longLived) setFlagsFromString(BASELINE_WASM);
    if (existsSync(path.join(dbDir, 'PG_VERSION'))) opened = await startPglite(dbDir);
    else {
      // A new folder: a copy of the migrated template (pglite-create.ts), or initdb + migrations in a child.
      const migrations = migrationsConfig();
      const cacheDir = templateCacheDir();
      let templateError: string | undefined;
      created = await createPgliteDataDir(dbDir, { migrations, cacheDir, onTemplateError: (why) => (templateError = why) }).catch(cannotCreate(dbDir));
      try {
        opened = await startPglite(dbDir);
      } catch (err) {
        if (created !== 'template') throw err;
        // a template that copies but does not open is unusable: forget it and make this folder the old way
        templateError = errorMessage(err);
        discardCopiedTemplate(dbDir, cacheDir, migrations);
        await createMigratedInChild(dbDir, migrations).catch(cannotCreate(dbDir));
        created = 'initdb';
        opened = await startPglite(dbDir);
      }
      if (templateError) process.stderr.write(`callqa: note: the database template could not be used (${templateError}); created ${dbDir} without it\n`);
    }
  } catch (err) {
    release();
    throw err;
  }
  const { client, db } = opened;

  let closed = false;
  return {
    kind: 'pglite',
    location: root,
    db,
    repo: new Repository(db),
    ...(created ? { created } : {}),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

const cannotCreate = (dbDir: string) => (err: unknown): never => {
  throw new ConfigError(`cannot create the embedded database in ${dbDir}: ${errorMessage(err)}`, { cause: err });
};

/** Opens the database in `dbDir`, applies the migrations and checks the schema is not ahead of the code. */
async function startPglite(dbDir: string): Promise<{ client: PGlite; db: StoreDb }> {
  // Start-up time: the embedded driver is imported only when the embedded database is used (and pg only
  // for a PostgreSQL server), so `callqa worker` never loads PGlite and `callqa analyze` never loads pg.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  let client: PGlite;
  try {
    client = await PGlite.create(dbDir, {
      startParams: [...PGlite.defaultStartParams, ...PGLITE_MEMORY_PARAMS],
      initDbStartParams: PGLITE_INITDB_PARAMS,
    } satisfies PGliteOptions);
  } catch (err) {
    throw new ConfigError(`cannot open the embedded database in ${dbDir}: ${errorMessage(err)}`, { cause: err });
  }
  const pgliteDb = drizzlePglite({ client, schema });
  const db: StoreDb = pgliteDb;
  try {
    // Start-up: a folder already at this build's last migration (every open but the first after an upgrade)
    // skips drizzle's migrator, whose CREATE ... IF NOT EXISTS statements and empty transaction are most of a
    // no-op migration; the rule is the migrator's own (apply what is newer than the last applied one).
    const current = await checkSchemaNotAhead(db, dbDir).catch((err: unknown) => {
      if (err instanceof ConfigError) throw err; // ahead of this build
      return null; // no migrations table yet
    });
    if (!current || current.lastApplied < current.lastKnown) {
      await migratePglite(pgliteDb, migrationsConfig());
      await checkSchemaNotAhead(db, dbDir);
    }
  } catch (err) {
    await client.close().catch(() => undefined);
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`cannot apply database migrations in ${dbDir}: ${errorMessage(err)}`, { cause: err });
  }
  return { client, db };
}

function prepareDataDir(root: string, dbDir: string): void {
  try {
    if (existsSync(root) && !statSync(root).isDirectory()) throw new Error('exists and is not a directory');
    mkdirSync(dbDir, { recursive: true });
    accessSync(dbDir, constants.R_OK | constants.W_OK);
  } catch (err) {
    throw new ConfigError(`data directory ${root} is unusable (set --data or CALLQA_DATA_DIR): ${errorMessage(err)}`, { cause: err });
  }
}

// ------------------------------------------------------------------------------------------ PostgreSQL

/** host:port/database of a connection string, without credentials, for messages. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

function connectFailure(url: string, err: unknown): ConfigError {
  const e = err as { code?: string; errors?: Array<{ code?: string }>; message?: string };
  // pg/net report ECONNREFUSED on an AggregateError when localhost resolves to both ::1 and 127.0.0.1
  const code = e.code ?? e.errors?.find((x) => x.code)?.code;
  const reason =
    code === '3D000' ? `database does not exist (${e.message})`
    : code === '28P01' || code === '28000' ? `authentication failed (${e.message})`
    : code && /^[A-Z]+$/.test(code) ? code
    : errorMessage(err) || String(code);
  const u = new URL(url);
  const hostPort = `${u.hostname || 'localhost'}:${u.port || '5432'}`;
  return new ConfigError(`cannot connect to PostgreSQL at ${hostPort} (DATABASE_URL): ${reason}`, { cause: err });
}

/** The statement a drizzle transaction opens with (`begin`, or `begin isolation level …`). */
function isBegin(q: unknown): boolean {
  const text = typeof q === 'string' ? q : typeof q === 'object' && q !== null ? (q as { text?: unknown }).text : undefined;
  return typeof text === 'string' && /^\s*begin\b/i.test(text);
}

/**
 * The pool as drizzle is given it. drizzle-orm's node-postgres `transaction()` checks a client out and sends
 * BEGIN before its try/finally, so when the server goes away on that BEGIN (a restart, a failover) the client is
 * never released: the pool is one connection short for good (with all of them lost, every later query waits
 * out the connect timeout although the server is back), and `pool.end()` waits for it for ever (`callqa
 * analyze` then ended with an empty event loop in the middle of its summary: exit 0, no failure lines). Here a
 * client whose BEGIN fails releases itself (destroyed, as a broken connection) before the error goes on to
 * drizzle, which never releases it in that case. Everything else is the pool itself. test/store-pg-gone.test.ts
 */
function releasingOnFailedBegin(pool: Pool): Pool {
  const checkout = async (): Promise<PoolClient> => {
    const client = await pool.connect();
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    return new Proxy(client, {
      get(target, key, receiver) {
        if (key !== 'query') return Reflect.get(target, key, receiver) as unknown;
        return (...args: unknown[]) => {
          const r = query(...args);
          if (!isBegin(args[0]) || !(r instanceof Promise)) return r;
          return r.catch((err: unknown) => {
            target.release(err instanceof Error ? err : true);
            throw err;
          });
        };
      },
    });
  };
  return new Proxy(pool, {
    get(target, key) {
      // drizzle awaits connect() with no callback; pg's own pool.query() calls it with one: that stays as it is
      if (key === 'connect') return (...args: unknown[]) => (args.length ? (target.connect as (...a: unknown[]) => unknown)(...args) : checkout());
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

async function openPostgres(databaseUrl: string, opts: OpenStoreOptions): Promise<Store> {
  let parsed: URL;
  try {
    parsed = new URL(databaseUrl);
  } catch (err) {
    throw new ConfigError(`DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database)`, { cause: err });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got ${parsed.protocol}//`);
  }
  const location = describeDatabaseUrl(databaseUrl);
  const [{ default: pg }, { drizzle: drizzleNodePg }, { migrate: migrateNodePg }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
    import('drizzle-orm/node-postgres/migrator'),
  ]);
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: opts.maxConnections ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled, it would kill the process.
  // The next query reconnects (or fails, and the caller's retry policy decides).
  pool.on('error', () => undefined);
  // pg-pool listens for errors on idle clients only: a client checked out but between queries (inside a
  // transaction) whose server connection is terminated emits an unhandled 'error' and kills the process.
  // Listen on every client; the error surfaces on that client's next query, where retries decide.
  pool.on('connect', (c) => c.on('error', () => undefined));

  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw connectFailure(databaseUrl, err);
  }
  try {
    // Workers starting together would all try CREATE TABLE; one migrates while the others wait.
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const migrationDb = drizzleNodePg({ client, schema });
      await migrateNodePg(migrationDb, migrationsConfig());
      await checkSchemaNotAhead(migrationDb, location);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
    client.release();
  } catch (err) {
    client.release(true);
    await pool.end().catch(() => undefined);
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`cannot apply database migrations to PostgreSQL at ${location}: ${errorMessage(err)}`, { cause: err });
  }

  const db: StoreDb = drizzleNodePg({ client: releasingOnFailedBegin(pool), schema });
  let closed = false;
  return {
    kind: 'postgres',
    location,
    db,
    repo: new Repository(db),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
