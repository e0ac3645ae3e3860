/**
 * Job names, payloads and ids. One queue per stage of the graph, named after the stage; every job carries
 * only the run id (the database holds the recording, its location, the pipeline and the options). The job
 * id is stage + content hash + pipeline id@version, so the same call cannot be queued twice for a stage
 * while a job for it is still in Redis.
 */
import { z } from 'zod';
import { ConfigError, InputError } from '../core/errors.js';
import { STAGE_NAMES, type RunOptions, type StageName } from '../pipeline/stage.js';

export const StageJobSchema = z.object({
  runId: z.uuid(),
});
export type StageJob = z.infer<typeof StageJobSchema>;

export function parseStageJob(data: unknown, jobId: string | undefined): StageJob {
  const r = StageJobSchema.safeParse(data);
  if (!r.success) throw new InputError(`job ${jobId ?? '?'}`, `bad payload: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

export interface RunKey {
  contentHash: string;
  pipelineId: string;
  pipelineVersion: string;
}

/** BullMQ refuses ':' in custom ids (it separates key parts) and integer-looking ids. */
export function jobIdFor(stage: StageName, key: RunKey): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_.@-]/g, '_');
  return `${stage}.${key.contentHash}.${clean(key.pipelineId)}@${clean(key.pipelineVersion)}`;
}

export function isStageName(s: string): s is StageName {
  return (STAGE_NAMES as readonly string[]).includes(s);
}

/**
 * What shaped a run besides the pipeline, stored in the run's `versions` (as `options`, JSON) at enqueue so
 * a worker on any machine, and a reconcile long after, runs the call as it was asked for.
 */
const RunOptionsSchema = z.object({
  transcribe: z.boolean(),
  transcriptsDir: z.string().optional(),
  model: z.string().optional(),
  channels: z.tuple([z.enum(['agent', 'customer']), z.enum(['agent', 'customer'])]).optional(),
});

/** How the pipeline was named at enqueue (an id in pipelines/ or a YAML path), so workers load the same one. */
export const PIPELINE_REF_KEY = 'pipelineRef';
export const OPTIONS_KEY = 'options';

export function encodeRunOptions(o: RunOptions): string {
  return JSON.stringify(RunOptionsSchema.parse(o));
}

export function decodeRunOptions(versions: Record<string, string>, runId: string): RunOptions {
  const raw = versions[OPTIONS_KEY];
  if (raw === undefined) return { transcribe: true };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    throw new ConfigError(`run ${runId}: stored options are not JSON`);
  }
  const r = RunOptionsSchema.safeParse(data);
  if (!r.success) throw new ConfigError(`run ${runId}: stored options invalid: ${r.error.issues.map((i) => i.message).join('; ')}`);
  return r.data;
}
