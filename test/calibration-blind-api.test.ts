/**
 * Blind calibration beyond the session page and the call view, over real HTTP (port 0) on embedded PGlite and on
 * the PostgreSQL server: while a scorer has items left to score in an open session, the machine's scores of its
 * calls reach them nowhere (the call list, the calls export, the review queue's scores, rank and reasons), search
 * filters on score or finding do not tell them, and they cannot review those calls (a review answers the draft).
 * Once their scores are in, or the session is closed, everything is as before. Also: the open work the inspector
 * list counts for a supervisor is that of the supervisor's team only.
 * Calls: the shipped example dialogues of inbound-service-zh drafted by the real scorecard (test/support/review-calls.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReviewPolicySchema } from '../src/score/schema.js';
import { BACKENDS, startApi, tokenUsers, type ApiClient, type ApiServer } from './support/api-env.js';
import { ABUSE, CLEAN, completeReviewOf, NOW, PROBLEM, storeCall } from './support/review-calls.js';

const POLICY = ReviewPolicySchema.parse({});

const USERS = [
  { username: 'admin', role: 'admin' },
  { username: 'insp1', role: 'inspector' },
  { username: 'insp2', role: 'inspector' },
  { username: 'insp-green', role: 'inspector', team: 'green' },
  { username: 'sup-blue', role: 'supervisor', team: 'blue' },
  { username: 'sup-blue2', role: 'supervisor', team: 'blue' },
  { username: 'sup-green', role: 'supervisor', team: 'green' },
] as const;
type Username = (typeof USERS)[number]['username'];

/** The triage reasons read off the draft or its findings: what a blind scorer's queue must not give. */
const MACHINE_REASONS = ['fatal', 'low_total', 'banned_phrase', 'long_dead_air', 'long_hold', 'agent_talk_over', 'customer_escalation', 'unjudged'];

/** CSV text (one line a row, no quoted newlines in these rows) as objects by header. */
function csvRows(text: string): Record<string, string>[] {
  const [head, ...lines] = text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
}

for (const makeBackend of BACKENDS) {
  const backend = makeBackend();
  describe(`blind calibration everywhere, and the inspectors' open work, on ${backend.name}`, () => {
    let api: ApiServer;
    let client: Record<Username, ApiClient>;
    // a1 (team blue): clean, problem (banned phrases), possible fatal (abuse), another problem call already
    // reviewed (calibration often re-scores reviewed calls); b1 (team green): clean
    let clean: string, problem: string, abuse: string, reviewed: string, green: string;
    const as = (u: Username, method: string, url: string, body?: unknown) => client[u].req(method, url, body);
    const listed = async (u: Username) => new Map(((await as(u, 'GET', '/api/calls?limit=500')).body.calls as any[]).map((c) => [c.id, c]));
    const queue = async (u: Username) => new Map(((await as(u, 'GET', '/api/review/queue')).body.entries as any[]).map((e) => [e.call.id, e]));
    const exported = async (u: Username, shape: 'calls' | 'items') => {
      const r = await as(u, 'GET', `/api/calls.csv?shape=${shape}`);
      expect(r.status, u).toBe(200);
      return csvRows(r.body as string);
    };
    const searched = async (u: Username, filter: string) => {
      const r = await as(u, 'GET', `/api/search?q=${encodeURIComponent('您好 OR 喂')}&${filter}`);
      expect(r.status, `${u} ${filter}`).toBe(200);
      return new Set((r.body.hits as any[]).map((h) => h.callId));
    };

    beforeAll(async () => {
      api = await startApi(await backend.setup(), { now: () => NOW, reviewPolicy: () => POLICY }, { keepAliveTimeoutMs: 120_000 });
      clean = await storeCall(api.store, { agent: 'a1', team: 'blue', example: CLEAN }, 0);
      problem = await storeCall(api.store, { agent: 'a1', team: 'blue', example: PROBLEM }, 1);
      abuse = await storeCall(api.store, { agent: 'a1', team: 'blue', example: ABUSE }, 2);
      green = await storeCall(api.store, { agent: 'b1', team: 'green', example: CLEAN }, 3);
      reviewed = await storeCall(api.store, { agent: 'a1', team: 'blue', example: PROBLEM }, 4);
      let users;
      ({ clients: client, users } = await tokenUsers(api, USERS, 'correct horse battery'));
      // sup-blue2 heard no banned phrase: the machine's -2 overridden to 0
      await completeReviewOf(api.services, users['sup-blue2'], reviewed, { 'banned-phrase': 0 });
    });
    afterAll(async () => {
      await api?.close();
      await backend.teardown();
    });

    it("keeps the session's machine scores from each scorer everywhere until their scores are in", async () => {
      const made = await as('sup-blue', 'POST', '/api/calibrations', { title: 'W49 blind', callIds: [problem, abuse, reviewed], inspectors: ['insp1', 'insp2'], benchmark: 'supervisor' });
      expect(made.status).toBe(201);
      const id = made.body.id as string;
      const session = [problem, abuse, reviewed];
      const pending = [problem, abuse]; // in the queue

      // what the admin (who does not score) sees: the scores the scorers must not get
      const all = await listed('admin');
      for (const c of [clean, problem, abuse, reviewed]) expect(all.get(c)).toMatchObject({ draftTotal: expect.any(Number), needsReview: expect.any(Boolean), openItems: expect.any(Number), hiddenReason: null });
      expect(all.get(reviewed).finalTotal).toEqual(expect.any(Number));
      const adminQueue = await queue('admin');
      expect(adminQueue.get(abuse).reasons.map((r: any) => r.code)).toContain('fatal');
      expect(adminQueue.get(problem).reasons.map((r: any) => r.code)).toContain('banned_phrase');
      expect((await exported('admin', 'calls')).find((r) => r.callId === abuse)!.score).toMatch(/^\d/);
      expect((await exported('admin', 'items')).some((r) => r.callId === problem)).toBe(true);
      for (const f of ['minScore=0', 'maxScore=1000']) expect(await searched('admin', f), f).toEqual(new Set([clean, problem, abuse, reviewed, green]));
      // the complaint (我要投诉) is a finding of the clean calls and the problem calls
      expect(await searched('admin', 'event=customer_escalation')).toEqual(new Set([clean, problem, reviewed, green]));
      expect((await as('admin', 'GET', `/api/calls/${reviewed}/items/banned-phrase/example`)).status).toBe(200);

      const blindFor = async (u: Username) => {
        // the call list: the scores null, saying why; the other calls as before
        const list = await listed(u);
        for (const c of session) {
          expect(list.get(c), `${u} list`).toMatchObject({ draftTotal: null, needsReview: null, openItems: null, finalTotal: null, hiddenReason: 'blind_calibration' });
          expect(list.get(c).maxTotal, u).toBe(all.get(c).maxTotal);
        }
        expect(list.get(clean), u).toMatchObject({ draftTotal: all.get(clean).draftTotal, hiddenReason: null });
        // the export: no score, fatal, open items for those calls, and no item rows
        const rows = await exported(u, 'calls');
        for (const c of session) expect(rows.find((r) => r.callId === c), `${u} csv`).toMatchObject({ score: '', fatal: '', openItems: '', final: '', stage: '' });
        expect(rows.find((r) => r.callId === clean)!.score, u).toBe(String(all.get(clean).draftTotal));
        const items = await exported(u, 'items');
        expect(items.filter((r) => session.includes(r.callId!)), `${u} csv items`).toEqual([]);
        expect(items.some((r) => r.callId === clean), u).toBe(true);
        // the queue: still there (it may be theirs to review later), ranked without the draft and its findings
        const q = await queue(u);
        for (const c of pending) {
          const e = q.get(c);
          expect(e, `${u} queue`).toBeDefined();
          expect(e.call, u).toMatchObject({ draftTotal: null, needsReview: null, openItems: null, hiddenReason: 'blind_calibration' });
          for (const r of e.reasons) expect(MACHINE_REASONS, `${u} ${r.code}`).not.toContain(r.code);
          expect(e.risk, u).toBeCloseTo(e.reasons.reduce((a: number, x: any) => a + x.weight, 0), 6);
        }
        expect(q.get(clean).reasons.map((r: any) => r.code), u).toContain('customer_escalation');
        // search: the transcript is theirs to read; a score or finding filter never matches those calls
        expect(await searched(u, 'limit=50'), u).toEqual(new Set([clean, problem, abuse, reviewed, green]));
        for (const f of ['minScore=0', 'maxScore=1000', 'minScore=0&maxScore=1000']) expect(await searched(u, f), `${u} ${f}`).toEqual(new Set([clean, green]));
        expect(await searched(u, 'event=customer_escalation'), u).toEqual(new Set([clean, green]));
      };
      for (const u of ['insp1', 'insp2', 'sup-blue'] as const) {
        if (u === 'sup-blue') {
          // a supervisor lists their team's calls only
          const list = await listed(u);
          for (const c of session) expect(list.get(c), u).toMatchObject({ draftTotal: null, hiddenReason: 'blind_calibration' });
          const q = await queue(u);
          for (const c of pending) for (const r of q.get(c).reasons) expect(MACHINE_REASONS, `${u} ${r.code}`).not.toContain(r.code);
          expect(await searched(u, 'minScore=0'), u).toEqual(new Set([clean]));
        } else await blindFor(u);
      }

      // reviewing one of those calls would answer the machine's item and the total: refused, nothing started
      const decide = await as('insp1', 'POST', `/api/calls/${problem}/review/decisions`, { itemId: 'banned-phrase', action: 'confirm' });
      expect(decide.status).toBe(409);
      expect(decide.body.error.message).toMatch(/blind in an open calibration session/);
      expect(JSON.stringify(decide.body)).not.toMatch(/"total"/);
      expect((await as('insp1', 'POST', `/api/calls/${abuse}/review/complete`, {})).status).toBe(409);
      expect((await listed('admin')).get(problem).review.state).toBe('unreviewed');
      // a regression example carries the reviewer's decision and the machine's verdict: refused too
      const example = await as('insp1', 'GET', `/api/calls/${reviewed}/items/banned-phrase/example`);
      expect(example.status).toBe(409);
      expect(JSON.stringify(example.body)).not.toMatch(/yaml|deducted/);

      // insp1 scores every item: their scores are in, everything is shown to them again; insp2 still scores blind
      const items = (await as('insp1', 'GET', `/api/calibrations/${id}`)).body.calls.flatMap((c: any) => c.items.map((i: any) => ({ callId: c.id, itemId: i.id, points: i.max })));
      expect((await as('insp1', 'POST', `/api/calibrations/${id}/scores`, { scores: items })).body.you).toMatchObject({ submitted: true, machineHidden: false });
      const after = await listed('insp1');
      for (const c of session) expect(after.get(c), 'insp1 after').toMatchObject({ draftTotal: all.get(c).draftTotal, needsReview: all.get(c).needsReview, finalTotal: all.get(c).finalTotal, hiddenReason: null });
      expect((await as('insp1', 'GET', `/api/calls/${reviewed}/items/banned-phrase/example`)).status).toBe(200);
      expect((await queue('insp1')).get(abuse).reasons.map((r: any) => r.code)).toContain('fatal');
      expect(await searched('insp1', 'minScore=0')).toEqual(new Set([clean, problem, abuse, reviewed, green]));
      expect((await exported('insp1', 'items')).some((r) => r.callId === problem)).toBe(true);
      await blindFor('insp2');

      // closed: nobody is blind any more
      expect((await as('sup-blue', 'POST', `/api/calibrations/${id}/scores`, { scores: items })).status).toBe(200);
      expect((await as('sup-blue', 'POST', `/api/calibrations/${id}/close`)).status).toBe(200);
      for (const u of ['insp2', 'sup-blue'] as const) {
        const list = await listed(u);
        // (the reviewed call is no longer an inspector's to open once the session is closed)
        for (const c of u === 'insp2' ? pending : session) expect(list.get(c), `${u} closed`).toMatchObject({ draftTotal: all.get(c).draftTotal, finalTotal: all.get(c).finalTotal, hiddenReason: null });
      }
      expect(await searched('insp2', 'event=customer_escalation')).toEqual(new Set([clean, problem, green]));
      expect(await searched('sup-blue', 'event=customer_escalation')).toEqual(new Set([clean, problem, reviewed]));
      expect((await as('insp2', 'POST', `/api/calls/${problem}/review/decisions`, { itemId: 'banned-phrase', action: 'confirm' })).status).toBe(200);
    });

    it("the inspector list counts a supervisor's own team's open calls: a pool inspector's work for another team is not theirs", async () => {
      // insp1 (no team, the central pool) gets a blue call from sup-blue and a green call from sup-green
      expect((await as('sup-blue', 'POST', '/api/assignments', { callIds: [clean], inspector: 'insp1' })).status).toBe(200);
      expect((await as('sup-green', 'POST', '/api/assignments', { callIds: [green], inspector: 'insp1' })).status).toBe(200);
      const open = async (u: Username) => Object.fromEntries(((await as(u, 'GET', '/api/inspectors')).body.inspectors as any[]).map((i) => [i.username, i.openCalls]));
      // problem: under review by insp2 (above), not assigned to anyone
      expect(await open('sup-blue')).toEqual({ insp1: 1, insp2: 0 });
      expect(await open('sup-green')).toEqual({ 'insp-green': 0, insp1: 1, insp2: 0 });
      expect(await open('admin')).toEqual({ 'insp-green': 0, insp1: 2, insp2: 0 });
      // the inspector's own quota counts all of it (both are theirs to do)
      expect((await as('insp1', 'GET', '/api/review/queue')).body.quota).toMatchObject({ assignedOpen: 2 });
    });
  });
}
