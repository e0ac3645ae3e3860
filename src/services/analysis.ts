/**
 * Analysis use case, shared by the CLI (`callqa analyze`) and the API: analyse recordings in this process
 * (every stage of src/pipeline, saved through the store's repositories), one or a batch at a time; the
 * callers only render the outcomes. Rescoring is in rescore.ts (it needs none of the audio and speech machinery).
 */
import { resolve } from 'node:path';
import type { CallMetadata } from '../core/types.js';
import { ContentTurns, analyzeFile, type AnalyzeInput, type CallOutcome, type RunnerContext } from '../pipeline/runner.js';
import type { StageName } from '../pipeline/stage.js';
import { notUtf8Note } from '../pipeline/files.js';
import { BatchContent, duplicateReason } from '../pipeline/duplicates.js';
import { isDiskFull } from '../core/disk-full.js';

export { duplicateReason };

export type { AnalyzeInput, CallOutcome, RunnerContext };

/**
 * Analyses one recording through every stage, in this process; a finished analysis of the same inputs is
 * reused (`cached`), one whose inputs changed is done again and says why (`reanalysed`).
 */
export function analyzeRecording(input: AnalyzeInput, ctx: RunnerContext): Promise<CallOutcome> {
  return analyzeFile(input, ctx);
}

/**
 * One entry of a batch: a recording found (`walked`: by walking a folder, not named), or a path the caller named
 * that does not exist.
 */
export type BatchItem = { path: string; displayName: string; walked?: boolean } | { missing: string };

/** What became of one entry. */
export type BatchResult =
  | { kind: 'analysed'; outcome: Exclude<CallOutcome, { status: 'duplicate' }> }
  /** its call metadata (sidecar, manifest row) could not be read: the call is not analysed */
  | { kind: 'metadata-failed'; file: string; error: Error }
  | { kind: 'missing'; file: string; error: Error }
  /**
   * the batch was stopped (Ctrl-C, or a full disk) before it (`started: false`) or part-way through it
   * (`started: true`: its run is marked failed, no findings stored)
   */
  | { kind: 'not-finished'; file: string; started: boolean; /** this call hit the full disk that stopped the batch */ diskFull?: true }
  /**
   * not analysed, and not a failure: a file a folder walk found that holds no audio stream, or a duplicate
   * (`duplicateOf`: the file whose bytes these are, earlier in the batch or stored before). `reason` says why,
   * naming the other file of a duplicate.
   */
  | { kind: 'skipped'; file: string; reason: string; duplicateOf?: string };


export interface BatchOptions {
  /** the runner's context for every call (repo: one writer when lanes > 1; execute: the stage pool's) */
  ctx: Omit<RunnerContext, 'onProgress' | 'signal'>;
  /** calls in flight at once (the stage pool's size) */
  lanes: number;
  /** stops the batch after the stage in hand; the rest is `not-finished` */
  signal?: AbortSignal;
  metadataFor(item: { path: string; displayName: string }): Promise<CallMetadata>;
  /** a call starts: the caller's progress for it (stage by stage) */
  onStart?(index: number, total: number, displayName: string): ((stage: StageName, fraction: number) => void) | void;
  /** a call is over, as soon as it is (in any order): for progress */
  onFinish?(index: number, result: BatchResult): void;
  /** each result in the order of `items` (a finished call waits for those before it): for the report */
  deliver(index: number, result: BatchResult): Promise<void>;
  /** what analyses one call (default analyzeRecording); the scheduler's own tests time it */
  analyze?: typeof analyzeRecording;
}

/** Why a batch stopped by itself before every file was tried: a disk filled (the first such error, and the call it hit). */
export interface BatchStop {
  diskFull: { file: string; error: Error };
}

/**
 * A batch, `lanes` calls at a time, results delivered in the order of the items. No call starts more than
 * 4 x lanes places past the first undelivered one, so one long call cannot make finished short ones pile up
 * in memory. Failures are results, not exceptions: one bad file never stops the rest, but a full disk does
 * (src/core/disk-full.ts): every call after it would fail the same way, so the call it hit and those not yet
 * finished are `not-finished` (nothing of them stored as results), and the batch says why it stopped.
 */
export async function analyzeBatch(items: readonly BatchItem[], opts: BatchOptions): Promise<{ stopped?: BatchStop }> {
  const total = items.length;
  // the caller's signal (Ctrl-C), or the batch's own stop at a full disk: either way, after the stage in hand
  const stop = new AbortController();
  let stopped: BatchStop | undefined;
  const stopWith = (why: BatchStop) => {
    stopped ??= why;
    stop.abort();
  };
  if (opts.signal?.aborted) stop.abort();
  else opts.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  const signal = stop.signal;
  // files with the same bytes (one recording in the store) take turns, in the order found: as --jobs 1 would
  const turns = new ContentTurns();
  /** the call of this batch that stored each content (those after it with the same bytes are duplicates) */
  const batch = new BatchContent();
  const one = async (i: number, item: BatchItem): Promise<BatchResult> => {
    let declared = false;
    const sameContent = {
      take: (contentHash: string) => {
        declared = true;
        return turns.take(i, contentHash);
      },
      storedAs: (contentHash: string) => batch.firstOf(contentHash),
      stored: (contentHash: string, file: string) => batch.stored(contentHash, file),
    };
    try {
      return await oneCall(i, item, sameContent);
    } finally {
      // a call that ended before hashing its file still declares (none), or the calls after it would wait forever
      if (!declared) turns.none(i);
    }
  };
  const oneCall = async (i: number, item: BatchItem, sameContent: RunnerContext['sameContent']): Promise<BatchResult> => {
    if (signal.aborted) return { kind: 'not-finished', file: 'missing' in item ? item.missing : item.displayName, started: false };
    if ('missing' in item) return { kind: 'missing', file: item.missing, error: new Error(`${item.missing}: no such file or directory${notUtf8Note(item.missing)}`) };
    const onProgress = opts.onStart?.(i, total, item.displayName) ?? undefined;
    let metadata: CallMetadata;
    try {
      metadata = await opts.metadataFor(item);
    } catch (err) {
      return { kind: 'metadata-failed', file: item.displayName, error: err as Error };
    }
    const outcome = await (opts.analyze ?? analyzeRecording)(
      { path: item.path, displayName: item.displayName, metadata },
      { ...opts.ctx, sameContent, signal, ...(onProgress ? { onProgress: (p) => onProgress(p.stage, p.fraction) } : {}) },
    );
    // the disk is full: not this file's fault, and every call after it would fail the same way
    // (the words in the file's own name are no full disk: a recording may be called anything)
    if (outcome.status === 'failed' && isDiskFull(outcome.error, [item.path, resolve(item.path), item.displayName, outcome.file])) {
      // the first to hit it is the one said to (calls in flight alongside it under --jobs hit it too)
      const first = stopped === undefined;
      stopWith({ diskFull: { file: outcome.file, error: outcome.error } });
      return { kind: 'not-finished', file: outcome.file, started: true, ...(first ? { diskFull: true as const } : {}) };
    }
    // stopped part-way: not a failure of the file; its run is marked failed (interrupted), no findings stored
    if (outcome.status === 'failed' && signal.aborted) return { kind: 'not-finished', file: outcome.file, started: true };
    if (outcome.status === 'duplicate') return { kind: 'skipped', file: outcome.file, reason: duplicateReason(outcome), duplicateOf: outcome.of };
    // a folder of recordings may hold a screen capture without sound: not a recording, so not a failure. Named
    // on the command line, it is one (the user meant it). By name: the error may come from a worker thread.
    if (outcome.status === 'failed' && item.walked && outcome.error.name === 'NoAudioStreamError') {
      return { kind: 'skipped', file: outcome.file, reason: 'no audio stream' };
    }
    return { kind: 'analysed', outcome };
  };

  const ahead = Math.max(1, opts.lanes) * 4;
  const results = new Map<number, BatchResult>();
  let next = 0;
  let delivered = 0;
  // every lane waiting for the window to move (more than one can wait, with three lanes or more)
  let waiting: Array<() => void> = [];
  const flush = async () => {
    while (results.has(delivered)) {
      const r = results.get(delivered)!;
      results.delete(delivered);
      await opts.deliver(delivered, r);
      delivered++;
    }
    const woken = waiting;
    waiting = [];
    for (const w of woken) w();
  };
  let flushing = Promise.resolve();
  const lane = async () => {
    for (;;) {
      while (next - delivered >= ahead) await new Promise<void>((r) => waiting.push(r));
      const i = next++;
      if (i >= total) return;
      const r = await one(i, items[i]!);
      opts.onFinish?.(i, r);
      results.set(i, r);
      flushing = flushing.then(flush);
      await flushing;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.lanes, total)) }, lane));
  await flushing;
  return stopped ? { stopped } : {};
}
