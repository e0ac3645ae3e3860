import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { currentUser, requireRole, type AppEnv } from '../auth.js';
import { errors, json } from '../schemas.js';

/** The audit log for admins (the same entries as `callqa audit`, which cannot run while `callqa serve` holds the embedded database). */

const time = z
  .string()
  .refine((s) => !Number.isNaN(new Date(s).getTime()), 'an ISO 8601 time (2026-12-01 or 2026-12-01T08:00:00+08:00)')
  .transform((s) => new Date(s));

const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.string().openapi({ description: 'username, or `callqa` / the CLI user for the machine' }),
    action: z.string().openapi({ description: 'review.decide, dispute.rule, user.update, call.transcript.read, ...' }),
    target: z.object({ type: z.string(), id: z.string() }),
    callId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).openapi({ description: 'what changed: e.g. points and the previous decision (`previous`) of a decision, `changed: {field: {from, to}}` of a user change, the totals before and after a ruling' }),
  })
  .openapi('AuditEntry');

const listAuditLog = createRoute({
  method: 'get',
  path: '/api/audit',
  operationId: 'listAuditLog',
  tags: ['audit'],
  summary: 'The append-only audit log: who did what and when, who read which call (admins; the read is audited)',
  middleware: [requireRole('admin')],
  request: {
    query: z.object({
      user: z.string().min(1).max(200).optional().openapi({ description: 'only this actor (username)' }),
      action: z.string().min(1).max(200).optional().openapi({ description: 'only this action, e.g. review.decide' }),
      callId: z.string().min(1).max(200).optional().openapi({ description: 'only entries about this call' }),
      since: time.optional().openapi({ type: 'string' }),
      until: time.optional().openapi({ type: 'string' }),
      order: z.enum(['oldest', 'newest']).optional().openapi({ description: 'default newest' }),
      limit: z.coerce.number().int().min(1).max(1000).optional().openapi({ type: 'integer', description: '1-1000, default 200' }),
    }),
  },
  responses: { 200: json(z.object({ entries: z.array(AuditEntrySchema) }), 'entries; comments and reasons people typed masked as in a call history'), ...errors(400, 401, 403) },
});

export function registerAuditRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(listAuditLog, async (c) => {
    const q = c.req.valid('query');
    const entries = await c.get('services').audit.list(currentUser(c), {
      actorName: q.user,
      action: q.action,
      callId: q.callId,
      since: q.since,
      until: q.until,
      order: q.order ?? 'newest',
      limit: q.limit ?? 200,
    });
    return c.json({ entries }, 200);
  });
}
