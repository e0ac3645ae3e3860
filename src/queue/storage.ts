/**
 * Where workers read the audio. Job payloads carry ids; the recording row carries a location that every
 * worker can resolve to a local file: an absolute path on a shared filesystem (the default), or a key in a
 * storage folder (`CALLQA_STORAGE_DIR`, which each machine may mount at a different place). An object-store
 * adapter implements the same interface (`localPath` downloads to a cache) without touching the workers.
 */
import { copyFile, mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import { findSidecar } from '../transcribe/sidecar.js';

export interface RecordingStorage {
  readonly description: string;
  /** Makes the file (and its transcript sidecar, if any) readable by every worker; returns the location to store. */
  put(localFile: string, contentHash: string): Promise<string>;
  /** A local path to read the recording at `location` from. */
  localPath(location: string): Promise<string>;
}

const KEY_SCHEME = 'storage:';

/** Recordings stay where they are; the path must be the same on every machine (NFS, SMB, a shared volume). */
export class SharedPathStorage implements RecordingStorage {
  readonly description = 'shared path (recordings are read where they were enqueued from)';
  async put(localFile: string): Promise<string> {
    return path.resolve(localFile);
  }
  async localPath(location: string): Promise<string> {
    if (location.startsWith(KEY_SCHEME)) {
      throw new ConfigError(`recording is in a storage folder (${location}) but CALLQA_STORAGE_DIR is not set on this worker`);
    }
    return location;
  }
}

/**
 * Recordings copied into a folder by content hash (`ab/abcdef....wav`), with their transcript sidecars
 * renamed to match. The stored location is the key, so machines may mount the folder anywhere.
 */
export class DirStorage implements RecordingStorage {
  constructor(readonly root: string) {}
  get description(): string {
    return `storage folder ${this.root}`;
  }

  async put(localFile: string, contentHash: string): Promise<string> {
    const ext = path.extname(localFile).toLowerCase().replace(/[^.a-z0-9]/g, '');
    const rel = path.posix.join(contentHash.slice(0, 2), `${contentHash}${ext}`);
    const dest = path.join(this.root, rel);
    await copyIfMissing(localFile, dest);
    const sidecar = findSidecar(localFile);
    if (sidecar) await copyIfMissing(sidecar.path, path.join(this.root, contentHash.slice(0, 2), `${contentHash}.transcript.${sidecar.format}`), true);
    return `${KEY_SCHEME}${rel}`;
  }

  async localPath(location: string): Promise<string> {
    if (!location.startsWith(KEY_SCHEME)) return location; // enqueued before a storage folder was configured
    const rel = location.slice(KEY_SCHEME.length);
    if (rel.split('/').includes('..')) throw new ConfigError(`bad storage key ${location}`);
    return path.join(this.root, rel);
  }
}

export function storageFor(storageDir: string | undefined): RecordingStorage {
  return storageDir ? new DirStorage(storageDir) : new SharedPathStorage();
}

/** Copy via a temporary name and rename, so a worker never sees half a file. */
async function copyIfMissing(src: string, dest: string, overwrite = false): Promise<void> {
  if (!overwrite) {
    try {
      const [a, b] = await Promise.all([stat(src), stat(dest)]);
      if (a.size === b.size) return;
    } catch {
      // dest missing: copy
    }
  }
  await mkdir(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.${Date.now()}.tmp`;
  await copyFile(src, tmp);
  await rename(tmp, dest);
}
