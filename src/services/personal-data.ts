/**
 * Data-subject requests and retention (`callqa data`): find a customer's calls, export everything callqa stores
 * about them (access request), and erase them (erasure request, or calls past the retention period). An
 * erasure removes the calls' rows in one transaction with its audit entries, then the files callqa made of
 * them: the playable copies and peaks in the media cache, the copy in the queue's storage folder, and, only when
 * asked (`deleteAudio`), the original recording and its sidecars, which callqa did not make.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { env } from '../config/env.js';
import { hashFile } from '../pipeline/files.js';
import { findSidecar as findMetadataSidecar } from '../pipeline/metadata.js';
import type { RunKey } from '../queue/jobs.js';
import { storageFor, type RecordingStorage } from '../queue/storage.js';
import type { Store } from '../store/db.js';
import type { ErasureResult, SubjectCall, SubjectCallExport, SubjectExport, SubjectSelector } from '../core/personal-data-types.js';
import { PersonalDataRepo, type SubjectCallRow } from '../store/personal-data-repo.js';
import { sidecarsBeside } from '../transcribe/sidecar.js';
import type { AuditService } from './audit.js';
import { isUuid } from './call-access.js';
import { ServiceError } from './errors.js';
import type { Actor } from './types.js';

export type { ErasureResult, SubjectCall, SubjectCallExport, SubjectExport, SubjectSelector };





/** The queue's jobs of erased calls (with a queue deployment: REDIS_URL): removed in every state but active. */
export interface QueueJobs {
  removeJobsOf(keys: readonly RunKey[]): Promise<number>;
}

export interface EraseOptions {
  /** also delete the original recording at the stored path and its transcript and metadata sidecars */
  deleteAudio?: boolean;
  /** keep calls with an open dispute (retention: a dispute is ruled first); an erasure request removes them */
  keepOpenDisputes?: boolean;
  /** why, for the audit log: 'request' (a data-subject request) or 'retention' */
  reason: 'request' | 'retention';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** filesFailed: the file at the call's stored path holds other bytes now, so it was not deleted */
export const NOT_THE_RECORDING = 'holds another recording now (other bytes): not deleted, nor its sidecars; the erased original is elsewhere';

export class PersonalDataService {
  private readonly repo: PersonalDataRepo;
  private readonly storage: RecordingStorage;
  constructor(
    store: Store,
    private readonly auditService: AuditService,
    private readonly opts: { mediaDir: string; now: () => Date; storage?: RecordingStorage; jobs?: QueueJobs },
  ) {
    this.repo = new PersonalDataRepo(store.db);
    this.storage = opts.storage ?? storageFor(env().CALLQA_STORAGE_DIR);
  }

  /** The calls a selector names, oldest first. */
  async find(sel: SubjectSelector): Promise<SubjectCall[]> {
    return (await this.repo.findCalls(checkSelector(sel))).map(toCall);
  }

  /** Everything stored about the calls (an access request), audited per call. */
  async export(actor: Actor, sel: SubjectSelector): Promise<SubjectExport> {
    const rows = await this.repo.findCalls(checkSelector(sel));
    const calls: SubjectCallExport[] = [];
    for (const r of rows) {
      calls.push({ ...toCall(r), metadata: r.metadata, transcripts: await this.repo.transcripts(r.id), findings: await this.repo.events(r.id) });
      await this.auditService.audit(actor, 'data.export', { type: 'call', id: r.id, callId: r.id }, {});
    }
    return {
      exportedAt: this.opts.now().toISOString(),
      selector: sel,
      calls,
      notIncluded: [
        'the audio itself: each call names where it is (audio); copy those files',
        "scorecards, reviews and disputes: they assess the agent's work, not the customer",
      ],
    };
  }

  /**
   * Erases the calls a selector names: rows in one transaction with an audit entry per call (`data.erase`),
   * then the files. Calls under an open dispute are kept when `keepOpenDisputes` (retention).
   */
  async erase(actor: Actor, sel: SubjectSelector, o: EraseOptions): Promise<ErasureResult> {
    const named = await this.repo.findCalls(checkSelector(sel));
    const keep = named.filter((r) => o.keepOpenDisputes && r.openDisputes > 0);
    const go = named.filter((r) => !keep.includes(r));
    // the queue's jobs are keyed by content and program: read before the runs go
    const keys = this.opts.jobs ? await this.repo.runKeys(go.map((r) => r.id)) : [];
    const rows = await this.repo.transaction(async (repo, tx) => {
      const counts = await repo.erase(
        go.map((r) => r.id),
        o.reason,
        this.opts.now(),
      );
      for (const r of go) {
        await this.auditService.audit(actor, 'data.erase', { type: 'call', id: r.id, callId: r.id }, { reason: o.reason, deleteAudio: Boolean(o.deleteAudio) }, tx);
      }
      return counts;
    });
    const filesDeleted: string[] = [];
    const filesFailed: { path: string; error: string }[] = [];
    const audioLeft: string[] = [];
    // finished and failed jobs stay in Redis with their error text, which names the file (often the caller's number)
    let queueJobsRemoved: number | undefined;
    if (this.opts.jobs && keys.length) {
      try {
        queueJobsRemoved = await this.opts.jobs.removeJobsOf(keys);
      } catch (err) {
        filesFailed.push({ path: 'queue jobs (Redis)', error: (err as Error).message });
      }
    }
    const remove = async (file: string) => {
      try {
        await rm(file);
        filesDeleted.push(file);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') filesFailed.push({ path: file, error: code ?? String(err) });
      }
    };
    for (const r of go) {
      for (const f of await this.mediaFiles(r.contentHash)) await remove(f);
      if (r.path.startsWith('storage:')) {
        try {
          filesDeleted.push(...(await this.storage.removeCopy(r.path, r.contentHash)));
        } catch (err) {
          filesFailed.push({ path: r.path, error: (err as Error).message });
        }
      } else if (o.deleteAudio) {
        // only the erased bytes: the stored path may hold another recording now (an inbox that reuses names), and
        // the sidecars beside it are then that recording's
        const now = await hashFile(r.path).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : err));
        if (now === null) continue;
        if (now instanceof Error) filesFailed.push({ path: r.path, error: now.code ?? String(now) });
        else if (now !== r.contentHash) filesFailed.push({ path: r.path, error: NOT_THE_RECORDING });
        else {
          // every transcript file beside it, not only the one an analysis would read (JSON and SubRip both delivered)
          const sidecars = [...sidecarsBeside(r.path), await findMetadataSidecar(r.path)];
          for (const f of [r.path, ...sidecars]) if (f) await remove(f);
        }
      } else audioLeft.push(r.path);
    }
    return {
      erased: go.map(toCall),
      kept: keep.map((r) => ({ call: toCall(r), reason: `${r.openDisputes} open dispute(s): rule them first` })),
      rows,
      filesDeleted,
      filesFailed,
      audioLeft,
      ...(queueJobsRemoved !== undefined ? { queueJobsRemoved } : {}),
    };
  }

  /**
   * Lifts the erasure of recordings with these bytes (an erasure made in error), so they can be analysed again;
   * answers which of the hashes were erased (the others were not: nothing to lift). Audited.
   */
  async readmit(actor: Actor, contentHashes: readonly string[]): Promise<string[]> {
    for (const h of contentHashes) if (!/^[0-9a-f]{64}$/.test(h)) throw new ServiceError(400, 'bad_request', `not a sha256 content hash: "${h}"`);
    return this.repo.transaction(async (repo, tx) => {
      const lifted = await repo.readmit(contentHashes);
      for (const h of lifted) await this.auditService.audit(actor, 'data.readmit', { type: 'recording', id: h }, {}, tx);
      return lifted;
    });
  }

  /** The media cache's files of one recording (`<media>/<ab>/<hash>.*`: playable copies, redacted copies, peaks). */
  private async mediaFiles(contentHash: string): Promise<string[]> {
    if (!/^[0-9a-f]{64}$/.test(contentHash)) return [];
    const dir = path.join(this.opts.mediaDir, contentHash.slice(0, 2));
    try {
      return (await readdir(dir)).filter((n) => n.startsWith(`${contentHash}.`)).map((n) => path.join(dir, n));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}

function toCall(r: SubjectCallRow): SubjectCall {
  return {
    id: r.id,
    fileName: r.fileName,
    callDate: r.callDate,
    durationSec: r.durationSec,
    agentId: typeof r.metadata.agentId === 'string' ? r.metadata.agentId : null,
    customerId: typeof r.metadata.customerId === 'string' ? r.metadata.customerId : null,
    reviewState: r.reviewState,
    openDisputes: r.openDisputes,
    audio: r.path,
  };
}

/** A selector names at least one thing, each well formed: an erasure never runs on a typo. */
function checkSelector(sel: SubjectSelector): SubjectSelector {
  const out: SubjectSelector = {};
  if (sel.customerId !== undefined) {
    if (!sel.customerId.trim()) throw new ServiceError(400, 'bad_request', 'customer id is empty');
    out.customerId = sel.customerId;
  }
  if (sel.callIds !== undefined) {
    const bad = sel.callIds.find((id) => !isUuid(id));
    if (bad !== undefined) throw new ServiceError(400, 'bad_request', `call id must be a whole call id (a UUID, as callqa calls list --json prints it), got "${bad}"`);
    out.callIds = [...sel.callIds];
  }
  if (sel.before !== undefined) {
    const d = new Date(`${sel.before}T00:00:00Z`);
    if (!DATE.test(sel.before) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== sel.before) {
      throw new ServiceError(400, 'bad_request', `before must be a date as YYYY-MM-DD, got "${sel.before}"`);
    }
    out.before = sel.before;
  }
  if (out.customerId === undefined && out.callIds === undefined && out.before === undefined) {
    throw new ServiceError(400, 'bad_request', 'name the calls: a customer id, call ids, or a date before which calls go');
  }
  return out;
}
