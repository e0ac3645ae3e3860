import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The fortieth blind set (test/fixtures/dialogues-blind40/, issue 16): 40 calls, hard calls for escalation and banned phrases (collections, refused claims, disruptions, refunds, repairs; 20 zh, 20 en): near-miss threats and subtly rude agents, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * First measurement: six-detector mean F1 **0.869** on 873aaf8 (the code before it was seen); **0.982** after the
 * general fixes of the same round (hedge and query cues for escalation, the company named by the opening words,
 * split introductions, seed 001's 诈单 forms). Not blind any more.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'fortieth',
  folder: 'dialogues-blind40',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["ordinary collections call", "veiled threat by the agent (cant promise it stays between us and your employer)", "regulator spelled as letters (c f p b)"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.95, r: 0.98 }, // measured 0.973 / 1.000
    missing_greeting: { p: 0.95, r: 0.70 }, // measured 1.000 / 0.750
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.95, r: 0.91 }, // measured 0.976 / 0.932
    filler: { p: 0.96, r: 0.94 }, // measured 0.984 / 0.969
    customer_escalation: { p: 0.95, r: 0.91 }, // measured 1.000 / 0.967
  },
  meanFloor: 0.96, // measured 0.982
});
