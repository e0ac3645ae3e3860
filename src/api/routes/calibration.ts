import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { currentUser, requireRole, type AppEnv } from '../auth.js';
import { body, errors, json } from '../schemas.js';

/**
 * Calibration sessions (002 监控人员的再确认): a supervisor puts calls and inspectors into a session; the
 * inspectors score blind; once the supervisor closes it, everyone's scores and the deviations are shown.
 */

const SessionIdParam = z.object({
  sessionId: z.string().uuid().openapi({ param: { name: 'sessionId', in: 'path' } }),
});

const ScoreViewSchema = z.object({ callId: z.string(), itemId: z.string(), scorer: z.string(), points: z.number(), scoredAt: z.string() }).openapi('CalibrationScore');

const DeviationSchema = z.object({
  callId: z.string(),
  itemId: z.string(),
  maxPoints: z.number(),
  benchmark: z.number(),
  points: z.number(),
  deviation: z.number(),
  agreement: z.number(),
});

const ResultsSchema = z
  .object({
    benchmark: z.enum(['supervisor', 'consensus']),
    benchmarkScores: z.record(z.string(), z.record(z.string(), z.number())),
    inspectors: z.array(
      z.object({
        inspector: z.string(),
        accuracy: z.number().nullable().openapi({ description: '1 − Σ|score − benchmark| / Σ item range, weighted by item points' }),
        meanSignedDeviation: z.number().nullable().openapi({ description: 'mean (score − benchmark) / item range: + scores high, − low' }),
        bias: z.enum(['high', 'low', 'none']),
        needsRetraining: z.boolean(),
        compared: z.number().int(),
        missing: z.number().int(),
        items: z.array(DeviationSchema),
        byItem: z.record(z.string(), z.object({ agreement: z.number(), meanSignedDeviation: z.number(), n: z.number().int() })),
      }),
    ),
    items: z.array(z.object({ itemId: z.string(), agreement: z.number(), n: z.number().int() })),
    passAccuracy: z.number(),
    biasThreshold: z.number(),
  })
  .openapi('CalibrationResults');

const SessionSchema = z
  .object({
    id: z.string().uuid(),
    title: z.string(),
    pipelineId: z.string(),
    benchmark: z.enum(['supervisor', 'consensus']),
    status: z.enum(['open', 'closed']),
    team: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    closedAt: z.string().nullable(),
    you: z.object({
      role: z.enum(['owner', 'supervisor', 'member', 'admin']),
      canScore: z.boolean().openapi({ description: 'a scorer of an open session who has not yet scored every item' }),
      canClose: z.boolean(),
      submitted: z.boolean().openapi({ description: "you have scored every item: your scores are in (no more changes) and the machine's answers are shown" }),
      machineHidden: z.boolean().openapi({ description: "the machine's answers are withheld from you (every item's machine is null)" }),
    }),
    members: z.array(z.object({ username: z.string(), scored: z.number().int() })),
    expectedScores: z.number().int(),
    calls: z.array(
      z.object({
        id: z.string(),
        fileName: z.string(),
        durationSec: z.number().nullable(),
        items: z.array(
          z.object({
            id: z.string(),
            title: z.string(),
            kind: z.string(),
            min: z.number(),
            max: z.number(),
            maxPoints: z.number().openapi({ description: 'the scale deviations are measured on (per occurrence for penalty items)' }),
            guidance: z.string().optional(),
            machine: z
              .object({ status: z.string(), points: z.number().nullable(), reason: z.string() })
              .nullable()
              .openapi({ description: "the machine's draft; null (blind) for a scorer of an open session until they have scored every item" }),
          }),
        ),
      }),
    ),
    myScores: z.array(ScoreViewSchema),
    scores: z.array(ScoreViewSchema).nullable().openapi({ description: "everyone's scores: null while the session is open (blind)" }),
    results: ResultsSchema.nullable().openapi({ description: 'null while the session is open' }),
  })
  .openapi('CalibrationSession');

const SessionListSchema = z.object({
  sessions: z.array(
    z.object({
      id: z.string().uuid(),
      title: z.string(),
      pipelineId: z.string(),
      benchmark: z.enum(['supervisor', 'consensus']),
      status: z.enum(['open', 'closed']),
      team: z.string().nullable(),
      createdAt: z.string(),
      closedAt: z.string().nullable(),
      calls: z.number().int(),
      members: z.number().int(),
    }),
  ),
});

const CreateBody = z
  .object({
    title: z.string().min(1).max(200),
    callIds: z.array(z.string().uuid()).min(1).max(50),
    inspectors: z.array(z.string().min(1)).min(1).max(50).openapi({ description: 'usernames (or ids) of active inspectors of your team' }),
    benchmark: z.enum(['supervisor', 'consensus']).optional().openapi({ description: "default: the program's review.calibration.benchmark" }),
  })
  .strict()
  .openapi('CreateCalibrationRequest');

const ScoreBody = z
  .object({
    scores: z
      .array(z.object({ callId: z.string().uuid(), itemId: z.string().min(1).max(200), points: z.number().finite() }).strict())
      .min(1)
      .max(2000),
  })
  .strict()
  .openapi('ScoreCalibrationRequest');

const createCalibration = createRoute({
  method: 'post',
  path: '/api/calibrations',
  operationId: 'createCalibration',
  tags: ['calibration'],
  summary: "A supervisor opens a blind calibration session on calls of their team with inspectors of their team",
  middleware: [requireRole('supervisor')],
  request: { body: body(CreateBody) },
  responses: { 201: json(SessionSchema, 'the session'), ...errors(400, 401, 403, 404, 409, 422) },
});

const listCalibrations = createRoute({
  method: 'get',
  path: '/api/calibrations',
  operationId: 'listCalibrations',
  tags: ['calibration'],
  summary: "Sessions this user may see: a supervisor's own and their team's, an inspector's own, all for admins",
  middleware: [requireRole('inspector', 'supervisor', 'admin')],
  responses: { 200: json(SessionListSchema, 'sessions, newest first'), ...errors(401, 403) },
});

const getCalibration = createRoute({
  method: 'get',
  path: '/api/calibrations/{sessionId}',
  operationId: 'getCalibration',
  tags: ['calibration'],
  summary: "A session: its calls and items, your own scores; the machine's draft once you have scored every item (blind before); everyone's scores and the deviations once it is closed",
  middleware: [requireRole('inspector', 'supervisor', 'admin')],
  request: { params: SessionIdParam },
  responses: { 200: json(SessionSchema, 'the session'), ...errors(400, 401, 403, 404) },
});

const scoreCalibration = createRoute({
  method: 'post',
  path: '/api/calibrations/{sessionId}/scores',
  operationId: 'scoreCalibration',
  tags: ['calibration'],
  summary: "A member inspector (or, for a supervisor benchmark, the session's supervisor) scores items while the session is open; scoring again replaces, until every item is scored: then the scores are in (409 after) and the machine's answers are shown",
  middleware: [requireRole('inspector', 'supervisor')],
  request: { params: SessionIdParam, body: body(ScoreBody) },
  responses: { 200: json(SessionSchema, 'the session after scoring'), ...errors(400, 401, 403, 404, 409, 422) },
});

const closeCalibration = createRoute({
  method: 'post',
  path: '/api/calibrations/{sessionId}/close',
  operationId: 'closeCalibration',
  tags: ['calibration'],
  summary: 'A supervisor closes the session: scores are unblinded and the deviations against the benchmark computed',
  middleware: [requireRole('supervisor')],
  request: { params: SessionIdParam },
  responses: { 200: json(SessionSchema, 'the closed session with results'), ...errors(400, 401, 403, 404, 409) },
});

export function registerCalibrationRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(createCalibration, async (c) => c.json(await c.get('services').calibration.create(currentUser(c), c.req.valid('json')), 201));
  app.openapi(listCalibrations, async (c) => {
    const rows = await c.get('services').calibration.list(currentUser(c));
    return c.json({ sessions: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), closedAt: r.closedAt?.toISOString() ?? null })) }, 200);
  });
  app.openapi(getCalibration, async (c) => c.json(await c.get('services').calibration.get(currentUser(c), c.req.valid('param').sessionId), 200));
  app.openapi(scoreCalibration, async (c) =>
    c.json(await c.get('services').calibration.score(currentUser(c), c.req.valid('param').sessionId, c.req.valid('json').scores), 200),
  );
  app.openapi(closeCalibration, async (c) => c.json(await c.get('services').calibration.close(currentUser(c), c.req.valid('param').sessionId), 200));
}
