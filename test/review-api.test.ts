/**
 * The review API over real HTTP (port 0), on embedded PGlite and on the PostgreSQL server: one suite, run
 * unchanged on both. Data: shipped sample calls analysed by the real pipeline (audio, sidecar transcript, text
 * detectors, scorecard). Covers every role against every operation, ids of calls a user may not see (404),
 * each decision rule, review completion with the draft's arithmetic, rescore after review, disputes (window,
 * limit, rulings), history, the audit log, CSRF, API tokens, session expiry/revocation and login throttling.
 * The clock is injected: the tests move it (dispute window, throttle window, session expiry).
 */
import { request as httpRequest } from 'node:http';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewSettings } from '../src/review/settings.js';
import { parseCsv } from '../src/pipeline/metadata.js';
import { systemActor } from '../src/services/types.js';
import { callAssignments } from '../src/store/schema.js';
import { analyseSamples, ApiClient, BACKENDS, loadCalls, serveApp, startApi, type AnalysedCall, type ApiServer } from './support/api-env.js';

const SAMPLES = [
  // A: agent A1 of team blue; B: agent A2 of team green; C: agent A1 again
  { file: 'en-billing-bad.ogg', pipeline: 'support-en', metadata: { agentId: 'A1', team: 'blue', callId: 'EXT-A' } },
  { file: 'zh-complaint-bad.ogg', pipeline: 'inbound-service-zh', metadata: { agentId: 'A2', team: 'green', callId: 'EXT-B' } },
  { file: 'en-support-good.mp3', pipeline: 'support-en', metadata: { agentId: 'A1', team: 'blue', callId: 'EXT-C' } },
];

const PASSWORD = 'correct horse battery';
const USERS = [
  { username: 'admin', role: 'admin' },
  { username: 'insp1', role: 'inspector' },
  { username: 'insp2', role: 'inspector' },
  { username: 'sup-blue', role: 'supervisor', team: 'blue' },
  { username: 'sup-green', role: 'supervisor', team: 'green' },
  { username: 'ag1', role: 'agent', agentId: 'A1', team: 'blue' },
  { username: 'ag2', role: 'agent', agentId: 'A2', team: 'green' },
] as const;
type Username = (typeof USERS)[number]['username'];

// 10:00 in Shanghai; the programs' dispute window is the same local day there, 2 disputes per review
const START = new Date('2026-11-30T02:00:00Z');
const SETTINGS: ReviewSettings = { disputeWindow: { kind: 'same_day', timeZone: 'Asia/Shanghai' }, disputeLimit: 2 };

let analysed: AnalysedCall[];
beforeAll(async () => {
  analysed = await analyseSamples(SAMPLES);
});

for (const makeBackend of BACKENDS) {
  const backend = makeBackend();
  describe(`review API on ${backend.name}`, () => {
    let api: ApiServer;
    let clock = new Date(START);
    const as = {} as Record<Username, ApiClient>;
    let A = '';
    let B = '';
    let C = '';
    const advance = (ms: number) => {
      clock = new Date(clock.getTime() + ms);
    };

    let opts: Awaited<ReturnType<typeof backend.setup>>;
    let extra: { close(): Promise<void> } | null = null;
    const startApiOnStore = async () => {
      const e = await serveApp(api.services);
      extra = e;
      return e;
    };
    const closeExtra = async () => {
      await extra?.close();
      extra = null;
    };

    beforeAll(async () => {
      opts = await backend.setup();
      api = await startApi(
        opts,
        { now: () => clock, reviewSettings: () => SETTINGS, auth: { maxFailuresPerUser: 3, maxFailuresPerAddress: 6, sessionTtlSec: 24 * 3600 } },
        { trustProxy: true },
      );
      [A, B, C] = await loadCalls(api.store, analysed);
      for (const u of USERS) await api.services.users.add(systemActor('test'), { ...u, password: PASSWORD });
      // B is assigned to insp2 (the assignment table is written by the assignment operation; set here directly)
      const insp2 = await api.services.users.repo.getUserByName('insp2');
      await api.store.db.insert(callAssignments).values({ recordingId: B, inspectorId: insp2!.id });
      for (const u of USERS) {
        as[u.username] = new ApiClient(api.base);
        const r = await as[u.username].login(u.username, PASSWORD);
        expect(r.status, `login ${u.username}`).toBe(200);
      }
    });
    afterAll(async () => {
      await api?.close();
      await backend.teardown();
    });

    const ids = (r: { body: { calls: { id: string }[] } }) => r.body.calls.map((c) => c.id).sort();

    it('serves the OpenAPI document with every operation of the workflow', async () => {
      const r = await new ApiClient(api.base).req('GET', '/api/openapi.json');
      expect(r.status).toBe(200);
      const ops = Object.values(r.body.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((p) => Object.values(p).map((o) => o.operationId));
      for (const op of ['login', 'logout', 'me', 'listCalls', 'getCall', 'decideItem', 'completeReview', 'callHistory', 'openDispute', 'ruleDispute', 'listDisputes']) {
        expect(ops, op).toContain(op);
      }
      expect(r.body.openapi).toMatch(/^3\./);
      const page = await new ApiClient(api.base).req('GET', '/');
      expect(page.status).toBe(200);
      expect(String(page.body)).toContain('/api/openapi.json');
    });

    it('users: names, roles, agent ids and teams are checked when added; duplicates refused', async () => {
      const add = (u: Record<string, string>) => api.services.users.add(systemActor('test'), { username: 'x', role: 'agent', password: PASSWORD, ...u });
      await expect(add({ username: 'insp1', role: 'inspector' })).rejects.toThrow(/already exists/);
      await expect(add({ role: 'agent' })).rejects.toThrow(/agent needs --agent-id/);
      await expect(add({ role: 'supervisor' })).rejects.toThrow(/supervisor needs --team/);
      await expect(add({ role: 'boss', agentId: 'A9' })).rejects.toThrow(/role "boss"/);
      await expect(add({ username: 'bad name', agentId: 'A9' })).rejects.toThrow(/username "bad name"/);
      await expect(add({ agentId: 'A9', password: 'short' })).rejects.toThrow(/at least 10/);
      // one active agent user per agent id: a second one would see (and dispute) ag1's calls, and its team's
      // supervisor would see them too
      await expect(add({ username: 'ag1-again', agentId: 'A1', team: 'green' })).rejects.toThrow(/agent id A1 already belongs to the active agent user "ag1"/);
      const ag2 = (await api.services.users.list()).find((u) => u.username === 'ag2')!;
      await expect(api.services.users.update(systemActor('test'), ag2.id, { agentId: 'A1' })).rejects.toThrow(/already belongs/);
      expect((await api.services.users.get(ag2.id)).agentId).toBe('A2');
      expect((await api.services.users.list()).map((u) => u.username).sort()).toEqual(USERS.map((u) => u.username).sort());
    });

    it('login: HttpOnly SameSite session cookie, me, wrong password 401 without telling which part was wrong', async () => {
      const c = new ApiClient(api.base);
      const raw = await fetch(`${api.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'insp1', password: PASSWORD }) });
      const cookie = raw.headers.getSetCookie().find((x) => x.startsWith('callqa_session='))!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      expect(cookie).toMatch(/Expires=/i);
      const me = await as.ag1.req('GET', '/api/me');
      expect(me.body.user).toMatchObject({ username: 'ag1', role: 'agent', agentId: 'A1', team: 'blue' });
      expect(me.body.csrfToken).toBe(as.ag1.csrf);
      const bad = await c.login('insp1', 'wrong password!');
      const unknown = await c.login('nobody', 'wrong password!');
      expect(bad.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(bad.body.error.message).toBe(unknown.body.error.message);
      expect((await c.req('GET', '/api/me')).status).toBe(401);
      expect((await c.req('GET', '/api/calls')).status).toBe(401);
    });

    it('validates bodies, queries and paths by schema, naming the field', async () => {
      const r = await as.insp1.req('POST', `/api/calls/${A}/review/decisions`, { itemId: 'greeting', action: 'override', points: 'five' });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/body\.points/);
      const extra = await as.insp1.req('POST', `/api/calls/${A}/review/decisions`, { itemId: 'greeting', action: 'confirm', sneaky: 1 });
      expect(extra.status).toBe(400);
      expect(extra.body.error.message).toMatch(/sneaky/);
      const q = await as.insp1.req('GET', '/api/calls?limit=100000');
      expect(q.status).toBe(400);
      expect(q.body.error.message).toMatch(/query\.limit/);
      const p = await as.insp1.req('GET', '/api/calls/not-a-uuid');
      expect(p.status).toBe(400);
      expect(p.body.error.message).toMatch(/path\.callId/);
      const json = await as.insp1.req('POST', `/api/calls/${A}/review/decisions`, '{not json');
      expect(json.status).toBe(400);
      expect(json.body.error.code).toBe('invalid_request');
      // PostgreSQL text cannot hold U+0000: refused as bad input (400, naming where), not a failed query (500)
      const nul = await as.insp1.req('POST', `/api/calls/${A}/review/decisions`, { itemId: 'greeting', action: 'override', points: 1, reason: { code: 'other', comment: 'a\u0000b' } });
      expect(nul.status).toBe(400);
      expect(nul.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/^body\.reason\.comment: .*NUL/) });
      for (const url of ['/api/search?q=a%00b', '/api/calls?team=blue%00', '/api/disputes?status=open%00']) {
        const r = await as.insp1.req('GET', url);
        expect(r.status, url).toBe(400);
        expect(r.body.error.message, url).toMatch(/^query\.\w+: .*NUL/);
      }
      expect((await new ApiClient(api.base).req('POST', '/api/auth/login', { username: 'insp1\u0000', password: PASSWORD })).status).toBe(400);
      // a body nested far deeper than any of this API's is refused before it is walked (it ran the walk out of stack: 500)
      const deep = await new ApiClient(api.base).req('POST', '/api/auth/login', `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
      expect(deep.status).toBe(400);
      expect(deep.body.error.message).toMatch(/^body: nested more than 32 levels deep/);
      // a backslash and "u0000" as typed are text like any other
      expect((await as.insp1.req('GET', `/api/search?q=${encodeURIComponent('a\\u0000b')}`)).status).toBe(200);
      // on its own connection: the server answers before reading the rest and closes it
      const big = await new Promise<{ status: number; nosniff?: string }>((resolve, reject) => {
        const payload = JSON.stringify({ itemId: 'greeting', action: 'override', reason: { code: 'other', comment: 'x'.repeat(1_100_000) } });
        const rq = httpRequest(`${api.base}/api/calls/${A}/review/decisions`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, nosniff: res.headers['x-content-type-options'] as string | undefined });
        });
        rq.on('error', (e) => (e.message.includes('EPIPE') || e.message.includes('ECONNRESET') ? undefined : reject(e)));
        rq.end(payload);
      });
      expect(big.status).toBe(413);
      expect(big.nosniff).toBe('nosniff');
      const none = await as.insp1.req('GET', '/api/nothing-here');
      expect(none.status).toBe(404);
      expect(none.body.error.message).toMatch(/no API operation/);
    });

    it('listCalls shows each role exactly the calls it may see', async () => {
      const expected: Record<Username, string[]> = {
        admin: [A, B, C],
        insp1: [A, C], // B is assigned to insp2
        insp2: [A, B, C],
        'sup-blue': [A, C],
        'sup-green': [B],
        ag1: [A, C],
        ag2: [B],
      };
      for (const u of USERS) {
        const r = await as[u.username].req('GET', '/api/calls');
        expect(r.status).toBe(200);
        expect(ids(r), u.username).toEqual([...expected[u.username]].sort());
      }
      // filters
      expect(ids(await as.admin.req('GET', '/api/calls?agentId=A2'))).toEqual([B]);
      expect(ids(await as.admin.req('GET', '/api/calls?pipeline=support-en'))).toEqual([A, C].sort());
      expect((await as.admin.req('GET', '/api/calls?state=completed')).body.calls).toEqual([]);
      const page = await as.admin.req('GET', '/api/calls?limit=1&offset=1');
      expect(page.body.calls).toHaveLength(1);
      expect(page.body.total).toBe(3);
    });

    it('a call the user may not see answers 404 on every operation, exactly like a missing one', async () => {
      const missing = '00000000-0000-4000-8000-000000000000';
      const cases: [Username, string][] = [
        ['ag1', B],
        ['ag2', A],
        ['insp1', B],
        ['sup-blue', B],
        ['sup-green', A],
        ['insp1', missing],
      ];
      for (const [u, id] of cases) {
        const get = await as[u].req('GET', `/api/calls/${id}`);
        expect(get.status, `${u} getCall`).toBe(404);
        expect(get.body.error.message).toBe(`call ${id} not found`);
        expect((await as[u].req('GET', `/api/calls/${id}/history`)).status, `${u} callHistory`).toBe(404);
      }
      for (const [u, id] of cases.filter(([u]) => u.startsWith('insp') || u.startsWith('sup'))) {
        expect((await as[u].req('POST', `/api/calls/${id}/review/decisions`, { itemId: 'greeting', action: 'confirm' })).status, `${u} decideItem`).toBe(404);
        expect((await as[u].req('POST', `/api/calls/${id}/review/complete`)).status, `${u} completeReview`).toBe(404);
      }
      expect((await as.ag2.req('POST', `/api/calls/${A}/disputes`, { itemId: 'greeting', reason: 'x' })).status).toBe(404);
    });

    it('roles: only inspectors and supervisors review, only agents dispute (403 whatever the id)', async () => {
      for (const u of ['ag1', 'admin'] as const) {
        const r = await as[u].req('POST', `/api/calls/${A}/review/decisions`, { itemId: 'greeting', action: 'confirm' });
        expect(r.status, u).toBe(403);
        expect(r.body.error.message).toMatch(/inspector or supervisor/);
        expect((await as[u].req('POST', `/api/calls/${A}/review/complete`)).status, u).toBe(403);
      }
      for (const u of ['insp1', 'sup-blue', 'admin'] as const) {
        expect((await as[u].req('POST', `/api/calls/${A}/disputes`, { itemId: 'greeting', reason: 'x' })).status, u).toBe(403);
      }
      const someDispute = '00000000-0000-4000-8000-000000000001';
      for (const u of ['ag1', 'insp1', 'admin'] as const) {
        expect((await as[u].req('POST', `/api/disputes/${someDispute}/ruling`, { outcome: 'upheld', reason: 'x' })).status, u).toBe(403);
      }
      expect((await as['sup-blue'].req('POST', `/api/disputes/${someDispute}/ruling`, { outcome: 'upheld', reason: 'x' })).status).toBe(404);
      for (const u of USERS) expect((await as[u.username].req('GET', '/api/disputes')).status).toBe(200);
    });

    let draftA = 0;
    let finalA = 0;
    it('an agent sees their call but not its scores or findings before the review is complete', async () => {
      const r = await as.ag1.req('GET', `/api/calls/${A}`);
      expect(r.status).toBe(200);
      expect(r.body.scorecard).toBeNull();
      expect(r.body.events).toBeNull();
      expect(r.body.draftTotal).toBeNull();
      expect(r.body.hidden).toMatch(/once the review of this call is complete/);
      expect(r.body.hiddenReason).toBe('review_incomplete');
      expect(r.body.transcript.segments.length).toBeGreaterThan(5);
      const list = await as.ag1.req('GET', '/api/calls');
      expect(list.body.calls.every((c: { draftTotal: unknown }) => c.draftTotal === null)).toBe(true);
      // the inspector sees the draft: machine answers, pending items
      const i = await as.insp1.req('GET', `/api/calls/${A}`);
      expect(i.body.scorecard.stage).toBe('draft');
      expect(i.body.scorecard.pendingItems).toEqual(['verification', 'clarity', 'understood-issue', 'accurate-info']);
      expect(i.body.events.length).toBeGreaterThan(0);
      draftA = i.body.draftTotal;
      // beside the draft score, how many items are left to judge: the summary, the list and the agent's (hidden) view agree
      expect(i.body.openItems).toBe(4);
      expect(i.body.needsReview).toBe(true);
      expect((await as.insp1.req('GET', '/api/calls')).body.calls.find((c: { id: string }) => c.id === A).openItems).toBe(4);
      expect(r.body.openItems).toBeNull();
      expect(draftA).toBe(i.body.scorecard.total);
      // the machine's answers this test's hand arithmetic starts from (samples/README.md: no greeting)
      const item = (id: string) => i.body.scorecard.sections.flatMap((s: { items: unknown[] }) => s.items).find((x: { id: string }) => x.id === id);
      expect(item('greeting')).toMatchObject({ status: 'deducted', points: 0, maxPoints: 5 });
      expect(item('verification')).toMatchObject({ status: 'needs_review', maxPoints: 5, suggested: { points: 0 } });
      expect(item('understood-issue')).toMatchObject({ kind: 'manual', maxPoints: 10 });
    });

    it('decision rules: reason required for an override, points in range, hand scores for manual items', async () => {
      const decide = (body: unknown) => as.insp1.req('POST', `/api/calls/${A}/review/decisions`, body);
      let r = await decide({ itemId: 'greeting', action: 'override', points: 3 });
      expect(r.status).toBe(422);
      expect(r.body.error.message).toMatch(/needs a reason/);
      r = await decide({ itemId: 'greeting', action: 'override', points: 3, reason: { code: 'wrong_score' } });
      expect(r.status).toBe(422);
      expect(r.body.error.message).toMatch(/comment/);
      r = await decide({ itemId: 'greeting', action: 'override', points: 6, reason: { code: 'wrong_score', comment: 'x' } });
      expect(r.status).toBe(422);
      expect(r.body.error.message).toMatch(/between 0 and 5/);
      r = await decide({ itemId: 'greeting', action: 'override', points: 3, reason: { code: 'made_up', comment: 'x' } });
      expect(r.status).toBe(400);
      r = await decide({ itemId: 'clarity', action: 'confirm' });
      expect(r.status).toBe(422);
      expect(r.body.error.message).toMatch(/judged by hand/);
      r = await decide({ itemId: 'verification', action: 'confirm', points: 5 });
      expect(r.status).toBe(422);
      expect(r.body.error.message).toMatch(/override with a reason/);
      r = await decide({ itemId: 'no-such-item', action: 'confirm' });
      expect(r.status).toBe(404);

      r = await decide({ itemId: 'greeting', action: 'override', points: 3, reason: { code: 'wrong_score', comment: '"Yeah, billing" is a greeting of sorts' } });
      expect(r.status).toBe(200);
      expect(r.body.item).toMatchObject({ id: 'greeting', points: 3, status: 'deducted', machine: { points: 0, status: 'deducted' }, human: { action: 'override', points: 3, reasonCode: 'wrong_score', decidedBy: 'insp1' } });
      expect(r.body.pendingItems).toEqual(['verification', 'clarity', 'understood-issue', 'accurate-info']);

      const done = await as.insp1.req('POST', `/api/calls/${A}/review/complete`);
      expect(done.status).toBe(409);
      expect(done.body.error.message).toMatch(/4 item\(s\) still need a decision: verification, clarity, understood-issue, accurate-info/);
      expect(done.body.error.pendingItems).toHaveLength(4);

      // verification: accept the machine's suggestion (0 of 5); the manual items scored by hand
      r = await decide({ itemId: 'verification', action: 'confirm' });
      expect(r.status).toBe(200);
      expect(r.body.item).toMatchObject({ points: 0, status: 'deducted' });
      for (const [itemId, points] of [['clarity', 5], ['understood-issue', 8], ['accurate-info', 10]] as const) {
        r = await decide({ itemId, action: 'confirm', points });
        expect(r.status, itemId).toBe(200);
      }
      expect(r.body.pendingItems).toEqual([]);
      // deciding an item again adds a decision; the newest counts
      r = await decide({ itemId: 'understood-issue', action: 'confirm', points: 9 });
      r = await decide({ itemId: 'understood-issue', action: 'confirm', points: 8 });
      // the draft counts pending items at full marks: verification 5 -> 0 (-5), understood-issue 10 -> 8 (-2),
      // clarity and accurate-info at full marks (0); greeting 0 -> 3 (+3). Sections opening and resolution hold
      // no penalty items, so no section floor interferes: final = draft - 4.
      finalA = draftA - 4;
      expect(r.body.total).toBe(finalA);
    });

    it('completing fixes the final score (same arithmetic as the draft) and publishes it to the agent', async () => {
      const r = await as.insp1.req('POST', `/api/calls/${A}/review/complete`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ total: finalA, maxTotal: 100, fatal: false, version: 1, completedAt: clock.toISOString() });
      const again = await as.insp1.req('POST', `/api/calls/${A}/review/complete`);
      expect(again.status).toBe(409);
      const late = await as['sup-blue'].req('POST', `/api/calls/${A}/review/decisions`, { itemId: 'greeting', action: 'confirm' });
      expect(late.status).toBe(409);
      expect(late.body.error.message).toMatch(/completed .* dispute/);

      const mine = await as.ag1.req('GET', `/api/calls/${A}`);
      expect(mine.body.hidden).toBeNull();
      expect(mine.body.scorecard).toMatchObject({ stage: 'final', total: finalA, version: 1, complete: true });
      const items = mine.body.scorecard.sections.flatMap((s: { items: unknown[] }) => s.items);
      const greeting = items.find((i: { id: string }) => i.id === 'greeting');
      expect(greeting).toMatchObject({ points: 3, machine: { points: 0 }, human: { points: 3, reasonCode: 'wrong_score' } });
      const pass = items.find((i: { id: string }) => i.id === 'dead-air');
      expect(pass).toMatchObject({ acceptedAtCompletion: true, human: null });
      expect(mine.body.disputeWindow).toMatchObject({ open: true, closesAt: '2026-11-30T16:00:00.000Z', limit: 2, used: 0 });
      const list = await as.ag1.req('GET', '/api/calls?state=completed');
      expect(list.body.calls).toMatchObject([{ id: A, finalTotal: finalA, draftTotal: draftA, review: { state: 'completed' } }]);
      // insp2 (not assigned, did not review) no longer sees a completed call in the queue; insp1 still does
      expect(ids(await as.insp2.req('GET', '/api/calls'))).toEqual([B, C].sort());
      expect(ids(await as.insp1.req('GET', '/api/calls'))).toEqual([A, C].sort());
    });

    it('exportCalls: results as CSV per call or per item, scoped like the list, final only when completed, no transcript text (audited)', async () => {
      const csvOf = async (who: Username, query: string) => {
        const r = await as[who].req('GET', `/api/calls.csv${query}`);
        expect(r.status, who).toBe(200);
        expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
        const text = String(r.body); // (fetch's text() drops the BOM: checked on the bytes below)
        const [head, ...rows] = parseCsv(text).map((x) => x.cells);
        return { text, rows: rows.map((cells) => Object.fromEntries(head!.map((h, i) => [h, cells[i] ?? '']))) };
      };
      const calls = await csvOf('admin', '');
      expect(calls.rows.map((r) => r.callId).sort()).toEqual([A, B, C].sort());
      // UTF-8 with a BOM, so a spreadsheet reads the Chinese titles
      const raw = new Uint8Array(await (await fetch(`${api.base}/api/calls.csv`, { headers: { cookie: [...as.admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } })).arrayBuffer());
      expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const a = calls.rows.find((r) => r.callId === A)!;
      expect(a).toMatchObject({ externalId: 'EXT-A', agentId: 'A1', team: 'blue', program: 'support-en', reviewState: 'completed', stage: 'final', score: String(finalA), maxScore: '100', final: 'true', openItems: '0' });
      const c = calls.rows.find((r) => r.callId === C)!;
      expect(c.final).toBe('false');
      expect(c.stage).not.toBe('final');

      const items = await csvOf('admin', '?shape=items&agentId=A1');
      expect(new Set(items.rows.map((r) => r.callId))).toEqual(new Set([A, C]));
      const greeting = items.rows.find((r) => r.callId === A && r.itemId === 'greeting')!;
      expect(greeting).toMatchObject({ machinePoints: '0', points: '3', answeredBy: 'inspector', decidedBy: 'insp1', reasonCode: 'wrong_score' });
      expect(items.rows.find((r) => r.callId === A && r.itemId === 'dead-air')).toMatchObject({ answeredBy: 'accepted', decidedBy: '' });
      expect(items.rows.filter((r) => r.callId === C).every((r) => r.answeredBy === 'machine' || r.answeredBy === 'pending')).toBe(true);

      // an agent: their own calls only, and no score before the review is complete
      const mine = await csvOf('ag1', '');
      expect(mine.rows.map((r) => r.callId).sort()).toEqual([A, C].sort());
      expect(mine.rows.find((r) => r.callId === C)).toMatchObject({ score: '', stage: '' });
      expect((await csvOf('ag2', '?shape=items')).rows).toEqual([]);
      expect((await csvOf('sup-green', '')).rows.map((r) => r.callId)).toEqual([B]);

      // numbers, states and ids: nothing anybody said
      const said = analysed.flatMap((x) => x.report.transcript?.segments ?? []).map((sg) => sg.text).filter((tx) => tx.length > 12);
      expect(said.length).toBeGreaterThan(3);
      for (const tx of said) expect(items.text.includes(tx) || calls.text.includes(tx), tx).toBe(false);
      expect((await as.admin.req('GET', '/api/calls.csv?shape=everything')).status).toBe(400);
      const log = await api.services.audit.query({ limit: 1000, action: 'calls.export' });
      expect(log.some((e) => e.actor === 'ag1' && e.details.rows === 2)).toBe(true);
    });

    it('a rescore after the review adds a draft but changes neither the review nor its score', async () => {
      const report = analysed[0]!.report;
      const card = structuredClone(report.scorecard!.card) as { total: number };
      card.total = 99;
      const { runId } = (await api.services.access.repo.getCall({ kind: 'all' }, A))!;
      await api.store.repo.addScorecard(runId, report.run.pipelineId, report.run.pipelineVersion, card as never);
      const r = await as.insp1.req('GET', `/api/calls/${A}`);
      expect(r.body.newerDraft).toBe(true);
      expect(r.body.scorecard).toMatchObject({ stage: 'final', total: finalA });
      expect(r.body.finalTotal).toBe(finalA);
      expect(r.body.draftTotal).toBe(99);
    });

    it('a call whose draft needs nothing more completes with pending items given by hand; the final equals the draft', async () => {
      const draft = (await as['sup-blue'].req('GET', `/api/calls/${C}`)).body.scorecard;
      const items = draft.sections.flatMap((s: { items: { id: string; kind: string; maxPoints: number; status: string }[] }) => s.items);
      for (const id of draft.pendingItems as string[]) {
        const it = items.find((i: { id: string }) => i.id === id)!;
        const body = it.kind === 'fatal' ? { itemId: id, action: 'confirm' } : { itemId: id, action: 'confirm', points: it.maxPoints };
        expect((await as['sup-blue'].req('POST', `/api/calls/${C}/review/decisions`, body)).status, id).toBe(200);
      }
      const done = await as['sup-blue'].req('POST', `/api/calls/${C}/review/complete`);
      expect(done.status).toBe(200);
      // pending items were counted at full marks in the draft; given full marks, the final total is the draft's
      expect(done.body.total).toBe(draft.total);
    });

    let greetingDispute = '';
    let paceDispute = '';
    it('disputes: agent only, once per item, within the limit per review', async () => {
      advance(3 * 3600_000); // 13:00 in Shanghai, same day
      let r = await as.ag1.req('POST', `/api/calls/${A}/disputes`, { itemId: 'greeting', reason: 'I did greet the customer' });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ itemId: 'greeting', status: 'open', openedBy: 'ag1', callId: A });
      greetingDispute = r.body.id;
      r = await as.ag1.req('POST', `/api/calls/${A}/disputes`, { itemId: 'greeting', reason: 'again' });
      expect(r.status).toBe(409);
      expect(r.body.error.message).toMatch(/already disputed/);
      r = await as.ag1.req('POST', `/api/calls/${A}/disputes`, { itemId: 'pace', reason: 'the line was bad' });
      expect(r.status).toBe(201);
      paceDispute = r.body.id;
      r = await as.ag1.req('POST', `/api/calls/${A}/disputes`, { itemId: 'thanks', reason: 'one more' });
      expect(r.status).toBe(409);
      expect(r.body.error.message).toMatch(/limit .* 2 per review/);
      r = await as.ag1.req('POST', `/api/calls/${A}/disputes`, { itemId: 'nope', reason: 'x' });
      expect([404, 409]).toContain(r.status);
      r = await as.ag1.req('POST', `/api/calls/${A}/disputes`, { itemId: 'thanks', reason: '' });
      expect(r.status).toBe(400);
      // the other agent's call is not theirs; an unreviewed call has no result to dispute
      expect((await as.ag2.req('POST', `/api/calls/${A}/disputes`, { itemId: 'greeting', reason: 'x' })).status).toBe(404);
      const unreviewed = await as.ag2.req('POST', `/api/calls/${B}/disputes`, { itemId: 'greeting', reason: 'x' });
      expect(unreviewed.status).toBe(409);
      expect(unreviewed.body.error.message).toMatch(/completed review/);
    });

    it('the dispute window closes at local midnight of the day the result reached the agent', async () => {
      // C was completed at 10:00 Shanghai; at 00:00 the next local day the window is closed
      clock = new Date('2026-11-30T16:00:00Z');
      const r = await as.ag1.req('POST', `/api/calls/${C}/disputes`, { itemId: 'greeting', reason: 'too late' });
      expect(r.status).toBe(409);
      expect(r.body.error.message).toMatch(/window closed at 2026-11-30T16:00:00.000Z/);
      clock = new Date('2026-11-30T15:59:59Z');
      const ok = await as.ag1.req('POST', `/api/calls/${C}/disputes`, { itemId: 'greeting', reason: 'just in time' });
      expect(ok.status).toBe(201);
      expect((await as.ag1.req('POST', `/api/calls/${C}/disputes`, { itemId: 'closing', reason: 'and this one' })).status).toBe(201);
    });

    it('rulings: the team supervisor upholds or amends with a reason; the score follows; a ruling is final', async () => {
      expect((await as['sup-green'].req('POST', `/api/disputes/${greetingDispute}/ruling`, { outcome: 'upheld', reason: 'x' })).status).toBe(404);
      let r = await as['sup-blue'].req('POST', `/api/disputes/${greetingDispute}/ruling`, { outcome: 'upheld', reason: '' });
      expect(r.status).toBe(400);
      r = await as['sup-blue'].req('POST', `/api/disputes/${greetingDispute}/ruling`, { outcome: 'amended', reason: 'partly right' });
      expect(r.status).toBe(422);
      expect(r.body.error.message).toMatch(/new points/);
      r = await as['sup-blue'].req('POST', `/api/disputes/${greetingDispute}/ruling`, { outcome: 'amended', points: 5, reason: 'the greeting was fine on the recording' });
      expect(r.status).toBe(200);
      // greeting 3 -> 5: +2, as result version 2
      expect(r.body).toMatchObject({ status: 'amended', amendedPoints: 5, ruledBy: 'sup-blue', total: finalA + 2, version: 2 });
      r = await as['sup-blue'].req('POST', `/api/disputes/${greetingDispute}/ruling`, { outcome: 'upheld', reason: 'changed my mind' });
      expect(r.status).toBe(409);
      r = await as['sup-blue'].req('POST', `/api/disputes/${paceDispute}/ruling`, { outcome: 'upheld', reason: 'the agent spoke too fast' });
      expect(r).toMatchObject({ status: 200, body: { status: 'upheld', total: finalA + 2, version: 2 } });

      // the agent sees the outcome
      const mine = await as.ag1.req('GET', '/api/disputes');
      const byItem = Object.fromEntries(mine.body.disputes.map((d: { itemId: string; callId: string }) => [`${d.callId}:${d.itemId}`, d]));
      expect(byItem[`${A}:greeting`]).toMatchObject({ status: 'amended', rulingReason: 'the greeting was fine on the recording', amendedPoints: 5 });
      expect(byItem[`${A}:pace`]).toMatchObject({ status: 'upheld' });
      expect(byItem[`${C}:greeting`]).toMatchObject({ status: 'open' });
      const call = await as.ag1.req('GET', `/api/calls/${A}`);
      expect(call.body.scorecard).toMatchObject({ total: finalA + 2, version: 2 });
      expect(call.body.finalTotal).toBe(finalA + 2);
      const greeting = call.body.scorecard.sections.flatMap((s: { items: unknown[] }) => s.items).find((i: { id: string }) => i.id === 'greeting');
      expect(greeting).toMatchObject({ points: 5, amendedBy: greetingDispute, machine: { points: 0 }, human: { points: 3 } });
      // who sees which disputes
      expect((await as['sup-blue'].req('GET', '/api/disputes?status=open')).body.disputes.map((d: { callId: string }) => d.callId)).toEqual([C, C]);
      expect((await as['sup-green'].req('GET', '/api/disputes')).body.disputes).toEqual([]);
      expect((await as.ag2.req('GET', '/api/disputes')).body.disputes).toEqual([]);
      expect((await as.insp1.req('GET', '/api/disputes')).body.disputes).toHaveLength(2);
      expect((await as.admin.req('GET', '/api/disputes')).body.disputes).toHaveLength(4);
    });

    it('two rulings on one review at the same time both land, as result versions 2 and 3', async () => {
      const call = (await as['sup-blue'].req('GET', `/api/calls/${C}`)).body;
      const items = call.scorecard.sections.flatMap((s: { items: { id: string; points: number }[] }) => s.items);
      const open = (await as['sup-blue'].req('GET', '/api/disputes?status=open')).body.disputes as { id: string; itemId: string }[];
      expect(open.map((d) => d.itemId).sort()).toEqual(['closing', 'greeting']);
      // each item to 1 point (2 if it has 1); opening and closing sections hold no penalties: no floor interferes
      const target = (id: string) => (items.find((i: { id: string }) => i.id === id)!.points === 1 ? 2 : 1);
      const delta = open.reduce((a, d) => a + target(d.itemId) - items.find((i: { id: string }) => i.id === d.itemId)!.points, 0);
      const rulings = await Promise.all(
        open.map((d) => as['sup-blue'].req('POST', `/api/disputes/${d.id}/ruling`, { outcome: 'amended', points: target(d.itemId), reason: 'relistened' })),
      );
      expect(rulings.map((r) => r.status)).toEqual([200, 200]);
      expect(rulings.map((r) => r.body.version).sort()).toEqual([2, 3]);
      const after = (await as.ag1.req('GET', `/api/calls/${C}`)).body.scorecard;
      expect(after).toMatchObject({ version: 3, total: call.scorecard.total + delta });
    });

    it('callHistory has every step in order; agents see it once the review is complete', async () => {
      // a read is not a step, unmasked or not
      expect((await as.insp1.req('GET', `/api/calls/${A}?unmask=true`)).status).toBe(200);
      const h = await as.insp1.req('GET', `/api/calls/${A}/history`);
      expect(h.status).toBe(200);
      const actions = h.body.history.map((e: { action: string }) => e.action);
      expect(actions.filter((a: string) => a === 'draft.created')).toHaveLength(2);
      const steps = actions.filter((a: string) => a !== 'draft.created');
      expect(steps).toEqual([
        'review.start',
        ...Array(7).fill('review.decide'),
        'review.complete',
        'dispute.open',
        'dispute.open',
        'dispute.rule',
        'dispute.rule',
      ]);
      const complete = h.body.history.find((e: { action: string }) => e.action === 'review.complete');
      expect(complete).toMatchObject({ actor: 'insp1', details: { total: finalA } });
      expect(h.body.history.find((e: { action: string }) => e.action === 'dispute.rule')).toMatchObject({ actor: 'sup-blue', itemId: 'greeting', details: { outcome: 'amended', totalBefore: finalA, totalAfter: finalA + 2 } });
      expect((await as.ag1.req('GET', `/api/calls/${A}/history`)).body.history).toHaveLength(h.body.history.length);
      // B is not reviewed: its agent sees only the draft
      const b = await as.ag2.req('GET', `/api/calls/${B}/history`);
      expect(b.body.history.map((e: { action: string }) => e.action)).toEqual(['draft.created']);
      // ... without the draft's total: no score before the review is complete (getCall and listCalls hide it too)
      expect(b.body.history[0].details).not.toHaveProperty('draftTotal');
      expect((await as.ag2.req('GET', `/api/calls/${B}`)).body.draftTotal).toBeNull();
      expect((await as['sup-green'].req('GET', `/api/calls/${B}/history`)).body.history[0].details.draftTotal).toEqual(expect.any(Number));
    });

    it('the audit log records reads of transcripts and every state change, and refuses to be edited', async () => {
      const reads = await api.services.audit.query({ action: 'call.transcript.read', callId: A, limit: 1000 });
      expect(new Set(reads.map((e) => e.actor))).toEqual(new Set(['ag1', 'insp1']));
      const logins = await api.services.audit.query({ action: 'session.login', limit: 1000 });
      expect(logins.length).toBeGreaterThanOrEqual(USERS.length);
      const adds = await api.services.audit.query({ action: 'user.add', limit: 100 });
      expect(adds.map((e) => e.details.username).sort()).toEqual(USERS.map((u) => u.username).sort());
      const refused = async (q: Promise<unknown>) => {
        const err = await q.then(() => null, (e: Error & { cause?: Error }) => e);
        expect(err, 'the statement must fail').not.toBeNull();
        expect(`${err!.message} ${err!.cause?.message ?? ''}`).toMatch(/audit_log is append-only/);
      };
      await refused(api.store.db.execute(sql`update audit_log set actor_name = 'someone else'`));
      await refused(api.store.db.execute(sql`delete from audit_log`));
      await refused(api.store.db.execute(sql`truncate audit_log`));
      expect((await api.services.audit.query({ action: 'user.add', limit: 100 })).length).toBe(USERS.length);
    });

    it('CSRF: a state change with the session cookie needs the session token; a cross-site Origin is refused', async () => {
      const body = { itemId: 'banned-phrase', action: 'confirm' };
      let r = await as.insp2.req('POST', `/api/calls/${B}/review/decisions`, body, { csrf: false });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('csrf_failed');
      r = await as.insp2.req('POST', `/api/calls/${B}/review/decisions`, body, { csrf: 'forged-token' });
      expect(r.status).toBe(403);
      // another user's token does not fit this session
      r = await as.insp2.req('POST', `/api/calls/${B}/review/decisions`, body, { csrf: as.insp1.csrf! });
      expect(r.status).toBe(403);
      r = await as.insp2.req('POST', `/api/calls/${B}/review/decisions`, body, { headers: { origin: 'https://evil.example' } });
      expect(r.status).toBe(403);
      expect(r.body.error.message).toMatch(/cross-site/);
      // nothing was decided by the refused requests
      expect((await as.insp2.req('GET', `/api/calls/${B}`)).body.scorecard.stage).toBe('draft');
      r = await as.insp2.req('POST', `/api/calls/${B}/review/decisions`, body);
      expect(r.status).toBe(200);
    });

    it('two people on one open review: a step on a revision someone else has moved on from is refused (409), never lost', async () => {
      const url = `/api/calls/${B}/review/decisions`;
      const seen = (await as.insp2.req('GET', `/api/calls/${B}`)).body.scorecard;
      expect(seen).toMatchObject({ stage: 'in_review', revision: expect.any(Number) });
      // nothing is "accepted at completion" before there is one
      const flags = (card: { sections: { items: { acceptedAtCompletion: boolean }[] }[] }) => card.sections.flatMap((s) => s.items.map((i) => i.acceptedAtCompletion));
      expect(new Set(flags(seen))).toEqual(new Set([false]));
      const rev = seen.revision as number;
      // the team's supervisor decides meanwhile, on the same revision
      let r = await as['sup-green'].req('POST', url, { itemId: 'banned-phrase', action: 'confirm', expectedRevision: rev });
      expect(r.status).toBe(200);
      expect(r.body.revision).toBe(rev + 1);
      // the inspector's page still shows revision `rev`: neither a decision nor the completion goes through
      r = await as.insp2.req('POST', url, { itemId: 'banned-phrase', action: 'confirm', expectedRevision: rev });
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'conflict', revision: rev + 1 });
      expect(r.body.error.message).toMatch(/sup-green/);
      r = await as.insp2.req('POST', `/api/calls/${B}/review/complete?expectedRevision=${rev}`);
      expect(r.status).toBe(409);
      expect(r.body.error.revision).toBe(rev + 1);
      expect((await as.insp2.req('GET', `/api/calls/${B}`)).body.scorecard).toMatchObject({ stage: 'in_review', revision: rev + 1 });
      // on the current revision it goes through; the user's own quicker steps are no conflict
      r = await as.insp2.req('POST', url, { itemId: 'banned-phrase', action: 'confirm', expectedRevision: rev + 1 });
      expect(r.body.revision).toBe(rev + 2);
      r = await as.insp2.req('POST', url, { itemId: 'banned-phrase', action: 'confirm', expectedRevision: rev + 1 });
      expect(r.status).toBe(200);
      // a revision from the future, or not a count, is refused
      expect((await as.insp2.req('POST', url, { itemId: 'banned-phrase', action: 'confirm', expectedRevision: rev + 99 })).status).toBe(409);
      expect((await as.insp2.req('POST', `/api/calls/${B}/review/complete?expectedRevision=x`)).status).toBe(400);
    });

    it('API tokens for scripts: Bearer, no CSRF needed, stop working when the user is disabled', async () => {
      const { token } = await api.services.users.createToken(systemActor('test'), 'insp2', 'nightly export');
      const script = new ApiClient(api.base);
      script.bearer = token;
      expect((await script.req('GET', '/api/me')).body).toMatchObject({ user: { username: 'insp2' }, via: 'token' });
      expect((await script.req('POST', `/api/calls/${B}/review/decisions`, { itemId: 'opening-closing', action: 'confirm' })).status).toBe(200);
      script.bearer = `${token}x`;
      expect((await script.req('GET', '/api/me')).status).toBe(401);
      script.bearer = token;
      await api.services.users.setDisabled(systemActor('test'), 'insp2', true);
      expect((await script.req('GET', '/api/me')).status).toBe(401);
      expect((await as.insp2.req('GET', '/api/me')).status).toBe(401); // the session was revoked too
      const again = await new ApiClient(api.base).login('insp2', PASSWORD);
      expect(again.status).toBe(401);
      await api.services.users.setDisabled(systemActor('test'), 'insp2', false);
    });

    it('admins list a user\'s API tokens and revoke one: it stops at once, the other token and the session stay (audited)', async () => {
      const insp1 = (await as.admin.req('GET', '/api/users')).body.users.find((u: { username: string }) => u.username === 'insp1');
      const made = await as.admin.req('POST', `/api/users/${insp1.id}/tokens`, { label: 'report export', expiresDays: 7 });
      expect(made.status).toBe(201);
      expect(made.body.token).toMatch(/^cqa_/);
      const other = await as.admin.req('POST', `/api/users/${insp1.id}/tokens`, { label: 'dashboard' });
      expect((await as.insp1.req('POST', `/api/users/${insp1.id}/tokens`, { label: 'mine' })).status).toBe(403);
      const a = new ApiClient(api.base);
      a.bearer = made.body.token;
      const b = new ApiClient(api.base);
      b.bearer = other.body.token;
      expect((await a.req('GET', '/api/me')).status).toBe(200);

      const listed = await as.admin.req('GET', `/api/users/${insp1.id}/tokens`);
      expect(listed.status).toBe(200);
      const labels = listed.body.tokens.map((t: { label: string; status: string }) => `${t.label}:${t.status}`);
      expect(labels).toEqual(expect.arrayContaining(['report export:active', 'dashboard:active']));
      expect(JSON.stringify(listed.body)).not.toContain(made.body.token);
      expect((await as.insp1.req('GET', `/api/users/${insp1.id}/tokens`)).status).toBe(403);

      expect((await as.insp1.req('DELETE', `/api/tokens/${made.body.id}`)).status).toBe(403);
      expect((await as.admin.req('DELETE', '/api/tokens/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      const revoked = await as.admin.req('DELETE', `/api/tokens/${made.body.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body).toEqual({ username: 'insp1', label: 'report export', alreadyRevoked: false });
      expect((await a.req('GET', '/api/me')).status).toBe(401);
      expect((await b.req('GET', '/api/me')).status).toBe(200);
      expect((await as.insp1.req('GET', '/api/me')).status).toBe(200);
      expect((await as.admin.req('DELETE', `/api/tokens/${made.body.id}`)).body.alreadyRevoked).toBe(true);
      const after = await as.admin.req('GET', `/api/users/${insp1.id}/tokens`);
      expect(after.body.tokens.find((t: { id: string }) => t.id === made.body.id).status).toBe('revoked');
      const log = await api.services.audit.query({ limit: 1000 });
      expect(log.filter((e) => e.action === 'token.revoke' && e.actor === 'admin')).toHaveLength(1);
    });

    it('admins manage users over the API; nobody else can; the last admin cannot lock everyone out', async () => {
      for (const u of ['insp1', 'sup-blue', 'ag1'] as const) expect((await as[u].req('GET', '/api/users')).status, u).toBe(403);
      const list = await as.admin.req('GET', '/api/users');
      expect(list.body.users.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(USERS.map((u) => u.username)));
      let r = await as.admin.req('POST', '/api/users', { username: 'new-agent', role: 'agent', password: PASSWORD });
      expect(r.status).toBe(422);
      expect(r.body.error.message).toMatch(/agentId|agent-id/);
      // agent id A2 belongs to ag2 while ag2 is active: a second agent user for it is refused, and allowed once ag2 is disabled
      r = await as.admin.req('POST', '/api/users', { username: 'new-agent', role: 'agent', agentId: 'A2', team: 'green', password: PASSWORD });
      expect(r.status).toBe(409);
      expect(r.body.error.message).toMatch(/agent id A2 already belongs to the active agent user "ag2"/);
      const ag2Id = (list.body.users as { id: string; username: string }[]).find((u) => u.username === 'ag2')!.id;
      expect((await as.admin.req('PATCH', `/api/users/${ag2Id}`, { disabled: true })).status).toBe(200);
      r = await as.admin.req('POST', '/api/users', { username: 'new-agent', role: 'agent', agentId: 'A2', team: 'green', password: PASSWORD });
      expect(r.status).toBe(201);
      const id = r.body.id as string;
      // nor can ag2 come back while new-agent holds A2
      expect((await as.admin.req('PATCH', `/api/users/${ag2Id}`, { disabled: false })).status).toBe(409);
      const fresh = new ApiClient(api.base);
      expect((await fresh.login('new-agent', PASSWORD)).status).toBe(200);
      expect(ids(await fresh.req('GET', '/api/calls'))).toEqual([B]);
      // a role change ends the sessions, so new rights apply from the next login
      r = await as.admin.req('PATCH', `/api/users/${id}`, { role: 'supervisor' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ role: 'supervisor', team: 'green' });
      // A2 is free again: ag2 comes back
      expect((await as.admin.req('PATCH', `/api/users/${ag2Id}`, { disabled: false })).status).toBe(200);
      expect((await fresh.req('GET', '/api/me')).status).toBe(401);
      r = await as.admin.req('PATCH', `/api/users/${id}`, { team: null });
      expect(r.status).toBe(422);
      r = await as.admin.req('POST', `/api/users/${id}/password`, { password: 'a new long password' });
      expect(r.status).toBe(200);
      expect((await fresh.login('new-agent', PASSWORD)).status).toBe(401);
      expect((await fresh.login('new-agent', 'a new long password')).status).toBe(200);
      // change your own password: the current one is checked
      r = await fresh.req('POST', '/api/me/password', { currentPassword: 'wrong wrong', newPassword: 'yet another password' });
      expect(r.status).toBe(403);
      r = await fresh.req('POST', '/api/me/password', { currentPassword: 'a new long password', newPassword: 'yet another password' });
      expect(r.status).toBe(200);
      expect((await fresh.req('GET', '/api/me')).status).toBe(401);
      r = await as.admin.req('PATCH', `/api/users/${id}`, { disabled: true });
      expect(r.body.disabled).toBe(true);
      expect((await fresh.login('new-agent', 'yet another password')).status).toBe(401);
      const adminId = (await as.admin.req('GET', '/api/me')).body.user.id;
      r = await as.admin.req('PATCH', `/api/users/${adminId}`, { disabled: true });
      expect(r.status).toBe(409);
      expect(r.body.error.message).toMatch(/last active admin/);
      expect((await as.admin.req('PATCH', '/api/users/00000000-0000-4000-8000-000000000000', { disabled: true })).status).toBe(404);
      const updates = await api.services.audit.query({ action: 'user.update', limit: 10 });
      const roleChange = updates.find((u) => (u.details as { username?: string; changed?: { role?: unknown } }).username === 'new-agent' && (u.details as { changed?: { role?: unknown } }).changed?.role);
      expect(roleChange).toMatchObject({ actor: 'admin', details: { username: 'new-agent', changed: { role: { from: 'agent', to: 'supervisor' } } } });
      expect(updates.filter((u) => (u.details as { username?: string }).username === 'ag2').map((u) => (u.details as { changed: unknown }).changed)).toEqual(
        expect.arrayContaining([{ disabled: { from: false, to: true } }, { disabled: { from: true, to: false } }]),
      );
    });

    it('logout revokes the session at once; sessions expire', async () => {
      const c = new ApiClient(api.base);
      expect((await c.login('ag2', PASSWORD)).status).toBe(200);
      const cookie = new Map(c.cookies);
      expect((await c.req('POST', '/api/auth/logout')).status).toBe(200);
      expect(c.cookies.has('callqa_session')).toBe(false);
      c.cookies = cookie; // a stolen copy of the cookie
      expect((await c.req('GET', '/api/me')).status).toBe(401);
      const d = new ApiClient(api.base);
      await d.login('ag2', PASSWORD);
      advance(23 * 3600_000);
      expect((await d.req('GET', '/api/me')).status).toBe(200);
      advance(2 * 3600_000); // past the 24 h session of this suite
      expect((await d.req('GET', '/api/me')).status).toBe(401);
    });

    it('stateless: a second server on the same database honours the session, and a logout on one ends it on both', async () => {
      // On PostgreSQL a second store (its own connection pool), as a second `callqa serve` process would have;
      // the embedded database serves one process, so there the second server shares the store.
      const second = backend.name === 'postgres' ? await startApi(opts, { now: () => clock, reviewSettings: () => SETTINGS }) : null;
      const otherBase = second?.base ?? (await startApiOnStore()).base;
      try {
        const c = new ApiClient(api.base);
        expect((await c.login('sup-green', PASSWORD)).status).toBe(200);
        const there = new ApiClient(otherBase);
        there.cookies = new Map(c.cookies);
        there.csrf = c.csrf;
        expect((await there.req('GET', '/api/me')).body.user.username).toBe('sup-green');
        expect(ids(await there.req('GET', '/api/calls'))).toEqual([B]);
        expect((await there.req('POST', '/api/auth/logout')).status).toBe(200);
        expect((await c.req('GET', '/api/me')).status).toBe(401);
      } finally {
        await second?.close();
        await closeExtra();
      }
    });

    it('the session cookie is Secure when the request came over https (behind a trusted proxy)', async () => {
      const raw = await fetch(`${api.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
        body: JSON.stringify({ username: 'ag2', password: PASSWORD }),
      });
      expect(raw.headers.getSetCookie().find((x) => x.startsWith('callqa_session='))).toMatch(/;\s*Secure/i);
      const plain = await fetch(`${api.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ag2', password: PASSWORD }) });
      expect(plain.headers.getSetCookie().find((x) => x.startsWith('callqa_session='))).not.toMatch(/Secure/i);
    });

    it('failed logins are throttled per user and per address (429 with Retry-After)', async () => {
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      const c = new ApiClient(api.base);
      for (let i = 0; i < 3; i++) expect((await c.login('sup-green', 'not the password', from('10.0.0.1'))).status).toBe(401);
      // the right password does not help while the user is throttled, from any address
      let r = await c.login('sup-green', PASSWORD, from('10.0.0.2'));
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(r.body.error.message).toMatch(/for this user/);
      // other users are not affected
      expect((await new ApiClient(api.base).login('sup-blue', PASSWORD, from('10.0.0.1'))).status).toBe(200);
      advance(16 * 60_000);
      expect((await c.login('sup-green', PASSWORD, from('10.0.0.2'))).status).toBe(200);

      // per address: 6 failures across several usernames
      for (let i = 0; i < 6; i++) await c.login(`guess${i}`, 'nope nope nope', from('10.0.0.66'));
      r = await c.login('ag1', PASSWORD, from('10.0.0.66'));
      expect(r.status).toBe(429);
      expect(r.body.error.message).toMatch(/from this address/);
      expect((await new ApiClient(api.base).login('ag1', PASSWORD, from('10.0.0.67'))).status).toBe(200);
      expect((await api.services.audit.query({ action: 'session.login_throttled', limit: 100 })).length).toBe(2);
    });
  });
}
