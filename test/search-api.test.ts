/**
 * Search and trends over HTTP on PGlite and PostgreSQL (one suite): who may search what (agents not at all,
 * supervisors their team only), personal data masked in every answer unless a permitted user asks (audited),
 * every search in the audit log, CSV export, trends for supervisors. Calls are the real samples, analysed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseSamples, ApiClient, signInUsers, BACKENDS, loadCalls, startApi, type AnalysedCall, type ApiServer } from './support/api-env.js';

const SAMPLES = [
  { file: 'zh-billing-good.ogg', pipeline: 'inbound-service-zh', metadata: { agentId: 'A1', team: 'red', startedAt: '2026-11-23T09:00:00+08:00' } },
  { file: 'en-billing-bad.ogg', pipeline: 'support-en', metadata: { agentId: 'A2', team: 'blue', startedAt: '2026-11-24T09:00:00+08:00' } },
];
const USERS = [
  { username: 'sup-red', role: 'supervisor', team: 'red' },
  { username: 'sup-blue', role: 'supervisor', team: 'blue' },
  { username: 'admin1', role: 'admin' },
  { username: 'insp1', role: 'inspector' },
  { username: 'agent1', role: 'agent', agentId: 'A1', team: 'red' },
] as const;
const PASSWORD = 'correct horse battery staple';
// the customer of zh-billing-good gives a mobile number: 一三八，一二三四，五六七八
const MOBILE_TAIL = '五六七八';

let analysed: AnalysedCall[];
beforeAll(async () => {
  analysed = await analyseSamples(SAMPLES);
}, 180_000);

for (const makeBackend of BACKENDS) {
  const backend = makeBackend();
  describe(`search and trends API on ${backend.name}`, () => {
    let api: ApiServer;
    let zhCall = '';
    let as: Record<(typeof USERS)[number]['username'], ApiClient>;
    beforeAll(async () => {
      api = await startApi(await backend.setup(), {});
      [zhCall] = await loadCalls(api.store, analysed);
      as = await signInUsers(api, USERS, PASSWORD);
    }, 120_000);
    afterAll(async () => {
      await api?.close();
      await backend.teardown();
    });

    it('a supervisor finds a phrase in their team\'s calls only; the hit names the call and the moment', async () => {
      const red = await as['sup-red'].req('GET', `/api/search?q=${encodeURIComponent('賬單')}`);
      expect(red.status).toBe(200);
      expect(red.body.hits.length).toBeGreaterThan(0);
      expect(red.body.hits.every((h: { callId: string }) => h.callId === zhCall)).toBe(true);
      expect(red.body.hits[0].link).toMatch(new RegExp(`^/#/call/${zhCall}\\?t=`));
      const blue = await as['sup-blue'].req('GET', `/api/search?q=${encodeURIComponent('账单')}`);
      expect(blue.body.hits).toEqual([]);
      const blueEn = await as['sup-blue'].req('GET', '/api/search?q=bill');
      expect(blueEn.body.hits.length).toBeGreaterThan(0);
    });
    it('a search that finds nothing with a lower-case operator in it says operators are upper case; one with hits does not', async () => {
      const none = await as['sup-blue'].req('GET', `/api/search?q=${encodeURIComponent('bill or refundzzz')}`);
      expect(none.status).toBe(200);
      expect(none.body.hits).toEqual([]);
      expect(none.body.hint).toBe('"or" was searched as a word: operators are upper case (OR)');
      const some = await as['sup-blue'].req('GET', `/api/search?q=${encodeURIComponent('bill OR refundzzz')}`);
      expect(some.body.hits.length).toBeGreaterThan(0);
      expect(some.body).not.toHaveProperty('hint');
    });
    it('agents may not search (403); a bad query is a 400 naming the problem', async () => {
      expect((await as.agent1.req('GET', '/api/search?q=bill')).status).toBe(403);
      const bad = await as.admin1.req('GET', '/api/search?q=a%20NEAR%2F99%20b');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/NEAR\/99/);
      // a quote left open is a bad query too (it was searched as a word: no hits)
      const open = await as.admin1.req('GET', `/api/search?q=${encodeURIComponent('"unterminated')}`);
      expect(open.status).toBe(400);
      expect(open.body.error.message).toBe('q: unbalanced quote: the " at character 1 is never closed');
    });
    it('a chain of NEARs that would compile to a huge full-text query is a 400 saying what to do (four NEAR/20: about 43 MB of query)', async () => {
      const r = await as.admin1.req('GET', `/api/search?q=${encodeURIComponent('a NEAR/20 b NEAR/20 c NEAR/20 d NEAR/20 e')}`);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/^q: too many NEARs in a row: the query would compile to about 43,000,000 characters of full-text query \(at most 100,000\).*join pairs with AND/);
      // what it suggests is searched
      expect((await as.admin1.req('GET', `/api/search?q=${encodeURIComponent('a NEAR/20 b AND b NEAR/20 c AND c NEAR/20 d AND d NEAR/20 e')}`)).status).toBe(200);
    });
    it('offset is bounded: past 100000 is a 400 naming it (any whole number was taken, one past bigint reached the database)', async () => {
      for (const offset of ['100001', '100000000000000000000', '9223372036854775808']) {
        const r = await as.admin1.req('GET', `/api/search?q=bill&offset=${offset}`);
        expect(r.status, offset).toBe(400);
        expect(r.body.error.message, offset).toMatch(/offset: at most 100000; narrow the search with filters/);
      }
      const csv = await as.admin1.req('GET', '/api/search.csv?q=bill&offset=100000000000000000000');
      expect(csv.status).toBe(400);
      const last = await as.admin1.req('GET', '/api/search?q=bill&offset=100000');
      expect([last.status, last.body.hits]).toEqual([200, []]);
    });
    it('a date with the shape but not on the calendar is a 400 naming the parameter, in search, trends and figures (it was a 500)', async () => {
      for (const path of ['/api/search?q=bill&from=2026-13-01', '/api/search?q=bill&to=2026-02-30', '/api/trends?from=2026-02-30', '/api/trends?to=2026-11-31', '/api/figures?from=2026-00-10']) {
        const r = await as.admin1.req('GET', path);
        expect(r.status, path).toBe(400);
        expect(r.body.error.message, path).toMatch(/(from|to): not a day of the calendar/);
      }
    });
    it('personal data is masked in hits; unmasking needs the pii permission and is audited', async () => {
      const masked = await as.admin1.req('GET', `/api/search?q=${encodeURIComponent('一三八')}`);
      expect(masked.status).toBe(200);
      expect(JSON.stringify(masked.body)).not.toContain(MOBILE_TAIL);
      const raw = await as.admin1.req('GET', `/api/search?q=${encodeURIComponent('一三八')}&unmask=true`);
      expect(raw.body.hits.some((h: { snippet: string }) => h.snippet.includes(MOBILE_TAIL))).toBe(true);
      const log = await api.services.audit.query({ limit: 1000 });
      expect(log.some((e) => e.action === 'search.run.unmasked' && e.actor === 'admin1')).toBe(true);
    });
    it('every search is in the audit log with its query and filters', async () => {
      await as['sup-red'].req('GET', '/api/search?q=refund&speaker=customer&from=2026-11-01');
      const log = await api.services.audit.query({ limit: 1000 });
      const e = log.find((x) => x.action === 'search.run' && x.actor === 'sup-red' && x.details.query === 'refund');
      expect(e?.details.filters).toMatchObject({ speaker: 'customer', from: '2026-11-01' });
    });
    it('CSV export of the same search', async () => {
      const r = await as.admin1.req('GET', '/api/search.csv?q=bill');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/text\/csv/);
      expect(String(r.body).split('\r\n')[0]).toBe('callId,file,callDate,agentId,team,program,speaker,start,end,snippet,link');
    });
    it('trends for supervisors (their team) and admins; not for inspectors', async () => {
      const t = await as.admin1.req('GET', '/api/trends?by=week&periods=2');
      expect(t.status).toBe(200);
      expect(t.body.periods).toEqual(['2026-11-16', '2026-11-23']);
      expect(t.body.volume.map((v: { calls: number }) => v.calls)).toEqual([0, 2]);
      const red = await as['sup-red'].req('GET', '/api/trends?by=week&periods=2');
      expect(red.body.volume.map((v: { calls: number }) => v.calls)).toEqual([0, 1]);
      expect((await as.insp1.req('GET', '/api/trends')).status).toBe(403);
    });
    it('the watch list: supervisors save searches (audited), inspectors cannot; hits are scoped to what the user may see', async () => {
      expect((await as.insp1.req('POST', '/api/watchlist', { name: 'x', query: 'bill' })).status).toBe(403);
      const bad = await as['sup-red'].req('POST', '/api/watchlist', { name: 'bad', query: 'a NEAR/99 b' });
      expect(bad.status).toBe(400);
      const r = await as['sup-red'].req('POST', '/api/watchlist', { name: 'billing', query: '账单 OR bill' });
      expect(r.status).toBe(201);
      expect(r.body.hits).toBeGreaterThan(1);
      expect((await as['sup-red'].req('POST', '/api/watchlist', { name: 'billing', query: 'bill' })).status).toBe(409);
      const red = await as['sup-red'].req('GET', '/api/watchlist/hits');
      expect(red.body.hits.length).toBeGreaterThan(0);
      expect(red.body.hits.every((h: { callId: string }) => h.callId === zhCall)).toBe(true);
      const all = await as.admin1.req('GET', '/api/watchlist/hits?name=billing');
      expect(new Set(all.body.hits.map((h: { callId: string }) => h.callId)).size).toBe(2);
      const log = await api.services.audit.query({ limit: 1000 });
      expect(log.some((e) => e.action === 'watchlist.create' && e.actor === 'sup-red')).toBe(true);
      expect((await as.insp1.req('GET', '/api/watchlist')).body.savedSearches.map((s: { name: string }) => s.name)).toEqual(['billing']);
    });
    it('the watch list: a supervisor pauses a saved search (audited), it skips new calls, and on resuming it catches up', async () => {
      const saved = (await as.admin1.req('GET', '/api/watchlist')).body.savedSearches.find((s: { name: string }) => s.name === 'billing');
      expect((await as.insp1.req('PATCH', `/api/watchlist/${saved.id}`, { active: false })).status).toBe(403);
      expect((await as['sup-red'].req('PATCH', '/api/watchlist/00000000-0000-4000-8000-000000000000', { active: false })).status).toBe(404);
      expect((await as['sup-red'].req('PATCH', `/api/watchlist/${saved.id}`, { active: 'no' })).status).toBe(400);
      const paused = await as['sup-red'].req('PATCH', `/api/watchlist/${saved.id}`, { active: false });
      expect(paused.status).toBe(200);
      expect(paused.body.savedSearch.active).toBe(false);
      // a new call (the zh sample again, as another recording) arrives while it is paused: no hit
      const zh = analysed[0]!;
      const copy = { ...zh, report: { ...zh.report, recording: { ...zh.report.recording, contentHash: `paused-${backend.name}`, fileName: 'while-paused.ogg' } } };
      await loadCalls(api.store, [copy]);
      const during = await as.admin1.req('GET', '/api/watchlist/hits?name=billing');
      expect(during.body.hits.some((h: { file: string }) => h.file === 'while-paused.ogg')).toBe(false);
      const resumed = await as['sup-red'].req('PATCH', `/api/watchlist/${saved.id}`, { active: true });
      expect(resumed.status).toBe(200);
      expect(resumed.body.savedSearch.active).toBe(true);
      expect(resumed.body.hits).toBeGreaterThan(0);
      const after = await as.admin1.req('GET', '/api/watchlist/hits?name=billing');
      expect(after.body.hits.some((h: { file: string }) => h.file === 'while-paused.ogg')).toBe(true);
      const log = await api.services.audit.query({ limit: 1000 });
      expect(log.filter((e) => (e.action === 'watchlist.disable' || e.action === 'watchlist.enable') && e.actor === 'sup-red').map((e) => e.action)).toEqual(
        expect.arrayContaining(['watchlist.disable', 'watchlist.enable']),
      );
    });
    it("a saved search the search language now refuses says so in the pause/resume answer as in the list (it was 'resumed' with no word that it is not run)", async () => {
      const { savedSearches } = await import('../src/store/schema.js');
      const [row] = await api.store.db.insert(savedSearches).values({ name: 'saved-before-parens', query: '(refund OR bill) AND manager', active: false, createdBy: 'test' }).returning();
      const listed = (await as.admin1.req('GET', '/api/watchlist')).body.savedSearches.find((s: { name: string }) => s.name === 'saved-before-parens');
      expect(listed.problem).toMatch(/parentheses do not group/);
      const resumed = await as['sup-red'].req('PATCH', `/api/watchlist/${row!.id}`, { active: true });
      expect(resumed.status).toBe(200);
      expect(resumed.body.savedSearch.problem).toMatch(/parentheses do not group/);
      expect(resumed.body.hits).toBe(0);
      expect((await as['sup-red'].req('PATCH', `/api/watchlist/${row!.id}`, { active: false })).body.savedSearch.problem).toMatch(/parentheses/);
    });
    it('QA figures for supervisors (their team) and admins, not inspectors', async () => {
      const all = await as.admin1.req('GET', '/api/figures?by=month&group=team');
      expect(all.status).toBe(200);
      expect(all.body.figures.map((f: { key: string }) => f.key).sort()).toEqual(['blue', 'red']);
      const red = await as['sup-red'].req('GET', '/api/figures?by=month&group=team');
      expect(red.body.figures.map((f: { key: string }) => f.key)).toEqual(['red']);
      expect((await as.insp1.req('GET', '/api/figures')).status).toBe(403);
    });
    it('the operations are in the OpenAPI document', async () => {
      const doc = await as.admin1.req('GET', '/api/openapi.json');
      const ops = Object.values(doc.body.paths as Record<string, Record<string, { operationId: string }>>).flatMap((p) => Object.values(p).map((o) => o.operationId));
      expect(ops).toEqual(expect.arrayContaining(['searchTranscripts', 'exportSearch', 'trends', 'listSavedSearches', 'createSavedSearch', 'listWatchHits', 'qaFigures']));
    });
  });
}
