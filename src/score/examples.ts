import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { completeEvent, EVENT_TYPES, isEventType } from '../core/events.js';
import { normaliseText } from '../core/normalise.js';
import type { CallEvent, CallMetadata, Transcript } from '../core/types.js';
import type { Scorecard } from './schema.js';
import { draftScorecard, type ItemResult, type ItemStatus, type ScorecardDraft } from './scorecard.js';

/**
 * Example dialogues kept beside a pipeline (pipelines/<id>.examples.yaml): a hand-written call (transcript
 * sentences, detector events, metadata) and the verdicts the scorecard must and must not give. They are
 * the pipeline's tests: `callqa pipelines test` and `npm test` run them. Pure: the file is read by
 * src/pipeline/loader.ts (loadExamples, runExamples).
 */

const STATUSES = ['pass', 'deducted', 'fatal', 'needs_review', 'not_applicable'] as const;
const SpeakerSchema = z.enum(['agent', 'customer', 'unknown']);

const SegmentSchema = z
  .object({ speaker: SpeakerSchema, start: z.number().nonnegative(), end: z.number().nonnegative(), text: z.string() })
  .strict()
  .refine((s) => s.end >= s.start, { message: 'end before start', path: ['end'] });

/** Events are written flat: type/speaker/start/end plus detail fields (text, entryId, durationSec, ...). */
const EventSchema = z
  .object({
    type: z.string().refine(isEventType, { message: `unknown event type (known: ${EVENT_TYPES.join(', ')})` }),
    speaker: SpeakerSchema.nullable().default(null),
    start: z.number().nonnegative(),
    end: z.number().nonnegative(),
  })
  .catchall(z.unknown());

const ItemExpectSchema = z.union([
  z.enum(STATUSES),
  z
    .object({
      status: z.enum(STATUSES).optional(),
      points: z.number().nullable().optional(),
      deduction: z.number().optional(),
      occurrences: z.number().int().optional(),
      /** each string must appear in some piece of evidence's quoted text */
      evidenceText: z.array(z.string()).optional(),
      /** evidence start times (s), each within 0.05 s of some piece of evidence */
      evidenceAt: z.array(z.number()).optional(),
    })
    .strict(),
], {
  // zod's own union message was a bare "Invalid input" for `greeting: passed`
  error: (iss) =>
    typeof iss.input === 'string'
      ? `unknown status "${iss.input}": expected one of ${STATUSES.join(', ')} (or { status, points, deduction, occurrences, evidenceText, evidenceAt })`
      : undefined,
});

export const ExampleSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    durationSec: z.number().positive().optional(),
    metadata: z.record(z.string(), z.unknown()).default({}),
    /** null: the call was not transcribed */
    transcript: z.array(SegmentSchema).nullable().default([]),
    language: z.string().default('zh'),
    events: z.array(EventSchema).default([]),
    available: z.object({ audio: z.boolean().optional(), talkOver: z.boolean().optional() }).strict().optional(),
    expect: z
      .object({
        items: z.record(z.string(), ItemExpectSchema).default({}),
        /** statuses these items must not have */
        mustNot: z
          .record(
            z.string(),
            z.union([z.enum(STATUSES), z.array(z.enum(STATUSES))], {
              error: (iss) => (typeof iss.input === 'string' ? `unknown status "${iss.input}": expected one of ${STATUSES.join(', ')} (or a list of them)` : undefined),
            }),
          )
          .default({}),
        total: z.number().optional(),
        fatal: z.boolean().optional(),
        needsReview: z.boolean().optional(),
        sections: z.record(z.string(), z.number()).optional(),
      })
      .strict(),
  })
  .strict();
export type Example = z.infer<typeof ExampleSchema>;

export const ExamplesFileSchema = z.object({ pipeline: z.string().min(1), examples: z.array(ExampleSchema).min(1) }).strict();
export type ExamplesFile = z.infer<typeof ExamplesFileSchema>;

export function exampleInput(ex: Example) {
  const transcript: Transcript | null =
    ex.transcript === null
      ? null
      : {
          engine: 'sidecar-json',
          language: ex.language,
          segments: ex.transcript.map((s) => ({ ...s, normText: normaliseText(s.text) })),
        };
  const events: CallEvent[] = ex.events.map(({ type, speaker, start, end, ...details }) => completeEvent({ type, speaker, start, end, details }));
  return {
    events,
    transcript,
    metadata: ex.metadata as CallMetadata,
    ...(ex.durationSec !== undefined ? { durationSec: ex.durationSec } : {}),
    available: { transcript: transcript !== null, ...(ex.available ?? {}) },
  };
}

export interface ExampleResult {
  name: string;
  ok: boolean;
  failures: string[];
  draft: ScorecardDraft;
}

function checkItem(id: string, it: ItemResult | undefined, exp: z.infer<typeof ItemExpectSchema>): string[] {
  if (!it) return [`${id}: no such item in the scorecard`];
  const e = typeof exp === 'string' ? { status: exp } : exp;
  const out: string[] = [];
  const show = `(got ${it.status}, points ${it.points}, deduction ${it.deduction}: ${it.reason})`;
  if (e.status && it.status !== e.status) out.push(`${id}: expected ${e.status} ${show}`);
  if (e.points !== undefined && it.points !== e.points) out.push(`${id}: expected points ${e.points} ${show}`);
  if (e.deduction !== undefined && it.deduction !== e.deduction) out.push(`${id}: expected deduction ${e.deduction} ${show}`);
  if (e.occurrences !== undefined && it.occurrences !== e.occurrences) out.push(`${id}: expected ${e.occurrences} occurrences, got ${it.occurrences}`);
  for (const t of e.evidenceText ?? [])
    if (!it.evidence.some((ev) => ev.text?.includes(t))) out.push(`${id}: no evidence quoting "${t}" (evidence: ${JSON.stringify(it.evidence.map((x) => x.text ?? x.note))})`);
  for (const t of e.evidenceAt ?? [])
    if (!it.evidence.some((ev) => Math.abs(ev.start - t) <= 0.05)) out.push(`${id}: no evidence at ${t} s (evidence at ${it.evidence.map((x) => x.start).join(', ') || 'none'})`);
  return out;
}

/** Drafts one example call with the pipeline's scorecard and checks the verdicts it expects. */
export function runExample(pipeline: { id: string; version: string; scorecard?: Scorecard }, ex: Example): ExampleResult {
  if (!pipeline.scorecard) throw new ConfigError(`pipeline ${pipeline.id} has no scorecard to test`);
  const draft = draftScorecard(pipeline.scorecard, exampleInput(ex), { id: pipeline.id, version: pipeline.version });
  const items = new Map(draft.sections.flatMap((s) => s.items).map((i) => [i.id, i]));
  const failures: string[] = [];
  for (const [id, exp] of Object.entries(ex.expect.items)) failures.push(...checkItem(id, items.get(id), exp));
  for (const [id, bad] of Object.entries(ex.expect.mustNot)) {
    const it = items.get(id);
    if (!it) failures.push(`${id}: no such item in the scorecard`);
    else if ((Array.isArray(bad) ? bad : [bad]).includes(it.status as ItemStatus)) failures.push(`${id}: must not be ${it.status} (${it.reason})`);
  }
  if (ex.expect.total !== undefined && draft.total !== ex.expect.total) failures.push(`total: expected ${ex.expect.total}, got ${draft.total}`);
  if (ex.expect.fatal !== undefined && draft.fatal !== ex.expect.fatal) failures.push(`fatal: expected ${ex.expect.fatal}, got ${draft.fatal}`);
  if (ex.expect.needsReview !== undefined && draft.needsReview !== ex.expect.needsReview)
    failures.push(`needsReview: expected ${ex.expect.needsReview}, got ${draft.needsReview}`);
  for (const [id, score] of Object.entries(ex.expect.sections ?? {})) {
    const s = draft.sections.find((x) => x.id === id);
    if (!s) failures.push(`section ${id}: no such section`);
    else if (s.score !== score) failures.push(`section ${id}: expected ${score}, got ${s.score}`);
  }
  return { name: ex.name, ok: failures.length === 0, failures, draft };
}
