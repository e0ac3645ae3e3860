/**
 * The audit log over HTTP (PGlite and PostgreSQL): an admin reads who changed what and when, with the before and
 * after of each change, without the CLI (which cannot open the embedded database while `callqa serve` holds it).
 * A decision that replaces an earlier one names it (`previous`), so the log alone says what an item was before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/services/types.js';
import { BACKENDS, signInUsers, startApi, type ApiClient, type ApiServer } from './support/api-env.js';
import { CALLS, storeCall } from './support/review-calls.js';

const USERS = [
  { username: 'adm', role: 'admin' },
  { username: 'insp', role: 'inspector', team: 'blue' },
  { username: 'insp2', role: 'inspector', team: 'blue' },
  { username: 'sup', role: 'supervisor', team: 'blue' },
  { username: 'ag', role: 'agent', agentId: 'a1', team: 'blue' },
] as const;
type Username = (typeof USERS)[number]['username'];

for (const makeBackend of BACKENDS) {
  const backend = makeBackend();
  describe(`audit log API on ${backend.name}`, () => {
    let api: ApiServer;
    let as: Record<Username, ApiClient>;
    let call = '';
    let itemId = '';
    let maxPoints = 0;

    beforeAll(async () => {
      api = await startApi(await backend.setup(), {});
      call = await storeCall(api.store, CALLS[0]!, 0);
      as = await signInUsers(api, USERS, 'correct horse battery');
      const detail = (await as.insp.req('GET', `/api/calls/${call}`)).body;
      const item = detail.scorecard.sections.flatMap((s: { items: { id: string; kind: string; maxPoints: number }[] }) => s.items).find((i: { kind: string }) => i.kind === 'standard');
      itemId = item.id;
      maxPoints = item.maxPoints;
    }, 120_000);
    afterAll(async () => {
      await api?.close();
      await backend.teardown();
    });

    it('a decision that replaces another records both: who decided what before, and the new answer', async () => {
      const first = await as.insp.req('POST', `/api/calls/${call}/review/decisions`, { itemId, action: 'override', points: 1, reason: { code: 'wrong_score', comment: 'call me on 13812345678' } });
      expect(first.status).toBe(200);
      const second = await as.insp2.req('POST', `/api/calls/${call}/review/decisions`, { itemId, action: 'override', points: maxPoints, reason: { code: 'other', comment: 'heard the greeting' } });
      expect(second.status).toBe(200);
      const r = await as.adm.req('GET', `/api/audit?callId=${call}&action=review.decide&order=oldest`);
      expect(r.status).toBe(200);
      const [a, b] = r.body.entries;
      expect(a).toMatchObject({ actor: 'insp', action: 'review.decide', callId: call, details: { itemId, points: 1, previous: null } });
      expect(b.actor).toBe('insp2');
      expect(b.details).toMatchObject({ itemId, points: maxPoints, comment: 'heard the greeting' });
      expect(b.details.previous).toMatchObject({ action: 'override', points: 1, reasonCode: 'wrong_score', decidedBy: 'insp' });
      expect(Date.parse(b.details.previous.decidedAt)).toBeLessThanOrEqual(Date.parse(b.at));
      // what people typed is masked as in the call's history (a phone number in a comment)
      expect(JSON.stringify(r.body)).not.toContain('13812345678');
      expect(b.details.previous.comment).toContain('call me on');
    });

    it('an admin filters by user and action, newest first by default; the read is itself audited', async () => {
      await api.services.users.add(systemActor('test'), { username: 'ag-new', role: 'agent', agentId: 'a9', team: 'blue', password: 'correct horse battery' });
      const users = (await as.adm.req('GET', '/api/users')).body.users as { id: string; username: string }[];
      const target = users.find((u) => u.username === 'ag-new')!;
      expect((await as.adm.req('PATCH', `/api/users/${target.id}`, { team: 'green' })).status).toBe(200);
      const byAdm = await as.adm.req('GET', '/api/audit?user=adm&action=user.update');
      expect(byAdm.status).toBe(200);
      expect(byAdm.body.entries).toHaveLength(1);
      expect(byAdm.body.entries[0].details).toMatchObject({ username: 'ag-new', changed: { team: { from: 'blue', to: 'green' } } });
      const all = (await as.adm.req('GET', '/api/audit?limit=5')).body.entries as { id: number; action: string; actor: string }[];
      expect(all.length).toBeLessThanOrEqual(5);
      expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((x, y) => y - x));
      // the reads of the log above are in it
      expect(all.some((e) => e.action === 'audit.read' && e.actor === 'adm')).toBe(true);
    });

    it('moving a call to another inspector records whom it was taken from', async () => {
      const other = await storeCall(api.store, CALLS[1]!, 1);
      expect((await as.sup.req('POST', '/api/assignments', { callIds: [other], inspector: 'insp' })).status).toBe(200);
      expect((await as.sup.req('POST', '/api/assignments', { callIds: [other], inspector: 'insp2' })).status).toBe(200);
      const r = await as.adm.req('GET', `/api/audit?callId=${other}&action=call.assign&order=oldest`);
      expect(r.body.entries.map((e: { actor: string; details: unknown }) => [e.actor, e.details])).toEqual([
        ['sup', { inspector: 'insp', previous: null, auto: false }],
        ['sup', { inspector: 'insp2', previous: 'insp', auto: false }],
      ]);
    });

    it('only admins read it; bad filters say which parameter is wrong', async () => {
      for (const u of ['insp', 'sup', 'ag'] as const) {
        const r = await as[u].req('GET', '/api/audit');
        expect(r.status, u).toBe(403);
      }
      expect((await as.adm.req('GET', '/api/audit?callId=abc')).status).toBe(400);
      const bad = await as.adm.req('GET', '/api/audit?since=yesterday');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/^query\.since/);
      expect((await as.adm.req('GET', '/api/audit?limit=0')).status).toBe(400);
    });
  });
}
