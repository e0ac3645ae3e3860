import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The twenty-fifth blind set (test/fixtures/dialogues-blind25/, issue 16): 40 calls on E-COMMERCE and RETAIL after-sales (22 zh, 14 en, 4 code-switched): marketplaces and own-brand shops in mainland China, the US and the UK — wrong or damaged items, returns, refunds, counterfeit claims, memberships — mostly as raw whisper output with no punctuation, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * First measurement: six-detector mean F1 **0.925**, on 69c88c1 (after the twentieth, twenty-seventh and twenty-eighth sets' rounds); misses: after-sales blame and brush-offs (您下单的时候自己没看清楚吗, 你爱信不信, 没有我就挂了: banned recall 0.62), a neighbour's advice turned down (我说不至于), a complaint held back (要不是看你态度好), leaving for another shop, "can i speak with" taken for a name. Final, after general changes: **0.988**. Not blind any
 * more.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'twenty-fifth',
  folder: 'dialogues-blind25',
  counts: { zh: 22, en: 14, auto: 4 },
  hard: ["'那我帮您催一下' recovery is not banned", "'这个' is not 那个", "customer 'what 这也太 tricky 了吧' is venting"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.70, r: 0.95 }, // measured 0.750 / 1.000
    missing_self_identification: { p: 0.95, r: 0.61 }, // measured 1.000 / 0.667
    banned_phrase: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    filler: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    customer_escalation: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
  },
  meanFloor: 0.97, // measured 0.996
});
