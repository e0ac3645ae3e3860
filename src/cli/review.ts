import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import Table from 'cli-table3';
import type { PlanReport } from '../services/review-queue.js';
import { programFilterOf, programFilterOption, type ProgramFilterOptions } from './program-filter.js';

/**
 * `callqa review plan`: what this week's sampling policy asks for, per QA program, and what is covered.
 * `callqa review example CALL ITEM`: an inspector's decision as a regression example for the program.
 * Both read the database (embedded, or DATABASE_URL) through src/services.
 */
export function register(program: Command): void {
  const review = program.command('review').description("the review workflow: this week's sampling plan, decisions as regression examples");
  programFilterOption(
    review
      .command('plan')
      .description("what this week's review policy asks for per QA program (share of volume, COPC sample size, per-agent minimums, daily quotas) and what is covered")
      .option('--week <date>', 'a day of the ISO week to plan (YYYY-MM-DD; default: this week)'),
    'only this QA program (pipeline id)',
  )
    .option('--team <team>', "only this team's agents")
    .option('--json', 'machine-readable (week, programs[].plan with target, binding floor, agents, warnings)')
    .option('--data <dir>', 'data folder of the embedded database (default: CALLQA_DATA_DIR or ./data)')
    .addOption(new Option('--data-dir <dir>', 'the same as --data (older spelling)').hideHelp())
    .action(async (opts: ProgramFilterOptions & { week?: string; team?: string; json?: boolean; data?: string; dataDir?: string }) => {
      const at = opts.week ? parseDay(opts.week, '--week') : new Date();
      const program = programFilterOf(opts);
      const { openData } = await import('./data.js');
      const { createServices } = await import('../services/index.js');
      const store = await openData({ dataDir: opts.data ?? opts.dataDir, existing: true });
      let report: PlanReport;
      try {
        // a misspelt program was planned as one with no calls (exit 0): say it does not exist
        if (program) await (await import('../services/programs.js')).checkProgramFilter(store.db, program.id, program.flag);
        report = await createServices(store).queue.plan(null, { at, ...(program ? { pipelineId: program.id } : {}), ...(opts.team ? { team: opts.team } : {}) });
      } finally {
        await store.close();
      }
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatPlan(report)}\n`);
    });
  review
    .command('example')
    .description("turn an inspector's decision on one item into a regression example for the program's examples file")
    .argument('<call>', 'call id (as listCalls / the API shows it)')
    .argument('<item>', 'scorecard item id')
    .option('--append', 'append it to pipelines/<program>.examples.yaml (default: print the YAML)')
    .option('--examples <file>', 'the examples file to append to (default: the program\'s, beside its pipeline file)')
    .option('--no-mask', 'copy the transcript without masking personal data (phone, id, card numbers, e-mail, addresses)')
    .option('--data <dir>', 'data folder of the embedded database (default: CALLQA_DATA_DIR or ./data)')
    .addOption(new Option('--data-dir <dir>', 'the same as --data (older spelling)').hideHelp())
    .action(async (call: string, item: string, opts: { append?: boolean; examples?: string; mask: boolean; data?: string; dataDir?: string }) => {
      const { openData } = await import('./data.js');
      const { createServices } = await import('../services/index.js');
      const store = await openData({ dataDir: opts.data ?? opts.dataDir, existing: true });
      let out;
      try {
        out = await createServices(store).rulesAccuracy.exportExample(null, call, item, { mask: opts.mask });
      } finally {
        await store.close();
      }
      for (const w of out.warnings) process.stderr.write(`callqa: warning: ${w}\n`);
      if (!opts.append) {
        process.stdout.write(`# append under examples: in ${out.file}\n${out.yaml}`);
        return;
      }
      const { appendExample } = await import('../review/regression-example.js');
      const { defaultPipelinesDir } = await import('../pipeline/loader.js');
      const file = opts.examples ?? `${defaultPipelinesDir()}/${out.pipelineId}.examples.yaml`;
      const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
      writeFileSync(file, appendExample(before, out.pipelineId, out.example));
      process.stdout.write(`appended "${out.example.name}" to ${file}; run: callqa pipelines test ${out.pipelineId}\n`);
    });
}

function parseDay(s: string, flag: string): Date {
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T12:00:00Z` : s);
  if (!Number.isFinite(t)) throw new Error(`${flag}: not a date (YYYY-MM-DD): ${s}`);
  return new Date(t);
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function formatPlan(r: PlanReport): string {
  const plain = { style: { head: [], border: [] } };
  // r.end is the exclusive end (next Monday 00:00): show the week's last day, Sunday
  const lastDay = new Date(Date.parse(r.end) - 1).toISOString().slice(0, 10);
  const out: string[] = [`review plan for ${r.week} (${r.start.slice(0, 10)} to ${lastDay})${r.team ? `, team ${r.team}` : ''}`];
  if (!r.programs.length) out.push('no analysed calls this week');
  for (const p of r.programs) {
    const x = p.plan;
    out.push('');
    out.push(`${p.pipelineId}: ${x.volume} calls, ${x.reviewed} reviewed (${x.volume ? pct(x.reviewed / x.volume) : '-'}); target ${x.target} (set by ${x.binding === 'copc' ? 'the COPC sample size' : x.binding === 'agents' ? 'per-agent minimums' : x.binding === 'share' ? 'the share of volume' : 'nothing'}), ${x.missing} to go`);
    const t = new Table({ head: ['floor', 'calls', 'rule'], ...plain });
    t.push(['share of volume', x.shareFloor, `at least the policy's minimum share (ceiling ${x.shareCeiling})`]);
    t.push(['COPC sample size', x.copcSize, '001 质检日常考核标准: confidence and margin over the week']);
    t.push(['per-agent minimums', x.agentFloor, '002 监控频率: every agent, more for new and weak ones']);
    t.push(['random sample', `${p.random.reviewed}/${p.random.drawn}`, 'reviewed / drawn (unbiased figures rest on these)']);
    const est = (e: { n: number; mean: number | null; margin: number | null }) =>
      e.mean === null ? '-' : `${e.mean}%${e.margin !== null ? ` ± ${e.margin}` : ''} (n=${e.n})`;
    t.push(['mean score', est(p.scores.random), `random share: unbiased (all reviews: ${est(p.scores.reviewed)}, risk-picked)`]);
    t.push(['quota today', p.dailyQuota, `per inspector (${p.inspectors} active, ${p.workdaysLeft} working day(s) left)`]);
    out.push(t.toString());
    if (x.agents.length) {
      const a = new Table({ head: ['agent', 'class', 'calls', 'required', 'reviewed', 'missing', 'why'], ...plain });
      for (const row of x.agents) a.push([row.agentId, row.class, row.calls, row.required, row.reviewed, row.missing || (row.required ? 'ok' : '-'), row.why]);
      out.push(a.toString());
    }
    for (const w of x.warnings) out.push(`warning: ${w}`);
  }
  return out.join('\n');
}
