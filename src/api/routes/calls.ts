import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { currentUser, requireAuth, type AppEnv } from '../auth.js';
import { checkProgramParam } from '../../services/programs.js';
import { CallDetailSchema, CallIdParam, CallSummarySchema, errors, HistoryEntrySchema, json } from '../schemas.js';

const ListQuery = z.object({
  state: z.enum(['unreviewed', 'in_progress', 'completed', 'open']).optional().openapi({ description: "review state; 'open': not completed (unreviewed or in progress)" }),
  agentId: z.string().min(1).max(200).optional(),
  team: z.string().min(1).max(200).optional(),
  pipeline: z.string().min(1).max(200).optional().openapi({ description: 'QA program id (one that does not exist: 400 naming the programs there are)' }),
  since: z.iso.datetime({ offset: true }).optional().openapi({ description: 'analysed at or after (ISO 8601)' }),
  until: z.iso.datetime({ offset: true }).optional().openapi({ description: 'analysed before (ISO 8601)' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The list's query as the service's filter (both listCalls and exportCalls take it). */
function callFilterOf(q: Omit<z.infer<typeof ListQuery>, 'limit' | 'offset'>) {
  return {
    state: q.state,
    agentId: q.agentId,
    team: q.team,
    pipelineId: q.pipeline,
    since: q.since ? new Date(q.since) : undefined,
    until: q.until ? new Date(q.until) : undefined,
  };
}

const listCalls = createRoute({
  method: 'get',
  path: '/api/calls',
  operationId: 'listCalls',
  tags: ['calls'],
  summary: 'The calls this user may see, newest analysis first',
  middleware: [requireAuth],
  request: { query: ListQuery },
  responses: {
    200: json(z.object({ calls: z.array(CallSummarySchema), total: z.number(), limit: z.number(), offset: z.number() }).openapi('CallList'), 'calls'),
    ...errors(400, 401),
  },
});

const exportCalls = createRoute({
  method: 'get',
  path: '/api/calls.csv',
  operationId: 'exportCalls',
  tags: ['calls'],
  summary: 'Scorecard results as CSV: one row per call, or per call and scorecard item (shape=items). Same filters and scope as listCalls; no transcript text. Audited.',
  middleware: [requireAuth],
  request: {
    query: ListQuery.omit({ limit: true, offset: true }).extend({
      shape: z.enum(['calls', 'items']).default('calls').openapi({ description: 'calls: score, max, fatal, open items, final per call; items: machine and current answer per item, who gave it' }),
    }),
  },
  responses: { 200: { description: 'CSV (RFC 4180, UTF-8 with BOM so spreadsheets read Chinese)', content: { 'text/csv': { schema: z.string() } } }, ...errors(400, 401) },
});

const getCall = createRoute({
  method: 'get',
  path: '/api/calls/{callId}',
  operationId: 'getCall',
  tags: ['calls'],
  summary: 'One call: scorecard (machine and human answers), findings, transcript, disputes. Audited as a transcript read.',
  middleware: [requireAuth],
  request: {
    params: CallIdParam,
    query: z.object({
      unmask: z.enum(['true', 'false']).optional().openapi({ description: 'personal data unmasked (pii permission: inspector, supervisor, admin; audited). Masked otherwise.' }),
    }),
  },
  responses: { 200: json(CallDetailSchema, 'the call'), ...errors(400, 401, 403, 404) },
});

const callHistory = createRoute({
  method: 'get',
  path: '/api/calls/{callId}/history',
  operationId: 'callHistory',
  tags: ['calls'],
  summary: 'Every step of the call: drafts, review, decisions, completion, disputes, rulings (oldest first)',
  middleware: [requireAuth],
  request: { params: CallIdParam },
  responses: { 200: json(z.object({ history: z.array(HistoryEntrySchema) }), 'history'), ...errors(400, 401, 404) },
});

export function registerCallRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(listCalls, async (c) => {
    const q = c.req.valid('query');
    await checkProgramParam(c.get('services').store.db, 'query.pipeline', q.pipeline);
    const { calls, total } = await c.get('services').calls.listCalls(currentUser(c), { ...callFilterOf(q), limit: q.limit, offset: q.offset });
    return c.json({ calls, total, limit: q.limit, offset: q.offset }, 200);
  });

  app.openapi(exportCalls, async (c) => {
    const q = c.req.valid('query');
    await checkProgramParam(c.get('services').store.db, 'query.pipeline', q.pipeline);
    const rows = c.get('services').calls.exportCsv(currentUser(c), callFilterOf(q), q.shape);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(ctl) {
        ctl.enqueue(encoder.encode('\uFEFF'));
      },
      async pull(ctl) {
        try {
          const next = await rows.next();
          if (next.done) ctl.close();
          else ctl.enqueue(encoder.encode(next.value));
        } catch (err) {
          ctl.error(err);
        }
      },
      async cancel() {
        await rows.return(undefined);
      },
    });
    const name = `callqa-${q.shape}-${new Date().toISOString().slice(0, 10)}.csv`;
    return new Response(body, { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` } }) as never;
  });

  app.openapi(getCall, async (c) => {
    const { callId } = c.req.valid('param');
    const { unmask } = c.req.valid('query');
    const detail = await c.get('services').calls.getCall(currentUser(c), callId, { unmask: unmask === 'true' });
    return c.json(detail as z.infer<typeof CallDetailSchema>, 200);
  });

  app.openapi(callHistory, async (c) => {
    const { callId } = c.req.valid('param');
    const history = await c.get('services').calls.callHistory(currentUser(c), callId);
    return c.json({ history }, 200);
  });
}
