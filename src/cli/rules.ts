import { Command, Option } from 'commander';
import Table from 'cli-table3';
import type { Period } from '../review/rules-accuracy.js';
import type { RulesAccuracyReport } from '../services/rules-accuracy.js';
import { programFilterOf, programFilterOption, type ProgramFilterOptions } from './program-filter.js';

/** `callqa rules accuracy`: per scorecard item and per lexicon entry, how often inspectors overturn the machine. */
export function register(program: Command): void {
  const rules = program.command('rules').description('how the scoring rules fare against inspectors: where the machine is overturned');
  programFilterOption(
    rules
      .command('accuracy')
      .description('per scorecard item and per lexicon entry / rule: confirmed, false positives, misses, precision, recall, overturn rate, over time'),
    'only this QA program (pipeline id)',
  )
    .option('--since <date>', 'decisions from this day (YYYY-MM-DD)')
    .option('--until <date>', 'decisions before this day (YYYY-MM-DD)')
    .option('--period <p>', 'trend buckets: day, week or month', 'week')
    .option('--json', 'machine-readable (overall, items, rules, trend)')
    .option('--data <dir>', 'data folder of the embedded database (default: CALLQA_DATA_DIR or ./data)')
    .addOption(new Option('--data-dir <dir>', 'the same as --data (older spelling)').hideHelp())
    .action(async (opts: ProgramFilterOptions & { since?: string; until?: string; period: string; json?: boolean; data?: string; dataDir?: string }) => {
      if (!['day', 'week', 'month'].includes(opts.period)) throw new Error(`--period: day, week or month, not ${opts.period}`);
      const day = (s: string, flag: string) => {
        const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
        if (!Number.isFinite(t)) throw new Error(`${flag}: not a date (YYYY-MM-DD): ${s}`);
        return new Date(t);
      };
      const program = programFilterOf(opts);
      const filter = {
        period: opts.period as Period,
        ...(program ? { pipelineId: program.id } : {}),
        ...(opts.since ? { since: day(opts.since, '--since') } : {}),
        ...(opts.until ? { until: day(opts.until, '--until') } : {}),
      };
      const { openData } = await import('./data.js');
      const { createServices } = await import('../services/index.js');
      const store = await openData({ dataDir: opts.data ?? opts.dataDir, existing: true });
      let report: RulesAccuracyReport;
      try {
        // a misspelt program answered "no decisions yet" (exit 0): say it does not exist
        if (program) await (await import('../services/programs.js')).checkProgramFilter(store.db, program.id, program.flag);
        report = await createServices(store).rulesAccuracy.rulesAccuracy(null, filter);
      } finally {
        await store.close();
      }
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatAccuracy(report)}\n`);
    });
}

const f = (x: number | null) => (x === null ? '-' : `${Math.round(x * 1000) / 10}%`);

export function formatAccuracy(r: RulesAccuracyReport): string {
  const plain = { style: { head: [], border: [] } };
  const o = r.overall;
  const out = [
    `${o.decisions} decisions on completed reviews${r.filter.pipelineId ? ` of ${r.filter.pipelineId}` : ''}: overturned ${f(o.overturnRate)}, precision ${f(o.precision)}, recall ${f(o.recall)} (${o.unjudged} on items the machine left to people)`,
  ];
  if (!o.decisions) return `${out[0]}\nno decisions yet: review some calls first`;
  const items = new Table({ head: ['item', 'decisions', 'confirmed', 'false pos.', 'misses', 'adjusted', 'precision', 'recall', 'overturned'], ...plain });
  // items only people judge (manual) say nothing about the rules: counted above, not listed
  for (const i of r.items.filter((x) => x.decisions > x.unjudged)) items.push([`${r.titles[i.itemId] ?? i.itemId} (${i.itemId})`, i.decisions, i.tp + i.tn, i.fp, i.fn, i.adjusted, f(i.precision), f(i.recall), f(i.overturnRate)]);
  out.push('per scorecard item (worst first):', items.toString());
  if (r.rules.length) {
    const rules = new Table({ head: ['rule / lexicon entry', 'fired', 'confirmed', 'overturned', 'precision', 'items'], ...plain });
    for (const x of r.rules) rules.push([x.rule, x.fired, x.confirmed, x.overturned, f(x.precision), x.items.join(', ')]);
    out.push('per rule, where the machine found a fault (least precise first):', rules.toString());
  }
  const periods = [...new Set(r.trend.map((t) => t.period))];
  if (periods.length > 1) {
    const trend = new Table({ head: ['item', ...periods], ...plain });
    for (const id of [...new Set(r.trend.map((t) => t.itemId))]) {
      trend.push([id, ...periods.map((p) => {
        const t = r.trend.find((x) => x.period === p && x.itemId === id);
        return t ? `${f(t.overturnRate)} of ${t.decisions}` : '';
      })]);
    }
    out.push(`overturn rate per ${r.filter.period}:`, trend.toString());
  }
  return out.join('\n');
}
