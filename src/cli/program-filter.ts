import { type Command, InvalidArgumentError, Option } from 'commander';

/**
 * The QA-program filter every command that has one spells the same way: `--program <id>` (shown in --help)
 * and `--pipeline <id>` (a hidden alias: review plan and rules accuracy used to spell it so, and analyze,
 * enqueue and rescore choose a program with --pipeline). A program that does not exist is refused by
 * checkProgramFilter (src/services/programs.ts) once the data is open.
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
