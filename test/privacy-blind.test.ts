import { describe, expect, it } from 'vitest';
import { evaluate, expectWellFormed, DIGIT_RULES, loadCases, precision, recall, scoreTable, total } from './support/pii-blind.js';

/**
 * The blind personal-data set (test/fixtures/pii-blind.json): ASR-style call text in Mandarin and English, written
 * and labelled before src/privacy, docs/privacy.md or the authored set (pii-labelled.json) were read, so it measures
 * the finder on phrasing its author did not write. Each case lists the exact substrings to be masked; the
 * look-alikes (amounts, dates, order/parcel/policy numbers after their cue, staff numbers, company hotlines,
 * verification codes) list none. Errors are printed by case id and category, never with the text.
 *
 * Scoring (test/support/pii-blind.ts): a predicted span matches a labelled one when the category agrees, it covers
 * the labelled text except at most 1 character, and it is at most 1.3x the labelled length + 2 characters;
 * matching is one-to-one.
 */

/**
 * Floors: the first (blind) measurement rounded down to the 0.01 below, so that a regression fails. Measured on
 * 2026-11-30 before any change to src/privacy prompted by this set: precision 0.931 (67/72), recall 0.918 (67/73);
 * zh P 0.943 R 0.917, en P 0.919 R 0.919. A change to the finder made after reading this set's errors makes it a
 * regression guard, no longer a blind measurement.
 */
// After two general fixes prompted by its errors (cues with spaces between characters; an ID's X after a
// separator): P 0.945 R 0.945, no longer a blind figure; floors just under.
const FLOOR = { precision: 0.94, recall: 0.94 };

const cases = loadCases('pii-blind.json');

describe('personal-data finder on the blind labelled set', () => {
  it(`has a well-formed blind set (${cases.length} texts) with every category in each language`, () => {
    expectWellFormed(cases, {
      digitRules: DIGIT_RULES,
      label: (c, l, at) => {
        if (l.category === 'address') expect(c.text.slice(0, at), `${c.id} address cue`).toMatch(/(地\s*址\s*是|住\s*在|寄\s*到|address is|live at|ship it to)\s*$/);
      },
    });
  });

  it('prints precision and recall per language and category and holds them above the floors', () => {
    const { cells, errors } = evaluate(cases);
    const all = total(cells);
    console.log(`personal-data finder over ${cases.length} BLIND labelled texts:\n${scoreTable(cells).join('\n')}\n`
      + `errors (${errors.length}):\n${errors.join('\n')}`);
    expect(precision(all)).toBeGreaterThanOrEqual(FLOOR.precision);
    expect(recall(all)).toBeGreaterThanOrEqual(FLOOR.recall);
  });
});
