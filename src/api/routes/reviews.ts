import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { REASON_CODES } from '../../review/decisions.js';
import { currentUser, requireRole, type AppEnv } from '../auth.js';
import { body, CallIdParam, errors, ItemSchema, json } from '../schemas.js';

const ExpectedRevision = z.number().int().min(0).optional().openapi({
  description:
    "the scorecard's `revision` (decisions so far) the client has seen, from getCall or the last decision; when someone else decided meanwhile the step is refused (409, `revision`: the current one) instead of overwriting or completing what this client never saw. Leave out to skip the check.",
});

const DecideBody = z
  .object({
    itemId: z.string().min(1).max(200).openapi({ description: 'a scorecard item id of the call' }),
    action: z.enum(['confirm', 'override']),
    points: z.number().finite().optional().openapi({
      description: 'override: the points the item gets (required, except fatal items); confirm: only for items judged by hand (no machine answer)',
    }),
    reason: z
      .object({
        code: z.enum(REASON_CODES),
        comment: z.string().max(2000).optional().openapi({ description: 'required for an override: why' }),
      })
      .optional()
      .openapi({ description: 'required for an override' }),
    expectedRevision: ExpectedRevision,
  })
  .strict()
  .openapi('DecideItemRequest');

// a query parameter, not a body: clients complete with an empty POST (some with a JSON content type)
const CompleteQuery = z.object({
  expectedRevision: z.coerce.number().int().min(0).optional().openapi({
    description: 'as in decideItem: the revision this client has seen; 409 (`revision`) when someone else decided meanwhile',
  }),
});

const decideItem = createRoute({
  method: 'post',
  path: '/api/calls/{callId}/review/decisions',
  operationId: 'decideItem',
  tags: ['review'],
  summary: 'Confirm or override one scorecard item (starts the review on the current draft if none yet)',
  middleware: [requireRole('inspector', 'supervisor')],
  request: { params: CallIdParam, body: body(DecideBody) },
  responses: {
    200: json(
      z.object({ reviewId: z.string(), item: ItemSchema, total: z.number(), maxTotal: z.number(), pendingItems: z.array(z.string()), revision: z.number() }).openapi('DecisionResult'),
      'the item after the decision and the review so far',
    ),
    ...errors(400, 401, 403, 404, 409, 422),
  },
});

const completeReview = createRoute({
  method: 'post',
  path: '/api/calls/{callId}/review/complete',
  operationId: 'completeReview',
  tags: ['review'],
  summary: 'Complete the review: fixes the final score (same arithmetic as the draft) and publishes it to the agent',
  middleware: [requireRole('inspector', 'supervisor')],
  request: { params: CallIdParam, query: CompleteQuery },
  responses: {
    200: json(
      z.object({ reviewId: z.string(), total: z.number(), maxTotal: z.number(), fatal: z.boolean(), completedAt: z.string(), version: z.number() }).openapi('CompletedReview'),
      'the final result',
    ),
    ...errors(400, 401, 403, 404, 409),
  },
});

export function registerReviewRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(decideItem, async (c) => {
    const { callId } = c.req.valid('param');
    const r = await c.get('services').reviews.decideItem(currentUser(c), callId, c.req.valid('json'));
    return c.json(r as never, 200);
  });
  app.openapi(completeReview, async (c) => {
    const { callId } = c.req.valid('param');
    const { expectedRevision } = c.req.valid('query');
    return c.json(await c.get('services').reviews.completeReview(currentUser(c), callId, { expectedRevision }), 200);
  });
}
