/**
 * The error hierarchy. InputError: the recording/transcript/data file itself is bad (never retried).
 * ToolError: an external program failed (ffmpeg, whisper-cli), carrying exit code and stderr tail.
 * ConfigError: bad configuration at start-up (pipelines, lexicons, environment).
 */
export class CallqaError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The input is bad; retrying cannot help. `file` is the name as the user gave it. */
export class InputError extends CallqaError {
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${reason}`, options);
  }
}

/**
 * The file holds video and no audio stream (a screen capture without sound; ffprobe's streams say so, not the
 * extension): an InputError like any other when the file was named; a file a folder walk found is skipped for it,
 * not failed (services/analysis.ts). A file with no audio and no video of its own (a cover picture alone, a
 * subtitle track alone) is a plain InputError: a recording that lost its audio fails. Told apart by its name,
 * which survives the stage pool's thread boundary.
 */
export class NoAudioStreamError extends InputError {
  constructor(file: string) {
    super(file, 'no audio stream');
  }
}

export class ToolError extends CallqaError {
  constructor(
    readonly tool: string,
    readonly exitCode: number | null,
    readonly stderrTail: string,
    message?: string,
  ) {
    super(message ?? `${tool} failed (exit ${exitCode ?? 'signal'}): ${stderrTail.trim().split('\n').slice(-3).join(' | ')}`);
  }
}

export class ConfigError extends CallqaError {}

export function isRetryable(err: unknown): boolean {
  return !(err instanceof InputError || err instanceof ConfigError);
}

export function errorMessage(err: unknown): string {
  if (isQueryError(err)) return queryErrorMessage(err);
  return err instanceof Error ? err.message : String(err);
}

/**
 * drizzle's DrizzleQueryError puts the whole statement and every bound value in its message ("Failed
 * query: ... params: ..."): a failed insert would copy a transcript (personal data) into the terminal, the
 * report, the run's stored error and Redis's job record. Such errors are reduced to the database's own
 * message (e.g. `invalid byte sequence for encoding "UTF8": 0x00`), which carries no values.
 */
function isQueryError(err: unknown): err is Error & { query: unknown; params: unknown } {
  return err instanceof Error && 'query' in err && 'params' in err && /^Failed query:/.test(err.message);
}

function queryErrorMessage(err: Error): string {
  const cause = (err as { cause?: unknown }).cause;
  const code = (cause as { code?: unknown } | undefined)?.code;
  const why = cause instanceof Error ? cause.message : 'query failed';
  return `database error${typeof code === 'string' ? ` ${code}` : ''}: ${why}`;
}

/** The error to show, store or hand to the queue: `err` itself, or a copy without query values (see above). */
export function publicError(err: unknown): Error {
  if (isQueryError(err)) {
    const e = new Error(queryErrorMessage(err));
    // keep the database's error code for retry decisions, not the statement or its values
    const code = (err.cause as { code?: unknown } | undefined)?.code;
    if (code !== undefined) Object.assign(e, { code });
    return e;
  }
  return err instanceof Error ? err : new Error(String(err));
}

