/**
 * Rescoring use case, shared by the CLI (`callqa rescore`) and the API: a new draft scorecard for calls
 * already analysed, from the findings their last analysis stored, added beside the old drafts.
 */
import { resolve } from 'node:path';
import { errorMessage } from '../core/errors.js';
import type { CallMetadata } from '../core/types.js';
import type { PipelineConfig } from '../pipeline/config.js';
import { discover } from '../pipeline/discover.js';
import { replayState } from '../pipeline/execute.js';
import { checkFile, hashFile } from '../pipeline/files.js';
import { BatchContent, duplicateOf, duplicateReason } from '../pipeline/duplicates.js';
import { INPUT_VERSION_PREFIX, pipelineKey } from '../pipeline/inputs.js';
import { lexiconsFor, resolvePipeline } from '../pipeline/loader.js';
import { STAGE_NAMES, type CallState } from '../pipeline/stage.js';
import { draftForState } from '../pipeline/stages/score.js';
import { scoreSummary, type ScoreSummary } from '../score/summary.js';
import type { ScorecardDraft } from '../score/types.js';
import type { Repository, RunSummary } from '../store/repository.js';

export interface RescoreTarget {
  file: string;
  /** the newest finished run of the call; null with `error` (or `skipped`) when there is none */
  run: RunSummary | null;
  error?: string;
  /** not rescored, and not a failure: why (a duplicate: the stored analysis is another file's, `duplicateOf`) */
  skipped?: string;
  duplicateOf?: string;
}

export interface Rescored {
  file: string;
  runId?: string;
  /** pipeline id@version of the analysis the new draft is made from */
  from?: string;
  previousTotal?: number | null;
  scorecard?: ScorecardDraft;
  /** not rescored, and not a failure: why, naming the other file of a duplicate (`duplicateOf`) */
  skipped?: string;
  duplicateOf?: string;
  /** the new draft's score with the items still to review */
  score?: ScoreSummary;
  error?: string;
}

/** The calls to rescore: every analysed call (newest run per recording), or the named files and folders. */
export async function rescoreTargets(repo: Repository, which: { all: true } | { paths: string[] }): Promise<RescoreTarget[]> {
  const targets: RescoreTarget[] = [];
  if ('all' in which) {
    const seen = new Set<string>();
    for (const r of await repo.listRuns({ status: 'done', limit: 1_000_000 })) {
      if (seen.has(r.recordingId)) continue; // newest run per recording
      seen.add(r.recordingId);
      targets.push({ file: r.fileName, run: r });
    }
    return targets;
  }
  // a file with the bytes of one named before it is its duplicate, as in `callqa analyze`
  const batch = new BatchContent();
  for await (const f of discover(which.paths)) {
    if ('missing' in f) {
      targets.push({ file: f.missing, run: null, error: `${f.missing}: no such file or directory` });
      continue;
    }
    try {
      await checkFile(f.path, f.displayName);
      const contentHash = await hashFile(f.path, f.displayName);
      // the same rule as analyze's (duplicates.ts): bytes stored under another file that is still there are that
      // file's recording, and its stored analysis is reported under its name, never this one's
      const duplicate = await duplicateOf(repo, { contentHash, path: resolve(f.path), file: f.displayName, inBatch: batch.firstOf(contentHash) });
      if (duplicate) {
        targets.push({ file: f.displayName, run: null, skipped: duplicateReason(duplicate, 'rescored'), duplicateOf: duplicate.of });
        continue;
      }
      const run = await latestDoneRun(repo, contentHash);
      if (run) batch.stored(contentHash, f.displayName);
      targets.push({ file: f.displayName, run, error: run ? undefined : `${f.displayName}: not analysed yet (run callqa analyze first)` });
    } catch (err) {
      targets.push({ file: f.displayName, run: null, error: errorMessage(err) });
    }
  }
  return targets;
}

/**
 * Drafts a new scorecard for an analysed call with `pipeline`, from the findings its last analysis stored
 * (events, transcript, metrics, call metadata: nothing is decoded or detected again), and adds it beside
 * the earlier drafts, which are never rewritten.
 */
export async function rescoreCall(repo: Repository, target: RescoreTarget, pipeline: PipelineConfig): Promise<Rescored> {
  const run = target.run;
  if (target.skipped !== undefined) return { file: target.file, skipped: target.skipped, ...(target.duplicateOf !== undefined ? { duplicateOf: target.duplicateOf } : {}) };
  if (!run) return { file: target.file, error: target.error };
  try {
    const state = await stateOfRun(repo, run.id);
    const recording = await repo.getRecording(run.recordingId);
    const previous = (await repo.listScorecards(run.id)).at(-1);
    const draft = draftForState(state, {
      recording: { id: run.recordingId, path: run.path, displayName: target.file, contentHash: run.contentHash, metadata: (recording?.metadata ?? {}) as CallMetadata },
      pipeline,
    });
    if (!draft) throw new Error(`pipeline ${pipeline.id} has no scorecard`);
    await repo.addScorecard(run.id, pipeline.id, pipeline.version, draft);
    return { file: target.file, runId: run.id, from: `${run.pipelineId}@${run.pipelineVersion}`, previousTotal: previous?.card.total ?? null, scorecard: draft, score: scoreSummary(draft) };
  } catch (err) {
    return { file: target.file, error: errorMessage(err) };
  }
}

/**
 * What rescoring these calls with `pipeline` would hide, from the fingerprints each analysis recorded in its
 * run's `versions` (pipeline/inputs.ts; runs from a callqa that recorded none are not judged):
 * - `unbumped`: the calls analysed with this very id@version when the program's content was different: the
 *   new drafts would carry the same id@version as drafts made by other rules, and old and new scores could not
 *   be told apart. A warning: the fingerprint is of the whole file, so a change to `review:` (which needs no
 *   bump) shows up too.
 * - `lexicons`: the calls whose analysis used lexicons that have changed since (the lexicon sets of the
 *   program they were analysed with, as they are now): rescoring reuses the stored findings, so the lexicon
 *   matches are the old ones until the calls are analysed again.
 */
export interface ProgramDrift {
  unbumped: string[];
  lexicons: string[];
  /** the sentences saying so (null: none of that kind), for stderr and the JSON output */
  unbumpedMessage: string | null;
  lexiconsMessage: string | null;
}

export function programDrift(targets: readonly RescoreTarget[], pipeline: PipelineConfig): ProgramDrift {
  const unbumped: string[] = [];
  const lexicons: string[] = [];
  const key = pipelineKey(pipeline);
  // the lexicon version each analysing program has now (null: its file is gone or no longer loads)
  const lexiconsNow = new Map<string, string | null>();
  const lexiconsOf = (pipelineId: string): string | null => {
    if (!lexiconsNow.has(pipelineId)) {
      let v: string | null = null;
      try {
        v = lexiconsFor(pipelineId === pipeline.id ? pipeline : resolvePipeline(pipelineId)).version;
      } catch {
        // a program renamed or removed: nothing to compare with
      }
      lexiconsNow.set(pipelineId, v);
    }
    return lexiconsNow.get(pipelineId)!;
  };
  for (const t of targets) {
    const run = t.run;
    if (!run) continue;
    const versions = (run.versions ?? {}) as Record<string, string>;
    const usedPipeline = versions[`${INPUT_VERSION_PREFIX}pipeline`];
    if (run.pipelineId === pipeline.id && run.pipelineVersion === pipeline.version && usedPipeline !== undefined && usedPipeline !== key) unbumped.push(t.file);
    const usedLexicons = versions[`${INPUT_VERSION_PREFIX}lexicons`];
    const now = usedLexicons === undefined ? null : lexiconsOf(run.pipelineId);
    if (now !== null && usedLexicons !== now) lexicons.push(t.file);
  }
  const some = (files: string[]) => `${files.length} call(s): ${files.slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''}`;
  return {
    unbumped,
    lexicons,
    unbumpedMessage: unbumped.length
      ? `program ${pipeline.id} ${pipeline.version} changed since calls were scored under that version (${some(unbumped)}): ` +
        'bump `version:` so old and new scores are told apart (a change to `review:` alone needs no bump)'
      : null,
    lexiconsMessage: lexicons.length
      ? `lexicons changed since the analysis of ${some(lexicons)}: rescoring reuses the stored findings, so their lexicon ` +
        `matches are the old ones; analyse them again (callqa analyze --program ${pipeline.id}) to find them with the current lexicons`
      : null,
  };
}

async function latestDoneRun(repo: Repository, contentHash: string): Promise<RunSummary | null> {
  const rec = await repo.getRecordingByHash(contentHash);
  if (!rec) return null;
  const [run] = await repo.listRuns({ status: 'done', recordingId: rec.id, limit: 1 });
  return run ?? null;
}

/** The call's state as the stages left it: their saved outputs merged in graph order (the old draft left out). */
export async function stateOfRun(repo: Repository, runId: string): Promise<CallState> {
  const outputs = await repo.loadStageOutputs(runId);
  return replayState(
    STAGE_NAMES.map((name) => ({ name })),
    new Map(outputs.map((o) => [o.stage, o.output])),
    { skip: ['score'], where: `run ${runId}` },
  );
}
