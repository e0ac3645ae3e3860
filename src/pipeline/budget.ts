/**
 * A time budget for every stage of every call. A stage that runs too long (a pathological transcript, a
 * decoder stuck on a corrupt file, a regex or detector gone superlinear) must not stall the batch: when
 * its budget is spent the call fails with a clear error naming the stage and the budget, the stage is told
 * to stop (its AbortSignal: ffmpeg and whisper-cli are killed), and the batch goes on. In the queue it is a
 * permanent failure (a slower retry would hit the same wall), so it is not retried.
 *
 * Budget per stage = max(CALLQA_STAGE_BUDGET_SEC, CALLQA_STAGE_BUDGET_X × the call's duration): by default
 * 600 s, or 3× real time for calls longer than 200 s (whisper on a slow CPU). A stage that blocks the event
 * loop (synchronous code) cannot be interrupted from its own thread: on a worker thread (`analyze --jobs`)
 * the stage pool terminates and replaces the worker POOL_GRACE_SEC past the budget (stage-pool.ts); in the
 * main thread (--jobs 1, the main thread's lane of --jobs N, the queue's workers) it is judged when it
 * returns, and fails the call the same way.
 */
import { env, parseEnv } from '../config/env.js';
import { InputError } from '../core/errors.js';

export interface StageBudget {
  /** seconds every stage may take, whatever the call's length */
  baseSec: number;
  /** and this many seconds per second of audio, when that is more */
  perAudioSec: number;
}

export const DEFAULT_STAGE_BUDGET: StageBudget = { baseSec: 600, perAudioSec: 3 };

/** CALLQA_STAGE_BUDGET_SEC and CALLQA_STAGE_BUDGET_X, validated (ConfigError naming the variable). */
export function stageBudgetFromEnv(source?: NodeJS.ProcessEnv): StageBudget {
  const e = source ? parseEnv(source) : env();
  return {
    baseSec: e.CALLQA_STAGE_BUDGET_SEC ?? DEFAULT_STAGE_BUDGET.baseSec,
    perAudioSec: e.CALLQA_STAGE_BUDGET_X ?? DEFAULT_STAGE_BUDGET.perAudioSec,
  };
}

export function budgetSecFor(b: StageBudget, durationSec: number | null | undefined): number {
  return Math.max(b.baseSec, b.perAudioSec * (durationSec && Number.isFinite(durationSec) ? durationSec : 0));
}

/** A stage went over its budget: the call fails (never retried). */
export class StageTimeoutError extends InputError {
  constructor(
    file: string,
    readonly stage: string,
    readonly budgetSec: number,
  ) {
    super(
      file,
      `the ${stage} stage took longer than its ${fmt(budgetSec)} s budget and was stopped ` +
        '(CALLQA_STAGE_BUDGET_SEC / CALLQA_STAGE_BUDGET_X set the budget)',
    );
  }
}

function fmt(s: number): string {
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}

/**
 * Runs `fn` with a signal that aborts when the budget is spent (or `parent` aborts). Rejects with a
 * StageTimeoutError at the deadline, without waiting for a stage that ignores its signal.
 */
export async function runWithinBudget<T>(
  where: { file: string; stage: string },
  budgetSec: number,
  parent: AbortSignal | undefined,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const ctl = new AbortController();
  const onParent = () => ctl.abort(parent?.reason);
  if (parent?.aborted) ctl.abort(parent.reason);
  else parent?.addEventListener('abort', onParent, { once: true });
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new StageTimeoutError(where.file, where.stage, budgetSec);
      ctl.abort(err);
      reject(err);
    }, budgetSec * 1000);
  });
  try {
    const work = fn(ctl.signal);
    work.catch(() => undefined); // once the deadline has won, the stage's own late rejection is of no interest
    const out = await Promise.race([work, deadline]);
    // a stage that blocked the event loop past its deadline: the timer could not fire, judge it now
    if (performance.now() - t0 > budgetSec * 1000) throw new StageTimeoutError(where.file, where.stage, budgetSec);
    return out;
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParent);
  }
}
