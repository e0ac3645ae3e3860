import { once } from 'node:events';
import { Command } from 'commander';
import { cannotWrite } from '../core/output-file.js';
import { pipelineAliasOption, programFilterOf, type ProgramFilterOptions } from './program-filter.js';

/**
 * callqa calls: the analysed calls with their scores as they stand (draft, in review, final), for a look in the
 * terminal or an export to a spreadsheet (one row per call, or per call and scorecard item). The same rows as
 * the API's exportCalls (src/services/results-export.ts); no transcript text.
 */
const DESCRIPTION = 'the analysed calls and their scores as they stand (draft, in review, final): list them, or export CSV/JSON for a spreadsheet';

interface FilterOptions extends ProgramFilterOptions {
  data?: string;
  state?: string;
  agent?: string;
  team?: string;
  since?: string;
  until?: string;
}

function filterOptions(cmd: Command): Command {
  return cmd
    .option('--data <dir>', 'data folder of the embedded database (default: CALLQA_DATA_DIR or ./data)')
    .option('--state <state>', 'review state: unreviewed, in_progress, completed, or open (not completed)')
    .option('--agent <id>', 'only this agent id')
    .option('--team <team>', 'only this team')
    .option('--program <id>', 'only this QA program (pipeline id)')
    .addOption(pipelineAliasOption())
    .option('--since <iso>', 'analysed at or after this time (ISO 8601)')
    .option('--until <iso>', 'analysed before this time (ISO 8601)');
}

function parseFilter(o: FilterOptions) {
  const date = (v: string | undefined, flag: string) => {
    if (v === undefined) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) throw new Error(`${flag} must be an ISO 8601 time, got "${v}"`);
    return d;
  };
  const states = ['unreviewed', 'in_progress', 'completed', 'open'] as const;
  if (o.state !== undefined && !(states as readonly string[]).includes(o.state)) throw new Error(`--state must be one of ${states.join(', ')}, got "${o.state}"`);
  return {
    state: o.state as (typeof states)[number] | undefined,
    agentId: o.agent,
    team: o.team,
    pipelineId: programFilterOf(o)?.id,
    since: date(o.since, '--since'),
    until: date(o.until, '--until'),
  };
}

/** A --program naming no program listed nothing (exit 0): refuse it, naming the programs there are. */
async function checkProgram(store: import('./data.js').Store, o: ProgramFilterOptions): Promise<void> {
  const program = programFilterOf(o);
  if (program) await (await import('../services/programs.js')).checkProgramFilter(store.db, program.id, program.flag);
}

const actor = async () => (await import('../services/types.js')).cliActor();

export function register(program: Command): void {
  const calls = program.command('calls').description(DESCRIPTION);

  // the default subcommand: `callqa calls --data X` is `callqa calls list --data X` (was "unknown option")
  filterOptions(calls.command('list', { isDefault: true }))
    .description('list calls, newest analysis first, with the score as it stands and how many items are open (the default: `callqa calls` is `callqa calls list`)')
    .option('--limit <n>', 'at most this many calls', '50')
    .option('--json', 'print JSON lines, one call per line')
    .action(async (o: FilterOptions & { limit: string; json?: boolean }) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit must be a positive integer, got "${o.limit}"`);
      const filter = parseFilter(o);
      const [{ withData }, { createServices }, who] = await Promise.all([import('./data.js'), import('../services/index.js'), actor()]);
      const { rows, total } = await withData({ dataDir: o.data, existing: true }, async (store) => {
        await checkProgram(store, o);
        const svc = createServices(store).calls;
        const out = [];
        for await (const r of svc.resultRows(who, filter, 'calls')) {
          out.push(r);
          if (out.length >= limit) break;
        }
        // nothing listed: an empty database (analyse some calls first) or filters that match none of its calls
        return { rows: out, total: out.length ? undefined : await svc.countAll() };
      });
      if (o.json) {
        for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
        return;
      }
      if (!rows.length) {
        process.stdout.write(total ? `no call matches the filters (${total} call${total === 1 ? '' : 's'} in the data folder)\n` : 'no calls analysed yet (callqa analyze FILES first)\n');
        return;
      }
      const Table = (await import('cli-table3')).default;
      const t = new Table({ head: ['call', 'file', 'agent', 'team', 'program', 'review', 'score'], style: { head: [], border: [] } });
      for (const r of rows) {
        const score = r.score === null ? '—' : `${r.score}/${r.maxScore}${r.fatal ? ' fatal' : ''}${r.final ? ' final' : Number(r.openItems) > 0 ? ` · ${r.openItems} to review` : ' · draft'}`;
        t.push([String(r.callId).slice(0, 8), r.file, r.agentId ?? '', r.team ?? '', r.program, r.reviewState, score]);
      }
      process.stdout.write(`${t.toString()}\n`);
    });

  filterOptions(calls.command('export'))
    .description('export scorecard results as CSV (UTF-8 with BOM, for spreadsheets) or JSON lines: one row per call, or per call and item with --items')
    .option('--items', 'one row per call and scorecard item: the machine\'s answer, the answer that counts, and who gave it')
    .option('-o, --out <file>', 'write to this file (default: standard output)')
    .option('--json', 'JSON lines instead of CSV')
    .action(async (o: FilterOptions & { items?: boolean; out?: string; json?: boolean }) => {
      const filter = parseFilter(o);
      const shape = o.items ? ('items' as const) : ('calls' as const);
      const [{ withData }, { createServices }, who, { createWriteStream }] = await Promise.all([
        import('./data.js'),
        import('../services/index.js'),
        actor(),
        import('node:fs'),
      ]);
      let out: NodeJS.WritableStream = process.stdout;
      let writeError: Error | undefined;
      // the file is opened once the data folder is found (a mistyped --data must not empty an earlier export), and
      // awaited: an unwritable --out (no such folder, no permission) is a plain error, not an unhandled stream
      // 'error' event that kills the process with a stack trace
      const openOut = async (path: string) => {
        const file = createWriteStream(path);
        try {
          await once(file, 'open');
        } catch (err) {
          throw cannotWrite('--out', path, 'the export', err);
        }
        file.on('error', (err) => {
          writeError ??= err;
        });
        out = file;
      };
      // back-pressure: wait for 'drain' when the buffer is full (events.once rejects if the stream errors meanwhile)
      const write = async (s: string) => {
        if (writeError) throw cannotWrite('--out', o.out ?? '', 'the export', writeError);
        if (!out.write(s)) await once(out, 'drain');
      };
      let n = 0;
      await withData({ dataDir: o.data, existing: true }, async (store) => {
        const svc = createServices(store).calls;
        await checkProgram(store, o);
        if (o.out) await openOut(o.out);
        if (o.json) {
          for await (const r of svc.resultRows(who, filter, shape)) {
            await write(`${JSON.stringify(r)}\n`);
            n++;
          }
        } else {
          if (o.out) await write('\uFEFF');
          for await (const chunk of svc.exportCsv(who, filter, shape)) {
            await write(chunk);
            n += chunk.split('\r\n').length - 1;
          }
          n -= 1; // the header line
        }
      });
      if (o.out) {
        await new Promise<void>((resolve, reject) => (out as ReturnType<typeof createWriteStream>).end((err?: Error | null) => (err ? reject(err) : resolve())));
        process.stderr.write(`${n} row(s) written to ${o.out}\n`);
      }
    });
}
