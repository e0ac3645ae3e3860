/**
 * The program's own numbers (`privacy.companyNumbers`, docs/privacy.md) stay readable in every masked API answer,
 * as they do in the transcript the transcribe stage stores: search snippets (`searchTranscripts`, `exportSearch`)
 * and the call view (`getCall`), on PGlite and PostgreSQL. Two calls say the same sentence, the company's
 * switchboard and the customer's mobile: one under a program that lists the switchboard as its own, one under a
 * program that does not. Programs are real program files (copies of pipelines/ in a scratch folder, one with a
 * `privacy:` block added); calls are stored through the real repository and read over HTTP. The regression example
 * exported from a reviewed call (`exportExample`, masked by default) keeps them too.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseText } from '../src/core/normalise.js';
import type { Transcript } from '../src/core/types.js';
import { resolvePipeline } from '../src/pipeline/loader.js';
import { applyPrivacy } from '../src/privacy/apply.js';
import { exampleInput } from '../src/score/examples.js';
import { draftScorecard } from '../src/score/scorecard.js';
import { programCompanyNumbers } from '../src/services/privacy.js';
import { authUser } from '../src/services/users.js';
import { BACKENDS, signInUsers, startApi, type ApiClient, type ApiServer } from './support/api-env.js';
import { CLEAN, EXAMPLES, pipeline } from './support/review-calls.js';

const REPO_PIPELINES = path.join(import.meta.dirname, '..', 'pipelines');
// the company's switchboard (a Shanghai landline: masked as personal data unless the program lists it) and a mobile
const SWITCHBOARD = '021-62345678';
const MOBILE = '13812345678';
const SAID = `您可以打我们总机${SWITCHBOARD}转人工，我的手机是${MOBILE}`;
const PASSWORD = 'correct horse battery staple';
// a second mobile (13987654321) said across two segments: neither half is a number on its own
const SPLIT = ['另一个手机号是139', '8765 4321'];
// a third (13800135678) said across two segments by an angry customer: the escalation finding quotes the first half,
// and the apology item's evidence quotes that finding
const ESCALATED = ['我要投诉你们，马上打我电话138', '0013 5678'];
// a metadata column the platform exported, holding the customer's number
const CALLBACK = '13611112222';

let pipelinesDir = '';
const savedPipelinesDir = process.env.CALLQA_PIPELINES_DIR;
beforeAll(() => {
  pipelinesDir = mkdtempSync(path.join(tmpdir(), 'callqa-company-numbers-'));
  const zh = readFileSync(path.join(REPO_PIPELINES, 'inbound-service-zh.yaml'), 'utf8');
  writeFileSync(path.join(pipelinesDir, 'inbound-service-zh.yaml'), `${zh.trimEnd()}\nprivacy:\n  companyNumbers: ["02162345678"]\n`);
  copyFileSync(path.join(REPO_PIPELINES, 'outbound-sales-zh.yaml'), path.join(pipelinesDir, 'outbound-sales-zh.yaml'));
  process.env.CALLQA_PIPELINES_DIR = pipelinesDir;
});
afterAll(() => {
  if (savedPipelinesDir === undefined) delete process.env.CALLQA_PIPELINES_DIR;
  else process.env.CALLQA_PIPELINES_DIR = savedPipelinesDir;
  if (pipelinesDir) rmSync(pipelinesDir, { recursive: true, force: true });
});

function transcriptOf(text: string): Transcript {
  return { engine: 'sidecar-json', language: 'zh', segments: [{ speaker: 'customer', start: 1, end: 6, text, normText: normaliseText(text) }] };
}

describe("a program's own numbers", () => {
  it('are read from the program file; a program that is gone has none', () => {
    expect(programCompanyNumbers('inbound-service-zh')).toEqual(['02162345678']);
    expect(programCompanyNumbers('outbound-sales-zh')).toEqual([]);
    expect(programCompanyNumbers('no-such-program')).toEqual([]);
  });
  it('the transcribe stage keeps the switchboard readable under that program (what the API must agree with)', () => {
    const p = applyPrivacy(transcriptOf(SAID), resolvePipeline('inbound-service-zh').privacy, true);
    expect(p.transcript.segments[0]!.text).toBe('您可以打我们总机021-62345678转人工，我的手机是[手机号]');
    const q = applyPrivacy(transcriptOf(SAID), resolvePipeline('outbound-sales-zh').privacy, true);
    expect(q.transcript.segments[0]!.text).toBe('您可以打我们总机[电话]转人工，我的手机是[手机号]');
  });
});

for (const makeBackend of BACKENDS) {
  const backend = makeBackend();
  describe(`the program's own numbers stay readable in masked API answers on ${backend.name}`, () => {
    let api: ApiServer;
    let admin: ApiClient;
    let insp: ApiClient;
    const callOf = new Map<string, string>();
    beforeAll(async () => {
      api = await startApi(await backend.setup(), {});
      for (const program of ['inbound-service-zh', 'outbound-sales-zh']) {
        const rec = await api.store.repo.upsertRecording({
          contentHash: randomBytes(32).toString('hex'), path: `/calls/${program}.wav`, fileName: `${program}.wav`, sizeBytes: 1000,
          info: { format: 'wav', codec: 'pcm_mulaw', durationSec: 20, channels: 2, sampleRate: 8000 },
          metadata: { agentId: 'A1', team: 'red', startedAt: '2026-11-30T09:00:00+08:00' },
        });
        const { run } = await api.store.repo.getOrCreateRun(rec.id, program, '1');
        await api.store.repo.markRunStarted(run.id, 'probe');
        await api.store.repo.completeRun(run.id, { events: [], transcript: transcriptOf(SAID), metrics: {}, notes: [], scorecard: null });
        callOf.set(program, rec.id);
      }
      ({ admin, insp } = await signInUsers(api, [{ username: 'admin', role: 'admin' }, { username: 'insp', role: 'inspector' }] as const, PASSWORD));
      // a reviewed call of the program that lists the switchboard: the shipped clean example dialogue, drafted by
      // the real scorecard, with the customer's sentence added at its end; the inspector overrides one item
      const input = exampleInput(EXAMPLES[CLEAN]!);
      const last = input.transcript!.segments.at(-1)!;
      input.transcript!.segments.push({ speaker: 'customer', start: last.end + 0.5, end: last.end + 5, text: SAID, normText: normaliseText(SAID) });
      // a number the customer says across two segments (the engine cut it at a pause): masked in each, as getCall does
      for (const [k, text] of SPLIT.entries()) input.transcript!.segments.push({ speaker: 'customer', start: last.end + 5.5 + k * 2, end: last.end + 7 + k * 2, text, normText: normaliseText(text) });
      const escalatedAt = input.transcript!.segments.length;
      for (const [k, text] of ESCALATED.entries()) input.transcript!.segments.push({ speaker: 'customer', start: last.end + 10 + k * 2, end: last.end + 11.5 + k * 2, text, normText: normaliseText(text) });
      input.events.push({
        type: 'customer_escalation', speaker: 'customer', start: last.end + 10, end: last.end + 11.5,
        details: {
          text: ESCALATED[0]!, matched: '投诉', phrase: '投诉', entryId: 'zh.escalation.tou-su', category: 'escalation', severity: 'high', confidence: 1, fuzzy: false,
          language: 'zh', segmentIndex: escalatedAt, matches: [{ matched: '投诉', entryId: 'zh.escalation.tou-su', confidence: 1, fuzzy: false }], kinds: ['complaint'], apologised: false, apologyAtSec: null,
        },
      });
      const rec = await api.store.repo.upsertRecording({
        contentHash: randomBytes(32).toString('hex'), path: '/calls/reviewed.wav', fileName: 'reviewed.wav', sizeBytes: 1000,
        info: { format: 'wav', codec: 'pcm_s16le', durationSec: last.end + 16, channels: 2, sampleRate: 8000 },
        metadata: { ...input.metadata, agentId: 'A1', team: 'red', callback_number: CALLBACK },
      });
      const { run } = await api.store.repo.getOrCreateRun(rec.id, pipeline.id, pipeline.version);
      await api.store.repo.markRunStarted(run.id, 'probe');
      const draft = draftScorecard(pipeline.scorecard!, input, { id: pipeline.id, version: pipeline.version });
      await api.store.repo.completeRun(run.id, { events: input.events, transcript: input.transcript, metrics: {}, notes: [], scorecard: draft });
      const adminUser = authUser((await api.services.users.repo.getUserByName('admin'))!);
      await api.services.reviews.decideItem(adminUser, rec.id, { itemId: 'banned-phrase', action: 'override', points: -2, reason: { code: 'wrong_score', comment: 'heard otherwise' } });
      callOf.set('reviewed', rec.id);
    }, 120_000);
    afterAll(async () => {
      await api?.close();
      await backend.teardown();
    });

    it('search snippets: the switchboard stays under the program that lists it, the mobile is masked under both', async () => {
      const r = await admin.req('GET', `/api/search?q=${encodeURIComponent('总机')}`);
      expect(r.status).toBe(200);
      const snippetOf = (program: string): string => {
        const hit = (r.body.hits as Array<{ program: string; snippet: string }>).find((h) => h.program === program);
        expect(hit, program).toBeDefined();
        return hit!.snippet;
      };
      const own = snippetOf('inbound-service-zh');
      expect(own).toContain(SWITCHBOARD);
      expect(own).toContain('[手机号]');
      expect(own).not.toContain(MOBILE);
      const other = snippetOf('outbound-sales-zh');
      expect(other).not.toContain('62345678');
      expect(other).toContain('[电话]');
      expect(other).not.toContain(MOBILE);
    });
    it('the CSV export of the search agrees', async () => {
      const r = await admin.req('GET', `/api/search.csv?q=${encodeURIComponent('总机')}`);
      expect(r.status).toBe(200);
      const rows = String(r.body).split('\n');
      expect(rows.find((l) => l.includes('inbound-service-zh'))).toContain(SWITCHBOARD);
      expect(rows.find((l) => l.includes('outbound-sales-zh'))).not.toContain('62345678');
      expect(String(r.body)).not.toContain(MOBILE);
    });
    it('the regression example exported from a reviewed call (masked by default) agrees', async () => {
      const r = await admin.req('GET', `/api/calls/${callOf.get('reviewed')}/items/banned-phrase/example`);
      expect(r.status).toBe(200);
      expect(r.body.yaml).toContain(SWITCHBOARD);
      expect(r.body.yaml).toContain('[手机号]');
      expect(r.body.yaml).not.toContain(MOBILE);
    });
    it('a number said across two segments is masked in the example, the search and the call view alike', async () => {
      const view = await admin.req('GET', `/api/calls/${callOf.get('reviewed')}`);
      expect(view.status).toBe(200);
      const texts = (view.body.transcript.segments as Array<{ text: string }>).map((x) => x.text);
      expect(texts.slice(-4, -2)).toEqual(['另一个手机号是[手机号]', '[PHONE]']);
      const ex = await admin.req('GET', `/api/calls/${callOf.get('reviewed')}/items/banned-phrase/example`);
      expect(ex.status).toBe(200);
      expect(ex.body.yaml).not.toContain('8765');
      expect(ex.body.yaml).toContain('另一个手机号是[手机号]');
      for (const url of ['/api/search?q=8765', '/api/search.csv?q=8765', `/api/search?q=${encodeURIComponent('另一个手机号')}`]) {
        const r = await admin.req('GET', url);
        expect(r.status, url).toBe(200);
        const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body.hits);
        expect(body, url).toMatch(/\[(?:PHONE|手机号)\]/);
        expect(body, url).not.toContain('8765');
        expect(body, url).not.toMatch(/139(?!12345678)/);
      }
    });
    it("a finding's quote of one half of a number said across two segments is masked as the transcript shows that segment", async () => {
      const view = await admin.req('GET', `/api/calls/${callOf.get('reviewed')}`);
      expect(view.status).toBe(200);
      const texts = (view.body.transcript.segments as Array<{ text: string }>).map((x) => x.text);
      expect(texts.slice(-2)).toEqual(['我要投诉你们，马上打我电话[手机号]', '[PHONE]']);
      // the escalation event quotes the first half (masked on its own, 电话138 stayed readable)
      const esc = (view.body.events as Array<{ type: string; details: { text: string } }>).find((e) => e.type === 'customer_escalation' && e.details.text.includes('马上打我电话'));
      expect(esc?.details.text).toBe(texts.at(-2));
      // the apology item's evidence quotes that event
      const quotes = (view.body.scorecard.sections as Array<{ items: Array<{ id: string; evidence: Array<{ text?: string }> }> }>)
        .flatMap((x) => x.items).find((i) => i.id === 'apology')!.evidence.map((e) => e.text);
      expect(quotes).toContain(texts.at(-2));
      for (const part of [view.body.events, view.body.scorecard]) {
        expect(JSON.stringify(part)).not.toContain('电话138');
        expect(JSON.stringify(part)).not.toContain('0013');
      }
      // unmasked, the quotes are as said
      const raw = await admin.req('GET', `/api/calls/${callOf.get('reviewed')}?unmask=true`);
      expect(JSON.stringify(raw.body.scorecard)).toContain(ESCALATED[0]);
      // the item in the answer to a decision on it shows its evidence as the call view does
      const decided = await insp.req('POST', `/api/calls/${callOf.get('reviewed')}/review/decisions`, { itemId: 'apology', action: 'confirm' });
      expect(decided.status).toBe(200);
      expect(decided.body.item.evidence.map((e: { text?: string }) => e.text)).toContain(texts.at(-2));
      expect(JSON.stringify(decided.body)).not.toContain('电话138');
      // the regression example exported from the call (masked by default): the event's quote and the metadata column too
      const ex = await admin.req('GET', `/api/calls/${callOf.get('reviewed')}/items/banned-phrase/example`);
      expect(ex.status).toBe(200);
      expect(ex.body.yaml).toContain('我要投诉你们，马上打我电话[手机号]');
      expect(ex.body.yaml).toContain('callback_number: "[PHONE]"');
      for (const raw of ['电话138', '0013', CALLBACK]) expect(ex.body.yaml).not.toContain(raw);
      const rawEx = await admin.req('GET', `/api/calls/${callOf.get('reviewed')}/items/banned-phrase/example?mask=false`);
      expect(rawEx.body.yaml).toContain(CALLBACK);
      expect(rawEx.body.yaml).toContain(ESCALATED[0]);
    });
    it('an unmasked example is audited as an unmasked read, as getCall?unmask=true is', async () => {
      const call = callOf.get('reviewed')!;
      const raw = await admin.req('GET', `/api/calls/${call}/items/banned-phrase/example?mask=false`);
      expect(raw.status).toBe(200);
      expect(raw.body.yaml).toContain('8765 4321');
      const log = await api.services.audit.query({ callId: call, limit: 1000 });
      const reads = log.filter((e) => e.details.purpose === 'regression example').map((e) => e.action);
      expect(reads).toContain('call.transcript.read.unmasked');
      expect(reads).toContain('call.transcript.read'); // the masked exports above
    });
    it('the call view agrees with the search', async () => {
      const own = await admin.req('GET', `/api/calls/${callOf.get('inbound-service-zh')}`);
      expect(own.status).toBe(200);
      expect(own.body.transcript.segments[0].text).toBe('您可以打我们总机021-62345678转人工，我的手机是[手机号]');
      const other = await admin.req('GET', `/api/calls/${callOf.get('outbound-sales-zh')}`);
      expect(other.body.transcript.segments[0].text).toBe('您可以打我们总机[电话]转人工，我的手机是[手机号]');
    });
    it('unmasking a call with no transcript is audited too: its comments are what unmask reveals', async () => {
      const input = exampleInput(EXAMPLES[CLEAN]!);
      const rec = await api.store.repo.upsertRecording({
        contentHash: randomBytes(32).toString('hex'), path: '/calls/untranscribed.wav', fileName: 'untranscribed.wav', sizeBytes: 1000,
        info: { format: 'wav', codec: 'pcm_s16le', durationSec: 60, channels: 2, sampleRate: 8000 },
        metadata: { ...input.metadata, agentId: 'A1', team: 'red' },
      });
      const { run } = await api.store.repo.getOrCreateRun(rec.id, pipeline.id, pipeline.version);
      await api.store.repo.markRunStarted(run.id, 'probe');
      const draft = draftScorecard(pipeline.scorecard!, { ...input, transcript: null }, { id: pipeline.id, version: pipeline.version });
      await api.store.repo.completeRun(run.id, { events: input.events, transcript: null, metrics: {}, notes: [], scorecard: draft });
      const item = draft.sections.flatMap((x) => x.items).find((i) => i.kind === 'standard' && i.maxPoints > 0)!;
      const decided = await insp.req('POST', `/api/calls/${rec.id}/review/decisions`, { itemId: item.id, action: 'override', points: 0, reason: { code: 'wrong_score', comment: `回拨${MOBILE}` } });
      expect(decided.status).toBe(200);
      const raw = await insp.req('GET', `/api/calls/${rec.id}?unmask=true`);
      expect(raw.status).toBe(200);
      expect(raw.body.transcript).toBeNull();
      expect(JSON.stringify(raw.body.scorecard)).toContain(MOBILE);
      const log = await api.services.audit.query({ callId: rec.id, limit: 1000 });
      expect(log.filter((e) => e.action === 'call.transcript.read.unmasked').map((e) => e.actor)).toEqual(['insp']);
    });
    it('a comment sent back as the masked view showed it keeps the words it masks (editing a decision loses nothing)', async () => {
      const call = callOf.get('reviewed')!;
      const typed = `客户说手机${MOBILE}打不通`;
      const first = await insp.req('POST', `/api/calls/${call}/review/decisions`, { itemId: 'banned-phrase', action: 'override', points: -2, reason: { code: 'wrong_score', comment: typed } });
      expect(first.status).toBe(200);
      const shownComment = (): Promise<string> => insp.req('GET', `/api/calls/${call}`).then((v) =>
        v.body.scorecard.sections.flatMap((x: { items: unknown[] }) => x.items).find((i: { id: string }) => i.id === 'banned-phrase').human.comment);
      const masked = await shownComment();
      expect(masked).toBe('客户说手机[手机号]打不通');
      // the web UI's override form starts from the comment as shown: only the points change
      const again = await insp.req('POST', `/api/calls/${call}/review/decisions`, { itemId: 'banned-phrase', action: 'override', points: -1, reason: { code: 'wrong_score', comment: masked } });
      expect(again.status).toBe(200);
      const raw = await insp.req('GET', `/api/calls/${call}?unmask=true`);
      const item = raw.body.scorecard.sections.flatMap((x: { items: unknown[] }) => x.items).find((i: { id: string }) => i.id === 'banned-phrase');
      expect(item.human.comment).toBe(typed);
      expect(item.points).toBe(-1);
      // a comment really changed is stored as typed, labels and all
      const edited = await insp.req('POST', `/api/calls/${call}/review/decisions`, { itemId: 'banned-phrase', action: 'override', points: -1, reason: { code: 'wrong_score', comment: '已核实 [手机号] 无误' } });
      expect(edited.status).toBe(200);
      const raw2 = await insp.req('GET', `/api/calls/${call}?unmask=true`);
      expect(JSON.stringify(raw2.body.scorecard)).toContain('已核实 [手机号] 无误');
    });
  });
}
