import { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import Table from 'cli-table3';
import { errorMessage } from '../core/errors.js';
import type { CallMetadata } from '../core/types.js';
import { discover } from '../pipeline/discover.js';
import { resolvePipeline } from '../pipeline/resolve.js';
import { checkFile, hashFile } from '../pipeline/runner.js';
import { replayState } from '../pipeline/execute.js';
import { STAGE_NAMES, type CallState } from '../pipeline/stage.js';
import { draftForState } from '../pipeline/stages/score.js';
import { formatScore, scoreSummary, type ScoreSummary } from '../score/summary.js';
import type { ScorecardDraft } from '../score/types.js';
import { openStore, type Repository, type RunSummary } from '../store/index.js';

/**
 * callqa rescore: draft a new scorecard for calls already analysed, with another pipeline or a new version
 * of one, from the stored findings (no audio is decoded, nothing is re-detected). The new draft is added
 * beside the old ones; old drafts are never rewritten.
 */
export function register(program: Command): void {
  program
    .command('rescore')
    .description('draft new scorecards for already analysed calls with a (changed) pipeline; old drafts are kept')
    .argument('[paths...]', 'recordings (or folders) analysed before; omit with --all')
    .requiredOption('-p, --pipeline <id|file>', 'the QA program to score with')
    .option('--all', 'every analysed call in the database')
    .option('--data <dir>', 'data folder of the embedded database (default: CALLQA_DATA_DIR or ./data)')
    .option('--json <file>', 'write the new drafts here ("-" for stdout)')
    .addHelpText(
      'after',
      `
Rescoring uses the findings stored by the last finished analysis of each call (events, transcript, metrics,
call metadata): thresholds that belong to detectors (dead-air length, lexicons) need a new analysis
(callqa analyze --pipeline <id>) instead. Exit codes: 0 all rescored; 1 some call had no finished analysis
or failed; 2 configuration error.`,
    )
    .action(async (paths: string[], opts: { pipeline: string; all?: boolean; data?: string; json?: string }) => {
      process.exitCode = await runRescore(paths, opts);
    });
}

interface Rescored {
  file: string;
  runId?: string;
  from?: string;
  previousTotal?: number | null;
  scorecard?: ScorecardDraft;
  /** the new draft's score with the items still to review */
  score?: ScoreSummary;
  error?: string;
}

export async function runRescore(paths: string[], opts: { pipeline: string; all?: boolean; data?: string; json?: string }): Promise<number> {
  const pipeline = resolvePipeline(opts.pipeline);
  if (!pipeline.scorecard) {
    process.stderr.write(`callqa: pipeline ${pipeline.id} has no scorecard\n`);
    return 2;
  }
  if (!opts.all && paths.length === 0) {
    process.stderr.write('callqa: name recordings to rescore, or --all\n');
    return 2;
  }
  const store = await openStore({ dataDir: opts.data });
  const results: Rescored[] = [];
  try {
    const targets: { file: string; run: RunSummary | null; error?: string }[] = [];
    if (opts.all) {
      const seen = new Set<string>();
      for (const r of await store.repo.listRuns({ status: 'done', limit: 1_000_000 })) {
        if (seen.has(r.recordingId)) continue; // newest run per recording
        seen.add(r.recordingId);
        targets.push({ file: r.fileName, run: r });
      }
    } else {
      for await (const f of discover(paths)) {
        if ('missing' in f) {
          targets.push({ file: f.missing, run: null, error: `${f.missing}: no such file or directory` });
          continue;
        }
        try {
          await checkFile(f.path, f.displayName);
          const hash = await hashFile(f.path);
          const run = await latestDoneRun(store.repo, hash);
          targets.push({ file: f.displayName, run, error: run ? undefined : `${f.displayName}: not analysed yet (run callqa analyze first)` });
        } catch (err) {
          targets.push({ file: f.displayName, run: null, error: errorMessage(err) });
        }
      }
    }
    for (const t of targets) {
      if (!t.run) {
        results.push({ file: t.file, error: t.error });
        continue;
      }
      try {
        const state = await stateOfRun(store.repo, t.run.id);
        const recording = await store.repo.getRecording(t.run.recordingId);
        const previous = (await store.repo.listScorecards(t.run.id)).at(-1);
        const draft = draftForState(state, {
          recording: { id: t.run.recordingId, path: t.run.path, displayName: t.file, contentHash: t.run.contentHash, metadata: (recording?.metadata ?? {}) as CallMetadata },
          pipeline,
        });
        if (!draft) throw new Error(`pipeline ${pipeline.id} has no scorecard`); // checked above; keeps the type honest
        await store.repo.addScorecard(t.run.id, pipeline.id, pipeline.version, draft);
        results.push({
          file: t.file,
          runId: t.run.id,
          from: `${t.run.pipelineId}@${t.run.pipelineVersion}`,
          previousTotal: previous?.card.total ?? null,
          scorecard: draft,
          score: scoreSummary(draft),
        });
      } catch (err) {
        results.push({ file: t.file, error: errorMessage(err) });
      }
    }
  } finally {
    await store.close();
  }
  const t = new Table({ head: ['file', 'analysed with', 'previous', `${pipeline.id}@${pipeline.version}`], style: process.stdout.isTTY ? { head: ['cyan'] } : { head: [], border: [] } });
  for (const r of results) {
    const card = r.scorecard;
    // the score is never shown without the items still to review ("90/100 · 10 to review")
    t.push([r.file, r.from ?? '-', r.previousTotal ?? '-', r.error || !card ? `FAILED: ${r.error}` : formatScore(scoreSummary(card))]);
  }
  if (opts.json !== '-') process.stdout.write(`${t.toString()}\n`);
  if (opts.json) {
    const text = `${JSON.stringify({ pipeline: { id: pipeline.id, version: pipeline.version }, calls: results }, null, 2)}\n`;
    if (opts.json === '-') process.stdout.write(text);
    else await writeFile(opts.json, text);
  }
  for (const r of results.filter((x) => x.error)) process.stderr.write(`callqa: ${r.error}\n`);
  return results.some((r) => r.error) ? 1 : 0;
}

async function latestDoneRun(repo: Repository, contentHash: string): Promise<RunSummary | null> {
  const rec = await repo.getRecordingByHash(contentHash);
  if (!rec) return null;
  const runs = await repo.listRuns({ status: 'done', limit: 1_000_000 });
  return runs.find((r) => r.recordingId === rec.id) ?? null;
}

/** The call's state as the stages left it: their saved outputs merged in graph order. */
export async function stateOfRun(repo: Repository, runId: string): Promise<CallState> {
  const outputs = await repo.loadStageOutputs(runId);
  // the score stage's own draft is left out: rescoring drafts a new one
  return replayState(STAGE_NAMES.map((name) => ({ name })), new Map(outputs.map((o) => [o.stage, o.output])), { skip: ['score'] });
}
