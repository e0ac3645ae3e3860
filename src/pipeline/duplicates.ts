/**
 * Duplicates: a second file with the bytes of a recording already stored under another name. One recording
 * (content-addressed) has one name, metadata and transcript, so analysing the second file would silently replace
 * the first's. The rule lives here once and every runner asks it: `callqa analyze` (pipeline/runner.ts), the queue
 * (`callqa enqueue`, `callqa watch`: queue/enqueue.ts) and `callqa rescore` (services/rescore.ts).
 */
import { access } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import type { RunStatus } from '../store/schema.js';
import type { Repository } from '../store/repository.js';

export interface Duplicate {
  /** the file whose bytes these are (the first of this batch, or the stored recording's name) */
  of: string;
  /** earlier in this batch, or a recording stored before (by an earlier run or another process) */
  earlier: 'batch' | 'stored';
  /** the stored recording's analysis is still under way (queued or running in a worker) */
  underWay?: boolean;
}

export interface DuplicateQuery {
  contentHash: string;
  /** the file's absolute path */
  path: string;
  /** its name as the user gave it */
  file: string;
  /** the user asks for this file, as the stored recording under this name (never within a batch) */
  force?: boolean;
  /** the file of this batch that was analysed (or queued) with these bytes, if one was */
  inBatch?: string;
  /**
   * the queue: a run still under way (pending, running) holds the recording too, as a finished one does: its
   * name and metadata are the ones its worker reads. In-process (analyze) a run is never under way here (one
   * process owns the data folder), and one left running by a killed process has no results to keep.
   */
  underWayKeeps?: boolean;
}

/**
 * Whether this file is a duplicate. In a batch, every file after the first with the same bytes is its duplicate;
 * across runs, a file whose bytes are stored under another name is one, while the same file again (the same path,
 * or the same file name in another folder: a moved recording), a renamed one (the file the recording was stored
 * from is gone), one whose stored recording has no results (its analysis failed) and, with force, any file are
 * not.
 */
export async function duplicateOf(repo: Pick<Repository, 'getRecordingByHash' | 'listRuns'>, q: DuplicateQuery): Promise<Duplicate | undefined> {
  if (q.inBatch !== undefined) return { of: q.inBatch, earlier: 'batch' };
  const stored = await repo.getRecordingByHash(q.contentHash);
  if (!stored) return undefined;
  // where it was analysed or enqueued from (the path itself, unless it is a copy in a storage folder); null: a
  // storage-folder copy enqueued before that was kept, whose source is unknown, so taken to be there still
  const source = stored.sourcePath;
  if (source === q.path || stored.path === q.path || basename(stored.fileName) === basename(q.file)) return undefined;
  // renamed (or moved and renamed): the file the recording was stored from is gone, so this is it under its new
  // name, not a duplicate of a file that is no more (which no later run could ever get out of). A file on another
  // machine's own disk (a storage-folder enqueue there) cannot be looked for here: taken to be there still, as an
  // unknown source is (--force is the way out), never as gone, which would let this file take the recording over
  const here = stored.sourceHost === null || stored.sourceHost === hostname();
  if (source !== null && here && !(await access(source).then(() => true, () => false))) return undefined;
  // --force: the user asks for this file, as that recording under this name (its metadata and transcript then
  // replace the stored ones)
  if (q.force) return undefined;
  // stored but never analysed to the end (its analysis failed, in this batch or before): there are no results to
  // keep, so this file is analysed as usual, and the recording is its own from now on
  const keeps: RunStatus[] = q.underWayKeeps ? ['done', 'pending', 'running'] : ['done'];
  const [run] = await repo.listRuns({ status: keeps, recordingId: stored.id, limit: 1 });
  if (!run) return undefined;
  return { of: stored.fileName, earlier: 'stored', ...(run.status === 'done' ? {} : { underWay: true }) };
}

/**
 * Why a duplicate is skipped, naming the file it duplicates, as the runner that skipped it says it: not
 * `analysed` (analyze), `queued` (enqueue, watch) or `rescored` (rescore) for it.
 */
export function duplicateReason(d: Duplicate, action: 'analysed' | 'queued' | 'rescored' = 'analysed'): string {
  const when = d.earlier === 'batch' ? '' : d.underWay ? ', being analysed' : ', analysed before';
  if (action === 'rescored') {
    // the stored analysis is that file's: rescoring it under this name would report the other's call as this one
    const way = d.earlier === 'stored' ? ` (rescore ${d.of}; callqa analyze --force makes this file that recording, under this name)` : '';
    return `duplicate of ${d.of}${when}: identical audio, one recording; its stored analysis is that file's, not rescored under this name${way}`;
  }
  const again = action === 'analysed' ? 'not analysed again' : 'not queued';
  const base = `duplicate of ${d.of}${when}: identical audio, one recording; ${again}, and that file's metadata and results are kept`;
  // across runs there is a way out: the user may mean this name to be the recording's now
  if (d.earlier === 'batch') return base;
  return `${base} (--force ${action === 'analysed' ? 'analyses' : 'queues'} this file as that recording, under this name)`;
}

/**
 * One batch's memory of which file stored which bytes: the files after it with the same bytes are its duplicates
 * (even with --force, where two names would silently overwrite each other). Only a file with results (or, in the
 * queue, a run under way) is recorded: after one that failed, the next is analysed as usual.
 */
export class BatchContent {
  private readonly firstBy = new Map<string, string>();

  /** the file of this batch that stored these bytes, if one did */
  firstOf(contentHash: string): string | undefined {
    return this.firstBy.get(contentHash);
  }

  /** `file` stored these bytes (the first to do so keeps them) */
  stored(contentHash: string, file: string): void {
    if (!this.firstBy.has(contentHash)) this.firstBy.set(contentHash, file);
  }
}
