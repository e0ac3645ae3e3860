/**
 * A full disk is not a bad file: once the data folder's disk (or the temp folder's, or the report's) is full,
 * every call after it would fail the same way, each with its own line, as if each file were at fault. The batch
 * runner stops at the first one instead (services/analysis.ts) and the CLI says once which folder is full and
 * what to do (cli/analyze.ts, exit 4).
 *
 * How a full disk shows itself, by where it happened:
 * - Node's file system calls (the report, a temp folder): `code` ENOSPC (or EDQUOT, a quota used up), with `path`;
 * - the database (PGlite's files, or a PostgreSQL server's): SQLSTATE 53100 `disk_full` ("could not extend
 *   file …: No space left on device"), the code kept by publicError;
 * - a child process (ffmpeg or whisper-cli writing into the call's temp folder): strerror's words in its stderr
 *   tail, which ToolError carries in its message;
 * - any of them from a stage worker thread: only the name and message cross the thread, so the words count too.
 */
import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** SQLSTATE disk_full */
const PG_DISK_FULL = '53100';

/**
 * Whether `err` is a full disk. `ownNames`: the call's own file as the error may quote it (its path, its name as
 * given): a recording named "No space left on device.wav" or kept under a folder "EDQUOT/" that fails to decode
 * is that file's own failure, so the words are looked for in the message without them.
 */
export function isDiskFull(err: unknown, ownNames: readonly string[] = []): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === PG_DISK_FULL) return true;
  // only the names that hold the words themselves (a file called "space" must not take them out of
  // "No space left on device"); longest first: the absolute path before the name it ends with
  let message = err.message;
  for (const n of ownNames.filter((x) => DISK_FULL_WORDS.test(x)).sort((a, b) => b.length - a.length)) message = message.split(n).join(' ');
  return DISK_FULL_WORDS.test(message);
}

/** strerror(ENOSPC) / strerror(EDQUOT) as a child process or a worker thread passed it on */
const DISK_FULL_WORDS = /No space left on device|Disk quota exceeded|\bENOSPC\b|\bEDQUOT\b|database error 53100\b/;

/** Whether the database reported the full disk (its own files), not a file this process wrote. */
export function isDatabaseDiskFull(err: unknown): boolean {
  return err instanceof Error && ((err as { code?: unknown }).code === PG_DISK_FULL || /database error 53100\b/.test(err.message));
}

/** The folder a Node file system error was about (its `path`'s folder), if it says. */
export function folderOfErrno(err: unknown): string | undefined {
  const p = (err as { path?: unknown } | undefined)?.path;
  return typeof p === 'string' ? dirname(resolve(p)) : undefined;
}

/** Bytes free for this process on the disk holding `folder` (undefined when it cannot be told). */
export function freeBytes(folder: string): number | undefined {
  try {
    const s = statfsSync(folder);
    // no inode left is as full as no block left (ENOSPC too), whatever bytes statfs counts free
    if (s.files > 0 && s.ffree === 0) return 0;
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

/**
 * Of the folders a batch writes to, the one on the fullest disk: for an error that does not say where it was
 * (a child process's stderr). Ties go to the first listed.
 */
export function fullestFolder(candidates: readonly { folder: string; what: string }[]): { folder: string; what: string } | undefined {
  let best: { folder: string; what: string; free: number } | undefined;
  for (const c of candidates) {
    const free = freeBytes(c.folder);
    if (free === undefined) continue;
    if (!best || free < best.free) best = { ...c, free };
  }
  return best && { folder: best.folder, what: best.what };
}
