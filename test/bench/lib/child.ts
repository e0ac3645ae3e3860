import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Helpers for the benchmarks: run a TypeScript script in a fresh Node process (tsx loader). */
export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../../..');
export const BENCH_CACHE = path.join(ROOT, 'test/.cache/bench');

let tasksetOk: boolean | undefined;
/** Whether `taskset -c 0` works here (util-linux present, CPU 0 in our affinity mask). */
export async function tasksetAvailable(): Promise<boolean> {
  if (tasksetOk !== undefined) return tasksetOk;
  if (!existsSync('/usr/bin/taskset') && !existsSync('/bin/taskset')) return (tasksetOk = false);
  const r = await runCapture('taskset', ['-c', '0', 'true']).catch(() => null);
  return (tasksetOk = r !== null && r.code === 0);
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCapture(cmd: string, args: string[], opts: { inherit?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', opts.inherit ? 'inherit' : 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Run `script` (a .ts file under test/bench) in a fresh `node --import tsx` process, optionally pinned to
 * CPU 0 with taskset, and parse the JSON object the script prints as its last stdout line.
 */
export async function runTsChild<T>(script: string, args: string[], opts: { pinCpu0?: boolean; inheritStderr?: boolean; nodeArgs?: string[] } = {}): Promise<T> {
  const nodeArgs = [...(opts.nodeArgs ?? []), '--import', 'tsx', path.resolve(HERE, '..', script), ...args];
  const [cmd, argv] = opts.pinCpu0 ? ['taskset', ['-c', '0', process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const r = await runCapture(cmd, argv as string[], { inherit: opts.inheritStderr ?? true });
  if (r.code !== 0) throw new Error(`${script} exited with ${r.code}\n${r.stderr}\n${r.stdout.slice(-2000)}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as T;
}

export function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits);
}
