/**
 * A call is stored under the name it was analysed from, which is its path on the server when `callqa analyze`
 * was given one (/srv/recordings/...). Over HTTP (PGlite and PostgreSQL) only admins see that path; everyone
 * else gets the file's own name, in every answer that names the call's file: the call list and view, the review
 * queue, disputes, search hits and their CSV, watch-list hits, calibration sessions, the results CSV.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authUser } from '../src/services/users.js';
import { systemActor } from '../src/services/types.js';
import { recordings } from '../src/store/schema.js';
import { BACKENDS, startApi, type ApiServer } from './support/api-env.js';
import { CALLS, completeReviewOf, storeCall } from './support/review-calls.js';

const USERS = [
  { username: 'adm', role: 'admin' },
  { username: 'insp', role: 'inspector', team: 'blue' },
  { username: 'sup', role: 'supervisor', team: 'blue' },
  { username: 'ag', role: 'agent', agentId: 'a1', team: 'blue' },
] as const;
type Username = (typeof USERS)[number]['username'];
const DIR = '/srv/recordings/2026-11-30/';
const NAME = 'call-00-a1.wav';

for (const makeBackend of BACKENDS) {
  const backend = makeBackend();
  describe(`file names in API answers on ${backend.name}`, () => {
    let api: ApiServer;
    let call = '';
    let reviewed = '';
    let session = '';
    const token = {} as Record<Username, string>;
    const as = async (u: Username, method: string, url: string, body?: unknown) => {
      const res = await fetch(api.base + url, {
        method,
        headers: { authorization: `Bearer ${token[u]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      expect(res.status, `${u} ${method} ${url}: ${text.slice(0, 300)}`).toBeLessThan(300);
      return text;
    };

    beforeAll(async () => {
      api = await startApi(await backend.setup(), {});
      // two calls of agent a1 (team blue), analysed from a folder on the server
      call = await storeCall(api.store, CALLS[0]!, 0);
      reviewed = await storeCall(api.store, CALLS[4]!, 1);
      await api.store.db.update(recordings).set({ fileName: `${DIR}${NAME}` }).where(eq(recordings.id, call));
      await api.store.db.update(recordings).set({ fileName: `${DIR}call-01-a1.wav` }).where(eq(recordings.id, reviewed));
      for (const u of USERS) {
        await api.services.users.add(systemActor('test'), { ...u, password: 'correct horse battery' });
        token[u.username] = (await api.services.users.createToken(systemActor('test'), u.username, 'test')).token;
      }
      const sup = authUser((await api.services.users.repo.getUserByName('sup'))!);
      const ag = authUser((await api.services.users.repo.getUserByName('ag'))!);
      await completeReviewOf(api.services, sup, reviewed, {});
      const item = (await api.services.calls.getCall(ag, reviewed)).scorecard!.sections[0]!.items[0]!;
      await api.services.disputes.openDispute(ag, reviewed, { itemId: item.id, reason: 'I did greet' });
      session = (await api.services.calibration.create(sup, { title: 'w49', callIds: [call], inspectors: ['insp'] })).id;
    }, 120_000);
    afterAll(async () => {
      await api?.close();
      await backend.teardown();
    });

    // every answer that names a call's file, and the roles that may ask it
    const ANSWERS: { name: string; who: Username[]; get: () => [string, string, unknown?] }[] = [
      { name: 'listCalls', who: ['adm', 'insp', 'sup', 'ag'], get: () => ['GET', '/api/calls'] },
      { name: 'getCall', who: ['adm', 'insp', 'sup', 'ag'], get: () => ['GET', `/api/calls/${call}`] },
      // the item rows of the session's call are not exported to its blind scorers (insp; sup, the supervisor benchmark)
      { name: 'exportCalls', who: ['adm', 'ag'], get: () => ['GET', '/api/calls.csv?shape=items'] },
      { name: 'exportCalls', who: ['adm', 'insp', 'sup', 'ag'], get: () => ['GET', '/api/calls.csv?shape=calls'] },
      { name: 'reviewQueue', who: ['adm', 'insp', 'sup'], get: () => ['GET', '/api/review/queue?since=2020-01-01'] },
      { name: 'listDisputes', who: ['adm', 'sup', 'ag'], get: () => ['GET', '/api/disputes'] },
      { name: 'searchTranscripts', who: ['adm', 'insp', 'sup'], get: () => ['GET', `/api/search?q=${encodeURIComponent('您好')}`] },
      { name: 'exportSearch', who: ['adm', 'insp', 'sup'], get: () => ['GET', `/api/search.csv?q=${encodeURIComponent('您好')}`] },
      { name: 'listWatchHits', who: ['adm', 'insp', 'sup'], get: () => ['GET', '/api/watchlist/hits'] },
      { name: 'getCalibration', who: ['adm', 'insp', 'sup'], get: () => ['GET', `/api/calibrations/${session}`] },
    ];

    it('the watch list has a hit to show', async () => {
      await as('sup', 'POST', '/api/watchlist', { name: 'greeting', query: '您好' });
      expect(await as('adm', 'GET', '/api/watchlist/hits')).toContain(NAME);
    });
    for (const a of ANSWERS) {
      it(`${a.name}: the file's own name for ${a.who.filter((w) => w !== 'adm').join(', ')}; the server path for admins`, async () => {
        for (const who of a.who) {
          const [method, url, body] = a.get();
          const text = await as(who, method, url, body);
          expect(text, `${a.name} as ${who}`).toMatch(/call-0[01]-a1\.wav/);
          if (who === 'adm') expect(text, `${a.name} as admin`).toContain(DIR);
          else expect(text, `${a.name} as ${who}`).not.toContain('/srv/');
        }
      });
    }
  });
}
