import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { EVENT_TYPES } from '../core/events.js';
import type { StageName, StageOutput } from './stage.js';

/**
 * A stage's output as read back from the database (the queue resuming a call, rescore replaying one): checked
 * before it is merged into a call's state, so an output saved by another version of callqa, or damaged, stops
 * the call with an error naming the run, the stage and the field, instead of failing later somewhere inside a
 * detector or the scorecard. Known fields must have their types; fields this version does not know are kept
 * (a newer version may add some). Event details are checked as an object only: their shapes are the
 * detectors' typed records (core/events.ts), written only by this code.
 */
const num = z.number();
const span = z.object({ start: num, end: num }).passthrough();
const speaker = z.enum(['agent', 'customer', 'unknown']);

const StoredStageOutput = z
  .object({
    info: z.object({ format: z.string(), codec: z.string(), durationSec: num, channels: num, sampleRate: num }).passthrough(),
    timeline: z.object({ durationSec: num, channels: z.array(z.object({ speech: z.array(span) }).passthrough()), hold: z.array(span) }).passthrough(),
    transcript: z
      .object({
        engine: z.string(),
        language: z.string(),
        segments: z.array(z.object({ speaker, start: num, end: num, text: z.string(), normText: z.string() }).passthrough()),
      })
      .passthrough()
      .nullable(),
    transcriptSkipped: z.string(),
    decoded: z.object({ dir: z.string(), files: z.array(z.string()) }),
    decodedArtifacts: z.array(z.string()),
    events: z.array(
      z
        .object({
          type: z.string().refine((t) => (EVENT_TYPES as readonly string[]).includes(t), { message: 'not an event type this version knows' }),
          speaker: speaker.nullable(),
          start: num,
          end: num,
          details: z.record(z.string(), z.unknown()),
        })
        .passthrough(),
    ),
    metrics: z.record(z.string(), z.union([num, z.string(), z.boolean(), z.null()])),
    scorecard: z.object({ total: num, maxTotal: num, sections: z.array(z.object({ items: z.array(z.object({ id: z.string() }).passthrough()) }).passthrough()) }).passthrough().nullable(),
    notes: z.array(z.string()),
  })
  .partial()
  .passthrough();

/** `value` as a stage output, or an error naming `where` (e.g. the run), the stage and the first bad field. */
export function storedStageOutput(stage: StageName, value: unknown, where: string): StageOutput {
  const r = StoredStageOutput.safeParse(value);
  if (r.success) return r.data as unknown as StageOutput;
  const issue = r.error.issues[0]!;
  const field = issue.path.length ? issue.path.join('.') : '(the whole output)';
  // an InputError: the saved data will not change, so the queue does not retry it
  throw new InputError(where, `the saved output of the ${stage} stage is not usable (${field}: ${issue.message}); analyse the call again`);
}
