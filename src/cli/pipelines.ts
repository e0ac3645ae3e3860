import Table from 'cli-table3';
import { type Command, InvalidArgumentError } from 'commander';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { describeCondition } from '../score/rules.js';
import type { ScoreItem } from '../score/schema.js';
import { maxTotalOf } from '../score/scorecard.js';
import { defaultPipelinesDir, listPrograms, showProgram, testPrograms, validatePrograms } from '../services/programs.js';

/**
 * `callqa pipelines list | show <id> | validate [files...] | test [id]`: QA programs as data.
 * Exit codes: 0 ok, 1 a pipeline is invalid or an example fails, 2 a usage error (a --dir that is not a folder).
 */

interface JsonOpt {
  json?: boolean;
  dir?: string;
}

function out(s: string): void {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
}

function itemRule(it: ScoreItem): string {
  const parts: string[] = [];
  if (it.applicableWhen) parts.push(`only when ${describeCondition(it.applicableWhen)}`);
  if (it.fail) parts.push(`fault: ${describeCondition(it.fail)}`);
  if (it.pass) parts.push(`required: ${describeCondition(it.pass)}`);
  if (it.reviewWhen) parts.push(`review when ${describeCondition(it.reviewWhen)}`);
  if (it.evidence) parts.push(`hints: ${describeCondition(it.evidence)}`);
  if (!it.fail && !it.pass) parts.push('manual (inspector)');
  return parts.join('; ');
}

function itemPoints(it: ScoreItem): string {
  switch (it.kind) {
    case 'standard':
      return it.deduct ? `${it.points} (-${it.deduct} each)` : String(it.points);
    case 'penalty':
      return `-${it.points}${it.cap ? ` (max -${it.cap})` : ' each'}`;
    case 'bonus':
      return `+${it.points}${it.cap ? ` (max +${it.cap})` : ''}`;
    case 'fatal':
      return it.onHit === 'review' ? 'fatal (review)' : 'fatal -> 0';
    default:
      return String(it.points);
  }
}

export function register(program: Command): void {
  const cmd = program
    .command('pipelines')
    .description('QA programs (pipelines/*.yaml): list, show, validate and test them against their example calls')
    .option('--dir <dir>', 'pipelines folder (default: the repository pipelines/ or CALLQA_PIPELINES_DIR)');

  // a folder that is not there is an error naming it (exit 2), not an empty list of programs; pipeline files named
  // by path (validate FILE, show FILE) are read without it, so it is not required then
  const dirOf = (o: JsonOpt, files: string[] = []) => {
    const given = o.dir ?? (cmd.opts() as JsonOpt).dir;
    const dir = given ?? defaultPipelinesDir();
    const onlyPaths = files.length > 0 && files.every((f) => /[/\\]|\.ya?ml$/i.test(f));
    if (!onlyPaths && !statSync(dir, { throwIfNoEntry: false })?.isDirectory())
      throw new InvalidArgumentError(`${given !== undefined ? '--dir' : process.env.CALLQA_PIPELINES_DIR ? 'CALLQA_PIPELINES_DIR' : 'pipelines folder'}: no such folder "${dir}"`);
    return dir;
  };

  cmd
    .command('list')
    .description('list the pipelines with their version, language and scorecard size')
    .option('--json', 'print JSON instead of a table')
    .action((o: JsonOpt) => {
      const { pipelines: rows, errors } = listPrograms(dirOf(o));
      if (o.json) out(JSON.stringify({ pipelines: rows, errors }, null, 2));
      else {
        const t = new Table({ head: ['id', 'version', 'lang', 'title', 'sections', 'items', 'manual', 'max', 'examples'], style: { head: [], border: [] } });
        for (const r of rows)
          t.push([r.id, r.version, r.language, r.title, r.sections, r.items, r.manualItems, r.maxTotal ?? '-', r.examples ? basename(r.examples) : '-']);
        out(t.toString());
        for (const e of errors) process.stderr.write(`invalid: ${e.error}\n`);
      }
      if (errors.length) process.exitCode = 1;
    });

  cmd
    .command('show <id>')
    .description('show one pipeline: thresholds, sections and each item with its points, rule and source')
    .option('--json', 'print the parsed pipeline as JSON')
    .action((id: string, o: JsonOpt) => {
      const { pipeline: p, file } = showProgram(id, dirOf(o, [id]));
      if (o.json) {
        out(JSON.stringify({ file, pipeline: p }, null, 2));
        return;
      }
      out(`${p.id} ${p.version}  ${p.title ?? ''}\n${file}`);
      if (p.source) out(`source: ${p.source}`);
      out(`language ${p.language}, channels ${p.channels.join('/')}, ASR model ${p.asr.model}`);
      out(`audio: ${Object.entries(p.audio).map(([k, v]) => `${k}=${v}`).join(', ')}`);
      if (!p.scorecard) {
        out('no scorecard (analysis only)');
        return;
      }
      out(`scorecard: ${p.scorecard.title} (max ${maxTotalOf(p.scorecard)})`);
      for (const s of p.scorecard.sections) {
        const t = new Table({
          head: ['item', 'kind', 'points', 'rule', 'source'],
          colWidths: [26, 10, 16, 60, 40],
          wordWrap: true,
          style: { head: [], border: [] },
        });
        for (const it of s.items) t.push([`${it.title}\n(${it.id})`, it.kind, itemPoints(it), itemRule(it), it.source]);
        out(`\n${s.title}  [${s.bonus ? `bonus, up to +${s.max}` : `${s.max} pts`}]${s.source ? `  ${s.source}` : ''}`);
        out(t.toString());
      }
    });

  cmd
    .command('validate [files...]')
    .description('validate pipeline files (default: every pipeline in the folder) and their examples files')
    .option('--json', 'print JSON results')
    .action((files: string[], o: JsonOpt) => {
      // parses the examples files too; failing examples are `test`'s job
      const results = validatePrograms(files, dirOf(o, files));
      if (o.json) out(JSON.stringify({ results }, null, 2));
      else for (const r of results) out(r.ok ? `ok       ${r.file}` : `invalid  ${r.error}`);
      if (results.length === 0) {
        process.stderr.write('no pipeline files found\n');
        process.exitCode = 1;
      }
      if (results.some((r) => !r.ok)) process.exitCode = 1;
    });

  cmd
    .command('test [id]')
    .description('run the example calls kept beside each pipeline (<id>.examples.yaml) and check the expected verdicts')
    .option('--json', 'print JSON results (including each draft scorecard)')
    .action((id: string | undefined, o: JsonOpt) => {
      const results = testPrograms(id, dirOf(o));
      const failed = results.filter((r) => r.error || r.examples.some((e) => !e.ok)).length;
      if (o.json) out(JSON.stringify({ ok: failed === 0, results }, null, 2));
      else {
        const t = new Table({ head: ['pipeline', 'example', 'result', 'total', 'detail'], colWidths: [22, 34, 8, 7, 70], wordWrap: true, style: { head: [], border: [] } });
        for (const r of results) {
          if (r.error) t.push([r.pipeline, '-', 'ERROR', '-', r.error]);
          else if (r.examples.length === 0) t.push([r.pipeline, '(no examples file)', '-', '-', '']);
          for (const e of r.examples) t.push([r.pipeline, e.name, e.ok ? 'ok' : 'FAIL', e.draft.total, e.failures.join('\n')]);
        }
        out(t.toString());
        const n = results.reduce((a, r) => a + r.examples.length, 0);
        const bad = results.reduce((a, r) => a + r.examples.filter((e) => !e.ok).length, 0);
        out(`${n - bad}/${n} examples pass${failed ? `; ${failed} pipeline(s) failing` : ''}`);
      }
      if (failed) process.exitCode = 1;
    });
}
