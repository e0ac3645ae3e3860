/**
 * Where workers read the audio. Job payloads carry ids; the recording row carries a location that every
 * worker can resolve to a local file: an absolute path on a shared filesystem (the default), or a key in a
 * storage folder (`CALLQA_STORAGE_DIR`, which each machine may mount at a different place). An object-store
 * adapter implements the same interface (`localPath` downloads to a cache) without touching the workers.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { StageArtifacts } from '../pipeline/stage.js';
import { findSidecar, SIDECAR_FORMATS } from '../transcribe/sidecar.js';

export interface RecordingStorage {
  readonly description: string;
  /**
   * Makes the file (and its transcript sidecar, if any: beside it or in `transcriptsDir`, where enqueue found
   * it) readable by every worker; returns the location to store.
   */
  put(localFile: string, contentHash: string, transcriptsDir?: string): Promise<string>;
  /** A local path to read the recording at `location` from. */
  localPath(location: string): Promise<string>;
  /**
   * What the stages of run `runId` leave for each other (the audio stage's decoded channels for the
   * transcribe stage, so a call is decoded once even when its stages run on different workers).
   */
  artifacts(runId: string): StageArtifacts;
  /** Removes run `runId`'s artifacts (the run completed or failed); nothing there is fine. */
  removeArtifacts(runId: string): Promise<void>;
  /** The runs that have artifacts here (reconcile removes those of runs that have ended). */
  runsWithArtifacts(): Promise<string[]>;
  /**
   * Deletes the copy this storage made of the recording at `location` and its transcript sidecar (an erasure);
   * answers the files it deleted. A recording read where it was enqueued from is not this storage's: none.
   */
  removeCopy(location: string, contentHash: string): Promise<string[]>;
}

const KEY_SCHEME = 'storage:';

/** Recordings stay where they are; the path must be the same on every machine (NFS, SMB, a shared volume). */
export class SharedPathStorage implements RecordingStorage {
  readonly description = 'shared path (recordings are read where they were enqueued from)';
  /**
   * No folder every worker shares: artifacts stay in this machine's temp folder. A later stage on the same
   * machine finds them; one on another machine does not, and does the work again (the transcribe stage
   * decodes the recording itself and says so in its worker's log).
   */
  private readonly artifactRoot: string;
  /** `scope`: one deployment's folder (artifactScope), so a sweep never touches another's on the same machine */
  constructor(scope = 'default') {
    this.artifactRoot = path.join(tmpdir(), 'callqa-artifacts', scope);
  }
  artifacts(runId: string): StageArtifacts {
    return new FolderArtifacts(this.artifactRoot, runId, "this worker's temp folder");
  }
  removeArtifacts(runId: string): Promise<void> {
    return removeRunFolder(this.artifactRoot, runId);
  }
  runsWithArtifacts(): Promise<string[]> {
    return runFolders(this.artifactRoot);
  }
  async put(localFile: string): Promise<string> {
    return path.resolve(localFile);
  }
  async removeCopy(location: string): Promise<string[]> {
    // a copy in a storage folder that this process was not told about (no CALLQA_STORAGE_DIR here): say so, or
    // an erasure would report success while the copy stays
    if (location.startsWith(KEY_SCHEME)) {
      throw new ConfigError(`the recording's copy is in a storage folder (${location}) but CALLQA_STORAGE_DIR is not set here: set it and erase again, or remove the copy by hand`);
    }
    return [];
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
  private readonly artifactRoot: string;
  constructor(
    readonly root: string,
    scope = 'default',
  ) {
    this.artifactRoot = path.join(root, 'artifacts', scope);
  }
  get description(): string {
    return `storage folder ${this.root}`;
  }

  /** Artifacts live beside the recordings (`artifacts/<scope>/<run id>/`), where every worker reads them. */
  artifacts(runId: string): StageArtifacts {
    return new FolderArtifacts(this.artifactRoot, runId, `storage folder ${this.root}`);
  }
  removeArtifacts(runId: string): Promise<void> {
    return removeRunFolder(this.artifactRoot, runId);
  }
  runsWithArtifacts(): Promise<string[]> {
    return runFolders(this.artifactRoot);
  }

  async put(localFile: string, contentHash: string, transcriptsDir?: string): Promise<string> {
    const ext = path.extname(localFile).toLowerCase().replace(/[^.a-z0-9]/g, '');
    const rel = path.posix.join(contentHash.slice(0, 2), `${contentHash}${ext}`);
    const dest = path.join(this.root, rel);
    await copyIfMissing(localFile, dest);
    // the sidecar enqueue found (and fingerprinted): a transcripts folder's too, since a worker looks there
    // under the stored copy's name (the content hash), where the platform's file name is not
    const sidecar = findSidecar(localFile, transcriptsDir);
    const dir = path.join(this.root, contentHash.slice(0, 2));
    if (sidecar) await copyIfMissing(sidecar.path, path.join(dir, `${contentHash}.transcript.${sidecar.format}`), true);
    // and no other: a copy in another format from an earlier enqueue (the platform re-delivered the transcript as
    // SubRip, or not at all) would be found first by the worker, which would read other text than the run's key
    // was made from (and fail the call as "changed after it was enqueued", on every retry)
    for (const format of SIDECAR_FORMATS) {
      if (format !== sidecar?.format) await rm(path.join(dir, `${contentHash}.transcript.${format}`), { force: true });
    }
    return `${KEY_SCHEME}${rel}`;
  }

  async localPath(location: string): Promise<string> {
    if (!location.startsWith(KEY_SCHEME)) return location; // enqueued before a storage folder was configured
    const rel = location.slice(KEY_SCHEME.length);
    if (rel.split('/').includes('..')) throw new ConfigError(`bad storage key ${location}`);
    return path.join(this.root, rel);
  }

  async removeCopy(location: string, contentHash: string): Promise<string[]> {
    if (!location.startsWith(KEY_SCHEME) || !/^[0-9a-f]{64}$/.test(contentHash)) return [];
    const dir = path.join(this.root, contentHash.slice(0, 2));
    const names = [path.basename(await this.localPath(location))];
    try {
      for (const n of await readdir(dir)) if (n.startsWith(`${contentHash}.transcript.`)) names.push(n);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const gone: string[] = [];
    for (const n of names) {
      const file = path.join(dir, n);
      try {
        await rm(file);
        gone.push(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return gone;
  }
}

export function storageFor(storageDir: string | undefined, scope?: string): RecordingStorage {
  return storageDir ? new DirStorage(storageDir, scope) : new SharedPathStorage(scope);
}

/**
 * The folder name that keeps one deployment's artifacts apart from another's on the same machine or storage
 * folder (their run ids live in different databases): the queue prefix and a digest of the database URL.
 */
export function artifactScope(queuePrefix: string, databaseUrl: string): string {
  return `${queuePrefix}-${createHash('sha256').update(databaseUrl).digest('hex').slice(0, 12)}`;
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

const RUN_ID = /^[A-Za-z0-9_-]{1,100}$/;
const ARTIFACT_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,100}$/;

function runFolder(root: string, runId: string): string {
  if (!RUN_ID.test(runId)) throw new Error(`bad run id for an artifact folder: ${JSON.stringify(runId)}`);
  return path.join(root, runId);
}

async function runFolders(root: string): Promise<string[]> {
  try {
    return (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory() && RUN_ID.test(d.name)).map((d) => d.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

async function removeRunFolder(root: string, runId: string): Promise<void> {
  await rm(runFolder(root, runId), { recursive: true, force: true });
}

/** One run's artifacts as files in `<root>/<run id>/`, each written under a temporary name and renamed. */
class FolderArtifacts implements StageArtifacts {
  private readonly dir: string;
  constructor(root: string, runId: string, readonly description: string) {
    this.dir = runFolder(root, runId);
  }

  private file(name: string): string {
    if (!ARTIFACT_NAME.test(name)) throw new Error(`bad artifact name ${JSON.stringify(name)}`);
    return path.join(this.dir, name);
  }

  async put(name: string, localFile: string): Promise<void> {
    const dest = this.file(name);
    await mkdir(this.dir, { recursive: true });
    try {
      await rename(localFile, dest);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      // another file system (the storage folder is a network mount): copy, then rename into place
      const tmp = `${dest}.${process.pid}.${Date.now()}.tmp`;
      await copyFile(localFile, tmp);
      await rename(tmp, dest);
      await rm(localFile, { force: true });
    }
  }

  async remove(name: string): Promise<void> {
    await rm(this.file(name), { force: true });
    // the run's folder goes with its last artifact (not empty: another stage's files are still there)
    await rmdir(this.dir).catch(() => undefined);
  }

  async get(name: string): Promise<string | undefined> {
    const f = this.file(name);
    try {
      return (await stat(f)).isFile() ? f : undefined;
    } catch {
      return undefined;
    }
  }
}
