import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePipeline } from '../src/pipeline/loader.js';
import { analyzeFile } from '../src/pipeline/runner.js';
import { openStore, type Store } from '../src/store/index.js';

/**
 * End to end: a shipped sample call with known problems (samples/README.md lists them), through the real
 * audio analysis, its sidecar transcript, the text detectors and a real QA program, must produce exactly the
 * expected item verdicts, with evidence at the right time quoting the right words.
 */
const SAMPLES = join(import.meta.dirname, '..', 'samples');
let store: Store;
const dir = mkdtempSync(join(tmpdir(), 'callqa-e2e-'));

beforeAll(async () => {
  store = await openStore({ dataDir: dir });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Item { id: string; status: string; points: number | null; evidence?: { start?: number; text?: string }[] }
interface Card { total: number; maxTotal: number; fatal: boolean; sections: { id: string; items: Item[] }[] }

async function card(sample: string, pipelineId: string): Promise<Map<string, Item> & { card?: Card }> {
  const outcome = await analyzeFile(
    { path: join(SAMPLES, sample), displayName: sample },
    { repo: store.repo, pipeline: resolvePipeline(pipelineId), options: { transcribe: false }, versions: { test: '1' } },
  );
  if (outcome.status === 'failed') throw outcome.error;
  if (outcome.status === 'duplicate') throw new Error(`${sample}: a duplicate of ${outcome.of}`);
  const c = outcome.report.scorecard?.card as Card;
  const items = new Map(c.sections.flatMap((s) => s.items.map((i) => [i.id, i] as const))) as Map<string, Item> & { card?: Card };
  items.card = c;
  return items;
}
const quotes = (i: Item | undefined) => (i?.evidence ?? []).map((e) => e.text ?? '').join(' | ');

describe('draft scorecards on the sample calls', () => {
  it('zh-complaint-bad / inbound-service-zh: the deductions the script put there, with evidence', async () => {
    const items = await card('zh-complaint-bad.ogg', 'inbound-service-zh');
    const st = (id: string) => items.get(id)?.status;
    // 喂，说吧 instead of the standard opening, and no standard closing
    expect(st('opening-closing')).toBe('deducted');
    expect(quotes(items.get('opening-closing'))).toContain('喂，说吧');
    // 服务禁语: 喂 and 这个我不清楚, -2 once (000 第三篇 三、6)
    expect(st('banned-phrase')).toBe('deducted');
    expect(items.get('banned-phrase')?.points).toBe(-2);
    expect(quotes(items.get('banned-phrase'))).toContain('这个我不清楚');
    // the customer complains (投诉) and no apology follows
    expect(st('apology')).toBe('deducted');
    expect(quotes(items.get('apology'))).toContain('投诉');
    // a 66 s tone hold, not asked for: over one minute and without permission (000 第二篇 不應該做 13, 14)
    expect(st('hold-over-minute')).toBe('deducted');
    expect(st('hold-permission')).toBe('deducted');
    const holdAt = items.get('hold-over-minute')?.evidence?.[0]?.start ?? -1;
    expect(holdAt).toBeGreaterThan(35);
    expect(holdAt).toBeLessThan(45);
    // the agent cuts the customer off (patience: 抢话/打断)
    expect(st('patience')).toBe('deducted');
    // 8 s of dead air is under the 10 s this item counts
    expect(st('quick-operation')).toBe('pass');
    // no telephony metadata: ring time and who hung up are not applicable, never failed
    expect(st('answer-within-three-rings')).toBe('not_applicable');
    expect(st('hang-up-first')).toBe('not_applicable');
    // manual items are left to the inspector
    expect(st('info-accurate')).toBe('needs_review');
    expect(items.get('info-accurate')?.points).toBeNull();
    expect(items.card?.fatal).toBe(false);
  });

  it('zh-billing-good / inbound-service-zh: the same items pass', async () => {
    const items = await card('zh-billing-good.ogg', 'inbound-service-zh');
    for (const id of ['opening-closing', 'banned-phrase', 'hold-over-minute', 'hold-permission', 'patience', 'quick-operation']) {
      expect(items.get(id)?.status, id).toBe('pass');
    }
    expect(items.get('apology')?.status).toBe('not_applicable'); // no complaint, no apology due
  });

  it('en-billing-bad / support-en: banned phrase, no greeting, no apology after the escalation', async () => {
    const items = await card('en-billing-bad.ogg', 'support-en');
    expect(items.get('greeting')?.status).toBe('deducted');
    expect(quotes(items.get('banned-phrase'))).toMatch(/not my problem/i);
    expect(items.get('empathy-on-complaint')?.status).toBe('deducted');
    expect(quotes(items.get('empathy-on-complaint'))).toMatch(/supervisor/i);
  });
});
