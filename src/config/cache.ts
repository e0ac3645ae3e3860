/**
 * callqa's cache folder, for what it can always make again (the embedded database's template, lexicons
 * already parsed and validated, lexicon matchers already built): CALLQA_CACHE_DIR, else node_modules/.cache/callqa of this package when
 * writable, else $XDG_CACHE_HOME/callqa (~/.cache/callqa); null when none can be written (then nothing is
 * cached and everything is made each time).
 */
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { env } from './env.js';

function writableDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** This package's root (src/config or dist/config, two levels up). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

let resolved: { key: string; dir: string | null } | undefined;

export function cacheDir(): string | null {
  const configured = env().CALLQA_CACHE_DIR;
  const key = `${configured ?? ''}\0${env().XDG_CACHE_HOME ?? ''}`;
  if (resolved?.key === key) return resolved.dir;
  let dir: string | null = null;
  if (configured) dir = writableDir(configured) ? path.resolve(configured) : null;
  else {
    const nodeModules = path.join(PACKAGE_ROOT, 'node_modules');
    const local = path.join(nodeModules, '.cache', 'callqa');
    const xdg = path.join(env().XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'callqa');
    dir = existsSync(nodeModules) && writableDir(local) ? local : writableDir(xdg) ? xdg : null;
  }
  resolved = { key, dir };
  return dir;
}

/** sha256 (hex) of the parts, each length-prefixed so no two lists of parts give the same bytes. */
export function cacheKey(parts: readonly (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${typeof p === 'string' ? Buffer.byteLength(p) : p.length}:`).update(p);
  return h.digest('hex');
}

/**
 * `make()`'s result, kept as JSON under `<cache>/<kind>/<key>.json`: read back when present, else made and
 * written (atomically: a reader never sees half a file). The key must name everything the result depends
 * on, the code that makes it included. A missing, unreadable or unparsable entry is made again; without a
 * cache folder it is always made. Only plain JSON data round-trips: `keep` says whether a value may be kept.
 */
export function cachedJson<T>(kind: string, key: string, make: () => T, keep: (value: T) => boolean = () => true): T {
  const dir = cacheDir();
  if (!dir) return make();
  const file = path.join(dir, kind, `${key}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    // not cached yet (or damaged): make it
  }
  const value = make();
  if (keep(value)) writeCacheFile(file, JSON.stringify(value));
  return value;
}

/**
 * Writes a cache entry atomically (a reader sees the old file, or none, or the whole new one); false when it could
 * not be written (then nothing is left behind).
 */
export function writeCacheFile(file: string, data: string | Uint8Array): boolean {
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, file);
    return true;
  } catch {
    rmSync(tmp, { force: true });
    return false;
  }
}

/**
 * Parts of a cache key for code: the text of each module as loaded (`./x` next to `from`, with the caller's own
 * extension: dist/ .js or, under tsx, src/ .ts). A module that cannot be read gives a part that never matches, so
 * nothing kept for unknown code is ever reused.
 */
export function moduleTexts(from: string, modules: readonly string[]): string[] {
  const ext = from.endsWith('.ts') ? '.ts' : '.js';
  return modules.map((m) => {
    try {
      return readFileSync(fileURLToPath(new URL(`${m}${ext}`, from)), 'utf8');
    } catch {
      return String(Math.random());
    }
  });
}

/**
 * A library's package.json as text, for cache keys (its version and everything else it declares), found by walking
 * up from its entry point (some packages do not export their package.json); one that cannot be found gives a part
 * that never matches.
 */
export function packageJsonText(name: string): string {
  let dir: string;
  try {
    dir = path.dirname(fileURLToPath(import.meta.resolve(name)));
  } catch {
    return String(Math.random());
  }
  for (;;) {
    try {
      const text = readFileSync(path.join(dir, 'package.json'), 'utf8');
      if ((JSON.parse(text) as { name?: string }).name === name) return text;
    } catch {
      // none here, or not JSON: look further up
    }
    const up = path.dirname(dir);
    if (up === dir) return String(Math.random());
    dir = up;
  }
}
