import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, errorMessage, publicError } from '../core/errors.js';
import type { CallMetadata } from '../core/types.js';
import type { Repository, RunReport } from '../store/index.js';
import type { PipelineConfig } from './config.js';
import { DEFAULT_STAGE_BUDGET, budgetSecFor, runWithinBudget, type StageBudget } from './budget.js';
import { STAGES } from './graph.js';
import { emptyState, mergeState, type CallState, type RecordingRef, type RunOptions, type Stage, type StageName } from './stage.js';

/**
 * The in-process runner: one recording through every stage of the graph, in this process. The queue runner
 * (src/queue) calls the same stage functions one job at a time; both save through the same repository.
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
  /** re-run even when a finished run exists for the same content and pipeline version */
  force?: boolean;
  versions: Record<string, string>;
  onProgress?: (p: StageProgress) => void;
  signal?: AbortSignal;
  stages?: readonly Stage[];
  /** time budget per stage (default: DEFAULT_STAGE_BUDGET; the CLI reads it from the environment) */
  budget?: StageBudget;
}

export type CallOutcome =
  | { status: 'done' | 'cached'; file: string; report: RunReport }
  | { status: 'failed'; file: string; error: Error; runId?: string };

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

export async function runStage(stage: Stage, state: CallState, ctx: RunnerContext, recording: RecordingRef): Promise<CallState> {
  ctx.onProgress?.({ stage: stage.name, fraction: 0 });
  const budgetSec = budgetSecFor(ctx.budget ?? DEFAULT_STAGE_BUDGET, state.info?.durationSec);
  const out = await runWithinBudget({ file: recording.displayName, stage: stage.name }, budgetSec, ctx.signal, (signal) =>
    stage.run(state, {
      recording,
      pipeline: ctx.pipeline,
      options: ctx.options,
      signal,
      progress: (fraction) => ctx.onProgress?.({ stage: stage.name, fraction }),
    }),
  );
  ctx.onProgress?.({ stage: stage.name, fraction: 1 });
  return mergeState(state, out);
}

export async function analyzeFile(input: AnalyzeInput, ctx: RunnerContext): Promise<CallOutcome> {
  const stages = ctx.stages ?? STAGES;
  const file = input.displayName;
  let runId: string | undefined;
  try {
    const path = resolve(input.path);
    const sizeBytes = await checkFile(path, file);
    const contentHash = await hashFile(path);
    const ref: RecordingRef = { id: '', path, displayName: file, contentHash, metadata: input.metadata ?? {} };

    // Probe before anything is stored: a file that is not audio leaves no trace in the database.
    const [probe, ...rest] = stages;
    let state = emptyState();
    let t0 = new Date();
    state = await runStage(probe, state, ctx, ref);
    const probedAt = new Date();

    const rec = await ctx.repo.upsertRecording({
      contentHash,
      path,
      fileName: file,
      info: state.info,
      sizeBytes,
      metadata: input.metadata,
    });
    ref.id = rec.id;
    const { run, existing } = await ctx.repo.getOrCreateRun(rec.id, ctx.pipeline.id, ctx.pipeline.version, ctx.versions);
    runId = run.id;
    if (existing && run.status === 'done' && !ctx.force) {
      const report = await ctx.repo.getRunReport(run.id);
      if (report) return { status: 'cached', file, report };
    }
    if (existing) await ctx.repo.resetRun(run.id);
    await ctx.repo.markRunStarted(run.id, probe.name);
    await ctx.repo.saveStageOutput(run.id, probe.name, { info: state.info, notes: state.notes }, t0, probedAt);

    for (const stage of rest) {
      if (ctx.signal?.aborted) throw new Error('interrupted before it finished');
      await ctx.repo.markStage(run.id, stage.name);
      t0 = new Date();
      const before = state;
      state = await runStage(stage, state, ctx, ref);
      await ctx.repo.saveStageOutput(run.id, stage.name, stageDelta(before, state), t0, new Date());
    }
    await ctx.repo.completeRun(run.id, {
      events: state.events,
      transcript: state.transcript ?? null,
      metrics: { ...state.metrics, ...(state.transcriptSkipped ? { transcriptSkipped: state.transcriptSkipped } : {}) },
      notes: state.notes,
      scorecard: state.scorecard,
    });
    const report = await ctx.repo.getRunReport(run.id);
    if (!report) throw new Error(`run ${run.id} vanished after completion`);
    return { status: 'done', file, report };
  } catch (err) {
    // never a query's bound values (transcript text) in the report, the terminal or the stored error
    const error = publicError(err);
    if (runId) {
      try {
        await ctx.repo.failRun(runId, error.message);
      } catch {
        // the database itself failed; the error we report is the original one
      }
    }
    return { status: 'failed', file, error, runId };
  }
}

/** What a stage added, for the stage_outputs row (events/notes appended, other keys replaced). */
function stageDelta(before: CallState, after: CallState): Record<string, unknown> {
  const delta: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof CallState)[]) {
    if (key === 'events') delta.events = after.events.slice(before.events.length);
    else if (key === 'notes') delta.notes = after.notes.slice(before.notes.length);
    else if (after[key] !== before[key]) delta[key] = after[key];
  }
  return delta;
}
