import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { publicError } from '../core/errors.js';
import type { CallMetadata } from '../core/types.js';
import type { Repository, RunReport } from '../store/index.js';
import type { PipelineConfig } from './config.js';
import type { StageBudget } from './budget.js';
import { completionOf, executeSequence, executeStage, recordingInfoOf } from './execute.js';
import { callInputs, inputVersions, staleReasons } from './inputs.js';
import { emptyState, mergeState, type CallState, type RecordingRef, type RunOptions, type Stage, type StageName } from './stage.js';

/**
 * The in-process runner: one recording through every stage of the graph, in this process. The queue runner
 * (src/queue) calls the same stage functions one job at a time; both run them through execute.ts and save
 * through the same store. A finished run is reused only while everything it was made from is unchanged
 * (inputs.ts); otherwise the call is analysed again and the outcome says why.
 *
 * Nothing partial is stored: the recording row is written only once the file has probed as audio, and a
 * run's events/transcript/scorecard land in one transaction at the end (`completeRun`). A failure marks the
 * run failed with its error and stores no findings.
 */

export interface AnalyzeInput {
  /** path to read the audio from */
  path: string;
  /** the name as the user gave it (messages, report) */
  displayName: string;
  metadata?: CallMetadata;
}

export interface StageProgress {
  stage: StageName;
  /** 0..1 within the stage */
  fraction: number;
}

export interface RunnerContext {
  repo: Repository;
  pipeline: PipelineConfig;
  options: RunOptions;
  /** re-run even when a finished run exists for the same inputs */
  force?: boolean;
  versions: Record<string, string>;
  onProgress?: (p: StageProgress) => void;
  signal?: AbortSignal;
  stages?: readonly Stage[];
  /** time budget per stage (default: DEFAULT_STAGE_BUDGET; the CLI reads it from the environment) */
  budget?: StageBudget;
  /**
   * Where a stage's work runs: executeStage here (default), or a worker thread (stage-pool.ts, `analyze
   * --jobs`). Either way the database is written only by this runner, in this thread.
   */
  execute?: typeof executeStage;
  /** the same for the stages after the probe, in one go (the stage pool runs them on one worker thread) */
  executeSequence?: typeof executeSequence;
  /**
   * This call's turn on its recording content, when calls run side by side (analyzeBatch gives each call
   * one): two files with the same bytes are one recording in the store, so a later one waits for an earlier
   * one to finish and then goes on exactly as it would one call at a time (cached, or analysed again because
   * its metadata or transcript differ), never racing it.
   */
  sameContent?: {
    take(contentHash: string): Promise<() => void>;
    /** the name of the call earlier in this batch that analysed a recording with these bytes (done or cached), if one did */
    storedAs?(contentHash: string): string | undefined;
    /** this call analysed the recording with these bytes (done or cached: the calls after it with the same bytes are its duplicates) */
    stored?(contentHash: string, file: string): void;
  };
}

/**
 * Turns on recording content for a batch: the calls declare their content in the batch's order (each index
 * exactly once: a call that never got as far as hashing its file declares none), and calls with the same
 * content then run one after another in that order.
 */
export class ContentTurns {
  private readonly tails = new Map<string, Promise<void>>();
  /** every call before this one has declared */
  private next = 0;
  private readonly declared = new Set<number>();
  private readonly waiting = new Map<number, () => void>();

  /** call `index` declares its content; resolves when its turn comes, with the function that ends the turn */
  async take(index: number, key: string): Promise<() => void> {
    // earlier calls declare first, so turns go in the batch's order, not in whichever order the files hashed
    if (index > this.next) await new Promise<void>((r) => this.waiting.set(index, r));
    // declared before the turn is queued: a call declared twice throws here, not after leaving a turn that never ends
    this.declare(index);
    const before = this.tails.get(key) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((r) => (done = r));
    const tail = before.then(() => mine);
    this.tails.set(key, tail);
    await before;
    return () => {
      done();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }

  /** call `index` has no content to declare (it ended before its file was hashed) */
  none(index: number): void {
    this.declare(index);
  }

  private declare(index: number): void {
    if (index < this.next || this.declared.has(index)) throw new Error(`content turn ${index} declared twice`);
    this.declared.add(index);
    while (this.declared.delete(this.next)) this.next++;
    const wake = this.waiting.get(this.next);
    if (wake) {
      this.waiting.delete(this.next);
      wake();
    }
  }
}

export type CallOutcome =
  /** reanalysed: why a finished analysis of this call was not reused (inputs changed, --force) */
  | { status: 'done' | 'cached'; file: string; report: RunReport; reanalysed?: string[] }
  /**
   * the same bytes as another file, `of`: earlier in this batch (`earlier: 'batch'`), or a recording stored
   * before under another name (`'stored'`). Nothing is stored or analysed for it: that file's metadata,
   * transcript and results stay as they are (see duplicates.ts).
   */
  | { status: 'duplicate'; file: string; of: string; earlier: 'batch' | 'stored' }
  | { status: 'failed'; file: string; error: Error; runId?: string };

import { checkFile, hashFile, refuseErased } from './files.js';
import { duplicateOf } from './duplicates.js';

export { checkFile, hashFile };

function stageContext(ctx: RunnerContext, recording: RecordingRef) {
  return { recording, pipeline: ctx.pipeline, options: ctx.options, signal: ctx.signal, sameProcess: true };
}

function progressOf(ctx: RunnerContext) {
  return { onProgress: (stage: StageName, fraction: number) => ctx.onProgress?.({ stage, fraction }), budget: ctx.budget };
}

export async function analyzeFile(input: AnalyzeInput, ctx: RunnerContext): Promise<CallOutcome> {
  // loaded here, not at start-up: under --jobs this thread runs no stage (the pool's references stand in)
  const stages = ctx.stages ?? (await import('./graph.js')).STAGES;
  const file = input.displayName;
  let runId: string | undefined;
  let state: CallState = emptyState();
  /** the stage in hand: a failed run records where it stopped */
  let current: StageName | undefined;
  /** the call's own folder (StageContext.workDir), removed however the call ends */
  let workDir: string | undefined;
  /** ends this call's turn on its recording content (ctx.sameContent) */
  let endTurn: (() => void) | undefined;
  try {
    const path = resolve(input.path);
    const sizeBytes = await checkFile(path, file);
    const contentHash = await hashFile(path, file);
    await refuseErased(ctx.repo, contentHash, file);
    endTurn = await ctx.sameContent?.take(contentHash);
    // the same rule as the queue's (duplicates.ts); --force never reaches within a batch, where two names would
    // silently overwrite each other
    const duplicate = await duplicateOf(ctx.repo, { contentHash, path, file, force: ctx.force, inBatch: ctx.sameContent?.storedAs?.(contentHash) });
    if (duplicate) return { status: 'duplicate', file, of: duplicate.of, earlier: duplicate.earlier };
    const metadata = input.metadata ?? {};
    const ref: RecordingRef = { id: '', path, displayName: file, contentHash, metadata };
    const inputs = await callInputs({ audioPath: path, metadata, pipeline: ctx.pipeline, options: ctx.options });
    const versions = { ...ctx.versions, ...inputVersions(inputs) };

    // Probe before anything is stored: a file that is not audio leaves no trace in the database.
    if (ctx.signal?.aborted) throw new Error('interrupted before it finished');
    const [probe, ...rest] = stages;
    const probed = await (ctx.execute ?? executeStage)(probe, emptyState(), stageContext(ctx, ref), progressOf(ctx));
    state = mergeState(state, probed.output);

    // the metadata this analysis is given is the call's whole metadata (manifest row < sidecar < flags): it
    // replaces the stored one, so the report never shows a field the scoring did not use (one taken out of
    // a corrected manifest)
    const rec = await ctx.repo.upsertRecording({
      contentHash,
      path,
      sourcePath: path,
      fileName: file,
      info: recordingInfoOf(probed, stages),
      sizeBytes,
      metadata,
      replaceMetadata: true,
    });
    ref.id = rec.id;
    const { run, existing } = await ctx.repo.getOrCreateRun(rec.id, ctx.pipeline.id, ctx.pipeline.version, versions);
    runId = run.id;
    // A finished run stands for this call only if nothing it was made from has changed since.
    let reanalysed: string[] | undefined;
    if (existing && run.status === 'done') {
      reanalysed = ctx.force ? ['forced (--force)'] : staleReasons(run.versions, inputs);
      if (reanalysed.length === 0) {
        const report = await ctx.repo.getRunReport(run.id);
        if (report) {
          ctx.sameContent?.stored?.(contentHash, file);
          return { status: 'cached', file, report };
        }
        reanalysed = undefined;
      }
    }
    // analysed again from the start: the earlier attempt's stage outputs are not this one's
    if (existing) await ctx.repo.resetRun(run.id, versions, { clearOutputs: true });
    await ctx.repo.markRunStarted(run.id, probe.name);
    if (ctx.signal?.aborted) throw new Error('interrupted before it finished');

    // The rest of the stages in one go (on one worker thread under --jobs: the call's state crosses threads
    // once), then their outputs and the call's results in one transaction: nothing partial is stored.
    workDir = await mkdtemp(join(tmpdir(), 'callqa-call-'));
    const runs = await (ctx.executeSequence ?? executeSequence)(rest, state, { ...stageContext(ctx, ref), workDir }, {
      onProgress: (stage, fraction) => {
        current = stage;
        ctx.onProgress?.({ stage, fraction });
      },
      budget: ctx.budget,
    });
    for (const r of runs) state = mergeState(state, r.output);
    await ctx.repo.completeRun(run.id, { ...completionOf(state), stageOutputs: [probed, ...runs] });
    const report = await ctx.repo.getRunReport(run.id);
    if (!report) throw new Error(`run ${run.id} vanished after completion`);
    // only now: the calls after this one with the same bytes are duplicates of a call with results. One that
    // failed leaves them to be analysed (this call's turn on the bytes ends after this, in `finally`)
    ctx.sameContent?.stored?.(contentHash, file);
    return { status: 'done', file, report, ...(reanalysed?.length ? { reanalysed } : {}) };
  } catch (err) {
    // never a query's bound values (transcript text) in the report, the terminal or the stored error
    const error = publicError(err);
    if (runId) {
      try {
        await ctx.repo.failRun(runId, error.message, current);
      } catch {
        // the database itself failed; the error we report is the original one
      }
    }
    return { status: 'failed', file, error, runId };
  } finally {
    // the decoded channels the audio stage kept, if a failure (or a terminated worker) left them
    if (workDir) await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
    endTurn?.();
  }
}
