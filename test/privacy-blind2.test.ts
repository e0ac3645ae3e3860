import { describe, expect, it } from 'vitest';
import { evaluate, expectWellFormed, DIGIT_RULES, loadCases, precision, recall, scoreTable, total } from './support/pii-blind.js';

/**
 * The second blind personal-data set (test/fixtures/pii-blind2.json): 123 ASR-style call texts (62 Mandarin, 61
 * English; whisper-style with digits and punctuation, telephone-recogniser style with spaces between characters and
 * numbers read out in words), 76 labelled spans and 50 look-alikes. Written and labelled on 2026-12-02 from
 * docs/privacy.md alone, before src/privacy/find.ts or its tests were read, and committed on its own (691e66d)
 * before it was scored. Labelling rules of this set: a local number of 7 or 8 digits is `landline` (docs: "a local
 * number after a phone cue"), whether or not the text has a cue; a UK number is `landline` (the finder has no UK
 * category; it is a number with a leading-0 area code); a country code (+86, +1, a spoken "one") is left out of the
 * label; a card's or a phone's last four digits, 400/800 and toll-free numbers, 95588 and 10086 are look-alikes.
 * A case may carry a `note` saying why it is there (the two known weak spots, documented limits).
 *
 * Scoring as in test/privacy-blind.test.ts (test/support/pii-blind.ts): a predicted span matches a labelled one when the category agrees, it
 * covers the labelled text except at most 1 character, and it is at most 1.3x the labelled length + 2 characters;
 * matching is one-to-one. Also printed (not held to a floor): how many labelled spans are masked at all, under any
 * category, by spans that together cover them; and precision and recall with mobile, landline and us_phone matching
 * one another (all three are masked as a phone number), held to floors of their own.
 *
 * First (blind) measurement, 2026-12-02, on the finder as it was at 9869f34, before any change prompted by this set:
 * precision 0.929 (65/70), recall 0.855 (65/76); zh P 0.973 (36/37) R 0.923 (36/39), en P 0.879 (29/33) R 0.784 (29/37).
 *   zh mobile 15: P 0.938 R 1.000   zh landline 5: 1.000 1.000   zh id_card 6: 1.000 1.000   zh bank_card 4: 1.000 1.000
 *   zh us_phone 1: P 1.000 R 0.000  zh email 4: 1.000 0.500     zh address 4: 1.000 1.000
 *   en mobile 1: P 1.000 R 0.000    en landline 8: 1.000 0.250   en id_card 1: 1.000 1.000   en bank_card 4: 1.000 1.000
 *   en us_phone 12: P 0.750 R 1.000 en ssn 2: 1.000 1.000       en email 4: 1.000 1.000     en address 5: 1.000 0.800
 * Masked at all, under any category: zh 37/39, en 33/37. With mobile, landline and us_phone matching one another:
 * P 1.000 R 0.921 (70/76).
 *
 * After the general fixes its errors prompted (see docs/privacy.md; each with look-alikes in src/privacy/find.test.ts):
 * P 0.908 (69/76), R 0.908 (69/76); zh P 1.000 R 1.000 (39/39), en P 0.811 (30/37) R 0.811 (30/37); masked at all
 * zh 39/39, en 37/37; phone categories as one P 1.000 R 1.000 (76/76). No longer a blind figure. Strict precision
 * fell: the local numbers now masked (`call 555 1234 at 14:30`, `… and my wife's is 555 9876`) are masked as
 * `us_phone`, as the finder masks every English local number, which this set labels `landline`: each counts as a
 * false span and a miss. The finder's category was kept (a program's `privacy.categories` selects by it).
 */

// Floors: just under the figures after the fixes, so that a regression fails.
const FLOOR = { precision: 0.9, recall: 0.9 };
const FLOOR_PHONES_AS_ONE = { precision: 0.99, recall: 0.99 };

const cases = loadCases('pii-blind2.json');

// with its area code (Chinese or UK), or a local number of 7 or 8 digits
const landline = (d: string) => /^0[1-9]\d{8,10}$/.test(d) || /^[2-9]\d{6,7}$/.test(d);

describe('personal-data finder on the second blind labelled set', () => {
  it(`has a well-formed blind set (${cases.length} texts) with every category in each language`, () => {
    expectWellFormed(cases, {
      digitRules: { ...DIGIT_RULES, landline },
      absent: (lang, cat) => lang === 'zh' && cat === 'ssn', // no US social security number in this set's Mandarin calls
    });
  });

  it('prints precision and recall per language and category and holds them above the floors', () => {
    const { cells, errors, masked } = evaluate(cases);
    const all = total(cells);
    const loose = total(evaluate(cases, { phonesAsOne: true }).cells);
    const labelled = (lang: string) => cases.filter((c) => c.lang === lang).reduce((n, c) => n + c.pii.length, 0);
    console.log(`personal-data finder over ${cases.length} second-set BLIND labelled texts:\n${scoreTable(cells).join('\n')}\n`
      + `labelled spans masked at all, any category: zh ${masked.zh}/${labelled('zh')}, en ${masked.en}/${labelled('en')}\n`
      + `phone categories as one: precision ${precision(loose).toFixed(3)}, recall ${recall(loose).toFixed(3)}\n`
      + `errors (${errors.length}):\n${errors.join('\n')}`);
    expect(precision(all)).toBeGreaterThanOrEqual(FLOOR.precision);
    expect(recall(all)).toBeGreaterThanOrEqual(FLOOR.recall);
    expect(precision(loose)).toBeGreaterThanOrEqual(FLOOR_PHONES_AS_ONE.precision);
    expect(recall(loose)).toBeGreaterThanOrEqual(FLOOR_PHONES_AS_ONE.recall);
  });
});
