import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { currentUser, requireRole, type AppEnv } from '../auth.js';
import { body, errors, json } from '../schemas.js';

/**
 * Data-subject requests and retention for admins (the same use cases as `callqa data`): find, export and erase a
 * customer's calls. Deleting the original recordings is left to the command line (`--delete-audio`), where the
 * operator who owns those files runs it.
 */

const Selector = z
  .object({
    customerId: z.string().min(1).max(200).optional().openapi({ description: "the customer's id (metadata customer_id)" }),
    callIds: z.array(z.string().uuid()).min(1).max(1000).optional(),
    before: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional()
      .openapi({ description: 'calls whose date is before this day (YYYY-MM-DD)' }),
  })
  .strict();

const SubjectCall = z
  .object({
    id: z.string().uuid(),
    fileName: z.string(),
    callDate: z.string(),
    durationSec: z.number().nullable(),
    agentId: z.string().nullable(),
    customerId: z.string().nullable(),
    reviewState: z.enum(['in_progress', 'completed']).nullable(),
    openDisputes: z.number().int(),
    audio: z.string(),
  })
  .openapi('SubjectCall');

const findSubjectCalls = createRoute({
  method: 'post',
  path: '/api/data/find',
  operationId: 'findSubjectCalls',
  tags: ['data'],
  summary: "The calls held for a customer, or named calls, or calls before a date (admins)",
  middleware: [requireRole('admin')],
  request: { body: body(Selector.openapi('SubjectSelector')) },
  responses: { 200: json(z.object({ calls: z.array(SubjectCall) }), 'oldest first'), ...errors(400, 401, 403) },
});

const exportSubjectData = createRoute({
  method: 'post',
  path: '/api/data/export',
  operationId: 'exportSubjectData',
  tags: ['data'],
  summary: 'Everything stored about the calls, unmasked (an access request; admins; audited per call)',
  middleware: [requireRole('admin')],
  request: { body: body(Selector.omit({ before: true }).openapi('SubjectExportRequest')) },
  responses: {
    200: json(
      z
        .object({
          exportedAt: z.string(),
          selector: z.record(z.string(), z.unknown()),
          calls: z.array(
            SubjectCall.extend({
              metadata: z.record(z.string(), z.unknown()),
              transcripts: z.array(z.record(z.string(), z.unknown())),
              findings: z.array(z.record(z.string(), z.unknown())),
            }),
          ),
          notIncluded: z.array(z.string()),
        })
        .openapi('SubjectExport'),
      'the export',
    ),
    ...errors(400, 401, 403),
  },
});

const eraseSubjectData = createRoute({
  method: 'post',
  path: '/api/data/erase',
  operationId: 'eraseSubjectData',
  tags: ['data'],
  summary: 'Erase the calls and everything stored with them (admins; audited per call; cannot be undone)',
  middleware: [requireRole('admin')],
  request: {
    body: body(
      Selector.extend({
        reason: z.enum(['request', 'retention']),
        confirm: z.literal(true).openapi({ description: 'must be true: erasing cannot be undone' }),
      })
        .strict()
        .openapi('SubjectEraseRequest'),
    ),
  },
  responses: {
    200: json(
      z
        .object({
          erased: z.array(SubjectCall),
          kept: z.array(z.object({ call: SubjectCall, reason: z.string() })),
          rows: z.record(z.string(), z.number()),
          filesDeleted: z.array(z.string()),
          filesFailed: z.array(z.object({ path: z.string(), error: z.string() })),
          audioLeft: z.array(z.string()),
          queueJobsRemoved: z.number().int().optional().openapi({ description: 'in a queue deployment: the calls\' jobs removed from Redis' }),
        })
        .openapi('SubjectErasure'),
      'what was erased; retention keeps calls under an open dispute',
    ),
    ...errors(400, 401, 403),
  },
});

export function registerDataRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(findSubjectCalls, async (c) => c.json({ calls: await c.get('services').personalData.find(c.req.valid('json')) }, 200));
  app.openapi(exportSubjectData, async (c) => c.json(await c.get('services').personalData.export(currentUser(c), c.req.valid('json')) as never, 200));
  app.openapi(eraseSubjectData, async (c) => {
    const { reason, confirm: _confirm, ...sel } = c.req.valid('json');
    return c.json(await c.get('services').personalData.erase(currentUser(c), sel, { reason, keepOpenDisputes: reason === 'retention' }), 200);
  });
}
