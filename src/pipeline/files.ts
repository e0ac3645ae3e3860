import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { InputError, errorMessage } from '../core/errors.js';

/** A recording's identity: the sha256 of its bytes, streamed. */
export async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Checks that need no decoding: exists, is a file, is not empty. */
export async function checkFile(path: string, displayName: string): Promise<number> {
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(displayName, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? errorMessage(err)})`);
  }
  if (st.isDirectory()) throw new InputError(displayName, 'is a directory');
  if (!st.isFile()) throw new InputError(displayName, 'not a regular file');
  if (st.size === 0) throw new InputError(displayName, 'empty file (0 bytes)');
  return st.size;
}
