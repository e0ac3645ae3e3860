import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { defaultTrendsLexicon, qaFiguresOf, trends } from '../../services/trends.js';
import { hasPiiPermission } from '../../services/privacy.js';
import { hitsToCsv, MAX_SEARCH_OFFSET, MAX_SEARCH_PAGE, QueryError, searchTranscripts } from '../../services/search.js';
import { callScope, shownFileName } from '../../services/call-access.js';
import { WatchListService } from '../../services/watchlist.js';
import { ServiceError } from '../../services/errors.js';
import { checkProgramParam } from '../../services/programs.js';
import { currentUser, requireRole, type AppEnv } from '../auth.js';
import { isCalendarDay } from '../../core/calendar.js';
import { errors, json } from '../schemas.js';

/** A day of the calendar: 2026-13-01 or 2026-02-30 has the shape but reached the database, which answered 500. */
const DateParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine(isCalendarDay, 'not a day of the calendar (YYYY-MM-DD)');

const CallFilterQuery = {
  agentId: z.string().min(1).max(200).optional(),
  team: z.string().min(1).max(200).optional(),
  pipeline: z.string().min(1).max(200).optional().openapi({ description: 'QA program id (one that does not exist: 400 naming the programs there are)' }),
  from: DateParam.optional().openapi({ description: 'calls on or after this date' }),
  to: DateParam.optional().openapi({ description: 'calls on or before this date' }),
};

const SearchQuery = z.object({
  q: z.string().min(1).max(1000).openapi({ description: 'phrase (refund*: any word starting so); OR / | any of; AND / & both in one utterance; A NOT B: A in an utterance without B; A NEAR/n B (docs/search.md)' }),
  speaker: z.enum(['agent', 'customer']).optional(),
  ...CallFilterQuery,
  event: z.string().min(1).max(100).optional().openapi({ description: 'only calls with an event of this type' }),
  minScore: z.coerce.number().optional(),
  maxScore: z.coerce.number().optional(),
  reviewed: z.enum(['true', 'false']).optional().openapi({ description: 'review completed or not' }),
  unmask: z.enum(['true', 'false']).optional().openapi({ description: 'show personal data unmasked (pii permission; audited)' }),
  limit: z.coerce.number().int().min(1).max(MAX_SEARCH_PAGE).default(50),
  // without a bound, an offset past bigint reached the database: a 500
  offset: z.coerce.number().int().min(0).max(MAX_SEARCH_OFFSET, `at most ${MAX_SEARCH_OFFSET}; narrow the search with filters (from, to, speaker, team …) instead of paging that far`).default(0),
});

const HitSchema = z
  .object({
    callId: z.string(), runId: z.string(), file: z.string(), agentId: z.string().nullable(), team: z.string().nullable(), program: z.string(),
    callDate: z.string().nullable(), speaker: z.string(), idx: z.number().int().openapi({ description: "the utterance's index in the transcript" }), start: z.number(), end: z.number(), snippet: z.string(),
    highlights: z.array(z.object({ start: z.number(), end: z.number() })), link: z.string(), rank: z.number(),
  })
  .openapi('SearchHit');

const searchRoute = createRoute({
  method: 'get',
  path: '/api/search',
  operationId: 'searchTranscripts',
  tags: ['search'],
  summary: 'Full-text search over the transcripts of the calls this user may see (audited); personal data masked unless unmask=true',
  middleware: [requireRole('inspector', 'supervisor', 'admin')],
  request: { query: SearchQuery },
  responses: { 200: json(z.object({ query: z.string(), hits: z.array(HitSchema), more: z.boolean(), hint: z.string().optional().openapi({ description: 'with no hits: lower-case operator words (or, and, near/5) the query searched as words' }) }).openapi('SearchResult'), 'ranked hits'), ...errors(400, 401, 403) },
});

const searchCsvRoute = createRoute({
  method: 'get',
  path: '/api/search.csv',
  operationId: 'exportSearch',
  tags: ['search'],
  summary: 'The same search as CSV (audited)',
  middleware: [requireRole('inspector', 'supervisor', 'admin')],
  request: { query: SearchQuery },
  responses: { 200: { description: 'CSV, one row per hit', content: { 'text/csv': { schema: z.string() } } }, ...errors(400, 401, 403) },
});

const TrendsQuery = z.object({
  by: z.enum(['day', 'week', 'month']).default('week'),
  periods: z.coerce.number().int().min(2).max(366).default(8),
  ...CallFilterQuery,
});

const trendsRoute = createRoute({
  method: 'get',
  path: '/api/trends',
  operationId: 'trends',
  tags: ['search'],
  summary: 'Counts and rates over time of every event type and lexicon entry, and emerging customer phrases',
  middleware: [requireRole('supervisor', 'admin')],
  request: { query: TrendsQuery },
  responses: {
    200: json(
      z.object({
        by: z.string(),
        periods: z.array(z.string()),
        volume: z.array(z.object({ period: z.string(), calls: z.number(), talkHours: z.number() })),
        series: z.array(z.object({ key: z.string(), label: z.string().nullable().openapi({ description: 'a lexicon entry\'s first phrase for lexicon:<id> keys; null for event:<type> keys' }), total: z.number(), counts: z.array(z.number()), rate: z.array(z.number().nullable()), points: z.array(z.record(z.string(), z.unknown())) })),
        emerging: z.array(z.object({ phrase: z.string(), countNow: z.number(), countBefore: z.number(), score: z.number(), logRatio: z.number(), exampleCallIds: z.array(z.string()) }).passthrough()),
      }).openapi('Trends'),
      'trends',
    ),
    ...errors(400, 401, 403),
  },
});

const SavedSearchSchema = z
  .object({
    id: z.string(), name: z.string(), query: z.string(), filters: z.record(z.string(), z.unknown()), active: z.boolean(), createdBy: z.string(), createdAt: z.string(),
    problem: z.string().nullable().optional().openapi({ description: 'why the query is not run (the search language refuses it, e.g. one saved before parentheses were refused); null or absent: it is run' }),
  })
  .openapi('SavedSearch');
const WatchHitSchema = z
  .object({ savedSearch: z.string(), callId: z.string(), runId: z.string(), file: z.string(), speaker: z.string(), start: z.number(), end: z.number(), at: z.string() })
  .openapi('WatchHit');

const listSavedSearches = createRoute({
  method: 'get', path: '/api/watchlist', operationId: 'listSavedSearches', tags: ['search'],
  summary: 'The compliance watch list: saved searches run over every newly analysed call',
  middleware: [requireRole('inspector', 'supervisor', 'admin')],
  responses: { 200: json(z.object({ savedSearches: z.array(SavedSearchSchema) }), 'saved searches'), ...errors(401, 403) },
});
const createSavedSearch = createRoute({
  method: 'post', path: '/api/watchlist', operationId: 'createSavedSearch', tags: ['search'],
  summary: 'Save a search for the watch list (supervisor, admin; audited); it is run over the calls analysed so far at once',
  middleware: [requireRole('supervisor', 'admin')],
  request: {
    body: { required: true, content: { 'application/json': { schema: z.object({
      name: z.string().min(1).max(100), query: z.string().min(1).max(1000), speaker: z.enum(['agent', 'customer']).optional(),
      team: z.string().min(1).max(200).optional(), pipeline: z.string().min(1).max(200).optional(),
    }) } } },
  },
  responses: { 201: json(z.object({ savedSearch: SavedSearchSchema, hits: z.number() }), 'saved'), ...errors(400, 401, 403, 409) },
});
const setSavedSearchActive = createRoute({
  method: 'patch', path: '/api/watchlist/{id}', operationId: 'setSavedSearchActive', tags: ['search'],
  summary: 'Pause or resume a saved search (supervisor, admin; audited); a resumed search catches up on the calls analysed meanwhile',
  middleware: [requireRole('supervisor', 'admin')],
  request: {
    params: z.object({ id: z.string().uuid() }),
    body: { required: true, content: { 'application/json': { schema: z.object({ active: z.boolean() }).strict() } } },
  },
  responses: { 200: json(z.object({ savedSearch: SavedSearchSchema, hits: z.number() }), 'the saved search as it is now, and the hits its catch-up found'), ...errors(400, 401, 403, 404) },
});
const listWatchHits = createRoute({
  method: 'get', path: '/api/watchlist/hits', operationId: 'listWatchHits', tags: ['search'],
  summary: 'Findings the watch list raised in the calls this user may see, newest first',
  middleware: [requireRole('inspector', 'supervisor', 'admin')],
  request: { query: z.object({ callId: z.string().uuid().optional(), name: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }) },
  responses: { 200: json(z.object({ hits: z.array(WatchHitSchema) }), 'hits'), ...errors(400, 401, 403) },
});

const qaFiguresRoute = createRoute({
  method: 'get', path: '/api/figures', operationId: 'qaFigures', tags: ['search'],
  summary: 'The QA figures per agent/team and period: 监听合格率 (pass rate), final scores, fatal rate, handling time, talk/silence/hold shares, repeat contacts',
  middleware: [requireRole('supervisor', 'admin')],
  request: {
    query: z.object({
      by: z.enum(['day', 'week', 'month']).default('week'),
      group: z.enum(['agent', 'team', 'all']).default('all'),
      passScore: z.coerce.number().min(1).max(100).default(80).openapi({ description: 'pass mark, percent of the maximum' }),
      repeatDays: z.coerce.number().int().min(1).max(90).default(7),
      ...CallFilterQuery,
    }),
  },
  responses: { 200: json(z.object({ passScorePct: z.number(), figures: z.array(z.record(z.string(), z.unknown())) }).openapi('QaFigures'), 'figures'), ...errors(400, 401, 403) },
});

type SearchQ = z.infer<typeof SearchQuery>;

async function runSearch(c: Parameters<Parameters<OpenAPIHono<AppEnv>['openapi']>[1]>[0], q: SearchQ, format: 'json' | 'csv') {
  const user = currentUser(c);
  const services = c.get('services');
  const unmask = q.unmask === 'true';
  if (unmask && !hasPiiPermission(user)) throw new ServiceError(403, 'forbidden', 'unmasking personal data needs the pii permission');
  await checkProgramParam(services.store.db, 'query.pipeline', q.pipeline);
  const filters = {
    speaker: q.speaker, agentId: q.agentId, team: q.team, pipelineId: q.pipeline, from: q.from, to: q.to, eventType: q.event,
    minScore: q.minScore, maxScore: q.maxScore, reviewed: q.reviewed === undefined ? undefined : q.reviewed === 'true', scope: callScope(user),
    // the calls this user scores blind in a calibration session match no score or finding filter (docs/review.md)
    scoresHiddenOf: [...(await services.calibration.blindCalls(user))],
  };
  let result;
  try {
    result = await searchTranscripts(services.store.db, q.q, filters, { limit: q.limit, offset: q.offset }, { maskPersonalData: !unmask, companyNumbers: services.companyNumbers });
  } catch (err) {
    if (err instanceof QueryError) throw new ServiceError(400, 'invalid_request', `q: ${err.message}`);
    throw err;
  }
  // a call's file as this user may see it (admins: the path on the server)
  result = { ...result, hits: result.hits.map((h) => ({ ...h, file: shownFileName(user, h.file) })) };
  const { scope: _scope, scoresHiddenOf: _hidden, ...logged } = filters;
  await services.audit.audit(user, unmask ? 'search.run.unmasked' : 'search.run', { type: 'search', id: q.q }, { query: q.q, filters: logged, hits: result.hits.length, format });
  return result;
}

export function registerSearchRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(searchRoute, async (c) => {
    const r = await runSearch(c, c.req.valid('query'), 'json');
    return c.json({ query: r.query, hits: r.hits, more: r.more, ...(r.hint ? { hint: r.hint } : {}) }, 200);
  });
  app.openapi(searchCsvRoute, async (c) => {
    const r = await runSearch(c, c.req.valid('query'), 'csv');
    return c.body(hitsToCsv(r.hits), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="callqa-search.csv"' });
  });
  app.openapi(listSavedSearches, async (c) => {
    const rows = await new WatchListService(c.get('services').store.db).list();
    return c.json({ savedSearches: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), checkedUntil: undefined })) }, 200);
  });
  app.openapi(createSavedSearch, async (c) => {
    const user = currentUser(c);
    const b = c.req.valid('json');
    const services = c.get('services');
    await checkProgramParam(services.store.db, 'body.pipeline', b.pipeline);
    const svc = new WatchListService(services.store.db);
    let row;
    try {
      row = await svc.add({ name: b.name, query: b.query, filters: { speaker: b.speaker, team: b.team, pipelineId: b.pipeline } }, user.username);
    } catch (err) {
      const msg = (err as Error).message;
      if (err instanceof QueryError) throw new ServiceError(400, 'invalid_request', `query: ${msg}`);
      throw new ServiceError(/already exists/.test(msg) ? 409 : 400, /already exists/.test(msg) ? 'conflict' : 'invalid_request', msg);
    }
    await services.audit.audit(user, 'watchlist.create', { type: 'saved_search', id: row.id }, { name: row.name, query: row.query, filters: row.filters });
    const hits = await svc.check();
    return c.json({ savedSearch: { ...row, createdAt: row.createdAt.toISOString(), checkedUntil: undefined }, hits }, 201);
  });
  app.openapi(setSavedSearchActive, async (c) => {
    const user = currentUser(c);
    const { id } = c.req.valid('param');
    const { active } = c.req.valid('json');
    const services = c.get('services');
    const svc = new WatchListService(services.store.db);
    const row = await svc.setActiveById(id, active);
    if (!row) throw new ServiceError(404, 'not_found', `no saved search ${id}`);
    await services.audit.audit(user, active ? 'watchlist.enable' : 'watchlist.disable', { type: 'saved_search', id: row.id }, { name: row.name });
    const hits = active ? await svc.check() : 0;
    return c.json({ savedSearch: { ...row, createdAt: row.createdAt.toISOString(), checkedUntil: undefined }, hits }, 200);
  });
  app.openapi(listWatchHits, async (c) => {
    const user = currentUser(c);
    const q = c.req.valid('query');
    const svc = new WatchListService(c.get('services').store.db);
    await svc.check();
    const hits = await svc.hits({ callId: q.callId, savedSearch: q.name, limit: q.limit, scope: callScope(user) });
    return c.json({ hits: hits.map((h) => ({ ...h, file: shownFileName(user, h.file) })) }, 200);
  });
  app.openapi(qaFiguresRoute, async (c) => {
    const user = currentUser(c);
    const q = c.req.valid('query');
    await checkProgramParam(c.get('services').store.db, 'query.pipeline', q.pipeline);
    const figures = await qaFiguresOf(c.get('services').store.db, {
      by: q.by, groupBy: q.group, passShare: q.passScore / 100, repeatWindowDays: q.repeatDays,
      agentId: q.agentId, team: q.team, pipelineId: q.pipeline, from: q.from, to: q.to, scope: callScope(user),
      // final scores, fatal and pass rates: without the calls this user scores blind in a calibration session
      // (an agent and a day may hold just one of them)
      leaveOut: [...(await c.get('services').calibration.blindCalls(user))],
    });
    return c.json({ passScorePct: q.passScore, figures: figures as unknown as Record<string, unknown>[] }, 200);
  });
  app.openapi(trendsRoute, async (c) => {
    const user = currentUser(c);
    const q = c.req.valid('query');
    const services = c.get('services');
    await checkProgramParam(services.store.db, 'query.pipeline', q.pipeline);
    // the findings' counts: without the calls this user scores blind in a calibration session (as the figures)
    const leaveOut = [...(await services.calibration.blindCalls(user))];
    const r = await trends(services.store.db, { by: q.by, periods: q.periods, agentId: q.agentId, team: q.team, pipelineId: q.pipeline, from: q.from, to: q.to, scope: callScope(user), leaveOut }, await defaultTrendsLexicon());
    return c.json(r as never, 200);
  });
}
