import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { currentUser, requireRole, type AppEnv } from '../auth.js';
import { checkProgramParam } from '../../services/programs.js';
import { isCalendarDay } from '../../core/calendar.js';
import { CallIdParam, errors, json } from '../schemas.js';

/** Where the machine is wrong (rules accuracy), and a decision turned into a regression example. */

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD')
  .refine(isCalendarDay, 'not a day of the calendar (YYYY-MM-DD)')
  .transform((s) => new Date(`${s}T00:00:00Z`));

const Counts = {
  decisions: z.number().int(),
  tp: z.number().int().openapi({ description: 'machine fault confirmed' }),
  fp: z.number().int().openapi({ description: 'machine fault overturned to no fault (false positive)' }),
  fn: z.number().int().openapi({ description: 'no machine fault, the inspector deducted (miss)' }),
  tn: z.number().int(),
  adjusted: z.number().int().openapi({ description: 'a fault, but other points' }),
  unjudged: z.number().int().openapi({ description: 'items the machine left to people' }),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  overturnRate: z.number().nullable(),
};

const AccuracySchema = z
  .object({
    overall: z.object(Counts),
    items: z.array(z.object({ itemId: z.string(), ...Counts })),
    rules: z.array(
      z.object({ rule: z.string().openapi({ description: 'lexicon entry id, or event:<type> / metadata:<field>' }), fired: z.number().int(), confirmed: z.number().int(), overturned: z.number().int(), precision: z.number().nullable(), items: z.array(z.string()) }),
    ),
    trend: z.array(z.object({ period: z.string(), itemId: z.string(), decisions: z.number().int(), overturnRate: z.number().nullable() })),
    filter: z.object({ pipelineId: z.string().nullable(), since: z.string().nullable(), until: z.string().nullable(), period: z.enum(['day', 'week', 'month']) }),
    titles: z.record(z.string(), z.string()),
  })
  .openapi('RulesAccuracy');

const rulesAccuracy = createRoute({
  method: 'get',
  path: '/api/rules/accuracy',
  operationId: 'rulesAccuracy',
  tags: ['rules'],
  summary: 'Per scorecard item and per lexicon entry / rule: how often inspectors overturn the machine (false positives, misses), over time',
  middleware: [requireRole('supervisor', 'admin')],
  request: {
    query: z.object({
      pipelineId: z.string().min(1).optional().openapi({ description: 'QA program id (one that does not exist: 400 naming the programs there are)' }),
      since: day.optional().openapi({ type: 'string' }),
      until: day.optional().openapi({ type: 'string' }),
      period: z.enum(['day', 'week', 'month']).optional(),
    }),
  },
  responses: { 200: json(AccuracySchema, 'accuracy over the final decisions of completed reviews (supervisors: their team)'), ...errors(400, 401, 403) },
});

const exportExample = createRoute({
  method: 'get',
  path: '/api/calls/{callId}/items/{itemId}/example',
  operationId: 'exportExample',
  tags: ['rules'],
  summary: "An inspector's decision on an item as a regression example for the program's examples file (callqa pipelines test runs it)",
  middleware: [requireRole('inspector', 'supervisor', 'admin')],
  request: {
    params: CallIdParam.extend({ itemId: z.string().min(1).max(200).openapi({ param: { name: 'itemId', in: 'path' } }) }),
    query: z.object({ mask: z.enum(['true', 'false']).optional().openapi({ description: 'mask personal data in the copied transcript (default true)' }) }),
  },
  responses: {
    200: json(
      z
        .object({
          pipelineId: z.string(),
          file: z.string().openapi({ description: 'the examples file it belongs in' }),
          example: z.record(z.string(), z.unknown()),
          yaml: z.string().openapi({ description: 'a list entry to append under `examples:`' }),
          warnings: z.array(z.string()),
        })
        .openapi('ExportedExample'),
      'the example',
    ),
    ...errors(400, 401, 403, 404, 409, 422),
  },
});

export function registerRulesRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(rulesAccuracy, async (c) => {
    const q = c.req.valid('query');
    await checkProgramParam(c.get('services').store.db, 'query.pipelineId', q.pipelineId);
    return c.json(await c.get('services').rulesAccuracy.rulesAccuracy(currentUser(c), q), 200);
  });
  app.openapi(exportExample, async (c) => {
    const { callId, itemId } = c.req.valid('param');
    const { mask } = c.req.valid('query');
    const out = await c.get('services').rulesAccuracy.exportExample(currentUser(c), callId, itemId, { mask: mask !== 'false' });
    return c.json({ ...out, example: out.example as unknown as Record<string, unknown> }, 200);
  });
}
