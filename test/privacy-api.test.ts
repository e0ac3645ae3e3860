/**
 * What the API returns of a call's personal data for each role (PGlite and PostgreSQL): masked for everyone by
 * default; raw only when a user with the pii permission asks, and that read is audited; agents cannot unmask.
 * The call is a real sample whose customer gives a mobile number (一三八，一二三四，五六七八).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/services/types.js';
import { analyseSamples, ApiClient, BACKENDS, loadCalls, startApi, type AnalysedCall, type ApiServer } from './support/api-env.js';

const SAMPLES = [{ file: 'zh-billing-good.ogg', pipeline: 'inbound-service-zh', metadata: { agentId: 'A1', team: 'red' } }];
const USERS = [
  { username: 'insp', role: 'inspector' },
  { username: 'sup', role: 'supervisor', team: 'red' },
  { username: 'adm', role: 'admin' },
  { username: 'agent1', role: 'agent', agentId: 'A1', team: 'red' },
] as const;
const PASSWORD = 'correct horse battery staple';
const MOBILE = '一三八，一二三四，五六七八';

let analysed: AnalysedCall[];
beforeAll(async () => {
  analysed = await analyseSamples(SAMPLES);
  expect(JSON.stringify(analysed[0]!.report.transcript)).toContain(MOBILE);
}, 180_000);

for (const makeBackend of BACKENDS) {
  const backend = makeBackend();
  describe(`personal data in API answers on ${backend.name}`, () => {
    let api: ApiServer;
    let call = '';
    const as = {} as Record<(typeof USERS)[number]['username'], ApiClient>;
    beforeAll(async () => {
      api = await startApi(await backend.setup(), {});
      [call] = await loadCalls(api.store, analysed);
      for (const u of USERS) {
        await api.services.users.add(systemActor('test'), { ...u, password: PASSWORD });
        as[u.username] = new ApiClient(api.base);
        expect((await as[u.username].login(u.username, PASSWORD)).status).toBe(200);
      }
    }, 120_000);
    afterAll(async () => {
      await api?.close();
      await backend.teardown();
    });

    it.each(['insp', 'sup', 'adm', 'agent1'] as const)('%s gets the transcript masked by default', async (who) => {
      const r = await as[who].req('GET', `/api/calls/${call}`);
      expect(r.status).toBe(200);
      const body = JSON.stringify(r.body);
      expect(body).not.toContain('五六七八');
      expect(body).toContain('[手机号]');
      // the rest of what was said stays readable (the agent's staff number too)
      expect(body).toContain('1234号');
    });
    it.each(['insp', 'sup', 'adm'] as const)('%s may unmask, and the read is audited as unmasked', async (who) => {
      const r = await as[who].req('GET', `/api/calls/${call}?unmask=true`);
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.body.transcript)).toContain(MOBILE);
      const log = await api.services.audit.query({ callId: call, limit: 1000 });
      expect(log.some((e) => e.action === 'call.transcript.read.unmasked' && e.actor === who)).toBe(true);
    });
    it('an agent may not unmask (403), and nothing raw is returned', async () => {
      const r = await as.agent1.req('GET', `/api/calls/${call}?unmask=true`);
      expect(r.status).toBe(403);
      expect(JSON.stringify(r.body)).not.toContain('五六七八');
    });
  });
}
