/**
 * One process at a time on a data folder: a lock the kernel holds for this process's lifetime.
 *
 * The embedded database (PGlite) serves one process; a second one opening the same folder corrupts it or
 * loses the other's writes. A pid file cannot say whether its writer is alive: two containers sharing a
 * data volume have separate PID namespaces (each is pid 1 to itself) and both "see" a stale lock, and two
 * processes taking over one stale lock at once both win. So the lock is flock(2) on `<data>/callqa.lock`,
 * which the kernel releases when the last descriptor of the open file goes away: on close, exit, SIGKILL,
 * OOM kill, container stop. No stale-lock heuristics exist because no stale lock can exist.
 *
 * How it is taken without a native addon: Node has no flock(), and addons (fs-ext) need node-gyp and
 * Node's headers, which an offline install or a slim image does not have. util-linux's flock(1) takes the
 * lock on a descriptor it inherits (`flock -n 3`): we open the file, hand that descriptor to flock as its
 * fd 3, and flock locks the open file description we share with it and exits. flock(2) locks belong to
 * the open file description, not to the process, so the lock stays held through our descriptor until we
 * close it or die. No file name is passed to the child (no shell, no path in argv), only the number 3.
 * Node opens files close-on-exec, so children we spawn later (ffmpeg, whisper-cli) never inherit it.
 *
 * The lock file is never deleted: unlinking a locked file lets a newcomer lock a fresh inode while an old
 * waiter holds the unlinked one (two owners). It holds the owner's pid and start time, for messages only.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { ConfigError, errorMessage } from '../core/errors.js';

export const DATA_LOCK_FILE = 'callqa.lock';

export interface DataDirLock {
  /** the lock file's path */
  readonly file: string;
  /** let go of the folder (idempotent); dying does the same */
  release(): void;
}

/** flock's exit code for "held by someone else" (we choose it with -E; 1 stays "flock itself failed") */
const CONFLICT_EXIT = 75;

/** Folders locked by this process: flock locks of one process on two descriptors also conflict, but say so plainly. */
const heldHere = new Map<string, DataDirLock>();

/**
 * Take `<dataDir>/callqa.lock` for this process, or throw a ConfigError naming the folder and (as far as
 * the lock file tells) who holds it. Never waits: a second `analyze` or `serve` on the same folder is an
 * operator error to be told at once. `callqa analyze` and `callqa serve` both take it.
 */
export function lockDataDir(dataDir: string, purpose = 'callqa'): DataDirLock {
  const root = path.resolve(dataDir);
  const file = path.join(root, DATA_LOCK_FILE);
  if (heldHere.has(root)) throw new ConfigError(`data directory ${root} is already open in this process`);
  let fd: number;
  try {
    fd = openSync(file, 'a+', 0o644);
  } catch (err) {
    throw new ConfigError(`data directory ${root} is unusable (cannot open ${file}): ${errorMessage(err)}`, { cause: err });
  }
  const r = spawnSync('flock', ['--nonblock', '--conflict-exit-code', String(CONFLICT_EXIT), '3'], {
    stdio: ['ignore', 'ignore', 'pipe', fd],
    timeout: 10_000,
  });
  if (r.status !== 0) {
    closeSync(fd);
    if (r.status === CONFLICT_EXIT) {
      throw new ConfigError(
        `data directory ${root} is in use by another process${holderDescription(file)}: the embedded database serves one ` +
          'process at a time; wait for it to finish, or use DATABASE_URL (a PostgreSQL server) to share data between processes',
      );
    }
    const why = r.error
      ? (r.error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'the flock program (util-linux) is not installed'
        : errorMessage(r.error)
      : `flock exited with ${r.status ?? r.signal}: ${String(r.stderr ?? '').trim()}`;
    throw new ConfigError(`cannot lock data directory ${root}: ${why}`);
  }
  // Ours. Record who holds it, for the next one's message.
  try {
    ftruncateSync(fd, 0);
    writeSync(fd, `${JSON.stringify({ pid: process.pid, host: hostname(), purpose, since: new Date().toISOString() })}\n`, 0);
  } catch {
    // informational only
  }
  let released = false;
  const lock: DataDirLock = {
    file,
    release() {
      if (released) return;
      released = true;
      heldHere.delete(root);
      try {
        closeSync(fd); // the last descriptor of the open file: the kernel drops the lock
      } catch {
        // already closed
      }
    },
  };
  heldHere.set(root, lock);
  return lock;
}

function holderDescription(file: string): string {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8').trim()) as { pid?: number; host?: string; purpose?: string; since?: string };
    const parts = [h.purpose && `${h.purpose}`, h.pid && `pid ${h.pid}${h.host ? ` on ${h.host}` : ''}`, h.since && `since ${h.since}`].filter(Boolean);
    return parts.length ? ` (${parts.join(', ')})` : '';
  } catch {
    return '';
  }
}
