import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { InputError, errorMessage } from '../core/errors.js';

/**
 * A recording's identity: the sha256 of its bytes, streamed. With the name the user gave, a file that cannot be
 * read (EACCES: stat passed, so checkFile could not tell) fails as an InputError on that name (cannotRead), not
 * Node's "EACCES: permission denied, open '<full path>'" after the name again; without it, Node's error as it is
 * (callers that look at its code).
 */
export async function hashFile(path: string, displayName?: string): Promise<string> {
  const h = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  } catch (err) {
    throw displayName === undefined ? err : cannotRead(err, path, displayName);
  }
  return h.digest('hex');
}

/** Why a file could not be stat'ed or read, on its name (the path is not repeated: it is the name or beside it). */
function cannotRead(err: unknown, path: string, displayName: string): InputError {
  const code = (err as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? `no such file${notUtf8Note(path)}`
      : code === 'EACCES' || code === 'EPERM'
        ? `cannot read: permission denied (${code}); the user running callqa needs read access to it`
        : `cannot read (${code ?? errorMessage(err)})`;
  return new InputError(displayName, reason, { cause: err });
}

/**
 * Names come to Node as UTF-8 text: a file or folder whose name holds other bytes (a GBK name from a Windows
 * share or a zip, a Latin-1 one) arrives with U+FFFD in place of them and cannot be opened by that name. Said
 * so, rather than a bare "no such file" beside a file the user can see.
 */
export function notUtf8Note(name: string): string {
  return name.includes('\ufffd')
    ? ' (its name holds bytes that are not UTF-8, shown as \ufffd, so it cannot be opened by name: rename it to UTF-8, e.g. convmv -f gbk -t utf-8 --notest)'
    : '';
}

/** Checks that need no decoding: exists, is a file, is not empty. */
export async function checkFile(path: string, displayName: string): Promise<number> {
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    throw cannotRead(err, path, displayName);
  }
  if (st.isDirectory()) throw new InputError(displayName, 'is a directory');
  if (!st.isFile()) throw new InputError(displayName, 'not a regular file');
  if (st.size === 0) throw new InputError(displayName, 'empty file (0 bytes)');
  return st.size;
}

/**
 * Refuses a recording whose bytes were erased by `callqa data erase`/`purge` (a customer's request, or retention):
 * the same file coming again (the next analyze of an inbox, a re-enqueue) is not stored or analysed again.
 */
export async function refuseErased(
  repo: { erasure(contentHash: string): Promise<{ erasedAt: Date; reason: string } | null> },
  contentHash: string,
  file: string,
): Promise<void> {
  const e = await repo.erasure(contentHash);
  if (!e) return;
  const why = e.reason === 'retention' ? 'past the retention period' : 'at a data-subject request';
  throw new InputError(
    file,
    `this recording was erased ${why} on ${e.erasedAt.toISOString().slice(0, 10)} (callqa data), so it is not stored or analysed again; if that erasure was a mistake, \`callqa data readmit\` this file`,
  );
}
