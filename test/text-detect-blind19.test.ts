import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The nineteenth blind set (test/fixtures/dialogues-blind19/, issue 16): 40 calls with ELDERLY, hard-of-hearing or
 * vulnerable customers and the relatives who call for them (24 en from the US, UK, Canada, Australia and New
 * Zealand: pharmacies, pensions, banks' fraud teams, utilities, funeral plans, home care; 12 zh; 4
 * code-switched), written by a helper who read only the seed standards and the third set's conventions, and
 * scored once on lead at 5b53af1 (lexicons 1.2-1.15).
 *
 * First measurement: six-detector mean F1 **0.844** (banned recall 0.42: impatience and condescension with a
 * slow customer — "i've told you three times now", "so even you can follow it", "can you put someone younger
 * on", "you're getting confused again", 您耳朵不好使啊, 我讲第二次了; self-identification 0.80). Final, after general
 * changes (those shapes; AFCA, "a current affair", the elder-abuse hotline, writing to the CEO; "power of
 * attorney" and "say you" are no threats; 十二号客服代表 as a staff number; home care, funeral plans, chemists as
 * organisations): **0.938**. Not blind any more. Still missed: identifications completed late only when the
 * customer asks, "from work and income" (a company name that reads as "from work").
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'nineteenth',
  folder: 'dialogues-blind19',
  counts: { zh: 12, en: 24, auto: 4 },
  hard: ["'would you like' is not a filler", 'survey invitation in the closing', 'blaming the customer for the scam is banned', "'let me say that again more slowly' stays unlabelled"],
  floors: {
    greeting: { p: 0.95, r: 0.98 }, // measured 0.971 / 1.000
    missing_greeting: { p: 0.95, r: 0.81 }, // measured 1.000 / 0.857
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.98, r: 0.95 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.98 }, // measured 1.000 / 1.000
    self_identification: { p: 0.91, r: 0.91 }, // measured 0.960 / 0.960
    late_self_identification: { p: 0.95, r: 0.70 }, // measured 1.000 / 0.750
    missing_self_identification: { p: 0.72, r: 0.95 }, // measured 0.778 / 1.000
    banned_phrase: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    filler: { p: 0.98, r: 0.90 }, // measured 1.000 / 0.955
    customer_escalation: { p: 0.89, r: 0.90 }, // measured 0.947 / 0.947
  },
  meanFloor: 0.95, // measured 0.971
});
