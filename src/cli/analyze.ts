import { Command, Option } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import Table from 'cli-table3';
import { ConfigError, errorMessage } from '../core/errors.js';
import { forTerminal } from '../core/control-chars.js';
import { folderOfErrno, fullestFolder, isDatabaseDiskFull, isDiskFull } from '../core/disk-full.js';
import { discover, type FoundFile } from '../pipeline/discover.js';
import { callReportFromRun, failedCallReport, type CallReport } from '../pipeline/report.js';
import { formatScore } from '../score/summary.js';
import { openReportWriter, type ReportSummary, type ReportWriter, type SkippedFile } from '../pipeline/report-writer.js';
import { lexiconsFor, resolvePipeline } from '../pipeline/loader.js';
import { stageBudgetFromEnv } from '../pipeline/budget.js';
import { analyzeBatch, type BatchStop } from '../services/analysis.js';
import { createStagePool, defaultJobs, type StagePool } from '../pipeline/stage-pool.js';
import type { RunOptions } from '../pipeline/stage.js';
import { openData, type Store } from './data.js';
import { createProgress } from './progress.js';
import { programChoiceOf, programChoiceOption } from './program-filter.js';
import { loadMetadataFor, missingManifestFiles, prepareMetadataSource, type MetadataSource } from './metadata-source.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export interface AnalyzeCliOptions {
  json?: string;
  data?: string;
  /** the QA program (`-p, --program`; `--pipeline` is its hidden older spelling): read with programChoiceOf */
  program?: string;
  pipeline?: string;
  channels?: string;
  transcribe: boolean;
  transcripts?: string;
  model?: string;
  force?: boolean;
  redact?: boolean;
  quiet?: boolean;
  table: boolean;
  manifest?: string;
  meta?: string[];
  jobs?: string;
}

/** `--jobs N`: a positive integer. */
export function parseJobs(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new ConfigError(`--jobs must be a whole number from 1 to 256, got "${v}"`);
  return n;
}

/**
 * The embedded database has one connection: with calls in parallel, each repository call waits for the one
 * before it (a call's transaction never interleaves with another call's statements). Methods run on the
 * repository itself, so its own internal calls are not queued again.
 */
export function oneWriter<T extends object>(repo: T): T {
  let tail: Promise<unknown> = Promise.resolve();
  return new Proxy(repo, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const run = tail.then(() => (v as (...a: unknown[]) => unknown).apply(target, args));
        tail = run.catch(() => undefined);
        return run;
      };
    },
  });
}

/**
 * `--redact` is the program's privacy.redact switched on for this run. The version gets a `+redact` suffix so
 * a call analysed without redaction is analysed again (not served from the unredacted result) and the report
 * says which variant produced it.
 */
export function withRedaction<P extends { version: string; privacy: { redact: boolean } }>(pipeline: P, redact: boolean): P {
  if (!redact || pipeline.privacy.redact) return pipeline;
  return { ...pipeline, version: `${pipeline.version}+redact`, privacy: { ...pipeline.privacy, redact: true } };
}

export function parseChannels(v: string): ['agent' | 'customer', 'agent' | 'customer'] {
  const parts = v.split(',').map((s) => s.trim().toLowerCase());
  if (parts.length !== 2 || !parts.every((p) => p === 'agent' || p === 'customer') || parts[0] === parts[1]) {
    throw new ConfigError(`--channels must be "agent,customer" or "customer,agent" (left,right), got "${v}"`);
  }
  return parts as ['agent' | 'customer', 'agent' | 'customer'];
}

export function register(program: Command): void {
  const cmd = program
    .command('analyze')
    .description('analyse call recordings (files or folders) end to end on this machine and report per call')
    .argument('<paths...>', 'recordings, or folders to walk for recordings')
    .option('--json <file>', 'write the machine-readable report here ("-" for stdout)')
    .option('--data <dir>', 'data folder for the embedded database (default: CALLQA_DATA_DIR or ./data)');
  programChoiceOption(cmd, 'QA program: an id in pipelines/ or a YAML file (default: pipelines/default.yaml)')
    .option('--channels <left,right>', 'which side is on which stereo channel, e.g. customer,agent (default: the pipeline\'s, usually agent,customer)')
    .option('--no-transcribe', 'skip speech recognition; run everything that needs no transcript')
    .option('--transcripts <dir>', 'folder holding <name>.transcript.json / .transcript.vtt / .transcript.srt transcripts from the call platform (callqa\'s JSON, Amazon Transcribe or Call Analytics JSON, WebVTT, SubRip)')
    .option('--model <name>', 'whisper model (tiny, base, small, ... ; default: the pipeline\'s)')
    .option('--manifest <csv>', 'CSV of call metadata for the batch (file,agent_id,team,direction,...)')
    .option('--meta <key=value...>', 'call metadata for every file (e.g. --meta agent_id=A17 team=blue)')
    .option('--redact', 'mask personal data (phone, ID card, card, e-mail, address) before anything is stored (docs/privacy.md)')
    .option('-j, --jobs <n>', 'calls analysed in parallel, each on its own thread (default: the number of cores)')
    .option('--force', 'analyse again even calls whose stored analysis is still current (without it, a call is analysed again anyway when its audio, transcript, metadata, pipeline content, lexicons, channels or the analysis code changed); also a file whose audio was analysed before under another name (a duplicate: it becomes that recording, under this name)')
    .option('--no-table', 'do not print the summary table')
    .option('-q, --quiet', 'no progress and no summary table; silent when every call was analysed (skipped files and failures are still said, one line each, with the closing count; so are the missing-model notice, a full disk and an interruption; --json is still written)')
    .addHelpText(
      'after',
      `
Exit codes: 0 no file failed (files skipped with a line saying why, such as a duplicate or, in a folder walked,
a file with no audio stream, are no failure); 1 at least one file failed (the others are still analysed and reported);
2 configuration or usage error (bad pipeline, unreachable database, bad option); 4 a disk filled up (the data
folder's, the temp folder's or the report's): the batch stopped at the first call it hit, the message names the
folder (or the likely one, saying so, when the error does not say where); the calls that finished are stored, the rest are listed as not analysed (free space and run the same
command again); 130 stopped by Ctrl-C (the calls that finished are reported and stored, the rest are listed as
not finished). With -q, skipped files and failures still get one line each on stderr.

Environment: DATABASE_URL (PostgreSQL server instead of the embedded database), CALLQA_DATA_DIR,
CALLQA_STAGE_BUDGET_SEC / CALLQA_STAGE_BUDGET_X (time budget per stage: max(seconds, x × call length);
default 600 s or 3× the call's length; a call over it fails, the batch goes on),
FFMPEG_PATH / FFPROBE_PATH (use a system ffmpeg), CALLQA_PIPELINES_DIR (where --program <id> is looked up;
default pipelines/), CALLQA_LEXICONS_DIR (lexicon sets; default lexicons/), CALLQA_MODELS_DIR (whisper models), CALLQA_CACHE_DIR
(the database template, parsed lexicons, built matchers; default node_modules/.cache/callqa).

Examples:
  callqa analyze samples/
  callqa analyze --json report.json --channels customer,agent calls/2026-11-21/
  callqa analyze --no-transcribe --program inbound-service-zh recording.wav`,
    )
    .action(async (paths: string[], opts: AnalyzeCliOptions) => {
      process.exitCode = await runAnalyze(paths, opts);
    });
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The summary table shows this many calls; a bigger batch's table says how many more are in the report. */
const TABLE_MAX_ROWS = 500;
/** Failure lines repeated at the end of the run (each was also printed when it happened). */
const FAILURES_MAX_LINES = 200;

export async function runAnalyze(paths: string[], opts: AnalyzeCliOptions): Promise<number> {
  const pipeline = withRedaction(resolvePipeline(programChoiceOf(opts)), opts.redact === true);
  // a mistyped --transcripts folder would otherwise find no transcript for any call, silently: whisper (or
  // nothing, without a model) in place of the call platform's transcripts
  if (opts.transcripts !== undefined && !isDirectory(opts.transcripts)) {
    throw new ConfigError(`--transcripts ${opts.transcripts}: no such folder`);
  }
  const options: RunOptions = {
    transcribe: opts.transcribe,
    transcriptsDir: opts.transcripts,
    model: opts.model,
    channels: opts.channels ? parseChannels(opts.channels) : undefined,
  };
  const jobsWanted = opts.jobs ? parseJobs(opts.jobs) : defaultJobs();
  const metaSource: MetadataSource = await MetadataSourceFromOpts(opts);
  const budget = stageBudgetFromEnv();
  const progress = createProgress({ quiet: opts.quiet });
  // The files first, then the stage pool, then the database: the pool's threads load their modules on the
  // other cores while this one opens the database.
  const found: (FoundFile | { missing: string })[] = [];
  /** what was not analysed and is no failure, with why: said as it happens, counted in the summary, listed in the report */
  const skipped: SkippedFile[] = [];
  let pool: StagePool | undefined;
  let store: Store;
  try {
    const onSkip = (p: string, why: string) => {
      progress.log(`skipped ${p}: ${why}`);
      skipped.push({ file: p, reason: why });
    };
    for await (const f of discover(paths, { onSkip })) found.push(f);
    for (const line of missingManifestFiles(metaSource)) progress.log(`warning: ${line}`);
    // --jobs: calls in parallel, their stages on worker threads; this thread stays the database's one writer
    // (every repository call queued behind the previous one) and records calls in the order found. The
    // workers get the lexicons this thread loaded (no YAML parsed again per thread).
    const jobs = Math.max(1, Math.min(jobsWanted, found.length));
    pool = jobs > 1 ? createStagePool(jobs, pipeline, { lexicons: lexiconsFor(pipeline) }) : undefined;
    store = await openData({ dataDir: opts.data });
  } catch (err) {
    await pool?.close();
    progress.stop();
    throw err;
  }
  const jobs = pool?.size ?? 1;
  // Ctrl-C (or SIGTERM): stop after the stage in hand, write the report for what finished, release the
  // database, exit 130. A second Ctrl-C exits at once (the kernel drops the data folder lock with us).
  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (stop.signal.aborted) process.exit(130);
    progress.log(`${sig === 'SIGINT' ? 'Ctrl-C' : sig}: stopping after the current step (again to quit at once)`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // a full disk stops the batch too (after the stage in hand), but is no Ctrl-C: a Ctrl-C after it still gets
  // its own first chance to stop cleanly
  const diskStop = new AbortController();
  // the batch stops for either (AbortSignal.any is Node 20.3+; package.json allows any 20)
  const batchStop = new AbortController();
  const batchSignal = batchStop.signal;
  for (const s of [stop.signal, diskStop.signal]) s.addEventListener('abort', () => batchStop.abort(), { once: true });
  /** the first full disk of the batch: where, and what it hit (README "Exit codes": 4) */
  let diskFull: DiskFullStop | undefined;
  /** why the report could not be written to the end (its disk is full): it is incomplete, not valid JSON */
  let reportBroken: string | undefined;
  const reportFolder = opts.json && opts.json !== '-' ? dirname(resolve(opts.json)) : undefined;
  // the report's write failed: its own disk, whatever the error says (standard output's has no path)
  const reportWhere = reportFolder ? { folder: reportFolder, what: "the report's folder (--json)" } : { folder: STDOUT, what: 'the report, --json -' };
  const whereFull = (err: Error, ownNames: readonly string[] = []): { folder: string; what: string; guessed?: true } => {
    if (isDatabaseDiskFull(err)) {
      return store.kind === 'pglite' ? { folder: store.location, what: 'the data folder' } : { folder: store.location, what: postgresFullWhat(err) };
    }
    const candidates = [
      ...(store.kind === 'pglite' ? [{ folder: store.location, what: 'the data folder' }] : []),
      { folder: resolve(tmpdir()), what: 'the temp folder (TMPDIR)' },
      ...(reportFolder ? [{ folder: reportFolder, what: "the report's folder (--json)" }] : []),
    ];
    const named = folderOfErrno(err);
    if (named) return candidates.find((c) => named === c.folder || named.startsWith(`${c.folder}/`)) ?? { folder: named, what: 'a folder' };
    // a path in the message ("ENOSPC: …, open '/tmp/callqa-call-x/…'" from a worker thread, ffmpeg's output file)
    // (not the recording's own path, which the message may quote too)
    let message = err.message;
    for (const n of [...ownNames].sort((a, b) => b.length - a.length)) if (n) message = message.split(n).join(' ');
    const quoted = folderInMessage(message, candidates);
    if (quoted) return quoted;
    // a child process (ffmpeg, whisper-cli) or a worker thread said "No space left on device" without where (a
    // write on an open file): the fullest disk of those the batch writes to is a guess, and said to be one
    const guess = fullestFolder(candidates) ?? { folder: resolve(tmpdir()), what: 'the temp folder (TMPDIR)' };
    return { ...guess, guessed: true };
  };

  // The report is streamed: each call is written as it finishes; only table rows and failure lines stay.
  let report: ReportWriter | undefined;
  const tableRows: CallReport[] = [];
  const failures: string[] = [];
  let calls = 0;
  let failed = 0;
  let watchNote = '';
  const notFinished: string[] = [];
  /** of notFinished, those stopped part-way (their runs marked failed, no findings stored); the rest never started */
  let stoppedPartWay = 0;
  let modelNoticeShown = false;
  /** what went wrong after the calls (the watch list, closing the database): said after the summary, exit 2 */
  const afterBatch: string[] = [];
  const record = async (c: CallReport) => {
    calls++;
    // Said once per batch, even with --quiet: without a model every text item is left unjudged, and the
    // scores would otherwise look final for no visible reason.
    const noModel = c.metrics.transcriptSkipped === 'no model' ? c.warnings.find((w) => w.startsWith('transcript skipped: ')) : undefined;
    for (const w of c.warnings.filter((x) => x.startsWith('truncated:'))) progress.log(`warning: ${c.file}: ${w}`);
    if (noModel && !modelNoticeShown) {
      modelNoticeShown = true;
      const line = noModelNotice(noModel.slice('transcript skipped: '.length));
      if (opts.quiet) process.stderr.write(`${line}\n`);
      else progress.log(line);
    }
    if (c.status === 'failed') {
      failed++;
      if (failures.length < FAILURES_MAX_LINES) failures.push(c.errors[0] ?? c.file);
    }
    if (tableRows.length < TABLE_MAX_ROWS) tableRows.push(tableRowOf(c));
    if (report && reportBroken === undefined) {
      try {
        await report.add(c);
      } catch (err) {
        if (!isDiskFull(err)) throw err;
        // the report's disk is full: every call after this one would be analysed into a report that cannot hold it
        reportBroken = errorMessage(err);
        diskFull ??= { writing: 'writing the report', error: err as Error, ...reportWhere };
        diskStop.abort();
      }
    }
  };
  /** the report's closing summary; a full disk there leaves it incomplete, and the terminal says so */
  const finishReport = async (summary: ReportSummary) => {
    if (!report || reportBroken !== undefined) return;
    try {
      await report.finish(summary);
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      reportBroken = errorMessage(err);
      diskFull ??= { writing: 'writing the report', error: err as Error, ...reportWhere };
    }
  };
  try {
    if (opts.json) {
      try {
        report = await openReportWriter(opts.json, { generatedAt: new Date().toISOString(), callqaVersion: pkg.version });
      } catch (err) {
        if (!isDiskFull(err)) throw err;
        // the report's disk is full before its first line: no call is analysed into a report that cannot hold it,
        // said as for a report that fills up later (exit 4, the folder named), not as a bare "ENOSPC … write"
        reportBroken = errorMessage(err);
        diskFull = { writing: 'writing the report', error: err as Error, ...reportWhere };
        diskStop.abort();
      }
    }
    /** a call of the batch hit a full disk: the calls stopped after it say so, not "interrupted" */
    let diskHit = false;
    const handles = new Map<number, ReturnType<typeof progress.file>>();
    const names = new Map<number, string>();
    const batch = await analyzeBatch(found, {
      // twice as many calls in flight as worker threads: while one call waits for this thread's database
      // writes, the worker runs the next one's stages
      lanes: pool ? jobs * 2 : 1,
      signal: batchSignal,
      ctx: {
        repo: pool ? oneWriter(store.repo) : store.repo,
        pipeline,
        options,
        force: opts.force,
        budget,
        versions: { callqa: pkg.version, pipeline: `${pipeline.id}@${pipeline.version}` },
        ...(pool ? { stages: pool.stages, execute: pool.execute, executeSequence: pool.executeSequence } : {}),
      },
      metadataFor: (f) => loadMetadataFor(f.path, metaSource),
      onStart: (i, total, name) => {
        const fp = progress.file(i, total, name);
        handles.set(i, fp);
        names.set(i, name);
        return (stage, fraction) => fp.stage(stage, fraction);
      },
      onFinish: (i, r) => {
        const fp = handles.get(i);
        const name = names.get(i) ?? '';
        handles.delete(i);
        names.delete(i);
        // the progress line already starts with the file: its error says it once, not twice
        const failed = (msg: string) => `failed: ${name && msg.startsWith(`${name}: `) ? msg.slice(name.length + 2) : msg}`;
        if (r.kind === 'missing') progress.log(`✗ ${r.error.message}`);
        // the line stays on a terminal too: a file left out must not pass unseen
        else if (r.kind === 'skipped') fp?.end(`skipped: ${r.reason}`, { keep: true });
        else if (r.kind === 'metadata-failed') fp?.end(failed(errorMessage(r.error)));
        else if (r.kind === 'not-finished') {
          if (r.diskFull) diskHit = true;
          fp?.end(r.diskFull ? 'not analysed: no space left on the disk (the batch stops here)' : diskHit || diskStop.signal.aborted ? 'not analysed (the batch stopped: a disk is full)' : 'interrupted');
        }
        else if (r.outcome.status === 'failed') fp?.end(failed(r.outcome.error.message));
        else {
          const o = r.outcome;
          fp?.end(o.status === 'cached' ? 'already analysed (cached)' : o.reanalysed ? `done (${reanalysedNote(o.reanalysed)})` : 'done');
        }
      },
      deliver: async (_i, r) => {
        if (r.kind === 'not-finished') {
          notFinished.push(r.file);
          if (r.started) stoppedPartWay++;
        }
        else if (r.kind === 'skipped') skipped.push({ file: r.file, reason: r.reason, ...(r.duplicateOf !== undefined ? { duplicateOf: r.duplicateOf } : {}) });
        else if (r.kind === 'missing' || r.kind === 'metadata-failed') await record(failedCallReport(r.file, r.error));
        else if (r.outcome.status === 'failed') await record(failedCallReport(r.outcome.file, r.outcome.error));
        else {
          const o = r.outcome;
          const c = callReportFromRun(o.file, o.status, o.report, o.reanalysed);
          c.channelLayout = options.channels ?? pipeline.channels;
          await record(c);
        }
      },
    });
    if (batch.stopped) diskFull ??= stoppedByDisk(batch.stopped, whereFull);
    await finishReport({
      calls,
      analysed: calls - failed,
      failed,
      skipped,
      interrupted: stop.signal.aborted || diskFull !== undefined,
      notFinished,
      ...(diskFull ? { diskFull: { folder: diskFull.folder, ...(diskFull.guessed ? { guessed: true as const } : {}), error: errorMessage(diskFull.error) } } : {}),
    });
    // the compliance watch list (saved searches) runs over the calls this batch analysed. The calls are stored
    // whatever it does: a database gone by now fails it, not the summary below (exit 2 after it, as for any
    // unreachable database)
    if (!stop.signal.aborted && !diskFull && calls > failed) {
      try {
        const { WatchListService } = await import('../services/watchlist.js');
        const n = await new WatchListService(store.db).check();
        if (n > 0) watchNote = `watch list: ${n} new hit(s) (callqa watchlist hits)`;
      } catch (err) {
        afterBatch.push(`watch list not checked for this batch: ${errorMessage(err)} (\`callqa watchlist check\` later)`);
      }
    }
  } finally {
    await pool?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress.stop();
    await store.close().catch((err: unknown) => afterBatch.push(`closing the database: ${errorMessage(err)}`));
  }
  if (watchNote && !opts.quiet) process.stderr.write(`${watchNote}\n`);
  // -q hides progress, not what was left out: a skipped file says why on stderr, one line each (cron mails it)
  if (opts.quiet) {
    for (const sk of skipped.slice(0, FAILURES_MAX_LINES)) process.stderr.write(`callqa: skipped ${forTerminal(sk.file)}: ${forTerminal(sk.reason)}\n`);
    if (skipped.length > FAILURES_MAX_LINES) process.stderr.write(`callqa: ... and ${skipped.length - FAILURES_MAX_LINES} more skipped file(s)${opts.json ? ' (all in the report)' : ''}\n`);
  }
  // with --json - stdout is the report's: no table mixed into it
  if (opts.table && !opts.quiet && opts.json !== '-') {
    process.stdout.write(`${summaryTable(tableRows)}\n`);
    if (calls > tableRows.length) process.stdout.write(`(${calls - tableRows.length} more call(s) not shown${opts.json ? `; all are in ${opts.json === '-' ? 'the JSON report' : opts.json}` : ''})\n`);
  }
  for (const line of failures) process.stderr.write(`callqa: ${forTerminal(line)}\n`);
  if (failed > failures.length) process.stderr.write(`callqa: ... and ${failed - failures.length} more failure(s)${opts.json ? ' (all in the report)' : ''}\n`);
  const where = opts.json && opts.json !== '-' && reportBroken === undefined ? `; report: ${opts.json}` : '';
  // what was not done after the calls comes after the summary line (README "Exit codes")
  const saidAfter = () => {
    for (const line of afterBatch) process.stderr.write(`callqa: ${forTerminal(line)}\n`);
  };
  const stoppedAt = (notDone: string) =>
    `${stoppedCounts({ calls, failed, skipped: skipped.length, notFinished, stoppedPartWay, notDone })}${notFinished.length ? `: ${notFinished.slice(0, 5).map(forTerminal).join(', ')}${notFinished.length > 5 ? `, … (${notFinished.length - 5} more${opts.json && reportBroken === undefined ? ', listed in the report' : ''})` : ''}` : ''}${where}`;
  const reportLine = () => {
    if (reportBroken !== undefined) process.stderr.write(`callqa: the report ${forTerminal(opts.json ?? '')} is incomplete (not valid JSON): ${forTerminal(reportBroken)}\n`);
  };
  if (diskFull) {
    // Always said, even with --quiet: one line for the disk, not one per call that would have failed on it
    const d = diskFull;
    process.stderr.write(
      (d.guessed
        ? `callqa: disk full: no space left on a disk this batch writes to (the error does not say which; most likely ${forTerminal(d.folder)} (${d.what}), the fullest of them) while ${d.writing}: ${forTerminal(errorMessage(d.error))}\n`
        : `callqa: disk full: no space left ${d.folder === STDOUT ? 'where standard output goes' : `in ${forTerminal(d.folder)}`} (${d.what}) while ${d.writing}: ${forTerminal(errorMessage(d.error))}\n`) +
        `callqa: the batch stopped: ${stoppedAt('not analysed')}\n`,
    );
    reportLine();
    process.stderr.write(`callqa: ${diskFullAdvice(d.what)}, then run the same command again: the calls stored are not analysed again (cached)\n`);
    saidAfter();
    return EXIT_DISK_FULL;
  }
  if (stop.signal.aborted) {
    // Always said, even with --quiet: the user stopped the batch and must know where it stands.
    process.stderr.write(`interrupted: ${stoppedAt('not finished')}\n`);
    reportLine();
    saidAfter();
    return 130;
  }
  // with -q the closing line only when something was skipped or failed: silent when all went well (cron)
  if (!opts.quiet || failed > 0 || skipped.length > 0) {
    process.stderr.write(`${calls - failed} of ${calls} call(s) analysed${failed ? `, ${failed} failed` : ''}${skipped.length ? `, ${skipped.length} file(s) skipped` : ''}${where}\n`);
  }
  saidAfter();
  return afterBatch.length ? 2 : failed > 0 ? 1 : 0;
}

/** DiskFullStop.folder of a report written to standard output (`--json -`): no folder to name */
const STDOUT = '(standard output)';

/** `callqa analyze` exit code when a disk filled up and the batch stopped (README "Exit codes") */
export const EXIT_DISK_FULL = 4;

interface DiskFullStop {
  folder: string;
  /** which folder it is to the user: "the data folder", "the temp folder (TMPDIR)", … */
  what: string;
  /** "analysing calls/c06.wav", "writing the report" */
  writing: string;
  error: Error;
  /** the error did not say where: `folder` is the fullest disk of those the batch writes to, and the message says so */
  guessed?: true;
}

/** The folder (of those the batch writes to) a path in an error's message lies in, the deepest if several. */
export function folderInMessage(message: string, candidates: readonly { folder: string; what: string }[]): { folder: string; what: string } | undefined {
  const hits = candidates.filter((c) => message.includes(`${c.folder}/`) || new RegExp(`${c.folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:['"\s:]|$)`).test(message));
  return hits.sort((a, b) => b.folder.length - a.folder.length)[0];
}

function stoppedByDisk(stopped: BatchStop, whereFull: (err: Error, ownNames: readonly string[]) => { folder: string; what: string; guessed?: true }): DiskFullStop {
  const { file, error } = stopped.diskFull;
  // its absolute path only (ffmpeg is given that): a short relative name ("t") would take letters out of the message
  return { writing: `analysing ${file}`, error, ...whereFull(error, [resolve(file)]) };
}

const POSTGRES_SHM = "the PostgreSQL server's shared memory (/dev/shm)";

/**
 * Which of the PostgreSQL server's resources SQLSTATE 53100 (disk_full) is about: its disk ("could not extend
 * file …"), or the shared memory a parallel query asks /dev/shm for ("could not resize shared memory segment …:
 * No space left on device", a container's 64 MB /dev/shm), where freeing disk space would not help.
 */
export function postgresFullWhat(err: Error): string {
  return /shared memory/i.test(err.message) ? POSTGRES_SHM : "the PostgreSQL server's disk";
}

/** What to do about a full disk, by which folder is on it. */
export function diskFullAdvice(what: string): string {
  if (what === 'the data folder') return 'free space on that disk (or move the data folder to a disk with room and give --data)';
  if (what.startsWith('the temp folder')) return 'free space on that disk (or set TMPDIR to a folder on a disk with room)';
  if (what.startsWith("the report's")) return 'free space on that disk (or give --json a path on a disk with room)';
  if (what === 'the report, --json -') return 'free space where standard output goes (or give --json a file on a disk with room)';
  if (what === POSTGRES_SHM) return "give the PostgreSQL server more shared memory (/dev/shm: a container's is 64 MB unless started with --shm-size, e.g. --shm-size=1g) or lower its work_mem";
  if (what.startsWith('the PostgreSQL')) return "free space on the PostgreSQL server's disk";
  return 'free space on that disk';
}

/**
 * The counts of a batch stopped before every file was tried (Ctrl-C, a full disk), in the terms of the normal
 * closing line: every file found is finished (analysed, failed or skipped) or not (stopped part-way, or never
 * started), so the numbers add up to the files found.
 */
export function stoppedCounts(c: { calls: number; failed: number; skipped: number; notFinished: readonly string[]; stoppedPartWay: number; notDone: string }): string {
  const finished = c.calls + c.skipped;
  const n = c.notFinished.length;
  return (
    `${finished} of ${finished + n} file(s) finished (${c.calls - c.failed} analysed, ${c.failed} failed, ${c.skipped} skipped); ` +
    `${n} ${c.notDone} (${c.stoppedPartWay} stopped part-way, ${n - c.stoppedPartWay} not started), nothing of them stored as results`
  );
}

/** What the summary table needs of a call: no transcript, timeline or positive events kept for it. */
function tableRowOf(c: CallReport): CallReport {
  const { transcript: _t, timeline: _tl, scorecard: _s, ...rest } = c;
  return {
    ...rest,
    events: c.events.filter((e) => TABLE_EVENT_TYPES.has(e.type) || ISSUE_TYPES.has(e.type)),
  };
}
const TABLE_EVENT_TYPES = new Set(['silence', 'hold', 'talk_over', 'speech_rate']);

async function MetadataSourceFromOpts(opts: AnalyzeCliOptions): Promise<MetadataSource> {
  const overrides: Record<string, string> = {};
  for (const kv of opts.meta ?? []) {
    const m = /^([A-Za-z_][\w-]*)=(.*)$/.exec(kv);
    if (!m) throw new ConfigError(`--meta expects key=value, got "${kv}"`);
    // defined, not assigned: `--meta __proto__=x` is a field like any other, not the object's prototype
    Object.defineProperty(overrides, m[1], { value: m[2], enumerable: true, writable: true, configurable: true });
  }
  return prepareMetadataSource({ manifestPath: opts.manifest, overrides });
}

/**
 * A length as m:ss for the table. The whole length is rounded once (rounding only the seconds made 59.6 s "0:60");
 * under a second is "<0:01", not a whole second the recording does not hold (a 0.5 s call showed "0:01").
 */
export function fmtSec(s: unknown): string {
  if (typeof s !== 'number' || !Number.isFinite(s)) return '-';
  if (s > 0 && s < 1) return '<0:01';
  const t = Math.round(s);
  return `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
}

/** Findings an inspector looks at first; positive events (greeting found, politeness...) stay in the JSON. */
const ISSUE_TYPES = new Set([
  'missing_greeting', 'late_greeting', 'missing_closing', 'missing_self_identification', 'banned_phrase', 'filler', 'customer_escalation',
]);
const SHORT: Record<string, string> = {
  missing_greeting: 'no greeting', late_greeting: 'late greeting', missing_closing: 'no closing', missing_self_identification: 'no self-id',
  banned_phrase: 'banned', filler: 'fillers', customer_escalation: 'escalation', speech_rate: 'speech rate',
};

export function summaryTable(calls: CallReport[]): string {
  const hasScore = calls.some((c) => !!c.score);
  const head = ['file', 'length', 'ch', 'agent:cust talk', 'dead air', 'talk-over', 'hold', 'issues'];
  if (hasScore) head.push('score');
  head.push('status');
  const color = process.stdout.isTTY === true;
  const t = new Table({ head, style: color ? { head: ['cyan'] } : { head: [], border: [] } });
  for (const c of calls) {
    const count = (type: string) => c.events.filter((e) => e.type === type);
    const silences = count('silence');
    const holds = count('hold');
    const talkOver = count('talk_over');
    const m = c.metrics;
    const mono = m.talkOverCount === null;
    // a recording with no speech on any channel (a silent or music-only file) has no conversation to have dead
    // air in: "0" would read as a clean call, so the column says n/a and the status says why
    const noSpeech = c.status !== 'failed' && m.speechSec === 0;
    const ratio = typeof m.talkRatio === 'number' ? `${Math.round(m.talkRatio * 100)}:${100 - Math.round(m.talkRatio * 100)}` : mono ? 'n/a (mono)' : '-';
    const findings = c.events.filter((e) => ISSUE_TYPES.has(e.type) || (e.type === 'speech_rate' && e.scope === 'call' && e.flag && e.flag !== 'ok'));
    const byType = new Map<string, number>();
    for (const e of findings) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
    const row: string[] = [
      shortName(c.file),
      fmtSec(c.durationSec),
      c.channels == null ? '-' : String(c.channels),
      ratio,
      silences.length ? `${silences.length} (${fmtSec(silences.reduce((s, e) => s + (e.end - e.start), 0))})` : c.status === 'failed' ? '-' : noSpeech ? 'n/a' : '0',
      m.talkOverCount === null ? 'n/a' : talkOver.length ? `${talkOver.length} (${talkOver.filter((e) => e.speaker === 'agent').length} by agent)` : c.status === 'failed' ? '-' : '0',
      holds.length ? `${holds.length} (${fmtSec(holds.reduce((s, e) => s + (e.end - e.start), 0))})` : c.status === 'failed' ? '-' : '0',
      [...byType].map(([k, v]) => (v > 1 ? `${SHORT[k] ?? k}×${v}` : SHORT[k] ?? k)).join(', ') || (c.status === 'failed' ? '-' : ''),
    ];
    if (hasScore) row.push(c.score ? formatScore(c.score) : '-');
    const truncatedAt = typeof m.truncatedAtSec === 'number' ? `, truncated at ${fmtSec(m.truncatedAtSec)}` : '';
    const reanalysed = c.reanalysed ? ` (${reanalysedNote(c.reanalysed)})` : '';
    const silent = noSpeech ? ', no speech found' : '';
    row.push(c.status === 'failed' ? `FAILED: ${forTerminal(c.errors[0]?.replace(/^.*?: /, '') ?? '')}` : `${c.status}${reanalysed}${truncatedAt}${silent}`);
    t.push(row);
  }
  return t.toString();
}

/** "re-analysed: transcript changed, metadata changed" */
export function reanalysedNote(reasons: readonly string[]): string {
  return `re-analysed: ${reasons.join(', ')}`;
}

/** The once-per-batch terminal line when whisper has no model: what is missing, what it costs, the fix. */
export function noModelNotice(reason: string): string {
  return (
    `callqa: no speech recognition for this batch: ${reason}. Calls without a transcript file (<name>.transcript.json, ` +
    '.transcript.vtt or .transcript.srt) get no text findings, and their text items are left to review (see "to review" beside each score).'
  );
}

function shortName(name: string): string {
  const f = forTerminal(name);
  return f.length <= 40 ? f : `…${f.slice(-39)}`;
}

export { Option };
