#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import { errorMessage } from '../core/errors.js';

/**
 * callqa command-line entry. Each command lives in its own file under src/cli/ and exports
 * `register(program)`; add one line to COMMANDS below to plug a new command in.
 *
 * Start-up time: only the module of the command being run is imported (it pulls in PGlite, drizzle, bullmq,
 * natural ... as it needs them). `callqa --help`, an unknown command and `--version` import none: they get
 * a stub per command built from `summary` (kept equal to the command's own description by
 * src/cli/main.test.ts).
 */
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export interface CommandEntry {
  name: string;
  /** the command's one-line description, for the top-level help (must equal what `register` sets) */
  summary: string;
  load: () => Promise<{ register(program: Command): void }>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'analyze', summary: 'analyse call recordings (files or folders) end to end on this machine and report per call', load: () => import('./analyze.js') },
  { name: 'enqueue', summary: 'queue recordings (files, folders, or a manifest .csv listing them) for the workers; returns at once', load: () => import('./enqueue.js') },
  { name: 'watch', summary: 'watch an inbox folder and enqueue each recording once it has finished arriving', load: () => import('./watch.js') },
  { name: 'worker', summary: 'run queue workers for the pipeline stages until SIGTERM/SIGINT (start as many, on as many machines, as you like)', load: () => import('./worker.js') },
  { name: 'status', summary: 'recordings by state, queue depths per stage, throughput, per-stage timing and recent failures', load: () => import('./status.js') },
  { name: 'retry', summary: 'run failed recordings again from the stage where they failed (all failed, or those named)', load: () => import('./retry.js') },
  { name: 'reconcile', summary: 're-queue what Redis lost (after a restart without persistence): the database is the record', load: () => import('./retry.js') },
  { name: 'pipelines', summary: 'QA programs (pipelines/*.yaml): list, show, validate and test them against their example calls', load: () => import('./pipelines.js') },
  { name: 'models', summary: 'whisper speech-recognition models and the whisper-cli binary', load: () => import('./models.js') },
  { name: 'calls', summary: 'the analysed calls and their scores as they stand (draft, in review, final): list them, or export CSV/JSON for a spreadsheet', load: () => import('./calls.js') },
  { name: 'search', summary: 'search every stored transcript (Chinese and English): phrases, any of several, AND, NEAR/n, with call filters', load: () => import('./search.js') },
  { name: 'trends', summary: 'event and lexicon-entry counts and rates over time (per 100 calls, per talk hour), and emerging customer phrases', load: () => import('./trends.js') },
  { name: 'watchlist', summary: 'the compliance watch list: saved searches run over every newly analysed call (add, list, disable, enable, check, hits)', load: () => import('./watchlist.js') },
  { name: 'rescore', summary: 'draft new scorecards for already analysed calls with a (changed) pipeline; old drafts are kept', load: () => import('./rescore.js') },
  { name: 'serve', summary: 'serve the review API (/api) and the web UI (/) over HTTP', load: () => import('./serve.js') },
  { name: 'users', summary: 'manage the people who log in to callqa serve (agents, inspectors, supervisors, admins)', load: () => import('./users.js') },
  { name: 'audit', summary: 'show the audit log: state changes and reads of call audio/transcripts, oldest first', load: () => import('./audit.js') },
  { name: 'review', summary: "the review workflow: this week's sampling plan, decisions as regression examples", load: () => import('./review.js') },
  { name: 'rules', summary: 'how the scoring rules fare against inspectors: where the machine is overturned', load: () => import('./rules.js') },
  { name: 'data', summary: "personal data on request and retention: find, export or erase a customer's calls; purge calls past the retention period", load: () => import('./personal-data.js') },
];

export function buildProgram(): Command {
  const program = new Command('callqa')
    .description('Speech analytics and automated QA pre-scoring for contact-centre calls')
    .version(pkg.version)
    .option('--debug', 'print stack traces on errors')
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: false });
  return program;
}

/** The command word of argv (after node and the script): `analyze`, or the X of `help X`; global options skipped. */
export function commandWord(argv: readonly string[]): string | undefined {
  const words = argv.slice(2).filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/** Registers the command argv names (its module only), or a description-only stub of every command. */
export async function registerCommands(program: Command, argv: readonly string[], commands: readonly CommandEntry[] = COMMANDS): Promise<void> {
  const word = commandWord(argv);
  const chosen = commands.find((c) => c.name === word);
  if (chosen) {
    (await chosen.load()).register(program);
    return;
  }
  for (const c of commands) {
    if (program.commands.some((x) => x.name() === c.name)) continue;
    program.command(c.name).description(c.summary);
  }
}

/**
 * An option given to a group command before its subcommand (`callqa watchlist --data X`): commander says only
 * "unknown option"; this names the subcommands that take it (the one named after the option, `callqa watchlist --data X
 * list`, if it does). Undefined when a subcommand was named before the option (the option is then unknown to it) or
 * none takes the option.
 */
export function subcommandOptionHint(program: Command, argv: readonly string[], message: string): string | undefined {
  const flag = /unknown option '([^']+)'/.exec(message)?.[1]?.replace(/=.*$/, '');
  const word = commandWord(argv);
  const group = program.commands.find((c) => c.name() === word);
  if (!flag || !group || !group.commands.length) return undefined;
  const after = argv.slice(argv.indexOf(word!) + 1);
  // the subcommand named (if any) and where: named before the option, it is the one that does not know it
  const at = after.findIndex((a) => group.commands.some((sub) => sub.name() === a || sub.aliases().includes(a)));
  const flagAt = after.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  if (at >= 0 && (flagAt < 0 || at < flagAt)) return undefined;
  const named = at >= 0 ? group.commands.find((sub) => sub.name() === after[at] || sub.aliases().includes(after[at]!)) : undefined;
  const taking = group.commands
    .filter((sub) => (!named || sub === named) && sub.options.some((o) => o.long === flag || o.short === flag))
    .map((sub) => sub.name());
  if (!taking.length) return undefined;
  return `${flag} is an option of the subcommand: callqa ${group.name()} ${taking.join('|')} ${flag} …`;
}

export async function main(argv: string[], commands: readonly CommandEntry[] = COMMANDS): Promise<number> {
  const program = buildProgram();
  // before the commands are added: a subcommand inherits it only then (otherwise commander calls
  // process.exit(1) itself on a bad option of `callqa analyze`, past the exit-code mapping below)
  program.exitOverride();
  try {
    // a command's modules may read the environment as they load (ffmpeg's path): a malformed variable
    // (REDIS_URL=redis:/x, CALLQA_LOCK_MS=abc) is a configuration error like any other, not a crash
    await registerCommands(program, argv, commands);
  } catch (err) {
    process.stderr.write(`callqa: ${errorMessage(err)}\n`);
    if (argv.includes('--debug') && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 2;
  }
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    const code = (err as { exitCode?: number; code?: string }).exitCode;
    const ccode = (err as { code?: string }).code;
    if (ccode === 'commander.helpDisplayed' || ccode === 'commander.version') return 0;
    // `callqa help` exits 0; a group command without its subcommand (`callqa users`, or bare `callqa`) has its
    // help printed on stderr by commander (help({ error: true }), exit code 1): a usage error, exit 2 (as git and
    // npm answer a missing subcommand: the help on stderr, a non-zero exit)
    if (ccode === 'commander.help') return code === 0 || code === undefined ? 0 : 2;
    // a bad option or argument is a usage error (exit 2, as README says), never 1 ("a file failed", or for
    // search "no hits"): commander has printed what is wrong; a check in a command's action has not
    if (err instanceof InvalidArgumentError) {
      process.stderr.write(`callqa: ${err.message}\n`);
      return 2;
    }
    // commander's own failures are usage errors (unknown option or command, missing argument, bad value):
    // exit code 2 as README says, never 1, which means "at least one file failed"
    if (ccode === 'commander.unknownOption') {
      const hint = subcommandOptionHint(program, argv, (err as Error).message);
      if (hint) process.stderr.write(`callqa: ${hint}\n`);
    }
    if (typeof code === 'number' && ccode?.startsWith('commander.')) return code === 0 ? 0 : 2;
    process.stderr.write(`callqa: ${errorMessage(err)}\n`);
    if (program.opts().debug && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 2;
  }
}

const isMain = process.argv[1] && /(?:main\.[jt]s|bin\.js|callqa)$/.test(process.argv[1]);
if (isMain) {
  main(process.argv).then((code) => process.exit(code));
}
