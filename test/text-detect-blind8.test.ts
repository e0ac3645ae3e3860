import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The eighth blind set (test/fixtures/dialogues-blind8/, issue 16): 40 dialogues (22 zh, 12 en, 6 code-switched),
 * mostly away from banks, telecoms and e-commerce: utilities, freight and moving, insurance claims, a hospital
 * and clinics, an exam authority and tutoring, legal aid, a citizen hotline, council parking, an airline, hotels,
 * SaaS licences, a gym, a charity and a hospice, a recruiter, property. Written by a helper who read only the
 * seed standards and the third set's conventions; scored once on the code fixed for the seventh set.
 *
 * Labelling conventions as in the fourth to seventh sets (mapped in test/support/blind-set.ts).
 *
 * First measurement (lexicons 1.2-1.9): six-detector mean F1 **0.913** (greeting 1.00, closing 0.97,
 * self-identification 0.80, banned 0.91, fillers 0.97, escalation 0.83): the highest first figure of the
 * blind sets so far. Final, after general changes (lexicons 1.2-1.10: a staff number of one or two digits
 * before 号为您服务, 坐席 / agent + number, roles after the company (的招聘顾问 + name), 律师助理 and 值班律师,
 * 人力资源 and 预约中心 as organisations, hospices and charities, 我们这边不管 / 你等着就行, cancelling every
 * licence, disputing a charge with the card company, 找你们校长; "cancel my membership" alone is no longer a
 * threat): **0.958**; the other sets unchanged. Not blind any more. Still missed: a late introduction with
 * nothing saying it is late ("so this is dan at peakfit gyms"), a name after the company and a role with no cue
 * (supporter care gavin), a role after the company inside a later sentence (平和保险理赔专员周晓雯), 喂 + a name.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'eighth',
  folder: 'dialogues-blind8',
  counts: { zh: 22, en: 12, auto: 6 },
  hard: ['late self-identification', 'late greeting', 'hallucination after silence', 'closing followed by more business', 'neutral cancellation', 'past 投诉 mention is not escalation', 'discourse like', 'Traditional characters', 'agent bare 喂 opening = 直呼客户喂'],
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    closing: { p: 0.98, r: 0.95 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.98 }, // measured 1.000 / 1.000
    self_identification: { p: 0.98, r: 0.94 }, // measured 1.000 / 0.967
    late_self_identification: { p: 0.98, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.80, r: 0.98 }, // measured 0.857 / 1.000
    banned_phrase: { p: 0.92, r: 0.98 }, // measured 0.944 / 1.000
    filler: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    customer_escalation: { p: 0.85, r: 0.98 }, // measured 0.909 / 1.000
  },
  meanFloor: 0.96, // measured 0.983
});
