/**
 * Creating a new embedded database folder, fast: from a template.
 *
 * Creating a PGlite database is slow (initdb plus every migration: ~4.5 s and ~700 MB in a child process,
 * measured) and gives the same bytes every time for one PGlite and one set of migrations. So the first
 * creation makes a template once (a cleanly closed, fully migrated data directory) in a cache folder, and
 * every new data folder after it is a copy of the template (~0.1 s). The template's name carries a key
 * hashed from what made it: the PGlite version, the initdb parameters and every migration of the journal
 * (its timestamp and the SHA-256 of its SQL, as drizzle records them). Adding or changing a migration, or
 * upgrading PGlite, changes the key, so a template made from an older migration set is never found, let
 * alone used; a new one is made at the next creation. The caller runs the migrations on every open anyway
 * (a no-op on a current copy) and refuses a schema ahead of the code, as for any folder.
 *
 * Where: CALLQA_CACHE_DIR, else node_modules/.cache/callqa of this package when writable, else
 * $XDG_CACHE_HOME/callqa (~/.cache/callqa). `npm run build:server` (so `npm install`, via prepare) makes it
 * ahead of time (prepare-template.ts). With no usable cache folder, or a template that fails to copy,
 * the folder is created as before: initdb and migrations in a child process, straight into the folder.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { cacheDir } from '../config/cache.js';
import { errorMessage } from '../core/errors.js';

export interface MigrationsConfig {
  migrationsFolder: string;
  migrationsTable: string;
  migrationsSchema: string;
}

/**
 * Start-up time: V8 compiles WebAssembly with its baseline compiler (Liftoff) and then recompiles the hot
 * functions with its optimising compiler (TurboFan), on background threads. Postgres's start-up and first
 * queries make hundreds of functions "hot", so a short command pays for optimising code it hardly runs
 * again: measured on a copy of a data folder, open + a few queries took 0.76 CPU-s with tier-up and 0.35
 * without (wall 0.9-1.5 s vs 0.4-0.7 s, loaded 2-core machine), and a 24-call `analyze --jobs 1` 7.4-7.9
 * vs 5.9-6.2 CPU-s. The flag is process-wide and only affects WebAssembly compiled after it is set (PGlite
 * is the only WebAssembly callqa runs); `callqa serve` (longLived) keeps the tier-up.
 */
export const BASELINE_WASM = '--liftoff-only';

/** initdb's parameters: part of the template key (a template made with others is another template). */
export const PGLITE_INITDB_PARAMS = ['-c', 'shared_buffers=16MB'];

const TEMPLATE_PREFIX = 'pglite-template-';
const TEMPLATE_MARKER = 'template.json';

/** What a new folder was made from: a copy of the template, or initdb + migrations (no usable template). */
export type CreatedFrom = 'template' | 'initdb';

function pgliteVersion(): string {
  try {
    const pkgUrl = new URL('../package.json', import.meta.resolve('@electric-sql/pglite'));
    return (JSON.parse(readFileSync(fileURLToPath(pkgUrl), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The template's key: PGlite's version, initdb's parameters and the migration journal (each migration's
 * timestamp and SQL hash, in order). Any change to them is another key.
 */
export function templateKey(migrations: MigrationsConfig): string {
  const files = readMigrationFiles(migrations).map((m) => [m.folderMillis, m.hash]);
  const what = { pglite: pgliteVersion(), initdb: PGLITE_INITDB_PARAMS, table: [migrations.migrationsSchema, migrations.migrationsTable], migrations: files };
  return createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 24);
}

/** Where templates live: callqa's cache folder (config/cache.ts); null when none can be written. */
export function templateCacheDir(): string | null {
  return cacheDir();
}

/**
 * Runs initdb and the migrations for `dbDir` in a child Node process and waits for it; errors carry its
 * stderr. A child, because PGlite's initdb holds ~300 MB that stays allocated for the life of the process
 * that ran it (measured: 750 MB peak RSS vs ~200 MB when opening an existing folder), and a batch should not
 * carry it from its first call to its last.
 */
export async function createMigratedInChild(dbDir: string, migrations: MigrationsConfig): Promise<void> {
  const code = `
const { PGlite } = await import(${JSON.stringify(import.meta.resolve('@electric-sql/pglite'))});
const { drizzle } = await import(${JSON.stringify(import.meta.resolve('drizzle-orm/pglite'))});
const { migrate } = await import(${JSON.stringify(import.meta.resolve('drizzle-orm/pglite/migrator'))});
const client = await PGlite.create(${JSON.stringify(dbDir)}, { initDbStartParams: ${JSON.stringify(PGLITE_INITDB_PARAMS)} });
await migrate(drizzle({ client }), ${JSON.stringify(migrations)});
await client.close();`;
  await new Promise<void>((resolve, reject) => {
    // V8's baseline WebAssembly compiler only (BASELINE_WASM): measured 2.5 vs 4.3 CPU-s for this child
    const child = spawn(process.execPath, [BASELINE_WASM, '--input-type=module', '-e', code], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-2000)));
    child.on('error', reject);
    child.on('close', (status) => (status === 0 ? resolve() : reject(new Error(`creating the embedded database failed (exit ${status}): ${stderr.trim()}`))));
  });
}

interface TemplateMarker {
  key: string;
  pglite: string;
  migrations: number;
}

/** The ready template's data directory for these migrations, or null when there is none (yet). */
export function findTemplate(cacheDir: string, migrations: MigrationsConfig): string | null {
  const key = templateKey(migrations);
  const dir = path.join(cacheDir, `${TEMPLATE_PREFIX}${key}`);
  try {
    const marker = JSON.parse(readFileSync(path.join(dir, TEMPLATE_MARKER), 'utf8')) as TemplateMarker;
    if (marker.key !== key || !existsSync(path.join(dir, 'data', 'PG_VERSION'))) return null;
    return path.join(dir, 'data');
  } catch {
    return null;
  }
}

/**
 * The template for these migrations, made now if there is none: built in a private folder and renamed into
 * place whole, so a reader never sees half a template and two processes making it at once both end with the
 * one that won. Templates of other keys in the same cache folder are removed (they can never be used again
 * by this installation; a process copying one at that moment falls back to initdb). Returns the template's
 * data directory.
 */
export async function ensureTemplate(cacheDir: string, migrations: MigrationsConfig): Promise<string> {
  const found = findTemplate(cacheDir, migrations);
  if (found) return found;
  const key = templateKey(migrations);
  const final = path.join(cacheDir, `${TEMPLATE_PREFIX}${key}`);
  const work = path.join(cacheDir, `.${TEMPLATE_PREFIX}${key}.${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(work, { recursive: true });
  try {
    await createMigratedInChild(path.join(work, 'data'), migrations);
    const marker: TemplateMarker = { key, pglite: pgliteVersion(), migrations: readMigrationFiles(migrations).length };
    writeFileSync(path.join(work, TEMPLATE_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    try {
      renameSync(work, final);
    } catch (err) {
      // another process put its template there first: use that one
      if (!findTemplate(cacheDir, migrations)) throw err;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  for (const name of readdirSync(cacheDir)) {
    if (name.startsWith(TEMPLATE_PREFIX) && name !== path.basename(final)) rmSync(path.join(cacheDir, name), { recursive: true, force: true });
  }
  const made = findTemplate(cacheDir, migrations);
  if (!made) throw new Error(`template ${final} vanished after it was made`);
  return made;
}

/**
 * Copies a template's data directory into `dbDir` (which must be empty): into a sibling first, then renamed
 * over the empty folder, so an interrupted copy never leaves a folder that looks like a database.
 */
export function copyTemplate(templateData: string, dbDir: string): void {
  const tmp = `${dbDir}.copy-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    cpSync(templateData, tmp, { recursive: true, mode: constants.COPYFILE_FICLONE });
    // rename(2) replaces an empty directory and fails on any other: nothing of a user's is ever replaced
    renameSync(tmp, dbDir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export interface CreateOptions {
  migrations: MigrationsConfig;
  /** where templates live; default templateCacheDir(); null: no template (initdb in a child, as before) */
  cacheDir?: string | null;
  /** told when the template could not be used, with why (the folder is then made by initdb) */
  onTemplateError?: (why: string) => void;
}

/** Bytes of the files under a folder (the template's size, for the message when a copy does not fit). */
function treeBytes(dir: string): number {
  // a plain walk: Dirent.parentPath (with `recursive`) only exists from Node 20.12, and engines allows any 20
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += treeBytes(p);
    else if (e.isFile()) n += statSync(p).size;
  }
  return n;
}

function isEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

/**
 * Makes a new database in `dbDir` (an existing, empty folder, or one initdb can use): a copy of the
 * template when one can be had, else initdb and the migrations in a child process. Says which.
 */
export async function createPgliteDataDir(dbDir: string, opts: CreateOptions): Promise<CreatedFrom> {
  const cacheDir = opts.cacheDir === undefined ? templateCacheDir() : opts.cacheDir;
  if (cacheDir && isEmptyDir(dbDir)) {
    let template: string | undefined;
    try {
      template = await ensureTemplate(cacheDir, opts.migrations);
      copyTemplate(template, dbDir);
      return 'template';
    } catch (err) {
      // the data folder's disk is full (or read-only): initdb would fail there too, with a stack trace of
      // PGlite's file system for a message; say what is wrong and how much room a new folder needs
      const code = (err as NodeJS.ErrnoException).code;
      if (template && (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS')) {
        throw new Error(`${code === 'EROFS' ? 'the file system is read-only' : 'no space left on the device'} (${code}); a new data folder needs about ${Math.ceil(treeBytes(template) / 1e6)} MB`, { cause: err });
      }
      opts.onTemplateError?.(errorMessage(err));
      if (!isEmptyDir(dbDir)) throw err;
    }
  }
  await createMigratedInChild(dbDir, opts.migrations);
  return 'initdb';
}

/** After a copied template failed to open: empty the folder again and forget the template. */
export function discardCopiedTemplate(dbDir: string, cacheDir: string | null, migrations: MigrationsConfig): void {
  for (const name of readdirSync(dbDir)) rmSync(path.join(dbDir, name), { recursive: true, force: true });
  if (cacheDir) rmSync(path.join(cacheDir, `${TEMPLATE_PREFIX}${templateKey(migrations)}`), { recursive: true, force: true });
}
