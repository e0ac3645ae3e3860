/**
 * Blind calibration, the answers the first pass left open, over real HTTP (port 0) on embedded PGlite and on the
 * PostgreSQL server. Calibration often re-scores reviewed calls; while a scorer has items left in an open
 * session, such a call's disputes (the item the agent contests, a ruling's points) reach them neither in the call
 * view nor in the dispute list, they cannot rule one (a ruling answers the item and the total), and a blind
 * supervisor's QA figures, trends (the findings' counts), the week plan's mean scores and rules accuracy leave the call out (an agent and a period may hold just that call).
 * A supervisor of the team who does not score sees all of it; so does the scorer once their scores are in.
 * Calls: the shipped example dialogues of inbound-service-zh drafted by the real scorecard (test/support/review-calls.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReviewPolicySchema } from '../src/score/schema.js';
import { BACKENDS, startApi, tokenUsers, type ApiClient, type ApiServer } from './support/api-env.js';
import { CLEAN, completeReviewOf, NOW, PROBLEM, storeCall } from './support/review-calls.js';

const POLICY = ReviewPolicySchema.parse({});

const USERS = [
  { username: 'admin', role: 'admin' },
  { username: 'insp1', role: 'inspector' },
  { username: 'insp2', role: 'inspector' },
  { username: 'sup-blue', role: 'supervisor', team: 'blue' },
  { username: 'sup-blue2', role: 'supervisor', team: 'blue' },
  { username: 'ag1', role: 'agent', team: 'blue', agentId: 'a1' },
] as const;
type Username = (typeof USERS)[number]['username'];

for (const makeBackend of BACKENDS) {
  const backend = makeBackend();
  describe(`blind calibration: disputes, QA figures and rules accuracy, on ${backend.name}`, () => {
    let api: ApiServer;
    let client: Record<Username, ApiClient>;
    // a1 (team blue): a problem call and a clean call, both reviewed by sup-blue2; the problem call's banned
    // phrase overridden (-2 to 0) and disputed by the agent
    let reviewed: string, clean: string, dispute: string;
    const as = (u: Username, method: string, url: string, body?: unknown) => client[u].req(method, url, body);
    const disputesOf = async (u: Username) => ((await as(u, 'GET', '/api/disputes')).body.disputes as any[]).map((d) => d.callId);
    const reviewedIn = async (u: Username) => {
      const r = await as(u, 'GET', '/api/figures?group=agent&agentId=a1');
      expect(r.status, u).toBe(200);
      return (r.body.figures as any[]).reduce((n, f) => n + f.reviewed, 0);
    };
    // the findings of a1's calls in the trends: the problem call's banned phrases (不清楚, 不知道, 你听我说)
    const bannedFound = async (u: Username) => {
      const r = await as(u, 'GET', '/api/trends?agentId=a1&by=day');
      expect(r.status, u).toBe(200);
      return (r.body.series as any[]).find((x) => x.key === 'event:banned_phrase')?.total ?? 0;
    };
    // the week's plan: the mean final score of the reviewed calls, and how many
    const planScores = async (u: Username) => {
      const r = await as(u, 'GET', '/api/review/plan');
      expect(r.status, u).toBe(200);
      return r.body.programs[0].scores.reviewed;
    };
    const bannedFp = async (u: Username) => {
      const r = await as(u, 'GET', '/api/rules/accuracy');
      expect(r.status, u).toBe(200);
      return (r.body.items as any[]).find((i) => i.itemId === 'banned-phrase')?.fp ?? 0;
    };

    beforeAll(async () => {
      api = await startApi(await backend.setup(), { now: () => NOW, reviewPolicy: () => POLICY }, { keepAliveTimeoutMs: 120_000 });
      reviewed = await storeCall(api.store, { agent: 'a1', team: 'blue', example: PROBLEM }, 0);
      clean = await storeCall(api.store, { agent: 'a1', team: 'blue', example: CLEAN }, 1);
      let users;
      ({ clients: client, users } = await tokenUsers(api, USERS, 'correct horse battery'));
      await completeReviewOf(api.services, users['sup-blue2'], reviewed, { 'banned-phrase': 0 });
      await completeReviewOf(api.services, users['sup-blue2'], clean, {});
      const opened = await as('ag1', 'POST', `/api/calls/${reviewed}/disputes`, { itemId: 'thanks', reason: 'I did greet the customer' });
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      dispute = opened.body.id;
    });
    afterAll(async () => {
      await api?.close();
      await backend.teardown();
    });

    it("keeps a re-scored call's disputes, figures and rules accuracy from its blind scorers until their scores are in", async () => {
      // before any session: sup-blue sees what sup-blue2 sees
      expect(await disputesOf('sup-blue')).toEqual([reviewed]);
      expect(await reviewedIn('sup-blue')).toBe(2);
      expect(await bannedFp('sup-blue')).toBe(1);
      expect(await planScores('sup-blue')).toMatchObject({ n: 2 });
      const found = await bannedFound('sup-blue');
      expect(found).toBeGreaterThan(0);

      const made = await as('sup-blue', 'POST', '/api/calibrations', { title: 'W49 re-score', callIds: [reviewed], inspectors: ['insp1'], benchmark: 'supervisor' });
      expect(made.status).toBe(201);
      const id = made.body.id as string;

      // the call view: no disputes for a blind scorer (the contested item, a ruling's points); a non-scorer sees them
      for (const u of ['insp1', 'sup-blue'] as const) {
        const call = await as(u, 'GET', `/api/calls/${reviewed}`);
        expect(call.status, u).toBe(200);
        expect(call.body.hiddenReason, u).toBe('blind_calibration');
        expect(call.body.disputes, u).toEqual([]);
        expect(JSON.stringify(call.body), u).not.toContain('I did greet');
      }
      expect((await as('sup-blue2', 'GET', `/api/calls/${reviewed}`)).body.disputes).toHaveLength(1);
      // the dispute list, figures and rules accuracy of the blind supervisor leave the call out
      expect(await disputesOf('sup-blue')).toEqual([]);
      expect(await disputesOf('sup-blue2')).toEqual([reviewed]);
      expect(await reviewedIn('sup-blue')).toBe(1);
      expect(await reviewedIn('sup-blue2')).toBe(2);
      expect(await reviewedIn('admin')).toBe(2);
      expect(await bannedFp('sup-blue')).toBe(0);
      expect(await bannedFp('sup-blue2')).toBe(1);
      expect(await bannedFound('sup-blue')).toBe(0);
      expect(await planScores('sup-blue')).toMatchObject({ n: 1 });
      expect(await planScores('sup-blue2')).toMatchObject({ n: 2 });
      expect(await bannedFound('sup-blue2')).toBe(found);
      // a ruling answers the item and the total: refused to the blind supervisor, nothing ruled
      const ruling = await as('sup-blue', 'POST', `/api/disputes/${dispute}/ruling`, { outcome: 'upheld', reason: 'the greeting was missing' });
      expect(ruling.status).toBe(409);
      expect(JSON.stringify(ruling.body)).not.toMatch(/"total"/);
      expect((await as('admin', 'GET', '/api/disputes')).body.disputes[0].status).toBe('open');

      // sup-blue's scores are in: everything as before for them (insp1 still scores blind)
      const items = (await as('sup-blue', 'GET', `/api/calibrations/${id}`)).body.calls.flatMap((c: any) => c.items.map((i: any) => ({ callId: c.id, itemId: i.id, points: i.max })));
      expect((await as('sup-blue', 'POST', `/api/calibrations/${id}/scores`, { scores: items })).status).toBe(200);
      expect(await disputesOf('sup-blue')).toEqual([reviewed]);
      expect(await reviewedIn('sup-blue')).toBe(2);
      expect(await bannedFp('sup-blue')).toBe(1);
      expect(await bannedFound('sup-blue')).toBe(found);
      expect(await planScores('sup-blue')).toEqual(await planScores('sup-blue2'));
      expect((await as('sup-blue', 'GET', `/api/calls/${reviewed}`)).body.disputes).toHaveLength(1);
      expect((await as('insp1', 'GET', `/api/calls/${reviewed}`)).body.disputes).toEqual([]);
      expect((await as('sup-blue', 'POST', `/api/disputes/${dispute}/ruling`, { outcome: 'upheld', reason: 'the greeting was missing' })).status).toBe(200);
    });

    it("a call in two sessions: the other session's page shows its blind scorer neither the machine's answers nor anyone's scores of it", async () => {
      const machineOf = async (u: Username, sessionId: string) => {
        const r = await as(u, 'GET', `/api/calibrations/${sessionId}`);
        expect(r.status, u).toBe(200);
        return (r.body.calls as any[]).flatMap((c) => c.items.map((i: any) => i.machine));
      };
      const fullScores = async (u: Username, sessionId: string) =>
        (await as(u, 'GET', `/api/calibrations/${sessionId}`)).body.calls.flatMap((c: any) => c.items.map((i: any) => ({ callId: c.id, itemId: i.id, points: i.max })));
      // A: sup-blue scores the clean call as the benchmark, with insp1; B: a consensus session on the same call
      const a = (await as('sup-blue', 'POST', '/api/calibrations', { title: 'W49 A', callIds: [clean], inspectors: ['insp1'], benchmark: 'supervisor' })).body.id as string;
      const b = (await as('sup-blue', 'POST', '/api/calibrations', { title: 'W49 B', callIds: [clean], inspectors: ['insp1', 'insp2'], benchmark: 'consensus' })).body.id as string;
      // sup-blue does not score B, but scores A blind: B does not show them the machine's answers either
      expect((await machineOf('sup-blue2', b)).every((m) => m !== null)).toBe(true);
      expect((await machineOf('sup-blue', b)).every((m) => m === null)).toBe(true);
      // insp1's scores of B are in, but they still score A blind
      expect((await as('insp1', 'POST', `/api/calibrations/${b}/scores`, { scores: await fullScores('insp1', b) })).status).toBe(200);
      expect((await as('insp2', 'POST', `/api/calibrations/${b}/scores`, { scores: (await fullScores('insp2', b)).map((x: any) => ({ ...x, points: 0 })) })).status).toBe(200);
      expect((await machineOf('insp1', b)).every((m) => m === null)).toBe(true);
      expect((await machineOf('insp2', b)).every((m) => m !== null)).toBe(true);
      // closed, B shows everyone's scores: not to insp1 while they score A (insp2's zeros would tell them nothing of
      // the machine, but they are another scorer's scores of a call insp1 scores blind)
      expect((await as('sup-blue2', 'POST', `/api/calibrations/${b}/close`)).status).toBe(200);
      const closedB = (await as('insp1', 'GET', `/api/calibrations/${b}`)).body;
      expect(closedB.scores).toEqual([]);
      expect(closedB.myScores.length).toBeGreaterThan(0);
      expect((await machineOf('insp1', b)).every((m) => m === null)).toBe(true);
      expect((await as('insp2', 'GET', `/api/calibrations/${b}`)).body.scores.length).toBeGreaterThan(0);
      // their scores of A are in: B as everyone sees it
      expect((await as('insp1', 'POST', `/api/calibrations/${a}/scores`, { scores: await fullScores('insp1', a) })).status).toBe(200);
      expect((await as('insp1', 'GET', `/api/calibrations/${b}`)).body.scores).toEqual((await as('insp2', 'GET', `/api/calibrations/${b}`)).body.scores);
      expect((await machineOf('insp1', b)).every((m) => m !== null)).toBe(true);
      expect((await as('sup-blue', 'POST', `/api/calibrations/${a}/scores`, { scores: await fullScores('sup-blue', a) })).status).toBe(200);
      expect((await machineOf('sup-blue', b)).every((m) => m !== null)).toBe(true);
    });

    it('an inspector named twice, by name and by id, is one member: a consensus still needs two people', async () => {
      const ids = Object.fromEntries(((await as('sup-blue', 'GET', '/api/inspectors')).body.inspectors as any[]).map((i) => [i.username, i.id]));
      const twice = await as('sup-blue', 'POST', '/api/calibrations', { title: 'W49 twice', callIds: [clean], inspectors: ['insp1', ids.insp1], benchmark: 'consensus' });
      expect(twice.status, JSON.stringify(twice.body)).toBe(422);
      expect(twice.body.error).toMatchObject({ field: 'inspectors' });
      const once = await as('sup-blue', 'POST', '/api/calibrations', { title: 'W49 once', callIds: [clean], inspectors: ['insp1', ids.insp1], benchmark: 'supervisor' });
      expect(once.status).toBe(201);
      expect(once.body.members).toEqual([{ username: 'insp1', scored: 0 }]);
    });
  });
}
