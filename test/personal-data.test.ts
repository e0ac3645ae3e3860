/**
 * Data-subject requests and retention (callqa data, src/services/personal-data.ts) on both databases: a customer's
 * calls are found, exported whole, and erased with everything stored with them (rows, search index, media cache)
 * while other customers' calls stay; erased bytes are refused when they come again until readmitted; retention
 * keeps calls under an open dispute. Real analysed sample calls (real transcripts, real media made by ffmpeg) and
 * reviewed example calls with a real dispute.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePipeline } from '../src/pipeline/loader.js';
import { analyzeFile } from '../src/pipeline/runner.js';
import { createServices, type Services } from '../src/services/index.js';
import { searchTranscripts } from '../src/services/search.js';
import { systemActor, type AuthUser } from '../src/services/types.js';
import { authUser } from '../src/services/users.js';
import { openStore, type Store } from '../src/store/index.js';
import { recordings } from '../src/store/schema.js';
import { analyseSamples, ApiClient, BACKENDS, loadCalls, SAMPLES, serveApp, type AnalysedCall } from './support/api-env.js';
import { CALLS, completeReviewOf, NOW, PROBLEM, storeCall } from './support/review-calls.js';

const count = async (store: Store, q: ReturnType<typeof sql>) => Number(((await store.db.execute(q)) as unknown as { rows: { n: string | number }[] }).rows[0]!.n);

let samples: AnalysedCall[];
beforeAll(async () => {
  samples = await analyseSamples([
    { file: 'en-billing-bad.ogg', pipeline: 'default', metadata: { agentId: 'a1', customerId: 'C-1', startedAt: '2026-11-20T09:00:00Z' } },
    { file: 'en-support-good.mp3', pipeline: 'default', metadata: { agentId: 'a1', customerId: 'C-2', startedAt: '2026-11-21T09:00:00Z' } },
  ]);
}, 300_000);

describe.each(BACKENDS)('callqa data on $name', (backendOf) => {
  const backend = backendOf();
  const mediaDir = mkdtempSync(path.join(tmpdir(), 'callqa-pd-media-'));
  let store: Store;
  let services: Services;
  let admin: AuthUser;
  let c1: string; // C-1's analysed sample call
  let c2: string; // C-2's
  let reviewed: string; // C-1's reviewed call, disputed by the agent
  let oldCall: string; // another customer's call from 2025

  beforeAll(async () => {
    store = await openStore(await backend.setup());
    services = createServices(store, { now: () => NOW, mediaDir });
    [c1, c2] = await loadCalls(store, samples);
    const ex = CALLS.findIndex((c) => c.agent === 'a1' && c.example === PROBLEM);
    reviewed = await storeCall(store, CALLS[ex]!, 100);
    oldCall = await storeCall(store, CALLS[ex]!, 101);
    await store.db.update(recordings).set({ metadata: { agentId: 'a1', team: 'blue', customerId: 'C-1', startedAt: '2026-11-22T10:00:00Z' } }).where(eq(recordings.id, reviewed));
    await store.db.update(recordings).set({ metadata: { agentId: 'a1', team: 'blue', customerId: 'C-9', startedAt: '2025-02-01T10:00:00Z' } }).where(eq(recordings.id, oldCall));
    for (const u of [
      { username: 'admin', role: 'admin' },
      { username: 'sup', role: 'supervisor', team: 'blue' },
      { username: 'agent1', role: 'agent', agentId: 'a1', team: 'blue' },
    ] as const)
      await services.users.add(systemActor('test'), { ...u, password: 'correct horse battery' });
    const user = async (n: string) => authUser((await services.users.repo.getUserByName(n))!);
    admin = await user('admin');
    await completeReviewOf(services, await user('sup'), reviewed, { 'banned-phrase': 0 });
    await services.disputes.openDispute(await user('agent1'), reviewed, { itemId: 'banned-phrase', reason: 'I did not say that' });
    // the playable copy and peaks of C-1's call, made by ffmpeg into the media cache, and the search index
    await services.media.audio(admin, c1, { audit: true });
    await services.media.peaks(admin, c1);
    await searchTranscripts(store.db, 'bill');
  }, 300_000);
  afterAll(async () => {
    await store?.close();
    await backend.teardown();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  const hashOf = (id: string) => samples[[c1, c2].indexOf(id)]!.report.recording.contentHash;
  const mediaFiles = (id: string) => {
    const dir = path.join(mediaDir, hashOf(id).slice(0, 2));
    return existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith(hashOf(id))) : [];
  };

  it('finds a customer\'s calls, oldest first, with their review and dispute state', async () => {
    const found = await services.personalData.find({ customerId: 'C-1' });
    expect(found.map((c) => [c.id, c.callDate, c.reviewState, c.openDisputes])).toEqual([
      [c1, '2026-11-20', null, 0],
      [reviewed, '2026-11-22', 'completed', 1],
    ]);
    expect(await services.personalData.find({ customerId: 'C-404' })).toEqual([]);
    expect((await services.personalData.find({ before: '2026-01-01' })).map((c) => c.id)).toEqual([oldCall]);
    expect((await services.personalData.find({ callIds: [c2] })).map((c) => c.customerId)).toEqual(['C-2']);
    // a customer and named calls: either (a call without the customer's id is added by naming it)
    expect((await services.personalData.find({ customerId: 'C-2', callIds: [oldCall] })).map((c) => c.id)).toEqual([oldCall, c2]);
    // a date narrows them
    expect((await services.personalData.find({ customerId: 'C-1', before: '2026-11-21' })).map((c) => c.id)).toEqual([c1]);
  });

  it('refuses a selector that names nothing or is malformed (an erasure never runs on a typo)', async () => {
    await expect(services.personalData.find({})).rejects.toThrow(/name the calls/);
    await expect(services.personalData.find({ customerId: '  ' })).rejects.toThrow(/customer id is empty/);
    await expect(services.personalData.find({ callIds: ['69284825'] })).rejects.toThrow(/whole call id .*"69284825"/);
    await expect(services.personalData.find({ before: '2026-02-30' })).rejects.toThrow(/YYYY-MM-DD, got "2026-02-30"/);
    await expect(services.personalData.erase(admin, {}, { reason: 'request' })).rejects.toThrow(/name the calls/);
  });

  it('exports everything stored about the customer\'s calls: metadata, transcripts as transcribed, findings; audited', async () => {
    const doc = await services.personalData.export(admin, { customerId: 'C-1' });
    expect(doc.calls.map((c) => c.id)).toEqual([c1, reviewed]);
    const [call] = doc.calls;
    const truth = samples[0]!.report.transcript!;
    expect(call!.metadata).toMatchObject({ customerId: 'C-1', agentId: 'a1' });
    expect(call!.transcripts).toHaveLength(1);
    expect(call!.transcripts[0]!.segments.map((s) => s.text)).toEqual(truth.segments.map((s) => s.text));
    expect(call!.findings.length).toBe(samples[0]!.report.events.length);
    expect(doc.notIncluded.join(' ')).toMatch(/audio/);
    const audit = await services.audit.query({ action: 'data.export' });
    expect(audit.map((e) => e.callId).sort()).toEqual([c1, reviewed].sort());
  });

  it("erases the customer's calls and everything stored with them; other customers' calls stay", async () => {
    const before = {
      segments: await count(store, sql`select count(*) as n from transcript_segments`),
      index: await count(store, sql`select count(*) as n from segment_search`),
    };
    const c1Segments = samples[0]!.report.transcript!.segments.length;
    expect(before.index).toBeGreaterThanOrEqual(c1Segments);
    expect(mediaFiles(c1).length).toBeGreaterThanOrEqual(2); // playable copy and peaks

    const r = await services.personalData.erase(admin, { customerId: 'C-1' }, { reason: 'request' });
    expect(r.erased.map((c) => c.id)).toEqual([c1, reviewed]);
    expect(r.kept).toEqual([]);
    expect(r.rows).toMatchObject({ recordings: 2, runs: 2, reviews: 1, disputes: 1, scorecards: 2 });
    expect(r.rows.transcriptSegments).toBeGreaterThanOrEqual(c1Segments);
    expect(r.filesFailed).toEqual([]);
    expect(r.filesDeleted.length).toBeGreaterThanOrEqual(2);
    expect(mediaFiles(c1)).toEqual([]);
    // the originals are not callqa's: left, and said so
    expect(r.audioLeft).toEqual([path.join(SAMPLES, 'en-billing-bad.ogg'), '/nonexistent/call-100.wav']);
    expect(existsSync(path.join(SAMPLES, 'en-billing-bad.ogg'))).toBe(true);

    for (const table of ['recordings', 'call_assignments', 'reviews', 'disputes']) {
      const n = await count(store, sql.raw(`select count(*) as n from ${table} where ${table === 'recordings' ? 'id' : 'recording_id'} in ('${c1}', '${reviewed}')`));
      expect(n, table).toBe(0);
    }
    expect(await count(store, sql`select count(*) as n from transcript_segments`)).toBe(before.segments - r.rows.transcriptSegments!);
    expect(await count(store, sql`select count(*) as n from segment_search`)).toBe(before.index - r.rows.transcriptSegments!);
    // search no longer finds C-1's words; C-2's call is still found
    expect((await searchTranscripts(store.db, '"charged twice"')).hits).toEqual([]);
    expect((await searchTranscripts(store.db, 'help')).hits.map((h) => h.callId)).toContain(c2);
    expect((await services.personalData.find({ customerId: 'C-2' })).map((c) => c.id)).toEqual([c2]);
    // audited with the state change; what was audited before (the export, the audio read) is kept
    const audit = await services.audit.query({ callId: c1 });
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['call.audio.read', 'data.export', 'data.erase']));
    expect(audit.find((e) => e.action === 'data.erase')!.details).toEqual({ reason: 'request', deleteAudio: false });
    // what people wrote about the call in the log (decision comments, dispute reasons) is blanked; who did what stays
    const log = await services.audit.query({ callId: reviewed });
    const written = log.filter((e) => ['review.decide', 'dispute.open'].includes(e.action));
    expect(written.length).toBeGreaterThanOrEqual(2);
    for (const e of written) {
      expect(e.details).toMatchObject({ textErased: true });
      expect(e.details).not.toHaveProperty('comment');
      expect(e.details).not.toHaveProperty('reason');
      expect(e.actor).toMatch(/^(sup|agent1)$/);
    }
    expect(written.find((e) => e.action === 'review.decide')!.details).toMatchObject({ itemId: 'banned-phrase', action: 'override' });
    expect(JSON.stringify(log)).not.toMatch(/heard otherwise|I did not say that/);
    expect(r.rows.auditTextErased).toBe(written.length);
    // outside an erasure the log is as append-only as ever
    const refusal = async (q: ReturnType<typeof sql>) => {
      try {
        await store.db.execute(q);
        return 'allowed';
      } catch (err) {
        return String((err as { cause?: Error }).cause?.message ?? err);
      }
    };
    expect(await refusal(sql`update audit_log set details = '{}'::jsonb where call_id = ${reviewed}::uuid`)).toMatch(/append-only \(UPDATE refused\)/);
    expect(await refusal(sql`delete from audit_log where call_id = ${reviewed}::uuid`)).toMatch(/append-only \(DELETE refused\)/);
  });

  it('the same bytes coming again are refused, not stored, until readmitted', async () => {
    const again = () =>
      analyzeFile(
        { path: path.join(SAMPLES, 'en-billing-bad.ogg'), displayName: 'again.ogg', metadata: { customerId: 'C-1' } },
        { repo: store.repo, pipeline: resolvePipeline('default'), options: { transcribe: false }, versions: { test: '1' } },
      );
    const refused = await again();
    expect(refused.status).toBe('failed');
    expect(refused.status === 'failed' && refused.error.message).toMatch(/^again\.ogg: this recording was erased at a data-subject request on 2026-12-01 .*callqa data readmit/);
    expect(await count(store, sql`select count(*) as n from recordings where content_hash = ${hashOf(c1)}`)).toBe(0);

    expect(await services.personalData.readmit(admin, [hashOf(c1), hashOf(c2)])).toEqual([hashOf(c1)]);
    const ok = await again();
    expect(ok.status).not.toBe('failed');
    expect((await services.audit.query({ action: 'data.readmit' })).map((e) => e.target.id)).toEqual([hashOf(c1)]);
  });

  it('retention: calls before the cut-off go, a call under an open dispute is kept until ruled', async () => {
    const disputed = await storeCall(store, CALLS[0]!, 102);
    await store.db.update(recordings).set({ metadata: { agentId: 'a1', team: 'blue', startedAt: '2025-03-01T10:00:00Z' } }).where(eq(recordings.id, disputed));
    const user = async (n: string) => authUser((await services.users.repo.getUserByName(n))!);
    await completeReviewOf(services, await user('sup'), disputed, {});
    const item = (await services.calls.getCall(admin, disputed)).scorecard!.sections[0]!.items[0]!.id;
    await services.disputes.openDispute(await user('agent1'), disputed, { itemId: item, reason: 'please listen again' });

    const r = await services.personalData.erase(admin, { before: '2026-01-01' }, { reason: 'retention', keepOpenDisputes: true });
    expect(r.erased.map((c) => c.id)).toEqual([oldCall]);
    expect(r.kept.map((k) => [k.call.id, k.reason])).toEqual([[disputed, '1 open dispute(s): rule them first']]);
    expect((await services.personalData.find({ before: '2026-01-01' })).map((c) => c.id)).toEqual([disputed]);
    const [entry] = await services.audit.query({ action: 'data.erase', callId: oldCall });
    expect(entry!.details).toEqual({ reason: 'retention', deleteAudio: false });
  });
  it('the API: admins only (403 for others), a body that names nothing or lacks confirm is refused, then erased and audited', async () => {
    const served = await serveApp(services);
    try {
      const as = async (n: string) => {
        const c = new ApiClient(served.base);
        expect((await c.login(n, 'correct horse battery')).status).toBe(200);
        return c;
      };
      const [adm, sup, agent] = [await as('admin'), await as('sup'), await as('agent1')];
      for (const c of [sup, agent]) {
        for (const op of ['find', 'export', 'erase']) expect((await c.req('POST', `/api/data/${op}`, { customerId: 'C-2', reason: 'request', confirm: true })).status, op).toBe(403);
      }
      const found = await adm.req('POST', '/api/data/find', { customerId: 'C-2' });
      expect(found.status).toBe(200);
      expect(found.body.calls.map((c: { id: string }) => c.id)).toEqual([c2]);
      expect((await adm.req('POST', '/api/data/find', {})).status).toBe(400);
      const exp = await adm.req('POST', '/api/data/export', { callIds: [c2] });
      expect(exp.status).toBe(200);
      expect(exp.body.calls[0].transcripts[0].segments.length).toBe(samples[1]!.report.transcript!.segments.length);
      expect((await adm.req('POST', '/api/data/erase', { customerId: 'C-2', reason: 'request' })).status).toBe(400);
      const gone = await adm.req('POST', '/api/data/erase', { customerId: 'C-2', reason: 'request', confirm: true });
      expect(gone.status).toBe(200);
      expect(gone.body.erased.map((c: { id: string }) => c.id)).toEqual([c2]);
      expect((await adm.req('GET', `/api/calls/${c2}`)).status).toBe(404);
      const [entry] = await services.audit.query({ action: 'data.erase', callId: c2 });
      expect(entry!.actor).toBe('admin');
    } finally {
      await served.close();
    }
  });
});
