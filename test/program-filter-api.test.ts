/**
 * A QA-program filter that names no program is refused by every API operation that takes one (PGlite and
 * PostgreSQL), as `--program` is by the CLI (checkProgramFilter): 400 naming the parameter and the programs
 * there are, not an empty answer that reads as "nothing found". A program only calls were analysed with (its
 * file since renamed) still counts. Calls: shipped example dialogues drafted by the real scorecard.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/services/types.js';
import { analysisRuns } from '../src/store/schema.js';
import { BACKENDS, startApi, type ApiServer } from './support/api-env.js';
import { CALLS, storeCall } from './support/review-calls.js';

const USERS = [
  { username: 'adm', role: 'admin' },
  { username: 'insp', role: 'inspector' },
  { username: 'sup', role: 'supervisor', team: 'blue' },
  { username: 'ag', role: 'agent', agentId: 'a1', team: 'blue' },
] as const;
type Username = (typeof USERS)[number]['username'];

// every operation with a program filter: who may use it, and the request with the program put in
const OPERATIONS: { name: string; as: Username; param: string; req: (p: string) => [string, string, unknown?] }[] = [
  { name: 'listCalls', as: 'ag', param: 'query.pipeline', req: (p) => ['GET', `/api/calls?pipeline=${p}`] },
  { name: 'exportCalls', as: 'sup', param: 'query.pipeline', req: (p) => ['GET', `/api/calls.csv?pipeline=${p}`] },
  { name: 'searchTranscripts', as: 'insp', param: 'query.pipeline', req: (p) => ['GET', `/api/search?q=${encodeURIComponent('您好')}&pipeline=${p}`] },
  { name: 'exportSearch', as: 'insp', param: 'query.pipeline', req: (p) => ['GET', `/api/search.csv?q=${encodeURIComponent('您好')}&pipeline=${p}`] },
  { name: 'trends', as: 'sup', param: 'query.pipeline', req: (p) => ['GET', `/api/trends?pipeline=${p}`] },
  { name: 'qaFigures', as: 'adm', param: 'query.pipeline', req: (p) => ['GET', `/api/figures?pipeline=${p}`] },
  { name: 'reviewQueue', as: 'insp', param: 'query.pipelineId', req: (p) => ['GET', `/api/review/queue?pipelineId=${p}`] },
  { name: 'reviewPlan', as: 'adm', param: 'query.pipelineId', req: (p) => ['GET', `/api/review/plan?pipelineId=${p}`] },
  { name: 'rulesAccuracy', as: 'sup', param: 'query.pipelineId', req: (p) => ['GET', `/api/rules/accuracy?pipelineId=${p}`] },
  { name: 'assignCalls', as: 'sup', param: 'body.auto.pipelineId', req: (p) => ['POST', '/api/assignments', { auto: { pipelineId: p, limit: 1 } }] },
  { name: 'createSavedSearch', as: 'sup', param: 'body.pipeline', req: (p) => ['POST', '/api/watchlist', { name: `w-${p}`, query: '您好', pipeline: p }] },
];

for (const makeBackend of BACKENDS) {
  const backend = makeBackend();
  describe(`program filters in the API on ${backend.name}`, () => {
    let api: ApiServer;
    const token = {} as Record<Username, string>;
    const as = async (u: Username, [method, url, body]: [string, string, unknown?]) => {
      const res = await fetch(api.base + url, {
        method,
        headers: { authorization: `Bearer ${token[u]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: any = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // CSV
      }
      return { status: res.status, body: parsed };
    };

    beforeAll(async () => {
      api = await startApi(await backend.setup(), {});
      await storeCall(api.store, CALLS[0]!, 0);
      // a call analysed with a program whose file was since renamed: its id still names calls
      const old = await storeCall(api.store, CALLS[1]!, 1);
      await api.store.db.update(analysisRuns).set({ pipelineId: 'retired-inbound' }).where(eq(analysisRuns.recordingId, old));
      for (const u of USERS) {
        await api.services.users.add(systemActor('test'), { ...u, password: 'correct horse battery' });
        token[u.username] = (await api.services.users.createToken(systemActor('test'), u.username, 'test')).token;
      }
    }, 120_000);
    afterAll(async () => {
      await api?.close();
      await backend.teardown();
    });

    for (const op of OPERATIONS) {
      it(`${op.name}: an unknown program is a 400 naming ${op.param} and the programs there are`, async () => {
        const r = await as(op.as, op.req('inbound-servce-zh'));
        expect(r.status).toBe(400);
        expect(r.body.error.code).toBe('invalid_request');
        expect(r.body.error.message).toBe(
          `${op.param}: no QA program "inbound-servce-zh" (programs: default, inbound-service-zh, outbound-sales-zh, retired-inbound, support-en)`,
        );
        expect(r.body.error.issues).toEqual([{ path: op.param, message: expect.stringContaining('no QA program') }]);
        expect(r.body.error.programs).toEqual(['default', 'inbound-service-zh', 'outbound-sales-zh', 'retired-inbound', 'support-en']);
      });
      it(`${op.name}: a program in the folder, or one calls were analysed with, is answered`, async () => {
        expect((await as(op.as, op.req('inbound-service-zh'))).status).toBeLessThan(300);
        expect((await as(op.as, op.req('retired-inbound'))).status).toBeLessThan(300);
      });
    }

    it('a refused saved search is not saved', async () => {
      const r = await as('sup', ['GET', '/api/watchlist']);
      expect(r.body.savedSearches.map((s: { name: string }) => s.name).sort()).toEqual(['w-inbound-service-zh', 'w-retired-inbound']);
    });
  });
}
