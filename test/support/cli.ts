/**
 * Running the real `callqa` from source in a child process, as a user would, for the command-line suites: the
 * exit code, stdout and stderr of one run. DATABASE_URL is cleared so the embedded database in --data is used.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const CLI_BIN = path.join(import.meta.dirname, '..', '..', 'src', 'cli', 'bin.js');

export function callqaSync(args: string[], input?: string, env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI_BIN, ...args], { env: { ...process.env, DATABASE_URL: '', ...env }, input, encoding: 'utf8', maxBuffer: 1 << 24 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
