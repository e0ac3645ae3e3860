import { Command, InvalidArgumentError, Option } from 'commander';
import { cannotWrite } from '../core/output-file.js';
import type { ErasureResult, SubjectCall, SubjectSelector } from '../services/personal-data.js';

/** as src/services/personal-data.ts NOT_THE_RECORDING (not imported: the command's module loads its service lazily) */
const NOT_THE_RECORDING = 'holds another recording now (other bytes): not deleted, nor its sidecars; the erased original is elsewhere';

/**
 * callqa data: a customer's data on request (find, export, erase) and retention (purge calls older than a
 * period). The rows go in one transaction with their audit entries; then the files callqa made of the calls.
 */
export function register(program: Command): void {
  const data = program
    .command('data')
    .description("personal data on request and retention: find, export or erase a customer's calls; purge calls past the retention period")
    .addHelpText(
      'after',
      `
A customer is named by the customer_id the call platform or CRM gives (metadata customerId); calls by the whole
ids that \`callqa calls list --json\` prints. Erasing removes each call's recording row and everything stored with
it (analyses, transcripts and their search index, findings, scorecards, reviews, disputes, calibration scores,
watch-list hits), the playable copies in the media cache and the queue's storage copy; the audit log keeps who
erased which call id and when (review comments and dispute reasons about the calls are blanked there; search
queries stay: docs/data-requests.md). The original recordings are deleted only with --delete-audio.
--customer and --call together name the customer's calls and the calls named; --before/--older-than narrow them.

Examples:
  callqa data find --customer C-20931
  callqa data export --customer C-20931 -o C-20931.json
  callqa data erase --customer C-20931 --dry-run
  callqa data erase --customer C-20931 --yes --delete-audio
  callqa data purge --older-than 365 --yes      (retention: calls over a year old; open disputes are kept)`,
    );

  const dataOption = () => new Option('--data <dir>', 'data folder of the embedded database (default: CALLQA_DATA_DIR or ./data)');
  const subject = (c: Command) =>
    c
      .addOption(dataOption())
      .option('--customer <id>', "the customer's id (metadata customer_id)")
      .option('--call <id>', 'a call id (repeat for several)', (v: string, prev: string[] = []) => [...prev, v]);

  subject(data.command('find'))
    .description('list the calls of a customer (or named calls, or calls before a date) and what is stored about each')
    .option('--before <date>', 'calls before this day (YYYY-MM-DD)')
    .option('--older-than <days>', 'calls more than this many days old', days)
    .option('--json', 'JSON lines, one call per line')
    .action(async (o: SubjectOptions & { before?: string; olderThan?: number; json?: boolean }) => {
      const calls = await withPersonalData(o.data, async (svc, now) => svc.find(selector(o, now)));
      if (o.json) {
        for (const c of calls) process.stdout.write(`${JSON.stringify(c)}\n`);
        return;
      }
      process.stdout.write(calls.length ? `${await callTable(calls)}\n${calls.length} call(s)\n` : 'no calls match\n');
    });

  subject(data.command('export'))
    .description('everything stored about the calls (an access request): metadata, every transcript as transcribed, every finding, as one JSON document')
    .option('-o, --out <file>', 'write to this file, readable by its owner only (default: standard output)')
    .action(async (o: SubjectOptions & { out?: string }) => {
      const { cliActor } = await import('../services/types.js');
      const doc = await withPersonalData(o.data, async (svc, now) => {
        const sel = selector(o, now);
        if (sel.before) throw new InvalidArgumentError('export names a customer or calls');
        return svc.export(cliActor(), sel);
      });
      const json = `${JSON.stringify(doc, null, 2)}\n`;
      if (o.out) {
        const { chmod, writeFile } = await import('node:fs/promises');
        try {
          await writeFile(o.out, json, { mode: 0o600 });
          await chmod(o.out, 0o600);
        } catch (err) {
          throw cannotWrite('--out', o.out, 'the export', err);
        }
        process.stderr.write(`${doc.calls.length} call(s) exported to ${o.out} (it holds personal data: keep it as such)\n`);
      } else process.stdout.write(json);
    });

  const erasing = (c: Command) =>
    c
      .option('--yes', 'erase (it cannot be undone); without it, nothing is erased')
      .option('--dry-run', 'show what would be erased, and erase nothing')
      .option('--delete-audio', 'also delete the original recordings and their transcript and metadata sidecars')
      .option('--json', 'print the result as JSON');

  erasing(subject(data.command('erase')))
    .description("erase a customer's calls (an erasure request), or named calls: every stored row, cached copy and storage copy")
    .action(async (o: SubjectOptions & EraseFlags) => {
      await runErase(o, (now) => selector(o, now), { reason: 'request', keepOpenDisputes: false });
    });

  erasing(data.command('purge').addOption(dataOption()))
    .description('retention: erase the calls older than a period (by the call date); calls with an open dispute are kept until it is ruled')
    .option('--older-than <days>', 'calls more than this many days old', days)
    .option('--before <date>', 'calls before this day (YYYY-MM-DD)')
    .action(async (o: EraseFlags & { data?: string; olderThan?: number; before?: string }) => {
      if (o.olderThan === undefined && o.before === undefined) throw new InvalidArgumentError('purge needs --older-than DAYS or --before YYYY-MM-DD');
      await runErase(o, (now) => selector(o, now), { reason: 'retention', keepOpenDisputes: true });
    });

  data
    .command('readmit')
    .description('lift the erasure of these recordings (an erasure made in error), so analyze and enqueue take them again')
    .argument('<files...>', 'the recordings (their bytes identify them; names and places do not matter)')
    .addOption(dataOption())
    .action(async (files: string[], o: { data?: string }) => {
      const [{ hashFile }, { cliActor }] = await Promise.all([import('../pipeline/files.js'), import('../services/types.js')]);
      const hashes: string[] = [];
      for (const f of files) {
        try {
          hashes.push(await hashFile(f));
        } catch (err) {
          throw new Error(`${f}: cannot read it: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
        }
      }
      const lifted = new Set(await withPersonalData(o.data, (svc) => svc.readmit(cliActor(), hashes)));
      files.forEach((f, i) => process.stdout.write(`${lifted.has(hashes[i]!) ? 'readmitted' : 'was not erased'}: ${f}\n`));
    });
}

interface SubjectOptions {
  data?: string;
  customer?: string;
  call?: string[];
}

interface EraseFlags {
  data?: string;
  yes?: boolean;
  dryRun?: boolean;
  deleteAudio?: boolean;
  json?: boolean;
}

function days(v: string): number {
  const m = /^(\d+)d?$/.exec(v.trim());
  const n = m ? Number(m[1]) : NaN;
  // at most a century: beyond it the cut-off date falls outside what a date can be written as
  if (!Number.isSafeInteger(n) || n < 1 || n > 36_525) throw new InvalidArgumentError(`--older-than must be a whole number of days from 1 to 36525 (e.g. 365 or 365d), got "${v}"`);
  return n;
}

/** The selector from the options; --older-than N is "before the day N days ago" (UTC). */
function selector(o: SubjectOptions & { before?: string; olderThan?: number }, now: Date): SubjectSelector {
  const sel: SubjectSelector = {};
  if (o.customer !== undefined) sel.customerId = o.customer;
  if (o.call !== undefined) sel.callIds = o.call;
  if (o.before !== undefined && o.olderThan !== undefined) throw new InvalidArgumentError('give --before or --older-than, not both');
  if (o.before !== undefined) sel.before = o.before;
  if (o.olderThan !== undefined) sel.before = new Date(now.getTime() - o.olderThan * 86_400_000).toISOString().slice(0, 10);
  if (sel.customerId === undefined && sel.callIds === undefined && sel.before === undefined) {
    throw new InvalidArgumentError('name the calls: --customer ID, --call ID (repeatable), or --before/--older-than');
  }
  return sel;
}

type PersonalData = import('../services/personal-data.js').PersonalDataService;

async function withPersonalData<T>(dataDir: string | undefined, fn: (svc: PersonalData, now: Date) => Promise<T>, opts: { queue?: boolean } = {}): Promise<T> {
  const [{ withData }, { createServices }, { defaultMediaDir }, { env }] = await Promise.all([
    import('./data.js'),
    import('../services/index.js'),
    import('../services/call-media.js'),
    import('../config/env.js'),
  ]);
  // a queue deployment (REDIS_URL and DATABASE_URL): the erased calls' jobs go from Redis too
  const e = env();
  const queue = opts.queue && e.REDIS_URL && e.DATABASE_URL ? await (await import('../services/operations.js')).QueueOperations.open() : undefined;
  try {
    return await withData({ dataDir, existing: true }, (store) => {
      const services = createServices(store, { mediaDir: defaultMediaDir(dataDir), queueJobs: queue });
      return fn(services.personalData, services.now());
    });
  } finally {
    await queue?.close();
  }
}

async function runErase(o: EraseFlags, sel: (now: Date) => SubjectSelector, how: { reason: 'request' | 'retention'; keepOpenDisputes: boolean }): Promise<void> {
  if (o.yes && o.dryRun) throw new InvalidArgumentError('give --yes or --dry-run, not both');
  if (!o.yes && !o.dryRun) throw new InvalidArgumentError('erasing cannot be undone: add --yes to erase, or --dry-run to see what would be erased');
  const { cliActor } = await import('../services/types.js');
  const out = await withPersonalData(o.data, async (svc, now) => {
    const s = sel(now);
    if (o.dryRun) {
      const calls = await svc.find(s);
      return { dryRun: true as const, calls: calls.filter((c) => !(how.keepOpenDisputes && c.openDisputes > 0)), kept: calls.filter((c) => how.keepOpenDisputes && c.openDisputes > 0) };
    }
    return { dryRun: false as const, result: await svc.erase(cliActor(), s, { reason: how.reason, keepOpenDisputes: how.keepOpenDisputes, deleteAudio: o.deleteAudio }) };
  }, { queue: !o.dryRun });
  if (out.dryRun) {
    if (o.json) {
      process.stdout.write(`${JSON.stringify({ dryRun: true, wouldErase: out.calls, kept: out.kept })}\n`);
      return;
    }
    if (out.calls.length) process.stdout.write(`${await callTable(out.calls)}\n`);
    for (const c of out.kept) process.stdout.write(`kept: ${c.id} (${c.openDisputes} open dispute(s): rule them first)\n`);
    process.stdout.write(`dry run: ${out.calls.length} call(s) would be erased; nothing was erased (add --yes to erase)\n`);
    return;
  }
  const r = out.result;
  if (o.json) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
  } else {
    process.stdout.write(erasureSummary(r));
  }
  // files callqa could not remove: the rows are gone, the files still hold the calls
  if (r.filesFailed.length) process.exitCode = 1;
}

function erasureSummary(r: ErasureResult): string {
  const lines: string[] = [];
  if (!r.erased.length) lines.push('no calls match: nothing erased');
  else {
    const rows = Object.entries(r.rows)
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `${n} ${t}`)
      .join(', ');
    lines.push(`erased ${r.erased.length} call(s): ${r.erased.map((c) => c.id).join(', ')}`);
    lines.push(`rows removed: ${rows}`);
    lines.push(`files removed: ${r.filesDeleted.length}`);
    if (r.queueJobsRemoved !== undefined) lines.push(`queue jobs removed: ${r.queueJobsRemoved}`);
  }
  for (const k of r.kept) lines.push(`kept: ${k.call.id} (${k.reason})`);
  for (const f of r.filesFailed) {
    lines.push(f.error === NOT_THE_RECORDING ? `did not delete ${f.path}: it ${f.error}` : `could not remove ${f.path}: ${f.error} (remove it by hand: it still holds the call)`);
  }
  if (r.audioLeft.length) {
    lines.push(`the original recording(s) were left where they are (add --delete-audio to delete them):`);
    for (const p of r.audioLeft) lines.push(`  ${p}`);
  }
  return `${lines.join('\n')}\n`;
}

async function callTable(calls: SubjectCall[]): Promise<string> {
  const [{ default: Table }, { forTerminal }] = await Promise.all([import('cli-table3'), import('../core/control-chars.js')]);
  const t = new Table({ head: ['call', 'date', 'file', 'agent', 'customer', 'review', 'open disputes'], style: { head: [], border: [] } });
  for (const c of calls) {
    t.push([c.id, c.callDate, forTerminal(c.fileName), forTerminal(c.agentId ?? ''), forTerminal(c.customerId ?? ''), c.reviewState ?? 'none', c.openDisputes]);
  }
  return t.toString();
}
