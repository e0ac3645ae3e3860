import { Command } from 'commander';
import { isAbsolute } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { CallMetadata } from '../core/types.js';
import { discover, Reached } from '../pipeline/discover.js';
import { loadCallMetadata, loadManifest } from '../pipeline/metadata.js';
import { BatchContent, enqueueRequest, QueueOperations, type EnqueueOutcome, type EnqueueRequest } from '../services/operations.js';
import { parseChannels } from './analyze.js';
import { checkMetaOverrides } from './metadata-source.js';
import { programChoiceOf, programChoiceOption } from './program-filter.js';

export interface EnqueueCliOptions {
  /** the QA program (`-p, --program`; `--pipeline` is its hidden older spelling): read with programChoiceOf */
  program?: string;
  pipeline?: string;
  channels?: string;
  transcribe: boolean;
  transcripts?: string;
  model?: string;
  manifest?: string;
  meta?: string[];
  force?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/** The options every way of enqueueing shares (enqueue, watch). */
export function addEnqueueOptions(cmd: Command): Command {
  return programChoiceOption(cmd, 'QA program: an id in pipelines/ or a YAML file (default: pipelines/default.yaml)')
    .option('--channels <left,right>', 'which side is on which stereo channel, e.g. customer,agent')
    .option('--no-transcribe', 'skip speech recognition (sidecar transcripts are still used)')
    .option('--transcripts <dir>', 'folder holding <name>.transcript.json / .transcript.vtt / .transcript.srt transcripts (must be readable by every worker)')
    .option('--model <name>', 'whisper model for this batch')
    .option('--manifest <csv>', 'CSV of call metadata (file,agent_id,team,direction,...)')
    .option('--meta <key=value...>', 'call metadata for every file (e.g. --meta agent_id=A17 team=blue)')
    .option('--force', 'queue again even calls whose stored analysis is still current, or failed (without it, a call is queued again anyway when its transcript, metadata, pipeline content, lexicons, channels or the analysis code changed); also a file whose audio was queued or analysed before under another name (a duplicate: it becomes that recording, under this name)');
}

export function enqueueRequestFromOpts(opts: EnqueueCliOptions): EnqueueRequest {
  return enqueueRequest({
    pipeline: programChoiceOf(opts),
    options: {
      transcribe: opts.transcribe,
      transcriptsDir: opts.transcripts,
      model: opts.model,
      channels: opts.channels ? parseChannels(opts.channels) : undefined,
    },
    force: opts.force,
  });
}

export function metaOverrides(meta: string[] | undefined): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const kv of meta ?? []) {
    const m = /^([A-Za-z_][\w-]*)=(.*)$/.exec(kv);
    if (!m) throw new ConfigError(`--meta expects key=value, got "${kv}"`);
    overrides[m[1]] = m[2];
  }
  checkMetaOverrides(overrides);
  return overrides;
}

/**
 * One file's line: its status and name; a duplicate is skipped with the reason naming the other file (not a
 * failure: the exit code stays 0).
 */
export function enqueueLine(o: EnqueueOutcome): string {
  if (o.status === 'duplicate') return `${'skipped'.padEnd(14)} ${o.file}: ${o.reason}\n`;
  return `${o.status.padEnd(14)} ${o.file}${o.error ? `  (${o.error})` : ''}${o.reanalysed ? `  (re-analysed: ${o.reanalysed.join(', ')})` : ''}\n`;
}

export function register(program: Command): void {
  addEnqueueOptions(
    program
      .command('enqueue')
      .description('queue recordings (files, folders, or a manifest .csv listing them) for the workers; returns at once')
      .argument('<paths...>', 'recordings, folders to walk, or manifest.csv files'),
  )
    .option('--json', 'print one JSON line per file')
    .option('-q, --quiet', 'only errors')
    .addHelpText(
      'after',
      `
Each recording is hashed, recorded in the database as pending, and queued for the first stage; the same
file enqueued again is not queued twice, and a recording already analysed with this pipeline version is
reported as cached. A file with the bytes of a recording queued or analysed under another name is a duplicate,
as in callqa analyze: skipped with a line naming both (not a failure), unless the other file is gone from where
it was enqueued (a renamed recording: queued under its new name), that file's analysis failed, or --force is
given (this file becomes that recording, under this name); within one batch a later file with the same bytes
is skipped even with --force. A file reached twice in one run (named twice, under another spelling
of its path, inside a folder also given, or a manifest's row) is enqueued once, the repeat reported as skipped. Exit codes: 0 all queued (or already known); 1 some files could not be
enqueued (a duplicate skipped is not a failure); 2 configuration error (Redis or PostgreSQL unreachable, bad pipeline).

Environment: REDIS_URL (default redis://127.0.0.1:6379), DATABASE_URL (required: a PostgreSQL server shared
with the workers), CALLQA_STORAGE_DIR (copy recordings there; default: workers read them where they are),
CALLQA_QUEUE_PREFIX (Redis key prefix, default callqa).

Examples:
  callqa enqueue calls/2026-11-21/
  callqa enqueue --program inbound-service-zh --no-transcribe manifest.csv`,
    )
    .action(async (paths: string[], opts: EnqueueCliOptions) => {
      process.exitCode = await runEnqueue(paths, opts);
    });
}

export async function runEnqueue(paths: string[], opts: EnqueueCliOptions): Promise<number> {
  const req = enqueueRequestFromOpts(opts);
  const overrides = metaOverrides(opts.meta);
  const manifest = opts.manifest ? await loadManifest(opts.manifest) : undefined;
  const ops = await QueueOperations.open();
  const counts = new Map<string, number>();
  let errors = 0;
  // one batch: a file reached twice (named twice, by another spelling of its path, inside a folder also given, or
  // a manifest's row) is enqueued once, the repeat told as skipped, as `callqa analyze` does
  const reached = new Reached('enqueued');
  // and a file with the bytes of one enqueued before it in this batch is its duplicate, skipped naming it
  const batch = new BatchContent();
  const skipped = (p: string, why: string) => process.stderr.write(`callqa: skipped ${p}: ${why}\n`);
  const report = (o: EnqueueOutcome) => {
    counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
    if (o.status === 'error') errors++;
    if (opts.json) process.stdout.write(`${JSON.stringify(o)}\n`);
    else if (o.status === 'error') process.stderr.write(`callqa: ${o.error}\n`);
    else if (!opts.quiet) process.stderr.write(enqueueLine(o));
  };
  try {
    const one = async (path: string, displayName: string, base?: Map<string, CallMetadata>) => {
      let metadata: CallMetadata;
      try {
        metadata = await loadCallMetadata(path, { manifest: base ?? manifest, overrides });
      } catch (err) {
        report({ file: displayName, status: 'error', error: (err as Error).message });
        return;
      }
      report(await ops.enqueue({ path, displayName, metadata }, req, batch));
    };
    for (const arg of paths) {
      if (/\.csv$/i.test(arg)) {
        // A manifest: its rows name the recordings (relative to the manifest's folder) and their metadata.
        let rows: Map<string, CallMetadata>;
        try {
          rows = await loadManifest(arg);
        } catch (err) {
          report({ file: arg, status: 'error', error: (err as Error).message });
          continue;
        }
        for (const file of [...rows.keys()].filter((k) => isAbsolute(k))) {
          const repeat = reached.repeatOf(file, file);
          if (repeat === undefined) await one(file, file, rows);
          else skipped(file, repeat);
        }
        continue;
      }
      for await (const f of discover([arg], { onSkip: skipped, reached })) {
        if ('missing' in f) report({ file: f.missing, status: 'error', error: `${f.missing}: no such file or directory` });
        else await one(f.path, f.displayName);
      }
    }
  } finally {
    await ops.close();
  }
  if (!opts.quiet && !opts.json) {
    process.stderr.write(`${[...counts].map(([k, v]) => `${v} ${k}`).join(', ') || 'nothing to enqueue'}\n`);
  }
  return errors > 0 ? 1 : 0;
}
