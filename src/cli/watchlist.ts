import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../core/errors.js';
import { cliActor } from '../services/types.js';
import { programFilterOf, programFilterOption, type ProgramFilterOptions } from './program-filter.js';

const DESCRIPTION = 'the compliance watch list: saved searches run over every newly analysed call (add, list, disable, enable, check, hits)';

async function withService<T>(data: string | undefined, fn: (svc: import('../services/watchlist.js').WatchListService, store: import('./data.js').Store) => Promise<T>): Promise<T> {
  const { openData } = await import('./data.js');
  const { WatchListService } = await import('../services/watchlist.js');
  const store = await openData({ dataDir: data });
  try {
    return await fn(new WatchListService(store.db), store);
  } finally {
    await store.close();
  }
}

const dataOpt = ['--data <dir>', 'data folder of the embedded database (default: CALLQA_DATA_DIR or ./data)'] as const;

export function register(program: Command): void {
  const wl = program.command('watchlist').description(DESCRIPTION);
  const add = wl
    .command('add')
    .description('save a search that runs over every new call; each match is a finding on the call')
    .argument('<name>', 'a short name, e.g. "threatens-regulator"')
    .argument('<query>', 'a search query (callqa search --help)')
    .option('--speaker <side>', 'agent or customer', (v) => {
      if (v !== 'agent' && v !== 'customer') throw new InvalidArgumentError('agent or customer');
      return v;
    })
    .option('--team <team>', 'only this team\'s calls');
  programFilterOption(add, 'only calls of this QA program (pipeline id)')
    .option(...dataOpt)
    .action(async (name: string, query: string, opts: ProgramFilterOptions & { speaker?: 'agent' | 'customer'; team?: string; data?: string }) => {
      const program = programFilterOf(opts);
      await withService(opts.data, async (svc, store) => {
        // a misspelt program would make a saved search that never matches anything
        if (program) await (await import('../services/programs.js')).checkProgramFilter(store.db, program.id, program.flag);
        try {
          await svc.add({ name, query, filters: { speaker: opts.speaker, team: opts.team, pipelineId: program?.id } }, cliActor().username);
        } catch (err) {
          throw new ConfigError((err as Error).message);
        }
        const n = await svc.check();
        process.stdout.write(`saved "${name}"; ${n} hit(s) in calls analysed so far\n`);
      });
    });
  wl.command('list')
    .description('the saved searches')
    .option('--json', 'machine-readable')
    .option(...dataOpt)
    .action(async (opts: { json?: boolean; data?: string }) => {
      const rows = await withService(opts.data, (svc) => svc.list());
      if (opts.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else if (!rows.length) process.stdout.write('no saved searches (callqa watchlist add NAME QUERY)\n');
      else {
        for (const r of rows) {
          const filters = Object.keys(r.filters).length ? ` ${JSON.stringify(r.filters)}` : '';
          process.stdout.write(`${r.problem ? '!' : r.active ? ' ' : '-'} ${r.name}: ${r.query}${filters}${r.problem ? `  (not run: ${r.problem})` : ''}\n`);
        }
      }
    });
  for (const [cmd, active] of [['disable', false], ['enable', true]] as const) {
    wl.command(cmd)
      .description(`${cmd} a saved search`)
      .argument('<name>')
      .option(...dataOpt)
      .action(async (name: string, opts: { data?: string }) => {
        const ok = await withService(opts.data, (svc) => svc.setActive(name, active));
        if (!ok) throw new ConfigError(`no saved search named "${name}"`);
        process.stdout.write(`${name}: ${active ? 'enabled' : 'disabled'}\n`);
      });
  }
  wl.command('check')
    .description('run the saved searches over calls not yet checked (analyze and the workers do this themselves)')
    .option(...dataOpt)
    .action(async (opts: { data?: string }) => {
      const [n, rows] = await withService(opts.data, async (svc) => [await svc.check(), await svc.list()] as const);
      process.stdout.write(`${n} new hit(s)\n`);
      // a saved query the search language now refuses matches nothing: say so, each time, until it is replaced
      for (const r of rows.filter((x) => x.active && x.problem)) process.stderr.write(`callqa: saved search "${r.name}" not run: ${r.problem} (add it again with a query that parses, and disable this one)\n`);
    });
  wl.command('hits')
    .description('the findings the watch list raised, newest first')
    .option('--name <name>', 'of this saved search only')
    .option('--json', 'machine-readable')
    .option(...dataOpt)
    .action(async (opts: { name?: string; json?: boolean; data?: string }) => {
      const hits = await withService(opts.data, async (svc) => {
        // a misspelt name answered "no hits" (exit 0): say there is no such saved search, and which there are
        if (opts.name !== undefined) {
          const names = (await svc.list()).map((r) => r.name);
          if (!names.includes(opts.name))
            throw new ConfigError(`--name: no saved search named "${opts.name}" (${names.length ? `saved: ${names.join(', ')}` : 'none saved yet: callqa watchlist add NAME QUERY'})`);
        }
        await svc.check();
        return svc.hits({ savedSearch: opts.name });
      });
      if (opts.json) process.stdout.write(`${JSON.stringify({ hits }, null, 2)}\n`);
      else if (!hits.length) process.stdout.write('no hits\n');
      else for (const h of hits) process.stdout.write(`${h.savedSearch}  ${h.file} @ ${Math.floor(h.start / 60)}:${String(Math.floor(h.start % 60)).padStart(2, '0')}  ${h.speaker}\n`);
    });
}
