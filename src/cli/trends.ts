import { Command, InvalidArgumentError } from 'commander';
import { writeOutputFile } from '../core/output-file.js';
import { calendarDay } from './calendar-day.js';
import { pipelineAliasOption, programFilterOf, type ProgramFilterOptions } from './program-filter.js';

const DESCRIPTION = 'event and lexicon-entry counts and rates over time (per 100 calls, per talk hour), and emerging customer phrases';

/** A whole number of at least 1 given to `option`, or a usage error (not the default in its place). */
function wholeNumber(v: string, option: string): number {
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${option}: a whole number of at least 1, got ${JSON.stringify(v)}`);
  return n;
}

function checkDates(opts: { from?: string; to?: string }): void {
  if (opts.from && opts.to && opts.from > opts.to) throw new InvalidArgumentError(`--from ${opts.from} is after --to ${opts.to}`);
}

interface TrendsCliOptions extends ProgramFilterOptions {
  by: 'day' | 'week' | 'month';
  periods: string;
  team?: string;
  agent?: string;
  from?: string;
  to?: string;
  top: string;
  qa?: boolean;
  group: string;
  passScore: string;
  repeatDays: string;
  json?: boolean;
  csv?: string;
  data?: string;
}

export function register(program: Command): void {
  program
    .command('trends')
    .description(DESCRIPTION)
    .option('--by <period>', 'day, week or month', (v) => {
      if (v !== 'day' && v !== 'week' && v !== 'month') throw new InvalidArgumentError('day, week or month');
      return v;
    }, 'week')
    .option('--periods <n>', 'how many periods, ending with the newest call (or --to)', '8')
    .option('--team <team>', 'only this team\'s calls')
    .option('--agent <id>', 'only this agent\'s calls')
    .option('--program <id>', 'only calls analysed with this QA program')
    .addOption(pipelineAliasOption())
    .option('--from <date>', 'not before this date (YYYY-MM-DD)', calendarDay)
    .option('--to <date>', 'the last period holds this date (default: the newest call)', calendarDay)
    .option('--top <n>', 'series shown in the table', '15')
    .option('--qa', 'the QA figures instead: 监听合格率 (pass rate), final scores, fatal rate, handling time, talk/silence/hold shares, repeat contacts')
    .option('--group <by>', 'with --qa: agent, team or all', 'all')
    .option('--pass-score <pct>', 'with --qa: pass mark in percent of the maximum', '80')
    .option('--repeat-days <n>', 'with --qa: a call again from the same customer number within n days is a repeat contact', '7')
    .option('--json', 'machine-readable: { periods, volume, series: [{ key, counts, rate, points }], emerging: [{ phrase, countNow, countBefore, score }] }')
    .option('--csv <file>', 'write every series as CSV (key, label, period, count, per100Calls, perTalkHour, change)')
    .option('--data <dir>', 'data folder of the embedded database (default: CALLQA_DATA_DIR or ./data)')
    .addHelpText('after', `
Series keys: event:<type> (silence, talk_over, banned_phrase, ...) and lexicon:<entry id>. Rates are per 100
calls of the period and per hour of talk; "change" is against the previous period. Emerging phrases are
customer n-grams of the last period scored by log-likelihood (G²) against the earlier periods, with phrases the
lexicons already hold left out (docs/search.md).`)
    .action(async (opts: TrendsCliOptions) => {
      process.exitCode = await runTrends(opts);
    });
}

const SPARK = '▁▂▃▄▅▆▇█';
export function sparkline(values: ReadonlyArray<number | null>): string {
  const nums = values.map((v) => v ?? 0);
  const max = Math.max(...nums);
  return nums.map((v) => (max <= 0 ? SPARK[0] : SPARK[Math.min(7, Math.round((v / max) * 7))])).join('');
}

export async function runTrends(opts: TrendsCliOptions): Promise<number> {
  const { trends, defaultTrendsLexicon } = await import('../services/trends.js');
  const { openData } = await import('./data.js');
  const Table = (await import('cli-table3')).default;
  checkDates(opts);
  if (opts.qa) return runQaFigures(opts);
  const periods = wholeNumber(opts.periods, '--periods');
  const top = wholeNumber(opts.top, '--top');
  const lexicon = await defaultTrendsLexicon();
  const program = programFilterOf(opts);
  const store = await openData({ dataDir: opts.data, existing: true });
  try {
    await checkProgram(store.db, program);
    const r = await trends(store.db, {
      by: opts.by, periods, team: opts.team, agentId: opts.agent, pipelineId: program?.id, from: opts.from, to: opts.to,
    }, lexicon);
    if (opts.csv) {
      const { csvText } = await import('../core/csv.js');
      const rows: unknown[][] = [['key', 'label', 'period', 'count', 'per100Calls', 'perTalkHour', 'change']];
      for (const s of r.series) for (const p of s.points) rows.push([s.key, s.label, p.period, p.count, p.per100Calls, p.perTalkHour, p.change]);
      writeOutputFile('--csv', opts.csv, 'the series', csvText(rows));
    }
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      return 0;
    }
    const plain = { style: { head: [], border: [] } };
    const vol = new Table({ head: ['period', ...r.periods.map((p) => p.slice(5))], ...plain });
    vol.push(['calls', ...r.volume.map((v) => v.calls)], ['talk h', ...r.volume.map((v) => v.talkHours)]);
    process.stdout.write(`${vol.toString()}\n`);
    const t = new Table({ head: ['series', 'trend', 'total', 'per 100 calls (last)', 'change'], ...plain });
    for (const s of r.series.slice(0, top)) {
      const last = s.points[s.points.length - 1]!;
      const ch = last.change === null ? '' : `${last.change > 0 ? '+' : ''}${last.change}`;
      t.push([s.label ? `${s.label} (${s.key})` : s.key, sparkline(s.rate), s.total, last.per100Calls ?? '-', ch]);
    }
    process.stdout.write(`${t.toString()}\n`);
    if (r.emerging.length) {
      const e = new Table({ head: ['emerging phrase (customers)', 'now', 'before', 'G²', 'log2 ratio'], ...plain });
      for (const x of r.emerging) e.push([x.phrase, x.countNow, x.countBefore, x.score, x.logRatio]);
      process.stdout.write(`${e.toString()}\n`);
    } else process.stdout.write('emerging phrases: none rose significantly in the last period\n');
    return 0;
  } finally {
    await store.close();
  }
}

/** A --program naming no program counted nothing (exit 0): refuse it, naming the programs there are. */
async function checkProgram(db: import('./data.js').Store['db'], program: { id: string; flag: string } | undefined): Promise<void> {
  if (program) await (await import('../services/programs.js')).checkProgramFilter(db, program.id, program.flag);
}

async function runQaFigures(opts: TrendsCliOptions): Promise<number> {
  const { qaFiguresOf } = await import('../services/trends.js');
  const { openData } = await import('./data.js');
  const Table = (await import('cli-table3')).default;
  const group = opts.group;
  if (group !== 'agent' && group !== 'team' && group !== 'all') throw new InvalidArgumentError('--group: agent, team or all');
  const pass = Number(opts.passScore);
  if (!(pass > 0 && pass <= 100)) throw new InvalidArgumentError('--pass-score: a percentage, 1-100');
  const repeatDays = wholeNumber(opts.repeatDays, '--repeat-days');
  const program = programFilterOf(opts);
  const store = await openData({ dataDir: opts.data, existing: true });
  try {
    await checkProgram(store.db, program);
    const figures = await qaFiguresOf(store.db, {
      by: opts.by, groupBy: group, passShare: pass / 100, repeatWindowDays: repeatDays,
      team: opts.team, agentId: opts.agent, pipelineId: program?.id, from: opts.from, to: opts.to,
    });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ passScorePct: pass, figures }, null, 2)}\n`);
      return 0;
    }
    const pct = (x: number | null) => (x === null ? '-' : `${Math.round(x * 1000) / 10}%`);
    const t = new Table({ head: [group === 'all' ? '' : group, 'period', 'calls', 'reviewed', `pass (≥${pass})`, 'avg final', 'fatal', 'AHT', 'talk', 'silence', 'hold', 'repeat'], style: { head: [], border: [] } });
    for (const f of figures) {
      t.push([f.key === 'all' ? '' : f.key, f.period, f.calls, f.reviewed, pct(f.passRate), f.avgFinal ?? '-', pct(f.fatalRate),
        f.avgHandlingSec === null ? '-' : `${Math.floor(f.avgHandlingSec / 60)}:${String(Math.round(f.avgHandlingSec % 60)).padStart(2, '0')}`,
        pct(f.talkShare), pct(f.silenceShare), pct(f.holdShare), pct(f.repeatContactRate)]);
    }
    process.stdout.write(`${t.toString()}\n`);
    if (figures.every((f) => f.reviewed === 0)) process.stdout.write('no completed reviews yet: pass rate, final scores and fatal rate need reviews (callqa serve)\n');
    return 0;
  } finally {
    await store.close();
  }
}
