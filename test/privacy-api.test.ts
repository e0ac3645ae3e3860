/**
 * What the API returns of a call's personal data for each role (PGlite and PostgreSQL): masked for everyone by
 * default; raw only when a user with the pii permission asks, and that read is audited; agents cannot unmask.
 * The call is a real sample whose customer gives a mobile number (一三八，一二三四，五六七八).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../src/audio/tools.js';
import { parseCallMetadata } from '../src/pipeline/metadata.js';
import { authUser } from '../src/services/users.js';
import { completeReviewOf } from './support/review-calls.js';
import { analyseSamples, ApiClient, signInUsers, BACKENDS, loadCalls, startApi, type AnalysedCall, type ApiServer } from './support/api-env.js';

async function fetchAudio(client: ApiClient, callId: string): Promise<{ bytes: Buffer; redaction: string }> {
  const headers: Record<string, string> = { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  const res = await fetch(`${client.base}/api/calls/${callId}/audio`, { headers });
  expect(res.status).toBe(200);
  return { bytes: Buffer.from(await res.arrayBuffer()), redaction: res.headers.get('x-callqa-redaction') ?? '' };
}

/** RMS per channel of an MP3 between two times (decoded by ffmpeg). */
async function levels(mp3: Buffer, from: number, to: number): Promise<[number, number]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'callqa-pii-mp3-'));
  try {
    writeFileSync(path.join(dir, 'a.mp3'), mp3);
    const r = spawnSync(ffmpegPath(), ['-v', 'error', '-i', path.join(dir, 'a.mp3'), '-ss', String(from), '-to', String(to), '-f', 's16le', '-ac', '2', '-ar', '8000', 'pipe:1'], { maxBuffer: 1 << 26 });
    const pcm = r.stdout;
    const acc = [0, 0];
    const n = pcm.length / 4;
    for (let i = 0; i < n; i++) for (let c = 0; c < 2; c++) acc[c] += (pcm.readInt16LE(i * 4 + c * 2) / 32768) ** 2;
    return [Math.sqrt(acc[0]! / n), Math.sqrt(acc[1]! / n)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// the call's metadata as a platform's sidecar gives it: the fields callqa knows, ordinary extra columns, and extra
// columns holding the customer's phone number and e-mail (masked in every answer like the transcript)
const ORDINARY_META = {
  callId: 'C-20261130-0042', agentId: 'A1', team: 'red', direction: 'inbound', startedAt: '2026-11-30T14:30:00+08:00', queue: 'billing',
  campaign: 'Q4 retention 2026', ivr_path: '1-3-2', order_number: '2026113012345678', wrapup_code: 'BILL-01', survey_score: 5,
  recorded_on: '2026 11 30 14:30', site: 'Shenzhen 2F',
};
const META_PHONE = '13698765432';
const META_EMAIL = 'wang.fang@example.com';
const METADATA = parseCallMetadata(
  { ...ORDINARY_META, customer_number: '+86 136-9876-5432', callback_number: META_PHONE, customer_phone: '5559876', contact_email: META_EMAIL },
  'zh-billing-good.meta.json',
);
const SAMPLES = [{ file: 'zh-billing-good.ogg', pipeline: 'inbound-service-zh', metadata: METADATA }];
const USERS = [
  { username: 'insp', role: 'inspector' },
  { username: 'sup', role: 'supervisor', team: 'red' },
  { username: 'adm', role: 'admin' },
  { username: 'agent1', role: 'agent', agentId: 'A1', team: 'red' },
] as const;
const PASSWORD = 'correct horse battery staple';
const MOBILE = '一三八，一二三四，五六七八';
// a mobile number typed into a comment, a dispute and a ruling
const TYPED = '13912345678';

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
    let as: Record<(typeof USERS)[number]['username'], ApiClient>;
    beforeAll(async () => {
      api = await startApi(await backend.setup(), {});
      [call] = await loadCalls(api.store, analysed);
      as = await signInUsers(api, USERS, PASSWORD);
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
    it('audio: the agent gets a copy with the customer\'s number silenced on the customer channel only; the inspector the original', async () => {
      const ev = analysed[0]!.report.events.find((e) => e.type === 'pii')!;
      expect(ev.speaker).toBe('customer');
      const agentAudio = await fetchAudio(as.agent1, call);
      const inspAudio = await fetchAudio(as.insp, call);
      expect(agentAudio.redaction).toMatch(/^muted 1 span/);
      expect(inspAudio.redaction).toBe('original');
      // inside the spoken number (padded estimate): the customer channel is silent in the agent's copy only
      const mid = { from: ev.start + 0.3, to: ev.end - 0.3 };
      const [agentL, agentR] = await levels(agentAudio.bytes, mid.from, mid.to);
      const [, inspR] = await levels(inspAudio.bytes, mid.from, mid.to);
      expect(inspR).toBeGreaterThan(0.005);
      expect(agentR).toBeLessThan(inspR / 50);
      // the agent's own channel is untouched in that span, and the customer channel elsewhere too
      const [inspL] = await levels(inspAudio.bytes, mid.from, mid.to);
      expect(Math.abs(agentL - inspL)).toBeLessThan(0.2 * inspL + 1e-4);
      const before = await levels(agentAudio.bytes, 16.2, 22.8);
      const beforeInsp = await levels(inspAudio.bytes, 16.2, 22.8);
      expect(before[1]).toBeGreaterThan(0.5 * beforeInsp[1]);
      const log = await api.services.audit.query({ callId: call, limit: 1000 });
      expect(log.some((e) => e.action === 'call.audio.read' && e.actor === 'agent1' && String(e.details.redaction).startsWith('muted'))).toBe(true);
    });
    it.each(['insp', 'sup', 'adm', 'agent1'] as const)("%s gets the metadata's phone numbers and e-mail masked, the rest of it as the platform gave it", async (who) => {
      const r = await as[who].req('GET', `/api/calls/${call}`);
      expect(r.status).toBe(200);
      const body = JSON.stringify(r.body);
      for (const raw of [META_PHONE, '5559876', META_EMAIL]) expect(body, who).not.toContain(raw);
      expect(r.body.metadata).toEqual({
        ...ORDINARY_META, customerNumberMasked: '*********5432', callback_number: '[PHONE]', customer_phone: '[PHONE]', contact_email: '[EMAIL]',
      });
      // the call list carries only the fields callqa knows, as they are
      const list = await as[who].req('GET', '/api/calls');
      expect(list.status).toBe(200);
      expect(JSON.stringify(list.body), who).not.toContain(META_PHONE);
      expect(list.body.calls.find((c: { id: string }) => c.id === call)).toMatchObject({ externalId: 'C-20261130-0042', agentId: 'A1', team: 'red', startedAt: ORDINARY_META.startedAt });
    });
    it.each(['insp', 'sup', 'adm'] as const)('%s reads the raw metadata only unmasked, and that read is audited', async (who) => {
      const r = await as[who].req('GET', `/api/calls/${call}?unmask=true`);
      expect(r.status).toBe(200);
      expect(r.body.metadata).toEqual({ ...ORDINARY_META, customerNumberMasked: '*********5432', callback_number: META_PHONE, customer_phone: '5559876', contact_email: META_EMAIL });
      const log = await api.services.audit.query({ callId: call, limit: 1000 });
      expect(log.some((e) => e.action === 'call.transcript.read.unmasked' && e.actor === who)).toBe(true);
    });
    it('an agent may not unmask (403), and nothing raw is returned', async () => {
      const r = await as.agent1.req('GET', `/api/calls/${call}?unmask=true`);
      expect(r.status).toBe(403);
      expect(JSON.stringify(r.body)).not.toContain('五六七八');
      expect(JSON.stringify(r.body)).not.toContain(META_PHONE);
    });
    it('comments and dispute reasons people typed are masked like the transcript: call view, history, disputes; raw only unmasked', async () => {
      // the inspector overrides one item with a comment quoting the customer's number, and completes
      const insp = authUser((await api.services.users.repo.getUserByName('insp'))!);
      const detail = await api.services.calls.getCall(insp, call);
      const item = detail.scorecard!.sections.flatMap((s) => s.items).find((i) => i.kind === 'standard' && i.maxPoints > 0)!;
      const decided = await as.insp.req('POST', `/api/calls/${call}/review/decisions`, {
        itemId: item.id, action: 'override', points: 0, reason: { code: 'wrong_score', comment: `客户说手机${TYPED}打不通` },
      });
      expect(decided.status).toBe(200);
      expect(JSON.stringify(decided.body)).not.toContain(TYPED);
      expect(decided.body.item.human.comment).toBe('客户说手机[手机号]打不通');
      await completeReviewOf(api.services, insp, call, {});
      // the agent disputes it, naming the number again; the supervisor rules, quoting it
      const opened = await as.agent1.req('POST', `/api/calls/${call}/disputes`, { itemId: item.id, reason: `I called back on ${TYPED} as asked` });
      expect(opened.status).toBe(201);
      expect(JSON.stringify(opened.body)).not.toContain(TYPED);
      const ruled = await as.sup.req('POST', `/api/disputes/${opened.body.id}/ruling`, { outcome: 'amended', points: item.maxPoints, reason: `回拨${TYPED}属实` });
      expect(ruled.status).toBe(200);
      expect(JSON.stringify(ruled.body)).not.toContain(TYPED);

      for (const who of ['insp', 'sup', 'adm', 'agent1'] as const) {
        const view = await as[who].req('GET', `/api/calls/${call}`);
        expect(view.status).toBe(200);
        expect(JSON.stringify(view.body), who).not.toContain(TYPED);
        expect(view.body.disputes[0].reason).toBe('I called back on [PHONE] as asked');
        expect(view.body.disputes[0].rulingReason).toBe('回拨[手机号]属实');
        const shown = view.body.scorecard.sections.flatMap((s: { items: unknown[] }) => s.items).find((i: { id: string }) => i.id === item.id);
        expect(shown.reason).toContain('[手机号]');
        const history = await as[who].req('GET', `/api/calls/${call}/history`);
        expect(history.status).toBe(200);
        expect(history.body.history.some((h: { action: string }) => h.action === 'dispute.rule')).toBe(true);
        expect(JSON.stringify(history.body), who).not.toContain(TYPED);
        const disputes = await as[who].req('GET', '/api/disputes');
        expect(disputes.body.disputes.length, who).toBe(1);
        expect(JSON.stringify(disputes.body), who).not.toContain(TYPED);
        expect(disputes.body.disputes[0].reason).toBe('I called back on [PHONE] as asked');
      }
      // a user with the pii permission who unmasks the call reads what was typed (audited as unmasked)
      const raw = await as.sup.req('GET', `/api/calls/${call}?unmask=true`);
      expect(raw.body.disputes[0].reason).toBe(`I called back on ${TYPED} as asked`);
      expect(raw.body.disputes[0].rulingReason).toBe(`回拨${TYPED}属实`);
      expect(JSON.stringify(raw.body.scorecard)).toContain(`客户说手机${TYPED}打不通`);
      // stored as typed: the audit log (read on the server: callqa audit) keeps the words
      const log = await api.services.audit.query({ callId: call, limit: 1000 });
      expect(log.find((e) => e.action === 'dispute.open')!.details.reason).toBe(`I called back on ${TYPED} as asked`);
    });
  });
}
