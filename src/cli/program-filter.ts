import { type Command, InvalidArgumentError, Option } from 'commander';

/**
 * The QA-program filter every command that has one spells the same way: `--program <id>` (shown in --help)
 * and `--pipeline <id>` (a hidden alias: review plan and rules accuracy used to spell it so). A program that
 * does not exist is refused by checkProgramFilter (src/services/programs.ts) once the data is open.
 * The commands that choose the program to run (analyze, enqueue, watch, rescore) spell it the same way too:
 * `-p, --program <id|file>` (programChoiceOption), with the hidden `--pipeline <id|file>` they used to take.
 */
export function programFilterOption(cmd: Command, description = 'only calls of this QA program (pipeline id)'): Command {
  return cmd.option('--program <id>', description).addOption(pipelineAliasOption());
}

/** The hidden `--pipeline <id>` beside a command's `--program <id>`. */
export function pipelineAliasOption(): Option {
  return new Option('--pipeline <id>', 'the same as --program').hideHelp();
}

export interface ProgramFilterOptions {
  program?: string;
  pipeline?: string;
}

/** The program the filter names and the spelling used (for messages); both spellings naming different programs is a usage error. */
export function programFilterOf(o: ProgramFilterOptions): { id: string; flag: string } | undefined {
  if (o.program !== undefined && o.pipeline !== undefined && o.program !== o.pipeline)
    throw new InvalidArgumentError(`--program "${o.program}" and --pipeline "${o.pipeline}" name different programs: give one`);
  if (o.program !== undefined) return { id: o.program, flag: '--program' };
  if (o.pipeline !== undefined) return { id: o.pipeline, flag: '--pipeline' };
  return undefined;
}

/**
 * The option of a command that chooses the QA program to run: `-p, --program <id|file>` (shown in --help) and
 * the hidden `--pipeline <id|file>`, its spelling before. Read it with programChoiceOf.
 */
export function programChoiceOption(cmd: Command, description: string): Command {
  return cmd.option('-p, --program <id|file>', description).addOption(new Option('--pipeline <id|file>', 'the same as --program').hideHelp());
}

/**
 * The program `-p, --program` or `--pipeline` names (undefined: neither given); both naming different programs
 * is a usage error, and so is neither when `required`.
 */
export function programChoiceOf(o: ProgramFilterOptions, required = false): string | undefined {
  const id = programFilterOf(o)?.id;
  if (id === undefined && required) throw new InvalidArgumentError('name the QA program: -p, --program <id|file>');
  return id;
}
