import { spawn } from 'node:child_process';
import { ToolError } from '../core/errors.js';

/**
 * Run a program with an argument list (never a shell) and reject with an Error: ToolError with the exit
 * code and the tail of stderr when it fails, an Error when it cannot start or is aborted.
 */
export interface RunOptions {
  /** working directory for the child only; the parent's cwd is never changed */
  cwd?: string;
  signal?: AbortSignal;
  /** called with each complete line the child writes (stdout and stderr) */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** stderr bytes kept for the error message */
  tailBytes?: number;
  env?: NodeJS.ProcessEnv;
}

export interface RunResult {
  stdout: string;
  stderrTail: string;
}

export function runTool(tool: string, file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const tailBytes = opts.tailBytes ?? 8192;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new Error(`${tool} aborted before it started`));
      return;
    }
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    const partial = { stdout: '', stderr: '' };
    const feed = (stream: 'stdout' | 'stderr', chunk: Buffer) => {
      const s = chunk.toString('utf8');
      if (stream === 'stdout') {
        if (stdout.length < 1 << 20) stdout += s;
      } else {
        stderr = (stderr + s).slice(-tailBytes);
      }
      if (!opts.onLine) return;
      const lines = (partial[stream] + s).split(/\r?\n|\r/);
      partial[stream] = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) opts.onLine(l, stream);
    };
    child.stdout.on('data', (c: Buffer) => feed('stdout', c));
    child.stderr.on('data', (c: Buffer) => feed('stderr', c));
    const onAbort = () => child.kill('SIGTERM');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      opts.signal?.removeEventListener('abort', onAbort);
      const code = (err as NodeJS.ErrnoException).code;
      const msg = code === 'ENOENT' ? `${tool} not found (${file})` : `${tool} could not start: ${err.message}`;
      reject(new ToolError(tool, null, stderr, msg));
    });
    child.on('close', (code, sig) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (opts.onLine) {
        for (const k of ['stdout', 'stderr'] as const) if (partial[k].trim()) opts.onLine(partial[k], k);
      }
      if (opts.signal?.aborted) reject(new Error(`${tool} aborted`));
      else if (code === 0) resolve({ stdout, stderrTail: stderr });
      else reject(new ToolError(tool, code, stderr, sig ? `${tool} killed by ${sig}: ${lastLines(stderr)}` : undefined));
    });
  });
}

function lastLines(s: string, n = 3): string {
  return s.trim().split('\n').slice(-n).join(' | ');
}
