import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseText } from '../src/core/normalise.js';
import { matcherFor } from '../src/detect/text/index.js';
import { MATCHERS_KEPT, cachedMatcher, matcherKey } from '../src/lexicon/compiled.js';
import { loadLexicons } from '../src/lexicon/loader.js';
import { LexiconMatcher } from '../src/lexicon/matcher.js';
import type { LoadedLexicons } from '../src/lexicon/schema.js';
import { MATCH_OPTION_SETS, variedCalls } from './support/text-corpus.js';

/**
 * A matcher loaded from the cache folder (src/lexicon/compiled.ts) finds exactly what a newly built one finds, and
 * the cache is used only for the lexicons and code it was built from.
 */
const shipped = loadLexicons(join(import.meta.dirname, '..', 'lexicons'));
// the entries a pipeline with company names matches with (this file does not import the stage graph, so matcherFor builds)
const lex: LoadedLexicons = { ...shipped, entries: [...matcherFor(shipped, ['东方有线', 'Northwind Telecom']).entries] };
const withIds = <T extends { entry: { id: string } }>(hs: T[]) => hs.map((h) => ({ ...h, entry: h.entry.id }));

describe('compiled lexicon matcher', () => {
  it('loaded from its compiled form finds the same hits, times, confidences and echo drops as the one built', () => {
    const built = new LexiconMatcher(lex);
    // through the same serialisation the cache folder uses
    const loaded = new LexiconMatcher(lex, deserialize(serialize(built.compiled())));
    expect(built.loaded).toBe(false);
    expect(loaded.loaded).toBe(true);
    const options = MATCH_OPTION_SETS;
    const differ: string[] = [];
    let hits = 0;
    let fuzzy = 0;
    for (const segs of variedCalls(lex, { seed: 4242, targetBytes: 120_000, perCall: 20 })) {
      for (const o of options) {
        const a = withIds(built.matchTranscript(segs, o));
        const b = withIds(loaded.matchTranscript(segs, o));
        hits += a.length;
        fuzzy += a.filter((h) => h.fuzzy).length;
        if (!isDeepStrictEqual(a, b) && differ.length < 3) differ.push(JSON.stringify({ options: o, built: a.slice(0, 3), loaded: b.slice(0, 3) }));
      }
    }
    expect(differ).toEqual([]);
    expect(hits).toBeGreaterThan(3_000);
    expect(fuzzy).toBeGreaterThan(30);
  });

  it('refuses a compiled matcher of other lexicons', () => {
    const small = { ...lex, entries: lex.entries.filter((e) => e.category === 'hallucination') };
    const other = new LexiconMatcher(small).compiled();
    expect(() => new LexiconMatcher(lex, other)).toThrow(/built for \d+ entries/);
    // same number of entries, but patterns pointing past them
    const bigger = new LexiconMatcher(lex).compiled();
    expect(() => new LexiconMatcher({ ...small, entries: lex.entries.slice(0, 1) }, { ...bigger, entries: 1 })).toThrow(/does not fit/);
  });
});

describe('compiled matchers in the cache folder', () => {
  let dir: string;
  const before = process.env.CALLQA_CACHE_DIR;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'callqa-matchers-'));
    process.env.CALLQA_CACHE_DIR = dir;
  });
  afterAll(() => {
    if (before === undefined) delete process.env.CALLQA_CACHE_DIR;
    else process.env.CALLQA_CACHE_DIR = before;
    rmSync(dir, { recursive: true, force: true });
  });
  const files = () => readdirSync(join(dir, 'matchers')).filter((f) => f.endsWith('.v8'));
  const file = (l: LoadedLexicons) => join(dir, 'matchers', `${matcherKey(l)}.v8`);

  it('built once, then loaded; damaged or from other lexicons, built again', () => {
    const first = cachedMatcher(lex);
    expect(first.loaded).toBe(false);
    expect(files()).toEqual([`${matcherKey(lex)}.v8`]);
    const second = cachedMatcher(lex);
    expect(second.loaded).toBe(true);
    const text = '您好，东方有线客服，工号12345，请问有什么可以帮您？';
    const probe = [{ start: 0, end: 2, speaker: 'agent' as const, text, normText: normaliseText(text) }];
    expect(first.matchTranscript(probe).length).toBeGreaterThan(1);
    expect(withIds(second.matchTranscript(probe))).toEqual(withIds(first.matchTranscript(probe)));

    writeFileSync(file(lex), 'not a matcher');
    expect(cachedMatcher(lex).loaded).toBe(false);
    expect(cachedMatcher(lex).loaded).toBe(true); // written again

    // another lexicon set's compiled matcher under this set's key: refused, built, replaced
    const small = { ...lex, entries: lex.entries.filter((e) => e.category === 'greeting') };
    writeFileSync(file(lex), serialize(new LexiconMatcher(small).compiled()));
    expect(cachedMatcher(lex).loaded).toBe(false);
    expect(cachedMatcher(lex).loaded).toBe(true);

    // other entries, other key
    expect(matcherKey(small)).not.toBe(matcherKey(lex));
    expect(matcherKey({ ...lex, quoteMarkers: { ...lex.quoteMarkers, en: [...lex.quoteMarkers.en, 'quoth'] } })).not.toBe(matcherKey(lex));
    expect(cachedMatcher(small).loaded).toBe(false);
    expect(files().sort()).toEqual([`${matcherKey(lex)}.v8`, `${matcherKey(small)}.v8`].sort());
  });

  it(`keeps the ${MATCHERS_KEPT} newest`, () => {
    const old = Date.now() / 1000 - 3600;
    for (let i = 0; i < MATCHERS_KEPT + 5; i++) {
      const f = join(dir, 'matchers', `old-${i}.v8`);
      writeFileSync(f, 'x');
      utimesSync(f, old - i, old - i);
    }
    const tiny = { ...lex, entries: lex.entries.filter((e) => e.category === 'closing') };
    rmSync(file(tiny), { force: true });
    expect(cachedMatcher(tiny).loaded).toBe(false);
    const left = files();
    expect(left).toHaveLength(MATCHERS_KEPT);
    expect(left).toContain(`${matcherKey(tiny)}.v8`);
    expect(left).toContain(`${matcherKey(lex)}.v8`);
    expect(left).not.toContain(`old-${MATCHERS_KEPT + 4}.v8`); // the oldest went first
    expect(statSync(file(tiny)).size).toBeGreaterThan(1000);
  });
});
