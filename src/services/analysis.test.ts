import { describe, expect, it } from 'vitest';
import type { CallOutcome } from '../pipeline/runner.js';
import { analyzeBatch, type BatchItem, type BatchResult } from './analysis.js';

/**
 * The batch scheduler: lanes at a time, results in item order, a bounded window ahead of the first
 * undelivered call, failures as results. Calls take the time their name says (a real analysis is
 * tested end to end in test/jobs-cli.test.ts); here the order and the window are what is checked.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const item = (name: string): BatchItem => ({ path: `/calls/${name}`, displayName: name });

function run(items: BatchItem[], lanes: number, msOf: (name: string) => number, abort?: AbortController) {
  const delivered: number[] = [];
  const finished: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let maxAhead = 0;
  const done = analyzeBatch(items, {
    lanes,
    signal: abort?.signal,
    ctx: {} as never,
    metadataFor: async (f) => {
      if (f.displayName.startsWith('badmeta')) throw new Error('manifest row unreadable');
      return {};
    },
    analyze: async (input) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(msOf(input.displayName));
      inFlight--;
      if (input.displayName.startsWith('fail')) return { status: 'failed', file: input.displayName, error: new Error('bad audio') } as CallOutcome;
      return { status: 'done', file: input.displayName } as unknown as CallOutcome;
    },
    onStart: (i) => {
      maxAhead = Math.max(maxAhead, i - delivered.length);
    },
    onFinish: (i) => {
      finished.push(i);
    },
    deliver: async (i: number, _r: BatchResult) => {
      delivered.push(i);
    },
  });
  return { done, delivered, finished, stats: () => ({ maxInFlight, maxAhead }) };
}

describe('analyzeBatch', () => {
  it('delivers in item order whatever order calls finish in, lanes at a time', async () => {
    const names = ['slow', 'a', 'b', 'c', 'd', 'e'];
    const r = run(names.map(item), 2, (n) => (n === 'slow' ? 120 : 10));
    await r.done;
    expect(r.delivered).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.finished[0]).not.toBe(0); // the slow first call finished after later ones
    expect(r.stats().maxInFlight).toBe(2);
  });

  it('with three or more lanes and one long call, every lane that waited for the window wakes (no hang)', async () => {
    const names = ['long', ...Array.from({ length: 40 }, (_, i) => `s${i}`)];
    const r = run(names.map(item), 4, (n) => (n === 'long' ? 300 : 2));
    await Promise.race([r.done, sleep(10_000).then(() => Promise.reject(new Error('batch hung')))]);
    expect(r.delivered).toHaveLength(names.length);
    expect(r.delivered).toEqual([...r.delivered].sort((a, b) => a - b));
    // nothing started more than 4 x lanes places past the first undelivered call
    expect(r.stats().maxAhead).toBeLessThanOrEqual(16);
  });

  it('a missing file, unreadable metadata and a failed call are results; the rest goes on', async () => {
    const results: BatchResult[] = [];
    await analyzeBatch([{ missing: '/gone.wav' }, item('badmeta.wav'), item('fail.wav'), item('ok.wav')], {
      lanes: 2,
      ctx: {} as never,
      metadataFor: async (f) => {
        if (f.displayName.startsWith('badmeta')) throw new Error('manifest row unreadable');
        return {};
      },
      analyze: async (input) =>
        (input.displayName.startsWith('fail') ? { status: 'failed', file: input.displayName, error: new Error('bad audio') } : { status: 'done', file: input.displayName }) as unknown as CallOutcome,
      deliver: async (_i, r) => {
        results.push(r);
      },
    });
    expect(results.map((r) => r.kind)).toEqual(['missing', 'metadata-failed', 'analysed', 'analysed']);
    expect(results[0]).toMatchObject({ file: '/gone.wav' });
    expect(results.map((r) => (r.kind === 'analysed' ? r.outcome.status : null))).toEqual([null, null, 'failed', 'done']);
  });

  it('stopped: what has not started is not-finished, not failed', async () => {
    const abort = new AbortController();
    const names = Array.from({ length: 10 }, (_, i) => `c${i}`);
    const r = run(names.map(item), 1, () => 15, abort);
    setTimeout(() => abort.abort(), 40);
    await r.done;
    expect(r.delivered).toHaveLength(10);
    expect(r.finished.length).toBe(10);
  });

  it('a full disk stops the batch: that call and the rest are not-finished (not failed), and the batch says why', async () => {
    const results: BatchResult[] = [];
    const full = Object.assign(new Error('database error 53100: could not extend file "base/5/1": No space left on device'), { code: '53100' });
    const names = ['ok-1', 'fail-bad', 'full', 'ok-2', 'ok-3', 'ok-4'];
    const r = await analyzeBatch(names.map(item), {
      lanes: 1,
      ctx: {} as never,
      metadataFor: async () => ({}),
      analyze: async (input) =>
        input.displayName === 'full'
          ? ({ status: 'failed', file: 'full', error: full } as CallOutcome)
          : input.displayName.startsWith('fail')
            ? ({ status: 'failed', file: input.displayName, error: new Error('bad audio') } as CallOutcome)
            : ({ status: 'done', file: input.displayName } as unknown as CallOutcome),
      deliver: async (_i, res) => {
        results.push(res);
      },
    });
    expect(r.stopped?.diskFull).toEqual({ file: 'full', error: full });
    expect(results.map((x) => (x.kind === 'analysed' ? x.outcome.status : x.kind))).toEqual(['done', 'failed', 'not-finished', 'not-finished', 'not-finished', 'not-finished']);
    expect(results[2]).toEqual({ kind: 'not-finished', file: 'full', started: true, diskFull: true });
    expect(results.slice(3).every((x) => x.kind === 'not-finished' && !x.started)).toBe(true);
  });

  it('a full disk hit by several calls in flight at once: only the first is the one that hit it, the stop names it', async () => {
    const results: BatchResult[] = [];
    const full = (f: string) => Object.assign(new Error(`ENOSPC: no space left on device, write`), { file: f });
    const r = await analyzeBatch(['a', 'b', 'c', 'd'].map(item), {
      lanes: 4,
      ctx: {} as never,
      metadataFor: async () => ({}),
      analyze: async (input) => {
        await sleep(input.displayName === 'a' ? 10 : 30);
        return { status: 'failed', file: input.displayName, error: full(input.displayName) } as CallOutcome;
      },
      deliver: async (_i, res) => {
        results.push(res);
      },
    });
    expect(r.stopped?.diskFull.file).toBe('a');
    expect(results.filter((x) => x.kind === 'not-finished' && x.diskFull).map((x) => x.kind === 'not-finished' && x.file)).toEqual(['a']);
    expect(results.every((x) => x.kind === 'not-finished' && x.started)).toBe(true);
  });

  it('files with the same bytes take turns in the order found, whichever hashes first; others run alongside', async () => {
    // content by name: dup-* share one; the first dup hashes slowest, so it would lose a race
    const hashMs: Record<string, number> = { 'dup-1': 60, 'dup-2': 5, 'dup-3': 20, other: 1, missing: 0 };
    const turns: string[] = [];
    const running = new Set<string>();
    let sawOtherAlongside = false;
    await analyzeBatch(['dup-1', 'dup-2', 'missing', 'other', 'dup-3'].map(item), {
      lanes: 5,
      ctx: {} as never,
      metadataFor: async () => ({}),
      analyze: async (input, ctx) => {
        const name = input.displayName;
        await sleep(hashMs[name]!);
        if (name === 'missing') return { status: 'failed', file: name, error: new Error('no such file') } as CallOutcome;
        const end = await ctx.sameContent!.take(name.startsWith('dup') ? 'dup' : name);
        try {
          if (name.startsWith('dup')) expect([...running].filter((r) => r.startsWith('dup'))).toEqual([]);
          running.add(name);
          turns.push(name);
          await sleep(15);
          if (name === 'other' && [...running].some((r) => r.startsWith('dup'))) sawOtherAlongside = true;
          if (name.startsWith('dup') && running.has('other')) sawOtherAlongside = true;
          running.delete(name);
          return { status: 'done', file: name } as unknown as CallOutcome;
        } finally {
          end();
        }
      },
      deliver: async () => undefined,
    });
    expect(turns.filter((t) => t.startsWith('dup'))).toEqual(['dup-1', 'dup-2', 'dup-3']);
    expect(sawOtherAlongside).toBe(true);
  });
});
