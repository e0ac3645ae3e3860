/**
 * Trends on a generated history stored through the real repository, on PGlite and on PostgreSQL: known
 * weekly volumes and event counts give hand-computable rates, and one phrase customers start saying in the
 * last week must come out as emerging.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeEvent } from '../src/core/events.js';
import { normaliseText } from '../src/core/normalise.js';
import type { ScorecardDraft } from '../src/score/types.js';
import { defaultTrendsLexicon, qaFiguresOf, trends } from '../src/services/trends.js';
import { reviewResults, reviews, users } from '../src/store/schema.js';
import { openStore, type Store } from '../src/store/db.js';
import { BACKENDS as DB_BACKENDS } from './support/api-env.js';
import { prng } from './support/prng.js';

// Weeks starting Monday 2026-11-02, 09, 16, 23. Calls per week and banned-phrase events per call:
const WEEKS = [
  { start: '2026-11-02', calls: 10, bannedPerCall: [1, 0] }, // 5 banned (every other call)
  { start: '2026-11-09', calls: 20, bannedPerCall: [1, 1, 0, 0] }, // 10 banned
  { start: '2026-11-16', calls: 10, bannedPerCall: [0] }, // 0
  { start: '2026-11-23', calls: 20, bannedPerCall: [2] }, // 40 banned
];
const TALK_SEC_PER_CALL = 180; // agent 120 + customer 60
const STEADY = ['我想查一下账单', '宽带有点慢', '我要改套餐', 'I want to check my bill', 'my internet is slow', 'can I change my plan'];

for (const makeBackend of DB_BACKENDS) {
  const backend = makeBackend();
  describe(`trends on ${backend.name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await openStore(await backend.setup());
      const rnd = prng(77);
      for (const [w, week] of WEEKS.entries()) {
        for (let i = 0; i < week.calls; i++) {
          const day = new Date(`${week.start}T00:00:00Z`);
          day.setUTCDate(day.getUTCDate() + (i % 5));
          const rec = await store.repo.upsertRecording({
            contentHash: randomBytes(32).toString('hex'), path: `/calls/w${w}-${i}.wav`, fileName: `w${w}-${i}.wav`, sizeBytes: 1000,
            info: { format: 'wav', codec: 'pcm_mulaw', durationSec: 200, channels: 2, sampleRate: 8000 },
            metadata: { agentId: i % 2 ? 'A1' : 'A2', team: 'red', startedAt: `${day.toISOString().slice(0, 10)}T10:00:00+08:00` },
          });
          const { run } = await store.repo.getOrCreateRun(rec.id, 'support', '1');
          await store.repo.markRunStarted(run.id, 'probe');
          const texts = Array.from({ length: 3 }, () => STEADY[Math.floor(rnd() * STEADY.length)]!);
          // the last week: every other call also says the app keeps crashing (in Chinese and in English)
          if (w === 3 && i % 2 === 0) texts.push('你们的APP一打开就闪退', 'the app keeps crashing');
          const n = week.bannedPerCall[i % week.bannedPerCall.length]!;
          const events = Array.from({ length: n }, (_, k) =>
            completeEvent({ type: 'banned_phrase', speaker: 'agent', start: 10 + k, end: 11 + k, details: { entryId: 'zh.banned.bu-qing-chu' } }));
          // one utterance with two escalation phrases is one event: 我要打12315投诉 (the regulator's entry, 投诉 in its matches)
          if (w === 1 && i === 0) {
            const m = (entryId: string, matched: string) => ({ matched, entryId, confidence: 1, fuzzy: false });
            events.push(completeEvent({ type: 'customer_escalation', speaker: 'customer', start: 30, end: 33, details: {
              entryId: 'zh.escalation.regulator', text: '我要打12315投诉你们', matches: [m('zh.escalation.regulator', '12315'), m('zh.escalation.tou-su', '投诉'), m('zh.escalation.tou-su', '投诉你们')],
            } }));
          }
          await store.repo.completeRun(run.id, {
            events,
            transcript: { engine: 'sidecar-json', language: 'auto', segments: texts.map((text, k) => ({ speaker: 'customer' as const, start: 20 + 5 * k, end: 24 + 5 * k, text, normText: normaliseText(text) })) },
            metrics: { agentTalkSec: 120, customerTalkSec: 60 },
            notes: [],
            scorecard: { total: 90 } as unknown as ScorecardDraft,
          });
        }
      }
    }, 240_000);
    afterAll(async () => {
      await store?.close();
      await backend.teardown();
    });

    it('weekly volume, counts, rates per 100 calls and per talk hour, change against the previous week', async () => {
      const r = await trends(store.db, { by: 'week', periods: 4 });
      expect(r.periods).toEqual(WEEKS.map((w) => w.start));
      expect(r.volume.map((v) => v.calls)).toEqual([10, 20, 10, 20]);
      expect(r.volume.map((v) => v.talkHours)).toEqual([0.5, 1, 0.5, 1]);
      const banned = r.series.find((s) => s.key === 'event:banned_phrase')!;
      expect(banned.counts).toEqual([5, 10, 0, 40]);
      expect(banned.rate).toEqual([50, 50, 0, 200]);
      expect(banned.points.map((p) => p.perTalkHour)).toEqual([10, 10, 0, 40]);
      expect(banned.points.map((p) => p.change)).toEqual([null, 0, -50, 200]);
      const entry = r.series.find((s) => s.key === 'lexicon:zh.banned.bu-qing-chu')!;
      expect(entry.counts).toEqual([5, 10, 0, 40]);
    });
    it('an event counts for every lexicon entry it matched, each once (投诉 said with 12315 is a 投诉)', async () => {
      const r = await trends(store.db, { by: 'week', periods: 4 });
      const counts = (key: string) => r.series.find((s) => s.key === key)?.counts;
      expect(counts('event:customer_escalation')).toEqual([0, 1, 0, 0]);
      expect(counts('lexicon:zh.escalation.regulator')).toEqual([0, 1, 0, 0]);
      expect(counts('lexicon:zh.escalation.tou-su')).toEqual([0, 1, 0, 0]);
    });
    it('lexicon series carry the entry\'s first phrase as their label (from the lexicons folder); event series none', async () => {
      const r = await trends(store.db, { by: 'week', periods: 4 }, await defaultTrendsLexicon());
      expect(r.series.find((s) => s.key === 'lexicon:zh.banned.bu-qing-chu')!.label).toBe('不清楚');
      expect(r.series.find((s) => s.key === 'event:banned_phrase')!.label).toBeNull();
      // without a lexicon the key is all there is
      expect((await trends(store.db, { by: 'week', periods: 4 })).series.every((s) => s.label === null)).toBe(true);
    });
    it('monthly and filtered by agent', async () => {
      const m = await trends(store.db, { by: 'month', periods: 2 });
      expect(m.periods).toEqual(['2026-10-01', '2026-11-01']);
      expect(m.series.find((s) => s.key === 'event:banned_phrase')!.counts).toEqual([0, 55]);
      const a1 = await trends(store.db, { by: 'week', periods: 4, agentId: 'A1' });
      expect(a1.volume.map((v) => v.calls)).toEqual([5, 10, 5, 10]);
    });
    it('QA figures from completed reviews: pass rate, average final, fatal rate, handling time and shares per week', async () => {
      // complete reviews of the first three calls of week 1: 90 (pass), 70 (fail), 85 but fatal (fail)
      const [u] = await store.db.insert(users).values({ username: `insp-${backend.name}`, role: 'inspector', passwordHash: 'x' }).returning();
      const wk1 = await store.db.execute(sql`select r.id as rec, s.id as card from recordings r join analysis_runs ar on ar.recording_id = r.id
        join scorecards s on s.run_id = ar.id where r.file_name in ('w0-0.wav', 'w0-1.wav', 'w0-2.wav') order by r.file_name`);
      const rows = (wk1 as unknown as { rows: { rec: string; card: string }[] }).rows;
      expect(rows).toHaveLength(3);
      const finals = [[90, false], [70, false], [85, true]] as const;
      for (const [i, r] of rows.entries()) {
        const now = new Date('2026-11-03T12:00:00Z');
        const [rv] = await store.db.insert(reviews).values({ recordingId: r.rec, scorecardId: r.card, status: 'completed', startedBy: u!.id, startedAt: now, completedBy: u!.id, completedAt: now }).returning();
        await store.db.insert(reviewResults).values({ reviewId: rv!.id, version: 1, total: finals[i]![0], maxTotal: 100, fatal: finals[i]![1], card: {} as never, cause: 'completed', createdBy: u!.id, createdAt: now });
      }
      const f = await qaFiguresOf(store.db, { by: 'week', groupBy: 'all', passShare: 0.8 });
      const w1 = f.find((x) => x.period === '2026-11-02')!;
      expect(w1).toMatchObject({ calls: 10, reviewed: 3, passRate: 0.333, avgFinal: 81.667, fatalRate: 0.333, avgHandlingSec: 200 });
      expect(w1.talkShare).toBe(0.9); // 180 s of talk in 200 s calls
      expect(f.find((x) => x.period === '2026-11-09')).toMatchObject({ calls: 20, reviewed: 0, passRate: null });
      const byAgent = await qaFiguresOf(store.db, { by: 'month', groupBy: 'agent', passShare: 0.8 });
      expect(byAgent.map((x) => `${x.key}:${x.calls}`)).toEqual(['A1:30', 'A2:30']);
    });
    it('the phrase customers started saying in the last week is emerging, with example calls; steady phrases are not', async () => {
      const r = await trends(store.db, { by: 'week', periods: 4 });
      const phrases = r.emerging.map((e) => e.phrase);
      expect(phrases.some((p) => p.includes('闪退'))).toBe(true);
      expect(phrases.some((p) => p.includes('crashing'))).toBe(true);
      for (const s of STEADY) for (const p of phrases) expect(normaliseText(s).replace(/ /g, '').includes(p.replace(/ /g, '')), `${p} from "${s}"`).toBe(false);
      const e = r.emerging.find((x) => x.phrase.includes('crashing'))!;
      expect(e.countBefore).toBe(0);
      expect(e.exampleCallIds.length).toBeGreaterThan(0);
    });
  });
}
