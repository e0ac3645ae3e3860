import type { AudioInfo } from '../core/types.js';
import { DEFAULT_STAGE_BUDGET, budgetSecFor, runWithinBudget, type StageBudget } from './budget.js';
import type { CompleteRunInput } from '../store/repository.js';
import { emptyState, mergeState, type CallState, type Stage, type StageContext, type StageName, type StageOutput } from './stage.js';
import { storedStageOutput } from './stored-output.js';

/**
 * Running stages, written once for the three places that do it: the in-process runner (runner.ts), the
 * queue's stage job (queue/handler.ts) and rescore (services/rescore.ts). Each of them loads and saves
 * through the store its own way (one transaction at the end; two round trips per job; a new draft beside
 * the old); what a stage run IS, what the state of a call is after its saved stages, what the first stage
 * tells about the recording and what a finished call stores, is here.
 */

/** A stage's output with when it ran. */
export interface StageRun {
  stage: StageName;
  output: StageOutput;
  startedAt: Date;
  finishedAt: Date;
}

export interface ExecuteOptions {
  /** called with 0 before the stage, its own fractions while it runs, and 1 after */
  onProgress?: (stage: StageName, fraction: number) => void;
  /** the stage's time budget (budget.ts; default DEFAULT_STAGE_BUDGET) */
  budget?: StageBudget;
}

/**
 * Runs one stage over the call's state, within its time budget: over it, the stage is told to stop (its
 * signal) and a StageTimeoutError names the file, the stage and the budget. The stage's own errors
 * propagate unchanged.
 */
export async function executeStage(stage: Stage, state: CallState, ctx: Omit<StageContext, 'progress'>, opts: ExecuteOptions = {}): Promise<StageRun> {
  opts.onProgress?.(stage.name, 0);
  const startedAt = new Date();
  const budgetSec = budgetSecFor(opts.budget ?? DEFAULT_STAGE_BUDGET, state.info?.durationSec);
  const output = await runWithinBudget({ file: ctx.recording.displayName, stage: stage.name }, budgetSec, ctx.signal, (signal) =>
    stage.run(state, { ...ctx, signal, progress: (f) => opts.onProgress?.(stage.name, f) }),
  );
  const finishedAt = new Date();
  opts.onProgress?.(stage.name, 1);
  return { stage: stage.name, output, startedAt, finishedAt };
}

/**
 * Runs `stages` one after another over the call's state, each within its own budget (executeStage), and
 * returns each one's run in order: the in-process runner hands a call's stages after the probe to this (or
 * to the stage pool's, which runs the same function on a worker thread, so the call's state crosses
 * between threads once, not once per stage). Stops before the next stage when the signal is aborted.
 */
export async function executeSequence(
  stages: readonly Stage[],
  state: CallState,
  ctx: Omit<StageContext, 'progress'>,
  opts: ExecuteOptions = {},
): Promise<StageRun[]> {
  // files a stage leaves for a later one (the decoded channels) are in ctx.workDir, which the runner removes
  const runs: StageRun[] = [];
  for (const stage of stages) {
    if (ctx.signal?.aborted) throw new Error('interrupted before it finished');
    const r = await executeStage(stage, state, ctx, opts);
    state = mergeState(state, r.output);
    runs.push(r);
  }
  return runs;
}

/**
 * The call's state as the stages before `untilIndex` left it: their saved outputs, checked
 * (stored-output.ts: an unusable one is an error naming `where`, the stage and the field), merged in graph
 * order (whatever order they were saved or loaded in). `skip` leaves stages out (rescore drafts its own score).
 */
export function replayState(
  stages: readonly Pick<Stage, 'name'>[],
  outputs: { get(stage: string): unknown },
  opts: { untilIndex?: number; skip?: readonly StageName[]; where?: string } = {},
): CallState {
  let state = emptyState();
  for (const s of stages.slice(0, opts.untilIndex ?? stages.length)) {
    if (opts.skip?.includes(s.name)) continue;
    const out = outputs.get(s.name);
    if (out != null) state = mergeState(state, storedStageOutput(s.name, out, opts.where ?? 'a saved run'));
  }
  return state;
}

/** What the first stage found about the recording itself, to store on its row (the probe's AudioInfo). */
export function recordingInfoOf(run: StageRun, stages: readonly Stage[]): AudioInfo | undefined {
  return run.stage === stages[0]?.name ? run.output.info : undefined;
}

/** What a finished call stores (`completeRun`): the same for every runner. */
export function completionOf(state: CallState): CompleteRunInput {
  return {
    events: state.events,
    transcript: state.transcript ?? null,
    metrics: { ...state.metrics, ...(state.transcriptSkipped ? { transcriptSkipped: state.transcriptSkipped } : {}) },
    notes: state.notes,
    scorecard: state.scorecard,
  };
}

/**
 * Where a run resumes: the first stage of the graph without a saved output; when every stage is saved but
 * the run is not done (a worker died between the last save and `completeRun`), the last stage again.
 */
export function resumeStageIndex(stages: readonly Stage[], saved: { has(stage: string): boolean }): number {
  const i = stages.findIndex((s) => !saved.has(s.name));
  return i < 0 ? stages.length - 1 : i;
}
