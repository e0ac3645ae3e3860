/**
 * Transcript search on the embedded database and on the PostgreSQL server (one suite, run unchanged on both):
 * Chinese and English, Traditional found by Simplified and back, ASR spacing and punctuation, speaker and call
 * filters, any-of, AND, NEAR, masked labels not searchable. Calls are stored through the real repository.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHits } from '../src/cli/search.js';
import { completeEvent } from '../src/core/events.js';
import { normaliseText } from '../src/core/normalise.js';
import type { Speaker, Transcript } from '../src/core/types.js';
import type { ScorecardDraft } from '../src/score/types.js';
import { indexTokens, searchNormalise, segmentRuns, tsvectorLiteral } from '../src/search/tokenize.js';
import { hitsToCsv, QueryError, searchTranscripts } from '../src/services/search.js';
import { WatchListService } from '../src/services/watchlist.js';
import { rowsOf } from '../src/store/call-filter-sql.js';
import { openStore, type Store } from '../src/store/db.js';
import { TrendsRepo } from '../src/store/trends-repo.js';
import { CallsRepo } from '../src/store/calls-repo.js';
import { BACKENDS as DB_BACKENDS } from './support/api-env.js';

type Seg = [Speaker, number, number, string];
interface CallSpec {
  file: string;
  agentId: string;
  team: string;
  startedAt: string;
  total: number;
  segments: Seg[];
  events?: string[];
}

const CALLS: CallSpec[] = [
  { file: 'a-refund.wav', agentId: 'A1', team: 'red', startedAt: '2026-11-02T09:00:00+08:00', total: 90, segments: [
    ['agent', 0.5, 3, '您好，请问有什么可以帮您？'],
    ['customer', 3.5, 7, '我要退款，你们的服務太差了'],
    ['agent', 7.5, 10, '好的，我帮您办理退款。'],
  ] },
  { file: 'b-complaint.wav', agentId: 'A2', team: 'blue', startedAt: '2026-11-10T15:30:00+08:00', total: 70, segments: [
    ['customer', 1, 4, '我 要 投 訴 你們 經理'],
    ['agent', 4.5, 8, '抱歉，我幫您轉接經理'],
  ] },
  { file: 'c-cancel.wav', agentId: 'A1', team: 'red', startedAt: '2026-11-20T10:00:00Z', total: 40, events: ['customer_escalation'], segments: [
    ['customer', 2, 6, 'I want to CANCEL my account, this is ridiculous.'],
    ['agent', 6.5, 9, 'I understand. Let me get a manager for you.'],
    ['customer', 9.5, 12, 'Yes, a manager please. Refund my money.'],
  ] },
  { file: 'd-order.wav', agentId: 'A3', team: 'blue', startedAt: '2026-11-21T10:00:00Z', total: 95, segments: [
    ['agent', 1, 3, 'Would you like to cancel the order?'],
    ['customer', 3.5, 5, 'No, keep my account.'],
  ] },
  { file: 'e-masked.wav', agentId: 'A3', team: 'blue', startedAt: '2026-11-22T10:00:00Z', total: 95, segments: [
    ['customer', 1, 3, '号码[手机号]，卡号[银行卡号]'],
  ] },
  // a Taiwan transcript writes 帳單 (OpenCC makes it 帐单), the mainland 账单, hurried Simplified 帐单
  { file: 'f-bill.wav', agentId: 'A4', team: 'green', startedAt: '2026-11-23T10:00:00Z', total: 95, segments: [
    ['customer', 1, 3, '我想查詢一下我的帳單'],
    ['agent', 3.5, 5, '帐单已经发给您了'],
    ['customer', 5.5, 7, '账单收到了'],
  ] },
  // ASR spaces between Chinese characters (瞭 解: 了解 by the word, 瞭 alone), Greek capitals (ΟΔΟΣ: final sigma), an
  // accent typed as a combining mark (cafe + U+0301)
  { file: 'g-unicode.wav', agentId: 'A5', team: 'green', startedAt: '2026-11-24T10:00:00Z', total: 95, segments: [
    ['customer', 1, 3, '我不太瞭 解你的意思'],
    ['customer', 3.5, 5, 'Η ΟΔΟΣ είναι κλειστή'],
    ['agent', 5.5, 7, 'Un cafe\u0301 noir'],
  ] },
];

for (const makeBackend of DB_BACKENDS) {
  const backend = makeBackend();
  describe(`transcript search on ${backend.name}`, () => {
    let store: Store;
    const runOf = new Map<string, string>();

    beforeAll(async () => {
      store = await openStore(await backend.setup());
      for (const c of CALLS) {
        const rec = await store.repo.upsertRecording({
          contentHash: randomBytes(32).toString('hex'), path: `/calls/${c.file}`, fileName: c.file, sizeBytes: 1000,
          info: { format: 'wav', codec: 'pcm_mulaw', durationSec: 20, channels: 2, sampleRate: 8000 },
          metadata: { agentId: c.agentId, team: c.team, startedAt: c.startedAt },
        });
        const { run } = await store.repo.getOrCreateRun(rec.id, 'support', '1');
        await store.repo.markRunStarted(run.id, 'probe');
        const transcript: Transcript = { engine: 'sidecar-json', language: 'auto', segments: c.segments.map(([speaker, start, end, text]) => ({ speaker, start, end, text, normText: normaliseText(text) })) };
        const card = { total: c.total, maxTotal: 100 } as unknown as ScorecardDraft;
        const events = (c.events ?? []).map((type) => completeEvent({ type, speaker: 'customer', start: 2, end: 6 }));
        await store.repo.completeRun(run.id, { events, transcript, metrics: {}, notes: [], scorecard: card });
        runOf.set(c.file, run.id);
      }
    }, 120_000);
    afterAll(async () => {
      await store?.close();
      await backend.teardown();
    });

    const find = async (q: string, f = {}) => (await searchTranscripts(store.db, q, f)).hits.map((h) => `${h.file}#${h.start}`).sort();

    it('a Chinese phrase, in both speakers; filtered to the customer', async () => {
      expect(await find('退款')).toEqual(['a-refund.wav#3.5', 'a-refund.wav#7.5']);
      expect(await find('退款', { speaker: 'customer' })).toEqual(['a-refund.wav#3.5']);
    });
    it('Simplified finds Traditional and Traditional finds Simplified-or-Traditional, across ASR spaces', async () => {
      expect(await find('服务')).toEqual(['a-refund.wav#3.5']);
      expect(await find('投诉')).toEqual(['b-complaint.wav#1']);
      expect(await find('經理')).toEqual(['b-complaint.wav#1', 'b-complaint.wav#4.5']);
    });
    it('账单, 帐单 and 帳單 find each other (the account/bill 帳 of Taiwan and Hong Kong, the 帐 variant)', async () => {
      for (const q of ['账单', '帐单', '帳單', '賬單']) expect(await find(q), q).toEqual(['f-bill.wav#1', 'f-bill.wav#3.5', 'f-bill.wav#5.5']);
      const hit = (await searchTranscripts(store.db, '账单', {})).hits.find((h) => h.start === 1)!;
      expect(JSON.stringify(hit)).toContain('帳單');
    });
    it('migration 0009 folds what a callqa before the fold stored (norm_text, index tokens with 帐) and indexes it again', async () => {
      const runId = runOf.get('f-bill.wav')!;
      const rows = rowsOf<{ idx: number; text: string }>(await store.db.execute(sql`select idx, text from transcript_segments where run_id = ${runId}::uuid order by idx`));
      // as the old normalisation left them: 帳/帐 became 帐, 账 stayed
      for (const r of rows) {
        if (!/[帐帳]/.test(r.text)) continue;
        const old = indexTokens(r.text).map((t) => ({ ...t, token: t.token.replace(/账/g, '帐') }));
        await store.db.execute(sql`update segment_search set vector = ${tsvectorLiteral(old)}::tsvector where run_id = ${runId}::uuid and idx = ${r.idx}`);
        await store.db.execute(sql`update transcript_segments set norm_text = replace(norm_text, '账', '帐') where run_id = ${runId}::uuid and idx = ${r.idx}`);
      }
      expect(await find('账单')).toEqual(['f-bill.wav#5.5']); // what an upgraded callqa found before the migration
      const migration = readFileSync(join(import.meta.dirname, '../src/store/migrations/0009_fold_zhang.sql'), 'utf8');
      for (const stmt of migration.split('--> statement-breakpoint')) await store.db.execute(sql.raw(stmt));
      expect(await find('账单')).toEqual(['f-bill.wav#1', 'f-bill.wav#3.5', 'f-bill.wav#5.5']);
      expect(rowsOf(await store.db.execute(sql`select norm_text from transcript_segments where run_id = ${runId}::uuid and norm_text like '%帐%'`))).toEqual([]);
    });
    it('了解 finds 瞭 解 (ASR spaces go before the Traditional -> Simplified conversion); final sigma and combining accents are read alike; the hit marks the original characters', async () => {
      const marked = async (q: string) => (await searchTranscripts(store.db, q, {})).hits.map((h) => h.highlights.map((x) => h.snippet.slice(x.start, x.end)));
      expect(await find('了解')).toEqual(['g-unicode.wav#1']);
      expect(await marked('了解')).toEqual([['瞭 解']]);
      for (const q of ['οδοσ', 'οδος', 'ΟΔΟΣ']) expect(await marked(q), q).toEqual([['ΟΔΟΣ']]);
      for (const q of ['café', 'cafe\u0301']) expect(await marked(q), q).toEqual([['cafe\u0301']]);
    });
    it('migration 0010 indexes again what was indexed with the spaces dropped after the conversion and with final sigma', async () => {
      const runId = runOf.get('g-unicode.wav')!;
      // the tokens an older callqa stored: 瞭解 unconverted (the space dropped after OpenCC), οδος with ς
      const old = (text: string) => indexTokens(text.replace('瞭 解', '瞭解').replace('ΟΔΟΣ', 'οδος')).map((t) => ({ ...t, token: t.token.replace('了', '瞭').replace('οδοσ', 'οδος') }));
      for (const [idx, text] of [[0, '我不太瞭 解你的意思'], [1, 'Η ΟΔΟΣ είναι κλειστή']] as const) {
        await store.db.execute(sql`update segment_search set vector = ${tsvectorLiteral(old(text))}::tsvector where run_id = ${runId}::uuid and idx = ${idx}`);
      }
      expect(await find('了解')).toEqual([]);
      expect(await find('οδοσ')).toEqual([]);
      const migration = readFileSync(join(import.meta.dirname, '../src/store/migrations/0010_search_spacing_sigma.sql'), 'utf8');
      for (const stmt of migration.split('--> statement-breakpoint')) await store.db.execute(sql.raw(stmt));
      // only such segments are to be indexed again: the café line and the calls with neither keep their index rows
      const indexed = async (file: string) => rowsOf<{ idx: number }>(await store.db.execute(sql`select idx from segment_search where run_id = ${runOf.get(file)!}::uuid order by idx`)).map((r) => r.idx);
      expect(await indexed('g-unicode.wav')).toEqual([2]);
      expect(await indexed('c-cancel.wav')).toEqual([0, 1, 2]);
      expect(await indexed('a-refund.wav')).toEqual([0, 1, 2]);
      expect(await find('了解')).toEqual(['g-unicode.wav#1']);
      expect(await find('οδοσ')).toEqual(['g-unicode.wav#3.5']);
    });
    it('migration 0010 picks every segment whose index tokens changed: any space JavaScript drops between Chinese characters (no-break, ideographic, em), Chinese beyond the BMP', async () => {
      const migration = readFileSync(join(import.meta.dirname, '../src/store/migrations/0010_search_spacing_sigma.sql'), 'utf8');
      const where = /FROM "transcript_segments" WHERE (.+)\);\s*$/.exec(migration.trim())![1]!;
      const picked = async (text: string) => rowsOf<{ hit: boolean }>(await store.db.execute(sql`select (${sql.raw(where)}) as hit from (select ${text}::text as "text") s`))[0]!.hit;
      // how an older callqa indexed: spaces between Chinese characters dropped after the conversion, ς kept
      const HAN_SPACE = /(\p{Script=Han})\s+(?=\p{Script=Han})/gu;
      const oldTokens = (text: string) => segmentRuns(normaliseText(text).replace(HAN_SPACE, '$1')).map((r) => r.text.replace(/σ/g, 'ς'));
      const newTokens = (text: string) => segmentRuns(searchNormalise(text)).map((r) => r.text.replace(/σ/g, 'ς'));
      const texts = ['我不太瞭 解', '我不太瞭\u00a0解', '我不太瞭\u3000解', '我不太瞭\u2003解', '我不太瞭\u202f解', '我不太瞭\t解', '我不太瞭\n解', '瞭\ufeff解', '瞭\u1680解', '\u{20BB7} 瞭 解', 'Η ΟΔΟΣ', 'οδος'];
      for (const text of texts) {
        const changed = JSON.stringify(oldTokens(text)) !== JSON.stringify(newTokens(text)) || /[ςΣ]/.test(text);
        if (changed) expect(await picked(text), JSON.stringify(text)).toBe(true);
      }
      // the no-break space between Chinese characters did change the tokens (NFKC makes it a space only after OpenCC)
      expect(JSON.stringify(oldTokens('我不太瞭\u00a0解'))).not.toBe(JSON.stringify(newTokens('我不太瞭\u00a0解')));
      // and what did not change is left alone
      for (const text of ['我不太了解', 'refund please', '退款 refund 退款', '了解']) expect(await picked(text), text).toBe(false);
    });
    it('one Chinese character is found anywhere in a word', async () => {
      expect(await find('退')).toEqual(['a-refund.wav#3.5', 'a-refund.wav#7.5']);
    });
    it('an English phrase in order, across case and punctuation; not the same words apart', async () => {
      expect(await find('cancel my account')).toEqual(['c-cancel.wav#2']);
      expect(await find('"cancel my account" OR "keep my account"')).toEqual(['c-cancel.wav#2', 'd-order.wav#3.5']);
      // word*: any word starting so (the * was dropped as punctuation: "acc*" searched the word "acc", no hits)
      expect(await find('acc*')).toEqual(['c-cancel.wav#2', 'd-order.wav#3.5']);
      expect(await find('my acc*')).toEqual(['c-cancel.wav#2', 'd-order.wav#3.5']);
      expect(await find('ridicul* OR manag* please')).toEqual(['c-cancel.wav#2', 'c-cancel.wav#9.5']);
      const hit = (await searchTranscripts(store.db, 'ridicul*', {})).hits[0]!;
      expect(hit.highlights.map((h) => hit.snippet.slice(h.start, h.end))).toEqual(['ridiculous']);
    });
    it('NEAR/n within n tokens, either order; AND in one utterance; any of several', async () => {
      expect(await find('cancel NEAR/4 account')).toEqual(['c-cancel.wav#2']);
      expect(await find('account NEAR/4 cancel')).toEqual(['c-cancel.wav#2']);
      // counted from the end of one side to the start of the other, in Chinese as in English (cancel NEAR/2
      // account: "cancel my account"): 我要退款 has 要 and 退 side by side, 退款 and 服务 are 4 characters apart
      // (款 你们的 服); a chain of bigrams ended a character early, so these needed one more than they said
      expect(await find('cancel NEAR/2 account')).toEqual(['c-cancel.wav#2']);
      expect(await find('cancel NEAR/1 account')).toEqual([]);
      expect(await find('我要 NEAR/1 退款')).toEqual(['a-refund.wav#3.5']);
      expect(await find('退款 NEAR/4 服务')).toEqual(['a-refund.wav#3.5']);
      expect(await find('服務 NEAR/4 退款')).toEqual(['a-refund.wav#3.5']);
      expect(await find('退款 NEAR/3 服务')).toEqual([]);
      expect(await find('您 NEAR/3 退款')).toEqual(['a-refund.wav#7.5']); // 您 办理 退
      expect(await find('您 NEAR/2 退款')).toEqual([]);
      expect(await find('manager AND refund')).toEqual(['c-cancel.wav#9.5']);
      // NOT was read as a word of the phrase ("manager not refund": no hits, exit 1), not as without
      expect(await find('manager NOT refund')).toEqual(['c-cancel.wav#6.5']);
      expect(await find('退款 AND NOT 服務')).toEqual(['a-refund.wav#7.5']);
      const notHit = (await searchTranscripts(store.db, 'manager NOT refund', {})).hits[0]!;
      expect(notHit.highlights.map((h) => notHit.snippet.slice(h.start, h.end))).toEqual(['manager']);
      expect(await find('refund OR 退款')).toEqual(['a-refund.wav#3.5', 'a-refund.wav#7.5', 'c-cancel.wav#9.5']);
    });
    it('call filters: agent, team, dates, event type, score range, program', async () => {
      expect(await find('manager', { agentId: 'A1' })).toEqual(['c-cancel.wav#6.5', 'c-cancel.wav#9.5']);
      expect(await find('manager', { agentId: 'A2' })).toEqual([]);
      expect(await find('经理', { team: 'blue' })).toEqual(['b-complaint.wav#1', 'b-complaint.wav#4.5']);
      expect(await find('经理', { team: 'red' })).toEqual([]);
      expect(await find('refund OR 退款', { from: '2026-11-15' })).toEqual(['c-cancel.wav#9.5']);
      expect(await find('refund OR 退款', { to: '2026-11-02' })).toEqual(['a-refund.wav#3.5', 'a-refund.wav#7.5']);
      expect(await find('refund OR 退款', { eventType: 'customer_escalation' })).toEqual(['c-cancel.wav#9.5']);
      expect(await find('refund OR 退款', { minScore: 50 })).toEqual(['a-refund.wav#3.5', 'a-refund.wav#7.5']);
      expect(await find('refund OR 退款', { maxScore: 50 })).toEqual(['c-cancel.wav#9.5']);
      expect(await find('退款', { pipelineId: 'other' })).toEqual([]);
    });
    it('masking labels are not searchable', async () => {
      expect(await find('手机号')).toEqual([]);
      expect(await find('号码')).toEqual(['e-masked.wav#1']);
    });
    it('hits name the call, the file, the moment and highlight the match; CSV export', async () => {
      const r = await searchTranscripts(store.db, '服务', {});
      const h = r.hits[0]!;
      expect(h.runId).toBe(runOf.get('a-refund.wav'));
      expect(h.snippet.slice(h.highlights[0]!.start, h.highlights[0]!.end)).toBe('服務');
      expect(h.link).toBe(`/#/call/${h.callId}?t=3.5`);
      const csv = hitsToCsv(r.hits);
      expect(csv.split('\r\n')[0]).toBe('callId,file,callDate,agentId,team,program,speaker,start,end,snippet,link');
      expect(csv).toContain('a-refund.wav,2026-11-02,A1,red,support,customer,3.5,7,');
    });
    it('the watch list: a saved search raises findings on the calls analysed so far, then only on new calls', async () => {
      const wl = new WatchListService(store.db);
      await wl.add({ name: 'refund-demand', query: '退款 OR refund', filters: { speaker: 'customer' } }, 'test');
      await expect(wl.add({ name: 'refund-demand', query: 'x' }, 'test')).rejects.toThrow(/already exists/);
      await expect(wl.add({ name: 'bad', query: 'a NEAR/99 b' }, 'test')).rejects.toThrow(QueryError);
      expect(await wl.check()).toBe(2); // a-refund (customer) and c-cancel ("Refund my money")
      expect(await wl.check()).toBe(0); // nothing new
      // a new call analysed later
      const rec = await store.repo.upsertRecording({ contentHash: randomBytes(32).toString('hex'), path: '/calls/f.wav', fileName: 'f-new.wav', sizeBytes: 1, metadata: {} });
      const { run } = await store.repo.getOrCreateRun(rec.id, 'support', '1');
      await store.repo.markRunStarted(run.id, 'probe');
      await store.repo.completeRun(run.id, { events: [], metrics: {}, notes: [], transcript: { engine: 'sidecar-json', language: 'zh', segments: [
        { speaker: 'agent', start: 0, end: 2, text: '退款已经办好了', normText: normaliseText('退款已经办好了') },
        { speaker: 'customer', start: 3, end: 5, text: '我还是要退款', normText: normaliseText('我还是要退款') },
      ] } });
      expect(await wl.check()).toBe(1); // the customer's line only
      const hits = await wl.hits({ savedSearch: 'refund-demand' });
      expect(hits.map((h) => `${h.file}@${h.start}`).sort()).toEqual(['a-refund.wav@3.5', 'c-cancel.wav@9.5', 'f-new.wav@3']);
      expect(await wl.setActive('refund-demand', false)).toBe(true);
      expect((await wl.hits({ callId: rec.id })).length).toBe(1);
    });
    it('a saved query the search language now refuses (an operator with nothing after it) matches nothing and does not stop the others', async () => {
      const { savedSearches } = await import('../src/store/schema.js');
      await store.db.insert(savedSearches).values({ name: 'saved-before-the-check', query: '退款 OR', createdBy: 'test' });
      const wl = new WatchListService(store.db);
      await wl.add({ name: 'refund-any', query: 'refund' }, 'test');
      expect(await wl.check()).toBeGreaterThan(0); // refund-any's hits on the calls so far
      expect(await wl.hits({ savedSearch: 'saved-before-the-check' })).toEqual([]);
      // and the list says why it is not run, while the one that parses has no problem
      const listed = await wl.list();
      expect(listed.find((r) => r.name === 'saved-before-the-check')?.problem).toMatch(/OR needs a phrase on its right/);
      expect(listed.find((r) => r.name === 'refund-any')?.problem).toBeNull();
    });
    it('pages of a phrase many calls share (the same rank) follow one order: newest call first, none twice, none left out', async () => {
      // 120 calls saying the same words, one a day: every hit ranks the same, so "then newest call" decides
      for (let i = 0; i < 120; i++) {
        const day = new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10);
        const rec = await store.repo.upsertRecording({ contentHash: randomBytes(32).toString('hex'), path: `/calls/p${i}.wav`, fileName: `p${i}.wav`, sizeBytes: 1, metadata: { startedAt: `${day}T10:00:00Z` } });
        const { run } = await store.repo.getOrCreateRun(rec.id, 'support', '1');
        await store.repo.markRunStarted(run.id, 'probe');
        const text = 'the parcel tracking probe';
        await store.repo.completeRun(run.id, { events: [], metrics: {}, notes: [], transcript: { engine: 'sidecar-json', language: 'en', segments: [{ speaker: 'customer', start: 1, end: 2, text, normText: normaliseText(text) }] } });
      }
      const newestFirst = Array.from({ length: 120 }, (_, i) => `p${119 - i}.wav`);
      const paged: string[] = [];
      for (let offset = 0; offset < 120; offset += 10) {
        const r = await searchTranscripts(store.db, 'parcel tracking', {}, { limit: 10, offset });
        paged.push(...r.hits.map((h) => h.file));
        expect(r.more).toBe(offset + 10 < 120);
      }
      expect(paged).toEqual(newestFirst);
      // the same order with a call filter (the path that joins every match to its call)
      expect((await searchTranscripts(store.db, 'parcel tracking', { from: '2025-01-01' }, { limit: 1000 })).hits.map((h) => h.file)).toEqual(newestFirst);
    }, 120_000);
    it('a bad query is a QueryError naming the problem', async () => {
      await expect(searchTranscripts(store.db, '  ')).rejects.toThrow(QueryError);
    });
    it('after a rescore under another program, search, trends and the watch list take the call\'s program from its newest draft, as calls list does', async () => {
      // analysed under support, then drafted anew under support-en (as callqa rescore --program support-en does)
      const rec = await store.repo.upsertRecording({ contentHash: randomBytes(32).toString('hex'), path: '/calls/h.wav', fileName: 'h-rescored.wav', sizeBytes: 1, metadata: { startedAt: '2026-10-05T10:00:00Z' } });
      const { run } = await store.repo.getOrCreateRun(rec.id, 'support', '1');
      await store.repo.markRunStarted(run.id, 'probe');
      const text = 'the zebra crossing outage';
      await store.repo.completeRun(run.id, { events: [], metrics: {}, notes: [], scorecard: { total: 80, maxTotal: 100 } as unknown as ScorecardDraft,
        transcript: { engine: 'sidecar-json', language: 'en', segments: [{ speaker: 'customer', start: 1, end: 2, text, normText: normaliseText(text) }] } });
      await store.repo.addScorecard(run.id, 'support-en', '1.2.0', { total: 60, maxTotal: 100 } as unknown as ScorecardDraft);
      const listed = await new CallsRepo(store.db).listCalls({ kind: 'all' }, { pipelineId: 'support-en' });
      expect(listed.calls.map((c) => c.fileName)).toEqual(['h-rescored.wav']);

      expect(await find('zebra', { pipelineId: 'support-en' })).toEqual(['h-rescored.wav#1']);
      expect(await find('zebra', { pipelineId: 'support' })).toEqual([]);
      const hit = (await searchTranscripts(store.db, 'zebra', {})).hits[0]!;
      expect(hit.program).toBe('support-en');

      const month = (pipelineId: string) => new TrendsRepo(store.db).volume({ pipelineId, from: '2026-10-01', to: '2026-10-31' }, 'month');
      expect((await month('support-en')).map((v) => v.calls)).toEqual([1]);
      expect(await month('support')).toEqual([]);

      const wl = new WatchListService(store.db);
      await wl.add({ name: 'zebra-en', query: 'zebra', filters: { pipelineId: 'support-en' } }, 'test');
      await wl.add({ name: 'zebra-support', query: 'zebra', filters: { pipelineId: 'support' } }, 'test');
      await wl.check([run.id]);
      expect((await wl.hits({ savedSearch: 'zebra-en' })).map((h) => h.file)).toEqual(['h-rescored.wav']);
      expect(await wl.hits({ savedSearch: 'zebra-support' })).toEqual([]);
    });
  });
}

describe('callqa search (the CLI, on calls analysed by callqa analyze)', () => {
  it('finds a phrase in a sample call and names the file and the moment; exit 1 on no hits, 2 on a bad query', async () => {
    const { spawnSync } = await import('node:child_process');
    const { copyFileSync, mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const root = join(import.meta.dirname, '..');
    const dir = mkdtempSync(join(tmpdir(), 'callqa-search-cli-'));
    try {
      for (const f of ['zh-billing-good.ogg', 'zh-billing-good.transcript.json']) copyFileSync(join(root, 'samples', f), join(dir, f));
      const cli = (...args: string[]) =>
        spawnSync(process.execPath, [join(root, 'src', 'cli', 'bin.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
      const a = cli('analyze', '-q', '--no-table', '--data', join(dir, 'data'), join(dir, 'zh-billing-good.ogg'));
      expect(a.status, a.stderr).toBe(0);
      const s = cli('search', '--json', '--speaker', 'customer', '--data', join(dir, 'data'), '賬單');
      expect(s.status, s.stderr).toBe(0);
      const out = JSON.parse(s.stdout) as { hits: Array<{ file: string; start: number; speaker: string; snippet: string }> };
      expect(out.hits).toHaveLength(1);
      expect(out.hits[0]).toMatchObject({ speaker: 'customer', start: 16.15 });
      expect(out.hits[0]!.file).toMatch(/zh-billing-good\.ogg$/);
      expect(out.hits[0]!.snippet).toContain('账单');
      expect(cli('search', '--data', join(dir, 'data'), 'nothing like this').status).toBe(1);
      // a lower-case operator: "no hits" on stdout as ever, the hint on stderr; with --json, stdout is the JSON alone
      const lower = cli('search', '--data', join(dir, 'data'), 'nothing or zilch');
      expect([lower.status, lower.stdout, lower.stderr]).toEqual([1, 'no hits\n', 'callqa: "or" was searched as a word: operators are upper case (OR)\n']);
      const lowerJson = cli('search', '--json', '--data', join(dir, 'data'), 'nothing or zilch');
      expect(JSON.parse(lowerJson.stdout)).toMatchObject({ hits: [], hint: '"or" was searched as a word: operators are upper case (OR)' });
      // paging: --offset gives the next page (there was none: past 1000 hits "raise --limit" could not help)
      const all = (JSON.parse(cli('search', '--json', '--data', join(dir, 'data'), '您').stdout) as { hits: unknown[] }).hits;
      expect(all.length).toBeGreaterThan(2);
      const first = cli('search', '--limit', '1', '--data', join(dir, 'data'), '您');
      expect(first.stdout).toMatch(/1 hit\(s\) \(more: --offset 1 for the next page\)/);
      const second = JSON.parse(cli('search', '--json', '--limit', '1', '--offset', '1', '--data', join(dir, 'data'), '您').stdout) as { hits: unknown[] };
      expect(second.hits).toEqual([all[1]]);
      const big = cli('search', '--limit', '5000', '--data', join(dir, 'data'), '您');
      expect(big.status).toBe(2);
      expect(big.stderr).toMatch(/--limit is at most 1000; page through more with --offset/);
      const w = cli('watchlist', 'add', '--data', join(dir, 'data'), '--speaker', 'customer', 'bill-questions', '账单 OR bill');
      expect(w.status, w.stderr).toBe(0);
      expect(w.stdout).toMatch(/saved "bill-questions"; 1 hit/);
      // a new call analysed afterwards: the watch list runs over it and says so
      for (const f of ['en-billing-bad.ogg', 'en-billing-bad.transcript.json']) copyFileSync(join(root, 'samples', f), join(dir, f));
      const a2 = cli('analyze', '--no-table', '--data', join(dir, 'data'), join(dir, 'en-billing-bad.ogg'));
      expect(a2.status, a2.stderr).toBe(0);
      expect(a2.stderr).toMatch(/watch list: \d+ new hit\(s\)/);
      const hits = JSON.parse(cli('watchlist', 'hits', '--json', '--data', join(dir, 'data')).stdout) as { hits: Array<{ file: string }> };
      expect(new Set(hits.hits.map((h) => h.file.replace(/.*\//, '')))).toEqual(new Set(['zh-billing-good.ogg', 'en-billing-bad.ogg']));
      // four NEAR/20 in a row compiled to about 43 MB of query: refused before it is built, saying what to do
      const chain = cli('search', '--data', join(dir, 'data'), 'a NEAR/20 b NEAR/20 c NEAR/20 d NEAR/20 e');
      expect(chain.status).toBe(2);
      expect(chain.stderr).toMatch(/bad query: too many NEARs in a row: .*join pairs with AND \(a NEAR\/5 b AND b NEAR\/5 c\)/);
      // an offset past bigint reached the database
      const deep = cli('search', '--offset', '100000000000000000000', '--data', join(dir, 'data'), '您');
      expect(deep.status).toBe(2);
      expect(deep.stderr).toMatch(/--offset is at most 100000; narrow the search with filters/);
      const bad = cli('search', '--data', join(dir, 'data'), 'a NEAR/99 b');
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/bad query: NEAR\/99/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe('the CLI\'s next page', () => {
  const hit = { file: 'a.wav', start: 1, speaker: 'agent', snippet: 'refund please', highlights: [{ start: 0, end: 6 }], agentId: null, callDate: null };
  it('offers the next --offset while --offset takes it, and filters past 100,000 (where --offset is refused)', () => {
    expect(formatHits([hit], 100_000, false, 100_000)).toContain('(more: --offset 100000 for the next page)');
    const past = formatHits([hit], 100_050, false, 100_000);
    expect(past).not.toContain('--offset 100050');
    expect(past).toContain('past --offset 100000: narrow the search with filters');
  });
});
