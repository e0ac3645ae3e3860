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
  return err instanceof Error ? err.message : String(err);
}
