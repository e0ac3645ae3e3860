import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { ToolError } from '../core/errors.js';
import { nodejsWhisper } from './models.js';
import { env } from '../config/env.js';
import { runTool } from './process.js';

/**
 * whisper-cli: found, or built from the whisper.cpp sources nodejs-whisper bundles.
 *
 * We build only the `whisper-cli` target, in parallel and statically linked (nodejs-whisper's own build
 * makes every target without -j and goes through shelljs `cd`, which changes the whole process's cwd).
 * The build runs `cmake` with an argument list and `cwd` set for the child only. A lock directory stops
 * two processes (two vitest workers, two queue workers) from building at once; the second one waits.
 *
 * Where:
 *   CALLQA_WHISPER_CLI        an existing whisper-cli binary (used as is, never built)
 *   CALLQA_WHISPER_BUILD_DIR  the cmake build folder; default <whisper.cpp>/build inside nodejs-whisper,
 *                             or ~/.cache/callqa/whisper.cpp-build when node_modules is read-only.
 */

export function whisperCppSourceDir(): string {
  return nodejsWhisper.WHISPER_CPP_PATH;
}

/** whisper.cpp version of the bundled sources, from its CMakeLists.txt. */
export function whisperCppVersion(): string | null {
  try {
    const txt = readFileSync(path.join(whisperCppSourceDir(), 'CMakeLists.txt'), 'utf8');
    return /project\("whisper\.cpp" VERSION ([\d.]+)\)/.exec(txt)?.[1] ?? null;
  } catch {
    return null;
  }
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function whisperBuildDir(): string {
  const buildDir = env().CALLQA_WHISPER_BUILD_DIR;
  if (buildDir) return path.resolve(buildDir);
  const src = whisperCppSourceDir();
  if (writable(src)) return path.join(src, 'build');
  const cache = env().XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(cache, 'callqa', `whisper.cpp-${whisperCppVersion() ?? 'unknown'}-build`);
}

/** Where whisper-cli is (or will be once built). */
export function whisperCliPath(): string {
  const cli = env().CALLQA_WHISPER_CLI;
  if (cli) return path.resolve(cli);
  return path.join(whisperBuildDir(), 'bin', process.platform === 'win32' ? 'whisper-cli.exe' : 'whisper-cli');
}

export function isWhisperCliBuilt(): boolean {
  return existsSync(whisperCliPath());
}

export interface BuildOptions {
  /** build output lines; default: written to stderr as "[whisper-cli build] ..." */
  onLine?: (line: string) => void;
  /** parallel jobs, default 2 */
  jobs?: number;
  signal?: AbortSignal;
  /** how long to wait for another process's build, default 30 min */
  lockTimeoutMs?: number;
}

let inProcess: Promise<string> | null = null;

function buildLockDir(): string {
  return `${whisperBuildDir()}.callqa-lock`;
}

/** The whisper-cli path, building it first if needed (once per process, once per machine at a time). */
export function ensureWhisperCli(opts: BuildOptions = {}): Promise<string> {
  if (isWhisperCliBuilt() && (env().CALLQA_WHISPER_CLI || !existsSync(buildLockDir()))) {
    return Promise.resolve(whisperCliPath());
  }
  if (env().CALLQA_WHISPER_CLI) {
    return Promise.reject(new ToolError('whisper-cli', null, '', `CALLQA_WHISPER_CLI=${env().CALLQA_WHISPER_CLI} does not exist`));
  }
  inProcess ??= buildLocked(opts).finally(() => {
    inProcess = null;
  });
  return inProcess;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockAgeBase(lockDir: string): number {
  try {
    return statSync(lockDir).mtimeMs;
  } catch {
    return Date.now();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function buildLocked(opts: BuildOptions): Promise<string> {
  const log = opts.onLine ?? ((l: string) => process.stderr.write(`[whisper-cli build] ${l}\n`));
  const buildDir = whisperBuildDir();
  mkdirSync(path.dirname(buildDir), { recursive: true });
  const lockDir = buildLockDir();
  const deadline = Date.now() + (opts.lockTimeoutMs ?? 30 * 60_000);
  let told = false;
  for (;;) {
    try {
      mkdirSync(lockDir); // atomic: exactly one process gets it
      writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = NaN;
      try {
        holder = Number(readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {
        /* being written right now, or left empty by a crash */
      }
      const known = Number.isFinite(holder) && holder > 0;
      const deadHolder = known && !pidAlive(holder);
      // no pid long after the lock was made: its maker died between mkdir and writing the pid
      const orphan = !known && Date.now() - lockAgeBase(lockDir) > 30_000;
      if (deadHolder || orphan) {
        log(`removing stale build lock${deadHolder ? ` of process ${holder}` : ''}`);
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!told) {
        log(`another process${known ? ` (pid ${holder})` : ''} is building whisper-cli; waiting for it`);
        told = true;
      }
      if (Date.now() > deadline) throw new ToolError('whisper-cli build', null, '', `timed out waiting for the build lock ${lockDir}`);
      // the binary can exist while the linker is still writing it: trust it only once the lock is free
      await sleep(500);
    }
  }
  try {
    if (isWhisperCliBuilt()) return whisperCliPath();
    await buildWhisperCli(buildDir, log, opts);
    if (!isWhisperCliBuilt()) {
      throw new ToolError('whisper-cli build', 0, '', `the build finished but ${whisperCliPath()} is missing`);
    }
    return whisperCliPath();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** cmake configure + build of the whisper-cli target only, lines streamed to `log`. */
async function buildWhisperCli(buildDir: string, log: (l: string) => void, opts: BuildOptions): Promise<void> {
  const src = whisperCppSourceDir();
  const jobs = String(opts.jobs ?? 2);
  const started = Date.now();
  log(`building whisper-cli from whisper.cpp ${whisperCppVersion() ?? ''} (${src}) into ${buildDir}; this takes a few minutes once`);
  const configure = [
    '-S',
    src,
    '-B',
    buildDir,
    '-DCMAKE_BUILD_TYPE=Release',
    // one self-contained binary: no libwhisper.so / libggml.so to find at run time
    '-DBUILD_SHARED_LIBS=OFF',
    '-DWHISPER_BUILD_TESTS=OFF',
    '-DWHISPER_BUILD_SERVER=OFF',
    '-DWHISPER_SDL2=OFF',
  ];
  const extra = env().CALLQA_WHISPER_CMAKE_ARGS;
  if (extra) configure.push(...extra.split(/\s+/));
  const onLine = (l: string) => log(l);
  try {
    await runTool('cmake', 'cmake', configure, { cwd: src, onLine, signal: opts.signal });
    await runTool('cmake', 'cmake', ['--build', buildDir, '--config', 'Release', '--target', 'whisper-cli', '-j', jobs], {
      cwd: src,
      onLine,
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof ToolError && err.exitCode === null && /not found/.test(err.message)) {
      throw new ToolError('cmake', null, '', 'cmake not found: install cmake and a C++ compiler (apt-get install cmake g++) to build whisper-cli');
    }
    throw err;
  }
  log(`whisper-cli built in ${((Date.now() - started) / 1000).toFixed(0)} s: ${whisperCliPath()}`);
}
