/**
 * Transcript search at scale (issue 13): a generated history of N calls (default 100,000; BENCH_CALLS) with
 * 10 utterances each, half Chinese half English, stored in the real schema on the PostgreSQL server (and,
 * with BENCH_PGLITE_CALLS, on the embedded PGlite), indexed by the real tokenizer; then phrase queries of
 * known frequency (rare, medium, common), with and without filters, each run 20 times: p50 and p95 latency of
 * the whole service call (query compile, index catch-up check, SQL, snippets).
 *
 *   npm run bench:search                      # 100k calls on PostgreSQL (127.0.0.1:5432)
 *   BENCH_CALLS=20000 BENCH_PGLITE_CALLS=20000 npm run bench:search
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { indexTokens, tsvectorLiteral } from '../../src/search/tokenize.js';
import { searchTranscripts } from '../../src/services/search.js';
import { openStore, type Store } from '../../src/store/db.js';
import { prng } from '../support/prng.js';

const ADMIN = process.env.CALLQA_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const N = Number(process.env.BENCH_CALLS ?? 100_000);
const N_PGLITE = Number(process.env.BENCH_PGLITE_CALLS ?? 0);
const SEGMENTS = 10;

const ZH = ['我想查一下', '这个月的账单', '宽带网速很慢', '套餐怎么改', '流量用完了', '积分可以兑换吗', '发票怎么开', '话费多扣了', '信号不好', '帮我看一下', '停机保号', '营业厅在哪里', '谢谢你', '好的', '没问题', '请稍等', '我再想想', '明天再打'];
const EN = ['I want to check', 'my monthly bill', 'the internet is slow', 'change my plan', 'out of data', 'redeem my points', 'send an invoice', 'charged twice', 'no signal at home', 'let me check that', 'suspend my line', 'where is the store', 'thank you', 'okay', 'no problem', 'please hold', 'let me think', 'call back tomorrow'];
// phrases planted at known rates (share of calls): what a compliance search looks for
const PLANTED = [
  { zh: '我要投诉到工信部', en: 'report you to the regulator', rate: 0.001 },
  { zh: '你们这是欺诈', en: 'this is a scam', rate: 0.02 },
  { zh: '我要退款', en: 'I want a refund', rate: 0.2 },
];

async function fill(store: Store, n: number): Promise<void> {
  const rnd = prng(42);
  const BATCH = 2000;
  for (let b = 0; b < n; b += BATCH) {
    const recIds: string[] = [], hashes: string[] = [], names: string[] = [], meta: string[] = [];
    const runIds: string[] = [], runRec: string[] = [];
    const segRun: string[] = [], segIdx: number[] = [], segSpk: string[] = [], segStart: number[] = [], segText: string[] = [], segNorm: string[] = [], segVec: string[] = [];
    for (let i = b; i < Math.min(n, b + BATCH); i++) {
      const rec = randomUUID();
      const run = randomUUID();
      recIds.push(rec);
      hashes.push(rec.replace(/-/g, '') + rec.replace(/-/g, ''));
      names.push(`call-${i}.wav`);
      const day = new Date(Date.UTC(2026, 0, 1) + Math.floor(rnd() * 330) * 86400000).toISOString().slice(0, 10);
      meta.push(JSON.stringify({ agentId: `A${i % 400}`, team: `T${i % 20}`, startedAt: `${day}T10:00:00Z` }));
      runIds.push(run);
      runRec.push(rec);
      const zh = rnd() < 0.5;
      const planted = PLANTED.filter((p) => rnd() < p.rate);
      for (let k = 0; k < SEGMENTS; k++) {
        const words = zh ? ZH : EN;
        let text = [0, 1, 2].map(() => words[Math.floor(rnd() * words.length)]!).join(zh ? '，' : ', ');
        if (k === 3 && planted.length) text += (zh ? '，' : ', ') + planted.map((p) => (zh ? p.zh : p.en)).join(zh ? '，' : ', ');
        segRun.push(run);
        segIdx.push(k);
        segSpk.push(k % 2 ? 'customer' : 'agent');
        segStart.push(k * 6);
        segText.push(text);
        segNorm.push(text);
        segVec.push(tsvectorLiteral(indexTokens(text)));
      }
    }
    await store.db.transaction(async (tx) => {
      await tx.execute(sql`insert into recordings (id, content_hash, path, file_name, size_bytes, metadata, duration_sec, channels, sample_rate, format, codec)
        select id, h, '/bench/' || f, f, 1000, m::jsonb, 60, 2, 8000, 'wav', 'pcm_mulaw' from unnest(${arr(recIds)}::uuid[], ${arr(hashes)}::text[], ${arr(names)}::text[], ${arr(meta)}::text[]) as t(id, h, f, m)`);
      await tx.execute(sql`insert into analysis_runs (id, recording_id, pipeline_id, pipeline_version, status, finished_at)
        select id, r, 'bench', '1', 'done', now() from unnest(${arr(runIds)}::uuid[], ${arr(runRec)}::uuid[]) as t(id, r)`);
      await tx.execute(sql`insert into transcripts (run_id, engine, language, search_indexed_at) select id, 'sidecar-json', 'auto', now() from unnest(${arr(runIds)}::uuid[]) as t(id)`);
      await tx.execute(sql`insert into transcript_segments (run_id, idx, speaker, start_sec, end_sec, text, norm_text)
        select r, i, s, st, st + 5, tx, nt from unnest(${arr(segRun)}::uuid[], ${arr(segIdx)}::int[], ${arr(segSpk)}::text[], ${arr(segStart)}::float8[], ${arr(segText)}::text[], ${arr(segNorm)}::text[]) as t(r, i, s, st, tx, nt)`);
      await tx.execute(sql`insert into segment_search (run_id, idx, vector) select r, i, v::tsvector from unnest(${arr(segRun)}::uuid[], ${arr(segIdx)}::int[], ${arr(segVec)}::text[]) as t(r, i, v)`);
    });
    if ((b / BATCH) % 10 === 0) process.stderr.write(`  ${Math.min(n, b + BATCH)} calls\r`);
  }
  // as autovacuum would after a bulk load: statistics, and the visibility map index-only scans need
  await store.db.execute(sql`vacuum analyze`);
  process.stderr.write('\n');
}

/** One array parameter (a PostgreSQL array literal): drizzle would spread a JS array into a row of parameters. */
function arr(xs: ReadonlyArray<string | number>): string {
  return `{${xs.map((x) => (typeof x === 'number' ? String(x) : `"${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
}

const QUERIES: Array<{ label: string; q: string; filters?: Record<string, unknown> }> = [
  { label: 'rare zh (0.05% of calls)', q: '投诉到工信部' },
  { label: 'rare en (0.05%)', q: 'report you to the regulator' },
  { label: 'medium zh (1%)', q: '欺诈' },
  { label: 'medium en (1%)', q: 'this is a scam' },
  { label: 'common zh (10%)', q: '我要退款' },
  { label: 'common en (10%)', q: 'I want a refund' },
  { label: 'any of (medium)', q: '欺诈 OR scam' },
  { label: 'medium + customer + 1 month', q: '欺诈 OR scam', filters: { speaker: 'customer', from: '2026-06-01', to: '2026-06-30' } },
  { label: 'medium + team', q: 'this is a scam', filters: { team: 'T3' } },
];

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function measure(store: Store, label: string): Promise<void> {
  console.log(`\n${label}`);
  console.log('| query | hits (page of 50) | p50 ms | p95 ms |');
  console.log('|---|---:|---:|---:|');
  for (const q of QUERIES) {
    const times: number[] = [];
    let hits = 0;
    for (let i = 0; i < 21; i++) {
      const t0 = performance.now();
      const r = await searchTranscripts(store.db, q.q, q.filters ?? {}, { limit: 50 });
      if (i > 0) times.push(performance.now() - t0); // the first run warms caches
      hits = r.hits.length;
    }
    console.log(`| ${q.label} | ${hits} | ${pct(times, 50).toFixed(0)} | ${pct(times, 95).toFixed(0)} |`);
  }
}

async function main(): Promise<void> {
  if (N > 0) {
    const dbName = `callqa_bench_search_${N}`;
    const admin = new pg.Client({ connectionString: ADMIN });
    await admin.connect();
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [dbName])).rowCount;
    if (!exists) await admin.query(`create database "${dbName}"`);
    await admin.end();
    const u = new URL(ADMIN);
    u.pathname = `/${dbName}`;
    const store = await openStore({ databaseUrl: u.toString() });
    const have = Number(((await store.db.execute(sql`select count(*)::int as n from analysis_runs`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);
    if (have !== N) {
      await store.db.execute(sql`truncate recordings cascade`);
      const t0 = performance.now();
      console.log(`PostgreSQL: generating ${N} calls x ${SEGMENTS} utterances ...`);
      await fill(store, N);
      console.log(`  loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    const size = ((await store.db.execute(sql`select pg_size_pretty(pg_total_relation_size('segment_search')) as s`)) as unknown as { rows: { s: string }[] }).rows[0]!.s;
    await measure(store, `PostgreSQL ${(await pgVersion(store))}, ${N} calls, ${N * SEGMENTS} utterances (search index ${size})`);
    await store.close();
  }
  if (N_PGLITE > 0) {
    const dir = mkdtempSync(path.join(tmpdir(), 'callqa-bench-pglite-'));
    try {
      const store = await openStore({ dataDir: dir });
      const t0 = performance.now();
      await fill(store, N_PGLITE);
      console.log(`PGlite: ${N_PGLITE} calls loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      await measure(store, `PGlite, ${N_PGLITE} calls, ${N_PGLITE * SEGMENTS} utterances; RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
      console.log(`peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

async function pgVersion(store: Store): Promise<string> {
  const r = (await store.db.execute(sql`show server_version`)) as unknown as { rows: { server_version: string }[] };
  return r.rows[0]!.server_version.split(' ')[0]!;
}

await main();
