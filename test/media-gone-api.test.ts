/**
 * A call whose recording is no longer where it was analysed from (moved, deleted, storage not mounted): its
 * audio and waveform answer 410 with a message that says so and names the file but not the server's folder,
 * for every role that may hear it (agents get a redacted copy made from the same recording), instead of a 500
 * "internal error". The call itself (transcript, scorecard) still opens.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, signInUsers, startApi, type ApiClient, type ApiServer } from './support/api-env.js';
import { CALLS, storeCall } from './support/review-calls.js';

const USERS = [
  { username: 'insp', role: 'inspector', team: 'blue' },
  { username: 'sup', role: 'supervisor', team: 'blue' },
  { username: 'ag', role: 'agent', agentId: 'a1', team: 'blue' },
] as const;

for (const makeBackend of BACKENDS) {
  const backend = makeBackend();
  describe(`a call whose recording is gone, on ${backend.name}`, () => {
    let api: ApiServer;
    let as: Record<(typeof USERS)[number]['username'], ApiClient>;
    let call = '';
    beforeAll(async () => {
      api = await startApi(await backend.setup(), { mediaDir: mkdtempSync(path.join(tmpdir(), 'callqa-media-')) });
      // stored as analysed from /nonexistent/call-0.wav, a file that is not there
      call = await storeCall(api.store, CALLS[0]!, 0);
      as = await signInUsers(api, USERS, 'correct horse battery');
    }, 120_000);
    afterAll(async () => {
      await api?.close();
      await backend.teardown();
    });

    it('audio and peaks answer 410 naming the file, not its folder; the call view still opens', async () => {
      for (const u of ['insp', 'sup', 'ag'] as const) {
        for (const what of ['audio', 'peaks']) {
          const r = await as[u].req('GET', `/api/calls/${call}/${what}`);
          expect(r.status, `${u} ${what}`).toBe(410);
          expect(r.body.error.code).toBe('gone');
          expect(r.body.error.message).toContain('call-00-a1.wav');
          expect(r.body.error.message).toContain('no longer where it was analysed from');
          expect(r.body.error.message).not.toContain('/nonexistent');
        }
        expect((await as[u].req('GET', `/api/calls/${call}`)).status, u).toBe(200);
      }
    });
  });
}
