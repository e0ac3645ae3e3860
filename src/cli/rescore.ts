import { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import Table from 'cli-table3';
import { resolvePipeline } from '../pipeline/loader.js';
import { formatScore, scoreSummary } from '../score/summary.js';
import { programDrift, rescoreCall, rescoreTargets, type Rescored } from '../services/rescore.js';
import { openData } from './data.js';
import { programChoiceOf, programChoiceOption } from './program-filter.js';

/**
 * callqa rescore: draft a new scorecard for calls already analysed, with another pipeline or a new version
 * of one, from the stored findings (no audio is decoded, nothing is re-detected). The new draft is added
 * beside the old ones; old drafts are never rewritten.
 */
export function register(program: Command): void {
  const cmd = program
    .command('rescore')
    .description('draft new scorecards for already analysed calls with a (changed) pipeline; old drafts are kept')
    .argument('[paths...]', 'recordings (or folders) analysed before; omit with --all');
  programChoiceOption(cmd, 'the QA program to score with: an id in pipelines/ or a YAML file (required)')
    .option('--all', 'every analysed call in the database')
    .option('--data <dir>', 'data folder of the embedded database (default: CALLQA_DATA_DIR or ./data)')
    .option('--json <file>', 'write the new drafts here ("-" for stdout)')
    .addHelpText(
      'after',
      `
Rescoring uses the findings stored by the last finished analysis of each call (events, transcript, metrics,
call metadata): thresholds that belong to detectors (dead-air length, lexicons) need a new analysis
(callqa analyze --program <id>) instead.

The program is checked against what each analysis recorded, with a warning (stderr, and "warnings" in
--json) when its content changed under the version number the calls were scored with (bump \`version:\` so
old and new scores are told apart) or the lexicons changed since the analysis (the stored lexicon matches are
the old ones: analyse again to use the new lexicons).

A file with the bytes of a recording analysed under another name that is still there (a duplicate, as callqa
analyze tells them) is skipped with a line naming both: the stored analysis is that file's.

Exit codes: 0 all rescored (or skipped as duplicates); 1 some call had no finished analysis or failed; 2
configuration error.`,
    )
    .action(async (paths: string[], opts: RescoreCliOptions) => {
      process.exitCode = await runRescore(paths, opts);
    });
}


interface RescoreCliOptions {
  /** the QA program (`-p, --program`; `--pipeline` is its hidden older spelling): read with programChoiceOf */
  program?: string;
  pipeline?: string;
  all?: boolean;
  data?: string;
  json?: string;
}

export async function runRescore(paths: string[], opts: RescoreCliOptions): Promise<number> {
  const pipeline = resolvePipeline(programChoiceOf(opts, true)!);
  if (!pipeline.scorecard) {
    process.stderr.write(`callqa: pipeline ${pipeline.id} has no scorecard\n`);
    return 2;
  }
  if (!opts.all && paths.length === 0) {
    process.stderr.write('callqa: name recordings to rescore, or --all\n');
    return 2;
  }
  if (opts.all && paths.length > 0) {
    // --all rescored every call and silently dropped the files named beside it
    process.stderr.write(`callqa: --all rescores every analysed call: name recordings or give --all, not both (got --all and "${paths[0]}")\n`);
    return 2;
  }
  const store = await openData({ dataDir: opts.data, existing: true });
  const results: Rescored[] = [];
  let warnings: string[];
  try {
    const targets = await rescoreTargets(store.repo, opts.all ? { all: true } : { paths });
    // the program as it is now against what each analysis recorded (pipeline content, lexicons). A warning, not a
    // refusal: the recorded fingerprint is of the whole file, so it cannot tell a scoring change from one to
    // `review:` or `title:`, which need no version bump (pipelines/README.md)
    const drift = programDrift(targets, pipeline);
    warnings = [drift.unbumpedMessage, drift.lexiconsMessage].filter((w): w is string => w !== null);
    for (const w of warnings) process.stderr.write(`callqa: warning: ${w}\n`);
    for (const t of targets) results.push(await rescoreCall(store.repo, t, pipeline));
  } finally {
    await store.close();
  }
  const t = new Table({ head: ['file', 'analysed with', 'previous', `${pipeline.id}@${pipeline.version}`], style: process.stdout.isTTY ? { head: ['cyan'] } : { head: [], border: [] } });
  for (const r of results) {
    const card = r.scorecard;
    // the score is never shown without the items still to review ("90/100 · 10 to review")
    const outcome = r.skipped !== undefined ? (r.duplicateOf !== undefined ? `skipped: duplicate of ${r.duplicateOf}` : 'skipped') : r.error || !card ? `FAILED: ${r.error}` : formatScore(scoreSummary(card));
    t.push([r.file, r.from ?? '-', r.previousTotal ?? '-', outcome]);
  }
  if (opts.json !== '-') process.stdout.write(`${t.toString()}\n`);
  if (opts.json) {
    const text = `${JSON.stringify({ pipeline: { id: pipeline.id, version: pipeline.version }, warnings, calls: results }, null, 2)}\n`;
    if (opts.json === '-') process.stdout.write(text);
    else await writeFile(opts.json, text);
  }
  // a skipped call (a duplicate: its bytes are another file's recording) is said, with why, and is no failure
  for (const r of results.filter((x) => x.skipped !== undefined)) process.stderr.write(`callqa: ${r.file}: skipped: ${r.skipped}\n`);
  for (const r of results.filter((x) => x.error)) process.stderr.write(`callqa: ${r.error}\n`);
  return results.some((r) => r.error) ? 1 : 0;
}

export { stateOfRun } from '../services/rescore.js';
