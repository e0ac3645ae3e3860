/**
 * Request and response schemas shared by the routes; the OpenAPI document is generated from them.
 * Scorecard items carry the machine's answer (`machine`) and the human's (`human`) side by side.
 */
import { z } from '@hono/zod-openapi';
import { REASON_CODES } from '../review/decisions.js';
import { USER_ROLES } from '../services/types.js';
import { ErrorSchema } from './errors.js';

export const UserSchema = z
  .object({
    id: z.string().uuid(),
    username: z.string(),
    role: z.enum(USER_ROLES),
    agentId: z.string().optional(),
    team: z.string().optional(),
  })
  .openapi('User');

export const CallIdParam = z.object({
  callId: z.string().uuid().openapi({ param: { name: 'callId', in: 'path' }, description: 'a call id as listCalls returns it' }),
});

export const DisputeIdParam = z.object({
  disputeId: z.string().uuid().openapi({ param: { name: 'disputeId', in: 'path' } }),
});

const EvidenceSchema = z.record(z.string(), z.unknown()).openapi('Evidence', { description: 'time span, quote, lexicon entry ... of a finding' });

const ITEM_STATUS = ['pass', 'deducted', 'fatal', 'needs_review', 'not_applicable'] as const;

export const HumanDecisionSchema = z
  .object({
    action: z.enum(['confirm', 'override']),
    points: z.number().nullable(),
    fatal: z.boolean().nullable(),
    reasonCode: z.enum(REASON_CODES).nullable(),
    comment: z.string().nullable(),
    decidedBy: z.string(),
    decidedAt: z.string(),
  })
  .openapi('HumanDecision');

const ItemCore = {
  id: z.string(),
  title: z.string(),
  kind: z.enum(['standard', 'penalty', 'bonus', 'fatal', 'manual']),
  source: z.string(),
  status: z.enum(ITEM_STATUS),
  maxPoints: z.number(),
  points: z.number().nullable(),
  deduction: z.number(),
  occurrences: z.number(),
  reason: z.string(),
  evidence: z.array(EvidenceSchema),
  guidance: z.string().optional(),
};

export const MachineItemSchema = z
  .object({
    ...ItemCore,
    suggested: z.object({ status: z.enum(ITEM_STATUS), points: z.number().nullable(), deduction: z.number() }).optional(),
  })
  .openapi('MachineItem');

export const ItemSchema = z
  .object({
    ...ItemCore,
    machine: MachineItemSchema,
    human: HumanDecisionSchema.nullable(),
    acceptedAtCompletion: z.boolean(),
    amendedBy: z.string().optional().openapi({ description: 'the dispute whose ruling amended this item' }),
  })
  .openapi('ScorecardItem', { description: 'status/points: the answer that counts; machine: the draft; human: the decision' });

export const CardSchema = z
  .object({
    stage: z.enum(['draft', 'in_review', 'final']),
    draftId: z.string(),
    version: z.number().nullable(),
    revision: z.number().nullable().openapi({ description: 'before completion: decisions in the review so far (0 for a draft), to send back as `expectedRevision`; null once final' }),
    pipeline: z.object({ id: z.string(), version: z.string() }),
    title: z.string(),
    maxTotal: z.number(),
    total: z.number().openapi({ description: 'final when stage is final; otherwise provisional (pending items at full marks)' }),
    fatal: z.boolean(),
    fatalItems: z.array(z.object({ id: z.string(), title: z.string(), reason: z.string() })),
    counts: z.record(z.string(), z.number()),
    pendingItems: z.array(z.string()),
    complete: z.boolean(),
    sections: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        max: z.number(),
        bonus: z.boolean(),
        score: z.number(),
        itemDeductions: z.number(),
        penaltyDeductions: z.number(),
        bonusPoints: z.number(),
        pendingReviewPoints: z.number(),
        items: z.array(ItemSchema),
      }),
    ),
  })
  .openapi('Scorecard');

export const CallSummarySchema = z
  .object({
    id: z.string().uuid(),
    fileName: z.string(),
    durationSec: z.number().nullable(),
    agentId: z.string().nullable(),
    team: z.string().nullable(),
    externalId: z.string().nullable().openapi({ description: "the call platform's id (metadata callId)" }),
    startedAt: z.string().nullable(),
    direction: z.string().nullable(),
    pipeline: z.object({ id: z.string(), version: z.string() }),
    analysedAt: z.string().nullable(),
    review: z.object({
      state: z.enum(['unreviewed', 'in_progress', 'completed']),
      completedAt: z.string().nullable(),
      publishedAt: z.string().nullable(),
    }),
    draftTotal: z.number().nullable(),
    maxTotal: z.number().nullable(),
    needsReview: z.boolean().nullable(),
    openItems: z.number().int().nullable().openapi({ description: "the draft's items left for the inspector to judge; the draft total counts them at full marks, so it is provisional while this is above 0" }),
    finalTotal: z.number().nullable(),
    assignedTo: z.string().nullable(),
    hiddenReason: z.enum(['review_incomplete', 'blind_calibration']).nullable().openapi({
      description: 'why draftTotal, needsReview, openItems (and finalTotal for a blind scorer) are null: review_incomplete (an agent before the review is complete), blind_calibration (you score this call in an open calibration session and have items left to score)',
    }),
  })
  .openapi('CallSummary');

export const DisputeSchema = z
  .object({
    id: z.string().uuid(),
    callId: z.string().uuid(),
    fileName: z.string().optional(),
    itemId: z.string(),
    itemTitle: z.string().optional().openapi({ description: "the item's title in the scorecard the review judged (listDisputes)" }),
    status: z.enum(['open', 'upheld', 'amended']),
    reason: z.string(),
    openedBy: z.string(),
    openedAt: z.string(),
    ruledBy: z.string().nullable(),
    ruledAt: z.string().nullable(),
    rulingReason: z.string().nullable(),
    amendedPoints: z.number().nullable(),
  })
  .openapi('Dispute');

export const EventSchema = z
  .object({
    type: z.string(),
    speaker: z.string().nullable(),
    start: z.number(),
    end: z.number(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('Event');

export const CallDetailSchema = CallSummarySchema.extend({
  metadata: z.record(z.string(), z.unknown()),
  audio: z.object({ format: z.string().nullable(), codec: z.string().nullable(), channels: z.number().nullable(), sampleRate: z.number().nullable() }),
  scorecard: CardSchema.nullable(),
  newerDraft: z.boolean(),
  events: z.array(EventSchema).nullable(),
  transcript: z
    .object({
      language: z.string(),
      engine: z.string(),
      segments: z.array(z.object({ speaker: z.string(), start: z.number(), end: z.number(), text: z.string() })),
    })
    .nullable(),
  disputes: z.array(DisputeSchema),
  disputeWindow: z
    .object({ open: z.boolean(), closesAt: z.string(), rule: z.string(), limit: z.number(), used: z.number() })
    .nullable(),
  hidden: z.string().nullable().openapi({ description: 'why scores and findings are hidden, in words (hiddenReason says it as a code)' }),
}).openapi('CallDetail');

export const HistoryEntrySchema = z
  .object({ at: z.string(), actor: z.string(), action: z.string(), itemId: z.string().optional(), details: z.record(z.string(), z.unknown()) })
  .openapi('HistoryEntry');

/** Standard error responses for a route, with what each means there. */
export function errors(...codes: (400 | 401 | 403 | 404 | 409 | 410 | 422 | 429)[]) {
  const text: Record<number, string> = {
    400: 'the request does not match the schema (the message names the field)',
    401: 'not logged in',
    403: 'the role may not do this, or the CSRF token is missing or wrong',
    404: 'no such object, or not one this user may see',
    409: 'the object is not in a state that allows this (e.g. review completed, dispute window closed)',
    410: "the call's recording is no longer where it was analysed from (moved or deleted): no audio or waveform",
    422: 'the request breaks a workflow rule (the message says which)',
    429: 'too many failed logins; Retry-After says when to try again',
  };
  return Object.fromEntries(codes.map((c) => [c, { description: text[c]!, content: { 'application/json': { schema: ErrorSchema } } }]));
}

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
export const body = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
