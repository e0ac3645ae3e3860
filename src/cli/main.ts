import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { errorMessage } from '../core/errors.js';

/**
 * callqa command-line entry. Each command lives in its own file under src/cli/ and exports
 * `register(program)`; add one import + call below to plug a new command in.
 */
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const program = new Command('callqa')
    .description('Speech analytics and automated QA pre-scoring for contact-centre calls')
    .version(pkg.version)
    .option('--debug', 'print stack traces on errors')
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: false });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const commands = await Promise.all([
    import('./analyze.js'),
    import('./enqueue.js'),
    import('./watch.js'),
    import('./worker.js'),
    import('./status.js'),
    import('./retry.js'),
    import('./pipelines.js'),
    import('./models.js'),
    import('./rescore.js'),
  ]);
  for (const c of commands) c.register(program);
  program.exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    const code = (err as { exitCode?: number; code?: string }).exitCode;
    const ccode = (err as { code?: string }).code;
    if (ccode === 'commander.helpDisplayed' || ccode === 'commander.version' || ccode === 'commander.help') return 0;
    if (typeof code === 'number' && ccode?.startsWith('commander.')) return code;
    process.stderr.write(`callqa: ${errorMessage(err)}\n`);
    if (program.opts().debug && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 2;
  }
}

const isMain = process.argv[1] && /(?:main\.ts|bin\.js|callqa)$/.test(process.argv[1]);
if (isMain) {
  main(process.argv).then((code) => process.exit(code));
}
