import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { currentUser, requireAuth, requireRole, type AppEnv } from '../auth.js';
import { body, CallIdParam, DisputeIdParam, DisputeSchema, errors, json } from '../schemas.js';

const OpenBody = z
  .object({
    itemId: z.string().min(1).max(200).openapi({ description: 'the scorecard item disputed' }),
    reason: z.string().min(1).max(2000).openapi({ description: "the agent's reason" }),
  })
  .strict()
  .openapi('OpenDisputeRequest');

const RuleBody = z
  .object({
    outcome: z.enum(['upheld', 'amended']).openapi({ description: 'upheld: the result stands; amended: the item gets `points`' }),
    points: z.number().finite().optional().openapi({ description: 'amended: the new points of the item (not for fatal items: their verdict flips)' }),
    reason: z.string().min(1).max(2000),
  })
  .strict()
  .openapi('RuleDisputeRequest');

const openDispute = createRoute({
  method: 'post',
  path: '/api/calls/{callId}/disputes',
  operationId: 'openDispute',
  tags: ['disputes'],
  summary: "The agent disputes an item of their call's completed review (within the program's window and limit)",
  middleware: [requireRole('agent')],
  request: { params: CallIdParam, body: body(OpenBody) },
  responses: { 201: json(DisputeSchema, 'the dispute (its id)'), ...errors(400, 401, 403, 404, 409, 422) },
});

const ruleDispute = createRoute({
  method: 'post',
  path: '/api/disputes/{disputeId}/ruling',
  operationId: 'ruleDispute',
  tags: ['disputes'],
  summary: "A supervisor of the agent's team upholds the result or amends the item, with a reason",
  middleware: [requireRole('supervisor')],
  request: { params: DisputeIdParam, body: body(RuleBody) },
  responses: {
    200: json(DisputeSchema.extend({ total: z.number(), version: z.number() }).openapi('RuledDispute'), 'the ruled dispute and the call result after it'),
    ...errors(400, 401, 403, 404, 409, 422),
  },
});

const listDisputes = createRoute({
  method: 'get',
  path: '/api/disputes',
  operationId: 'listDisputes',
  tags: ['disputes'],
  summary: "Disputes this user may see: an agent's own, a supervisor's team, an inspector's reviews, all for admins",
  middleware: [requireAuth],
  request: { query: z.object({ status: z.enum(['open', 'upheld', 'amended']).optional() }) },
  responses: { 200: json(z.object({ disputes: z.array(DisputeSchema) }), 'disputes, newest first'), ...errors(400, 401) },
});

export function registerDisputeRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(openDispute, async (c) => {
    const { callId } = c.req.valid('param');
    return c.json(await c.get('services').disputes.openDispute(currentUser(c), callId, c.req.valid('json')), 201);
  });
  app.openapi(ruleDispute, async (c) => {
    const { disputeId } = c.req.valid('param');
    return c.json(await c.get('services').disputes.ruleDispute(currentUser(c), disputeId, c.req.valid('json')), 200);
  });
  app.openapi(listDisputes, async (c) => {
    const { status } = c.req.valid('query');
    return c.json({ disputes: await c.get('services').disputes.listDisputes(currentUser(c), status) }, 200);
  });
}
