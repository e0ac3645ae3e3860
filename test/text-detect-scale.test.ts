import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEXT_PARAMS, matcherFor, runTextDetectors } from '../src/detect/text/index.js';
import { loadLexicons } from '../src/lexicon/loader.js';
import { loadSidecar } from '../src/transcribe/sidecar.js';

/**
 * Issue 15: text detection was superlinear in the number of lexicon hits (overlap resolution compared hits
 * pairwise), so a 2 MB sidecar took over a minute and a 49 MB one ran past ten minutes. The resolution is a sort
 * and a sweep now; these tests measure the work it does (steps counted by the matcher), never the clock.
 */

const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));
const dir = mkdtempSync(join(tmpdir(), 'callqa-text-scale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('text detection scales linearly with the lexicon hits (issue 15)', () => {
  it('resolving overlapping hits in one long utterance: 4x the hits, about 4x the work (pairwise would be 16x)', () => {
    const m = matcherFor(lex);
    // every piece overlaps within its category: 啊呀 covers 啊 and 呀; 呃呃 covers 呃 twice
    const run = (n: number) => {
      m.work.steps = 0;
      const hits = m.matchText('啊呀，那个，呃呃，不清楚，'.repeat(n), 'zh');
      return { steps: m.work.steps, hits: hits.length };
    };
    const small = run(2_000);
    const large = run(8_000);
    expect(small.hits).toBeGreaterThan(6_000);
    expect(large.hits).toBe(4 * small.hits);
    const ratio = large.steps / small.steps;
    expect(ratio).toBeGreaterThan(3.5);
    expect(ratio).toBeLessThan(4.5);
  });

  it('a multi-MB sidecar transcript (one huge unpunctuated utterance plus thousands of turns) is read and analysed completely', async () => {
    const huge = '嗯 我看一下 那个 您的订单 '.repeat(40_000); // ~1.1 MB of UTF-8, 80,000 fillers
    const turns = Array.from({ length: 12_000 }, (_, i) => ({
      speaker: i % 2 ? 'customer' : 'agent',
      start: 3_000 + i * 3,
      end: 3_000 + i * 3 + 2.5,
      text: i % 2 ? '我想查一下我的账单' : '好的 请您稍等 嗯 我帮您查一下',
    }));
    const file = join(dir, 'big.transcript.json');
    writeFileSync(file, JSON.stringify({ language: 'zh', segments: [{ speaker: 'agent', start: 0, end: 2_900, text: huge }, ...turns] }));
    expect(statSync(file).size).toBeGreaterThan(2 * 1024 * 1024);

    const transcript = await loadSidecar({ path: file, format: 'json' }, { durationSec: 40_000, language: 'zh' });
    const m = matcherFor(lex);
    m.work.steps = 0;
    const r = runTextDetectors({ transcript, durationSec: 40_000, holdSpans: [], language: 'zh' }, lex, DEFAULT_TEXT_PARAMS);
    const fillers = r.events.filter((e) => e.type === 'filler').length;
    // 嗯 and 那个 (before a pause) in every repeat of the huge utterance, and the 嗯 of every agent turn
    expect(fillers).toBe(80_000 + 6_000);
    expect(r.events.filter((e) => e.type === 'politeness').length).toBe(6_000);
    // the work stays proportional to what was found: a few steps per hit, not hits x hits
    expect(m.work.steps).toBeLessThan(20 * (fillers + 6_000 * 3));
  });
});
