import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { TRIAGE_REASONS } from '../../review/triage.js';
import { currentUser, requireRole, type AppEnv } from '../auth.js';
import { checkProgramParam } from '../../services/programs.js';
import { isCalendarDay, isCalendarTime } from '../../core/calendar.js';
import { body, CallSummarySchema, errors, json } from '../schemas.js';

/** The review queue (triage + random sample), this week's sampling plan, and assigning calls to inspectors. */

/** A day, or a time on one: 2026-11-30T99:99 had the shape, became an Invalid Date and failed the request (500). */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'a date, YYYY-MM-DD (or an ISO time)')
  .refine((s) => isCalendarDay(s.slice(0, 10)), { message: 'not a day of the calendar (YYYY-MM-DD)', abort: true })
  .refine((s) => !s.includes('T') || isCalendarTime(s), 'not a time of the day (YYYY-MM-DDTHH:MM[:SS][Z or ±HH:MM]; hours 00-23, minutes and seconds 00-59)')
  .transform((s) => new Date(/T/.test(s) ? s : `${s}T00:00:00Z`));

const ReasonSchema = z
  .object({
    code: z.enum(TRIAGE_REASONS),
    weight: z.number().openapi({ description: 'what the reason adds to the risk score' }),
    text: z.string().openapi({ description: 'why, in one line (never transcript text)' }),
  })
  .openapi('TriageReason');

const QueueEntrySchema = z
  .object({
    rank: z.number().int(),
    call: CallSummarySchema,
    risk: z.number().openapi({ description: 'sum of the reasons\' weights' }),
    reasons: z.array(ReasonSchema),
    random: z.enum(['share', 'agent-minimum']).nullable().openapi({
      description: "drawn into the week's random sample (share: the program's random share; agent-minimum: topped up to the agent's weekly minimum); null: in the queue by risk",
    }),
    agentClass: z.enum(['new', 'weak', 'falling', 'regular']).nullable(),
  })
  .openapi('QueueEntry');

const QueueSchema = z
  .object({
    generatedAt: z.string(),
    week: z.string().openapi({ example: '2026-W49' }),
    total: z.number().int().openapi({ description: 'calls in the queue before `limit`' }),
    entries: z.array(QueueEntrySchema),
    quota: z
      .object({
        quota: z.number().int().openapi({ description: "reviews to complete today (the week's remaining target over inspectors and days; at least the program's daily minimum)" }),
        done: z.number().int(),
        assignedOpen: z.number().int(),
        remaining: z.number().int(),
      })
      .nullable()
      .openapi({ description: "the asking inspector's quota for today (null for supervisors and admins)" }),
  })
  .openapi('ReviewQueue');

const reviewQueue = createRoute({
  method: 'get',
  path: '/api/review/queue',
  operationId: 'reviewQueue',
  tags: ['triage'],
  summary: 'Calls to review, ranked by risk with the reasons, the random sample mixed in and marked; with the inspector\'s quota for today',
  middleware: [requireRole('inspector', 'supervisor', 'admin')],
  request: {
    query: z.object({
      team: z.string().min(1).optional(),
      agentId: z.string().min(1).optional(),
      pipelineId: z.string().min(1).optional().openapi({ description: 'QA program id (one that does not exist: 400 naming the programs there are)' }),
      since: day.optional().openapi({ description: 'analysed on or after (default: the start of last ISO week)', type: 'string' }),
      until: day.optional().openapi({ description: 'analysed before', type: 'string' }),
      state: z.enum(['pending', 'unreviewed', 'in_progress', 'completed']).optional().openapi({ description: 'default pending (unreviewed and in progress)' }),
      assigned: z.enum(['me', 'unassigned']).optional(),
      limit: z.coerce.number().int().min(1).max(1000).optional(),
    }),
  },
  responses: { 200: json(QueueSchema, 'the ranked queue'), ...errors(400, 401, 403) },
});

const PlanSchema = z
  .object({
    week: z.string(),
    start: z.string(),
    end: z.string(),
    team: z.string().nullable(),
    programs: z.array(
      z.object({
        pipelineId: z.string(),
        plan: z.object({
          volume: z.number().int(),
          reviewed: z.number().int(),
          shareFloor: z.number().int(),
          shareCeiling: z.number().int(),
          copcSize: z.number().int(),
          agentFloor: z.number().int(),
          target: z.number().int(),
          binding: z.enum(['share', 'copc', 'agents', 'none']),
          missing: z.number().int(),
          agents: z.array(
            z.object({
              agentId: z.string(),
              class: z.enum(['new', 'weak', 'falling', 'regular']),
              minPerWeek: z.number().int(),
              why: z.string(),
              calls: z.number().int(),
              reviewed: z.number().int(),
              required: z.number().int(),
              missing: z.number().int(),
              shortOfCalls: z.boolean(),
            }),
          ),
          warnings: z.array(z.string()),
        }),
        random: z.object({ drawn: z.number().int(), reviewed: z.number().int() }),
        scores: z
          .object({
            reviewed: z.object({ n: z.number().int(), mean: z.number().nullable(), margin: z.number().nullable() }),
            random: z.object({ n: z.number().int(), mean: z.number().nullable(), margin: z.number().nullable() }),
          })
          .openapi({ description: 'mean final score (percent): all reviews of the week (risk-picked: biased), and the reviewed random-share calls (unbiased, ± margin at the policy confidence)' }),
        inspectors: z.number().int(),
        workdaysLeft: z.number().int(),
        dailyQuota: z.number().int(),
      }),
    ),
  })
  .openapi('ReviewPlan');

const reviewPlan = createRoute({
  method: 'get',
  path: '/api/review/plan',
  operationId: 'reviewPlan',
  tags: ['triage'],
  summary: "What this week's sampling policy asks for per QA program and what is covered (supervisors: their team)",
  middleware: [requireRole('supervisor', 'admin')],
  request: {
    query: z.object({
      week: day.optional().openapi({ description: 'a day of the ISO week (default: this week)', type: 'string' }),
      pipelineId: z.string().min(1).optional().openapi({ description: 'QA program id (one that does not exist: 400 naming the programs there are)' }),
    }),
  },
  responses: { 200: json(PlanSchema, 'the plan'), ...errors(400, 401, 403) },
});

const AssignBody = z
  .object({
    callIds: z.array(z.string().uuid()).min(1).max(1000).optional().openapi({ description: 'these calls to `inspector`' }),
    inspector: z.string().min(1).optional().openapi({ description: 'username (or id) of an active inspector of your team' }),
    auto: z
      .object({ pipelineId: z.string().min(1).optional(), team: z.string().min(1).optional(), limit: z.number().int().min(1).max(1000).optional() })
      .strict()
      .optional()
      .openapi({ description: "assign your queue's unassigned calls evenly over the active inspectors, up to each one's quota for today" }),
  })
  .strict()
  .refine((b) => (b.callIds && b.inspector && !b.auto) || (b.auto && !b.callIds && !b.inspector), { message: 'give callIds with inspector, or auto' })
  .openapi('AssignRequest');

const assignCalls = createRoute({
  method: 'post',
  path: '/api/assignments',
  operationId: 'assignCalls',
  tags: ['triage'],
  summary: "A supervisor assigns calls of their team to inspectors: chosen calls to one inspector, or the queue evenly",
  middleware: [requireRole('supervisor')],
  request: { body: body(AssignBody) },
  responses: {
    200: json(
      z.object({ assigned: z.array(z.object({ callId: z.string(), inspector: z.string() })), left: z.number().int() }).openapi('AssignResult'),
      'what was assigned; `left`: queue calls nobody could take (every inspector at quota)',
    ),
    ...errors(400, 401, 403, 404, 409, 422),
  },
});

const listInspectors = createRoute({
  method: 'get',
  path: '/api/inspectors',
  operationId: 'listInspectors',
  tags: ['triage'],
  summary: 'The inspectors calls may be assigned to: a supervisor, the active inspectors of their team or of no team; an admin, every active inspector. With the calls each has open',
  middleware: [requireRole('supervisor', 'admin')],
  responses: {
    200: json(
      z
        .object({
          inspectors: z.array(
            z.object({
              id: z.string().uuid(),
              username: z.string(),
              team: z.string().nullable(),
              openCalls: z.number().int().openapi({ description: "calls assigned to them and not yet completed: for a supervisor, of their team's calls (an inspector of no team may have work of other teams besides); for an admin, all" }),
            }),
          ),
        })
        .openapi('AssignableInspectors'),
      'inspectors by name',
    ),
    ...errors(401, 403),
  },
});

export function registerTriageRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(reviewQueue, async (c) => {
    const q = c.req.valid('query');
    await checkProgramParam(c.get('services').store.db, 'query.pipelineId', q.pipelineId);
    return c.json(await c.get('services').queue.reviewQueue(currentUser(c), q), 200);
  });
  app.openapi(reviewPlan, async (c) => {
    const q = c.req.valid('query');
    await checkProgramParam(c.get('services').store.db, 'query.pipelineId', q.pipelineId);
    return c.json(await c.get('services').queue.plan(currentUser(c), { ...(q.week ? { at: q.week } : {}), ...(q.pipelineId ? { pipelineId: q.pipelineId } : {}) }), 200);
  });
  app.openapi(listInspectors, async (c) => c.json({ inspectors: await c.get('services').queue.inspectors(currentUser(c)) }, 200));
  app.openapi(assignCalls, async (c) => {
    const b = c.req.valid('json');
    await checkProgramParam(c.get('services').store.db, 'body.auto.pipelineId', b.auto?.pipelineId);
    return c.json(await c.get('services').queue.assign(currentUser(c), b), 200);
  });
}
