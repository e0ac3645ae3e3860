/**
 * Every environment variable callqa reads, in one zod schema, validated where it enters: a bad value is a
 * ConfigError naming the variable, at start-up, not a surprise deep inside a stage. Modules ask `env()` for
 * typed values instead of reading process.env themselves.
 *
 * "Read once": the variables are parsed once and the result reused; it is parsed again only if one of
 * these variables changed in process.env since (tests point CALLQA_MODELS_DIR or CALLQA_PIPELINES_DIR at
 * temp folders between cases), so a long-running process pays for validation once.
 */
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';

const intFrom = (name: string, min: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name}: a whole number`)
    .transform(Number)
    .refine((n) => n >= min, `${name}: at least ${min}`)
    .optional();

const secondsFrom = (name: string, min: number) =>
  z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      if (!(/^\d+(\.\d+)?$/.test(v) && Number(v) >= min)) ctx.addIssue({ code: 'custom', message: `${name}: expected a number of seconds >= ${min}, got "${v}"` });
    })
    .transform(Number)
    .optional();

const path = (name: string) => z.string().trim().min(1, `${name}: empty`).optional();

export const EnvSchema = z.object({
  // ------------------------------------------------------------------ where data lives
  /** embedded database folder for analyze/rescore (default ./data) */
  CALLQA_DATA_DIR: path('CALLQA_DATA_DIR'),
  /** a PostgreSQL server instead of the embedded database (queue workers need one) */
  DATABASE_URL: z.string().trim().min(1, 'DATABASE_URL: empty').optional(),
  /** where `callqa serve` caches playable copies and waveform peaks of calls (default <data folder>/media) */
  CALLQA_MEDIA_DIR: path('CALLQA_MEDIA_DIR'),
  /** QA programs folder (default: the repository's pipelines/) */
  CALLQA_PIPELINES_DIR: path('CALLQA_PIPELINES_DIR'),
  /** lexicons folder (default: the repository's lexicons/) */
  CALLQA_LEXICONS_DIR: path('CALLQA_LEXICONS_DIR'),
  /** whisper models folder (default: the repository's models/) */
  CALLQA_MODELS_DIR: path('CALLQA_MODELS_DIR'),
  /** where callqa caches what it can make again: the embedded database's template (default node_modules/.cache/callqa, else ~/.cache/callqa) */
  CALLQA_CACHE_DIR: path('CALLQA_CACHE_DIR'),
  // ------------------------------------------------------------------ tools
  CALLQA_WHISPER_CLI: path('CALLQA_WHISPER_CLI'),
  CALLQA_WHISPER_BUILD_DIR: path('CALLQA_WHISPER_BUILD_DIR'),
  CALLQA_WHISPER_CMAKE_ARGS: z.string().trim().optional(),
  XDG_CACHE_HOME: path('XDG_CACHE_HOME'),
  FFMPEG_PATH: path('FFMPEG_PATH'),
  FFPROBE_PATH: path('FFPROBE_PATH'),
  // ------------------------------------------------------------------ queue (callqa enqueue / worker / status)
  REDIS_URL: z
    .string()
    .trim()
    .refine((v) => /^rediss?:\/\//.test(v), 'REDIS_URL: must start with redis:// or rediss://')
    .optional(),
  /** where enqueue copies recordings; unset = recordings stay where they are (a path every worker sees) */
  CALLQA_STORAGE_DIR: path('CALLQA_STORAGE_DIR'),
  /** Redis key prefix: one prefix per deployment (and per test) keeps queues apart on a shared Redis */
  CALLQA_QUEUE_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]+$/, 'CALLQA_QUEUE_PREFIX: letters, digits, _ . - only')
    .optional(),
  CALLQA_JOB_ATTEMPTS: intFrom('CALLQA_JOB_ATTEMPTS', 1),
  CALLQA_JOB_BACKOFF_MS: intFrom('CALLQA_JOB_BACKOFF_MS', 1),
  /** how long a worker's claim on a job lasts without renewal; a killed worker's job is recovered after it */
  CALLQA_LOCK_MS: intFrom('CALLQA_LOCK_MS', 500),
  CALLQA_STALLED_INTERVAL_MS: intFrom('CALLQA_STALLED_INTERVAL_MS', 200),
  // ------------------------------------------------------------------ time budget per stage (pipeline/budget.ts)
  /** seconds every stage of a call may take, whatever its length */
  CALLQA_STAGE_BUDGET_SEC: secondsFrom('CALLQA_STAGE_BUDGET_SEC', 0.1),
  /** and this many seconds per second of audio, when that is more */
  CALLQA_STAGE_BUDGET_X: secondsFrom('CALLQA_STAGE_BUDGET_X', 0),
});
export type Env = z.infer<typeof EnvSchema>;

export const ENV_VARS = Object.keys(EnvSchema.shape) as (keyof Env)[];

/** Parses the variables callqa knows from `source` (empty strings count as unset). Throws ConfigError. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const picked = Object.fromEntries(ENV_VARS.map((k) => [k, source[k] === '' ? undefined : source[k]]));
  const r = EnvSchema.safeParse(picked);
  if (!r.success) throw new ConfigError(`environment: ${r.error.issues.map((i) => i.message).join('; ')}`);
  return r.data;
}

let cached: { key: string; env: Env } | undefined;

/** The process's environment, parsed once (again only when one of callqa's variables changed). */
export function env(): Env {
  const key = ENV_VARS.map((k) => process.env[k] ?? '\u0000').join('\u0001');
  if (cached?.key !== key) cached = { key, env: parseEnv(process.env) };
  return cached.env;
}
