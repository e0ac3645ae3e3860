import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findPii } from '../src/privacy/find.js';

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
 * Scoring as in test/privacy-blind.test.ts: a predicted span matches a labelled one when the category agrees, it
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

interface Label { category: string; text: string }
interface Case { id: string; lang: 'zh' | 'en'; text: string; pii: Label[]; note?: string }
interface Span { category: string; start: number; end: number }

const CATEGORIES = ['mobile', 'landline', 'id_card', 'bank_card', 'us_phone', 'ssn', 'email', 'address'] as const;
const LANGS = ['zh', 'en'] as const;

// Floors: just under the figures after the fixes, so that a regression fails.
const FLOOR = { precision: 0.9, recall: 0.9 };
const FLOOR_PHONES_AS_ONE = { precision: 0.99, recall: 0.99 };

const here = dirname(fileURLToPath(import.meta.url));
const cases = JSON.parse(readFileSync(join(here, 'fixtures', 'pii-blind2.json'), 'utf8')) as Case[];

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idCardValid(d: string): boolean {
  if (!/^\d{17}[\dX]$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ID_WEIGHTS[i]! * Number(d[i]);
  const birth = d.slice(6, 14);
  const date = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`);
  const realDate = !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10).replaceAll('-', '') === birth;
  return realDate && '10X98765432'[sum % 11] === d[17];
}
function luhnValid(d: string): boolean {
  if (!/^\d{13,19}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let x = Number(d[d.length - 1 - i]);
    if (i % 2 === 1) { x *= 2; if (x > 9) x -= 9; }
    sum += x;
  }
  return sum % 10 === 0;
}
/** The labels' own reading of spoken digits (a check on the fixture, independent of src/privacy). */
function spokenDigits(s: string): string {
  const zh: Record<string, string> = { 零: '0', 〇: '0', 洞: '0', 一: '1', 幺: '1', 二: '2', 两: '2', 兩: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 拐: '7', 八: '8', 九: '9', 勾: '9', 叉: 'X' };
  const en: Record<string, string> = { oh: '0', zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', x: 'X' };
  let out = '';
  let times = 1;
  for (const t of s.toLowerCase().match(/[a-z]+|[0-9]|[^\sa-z0-9]/g) ?? []) {
    if (t === 'double' || t === 'triple') { times = t === 'double' ? 2 : 3; continue; }
    const d = /^[0-9]$/.test(t) ? t : en[t] ?? zh[t];
    if (d === undefined) continue;
    out += d.repeat(times);
    times = 1;
  }
  return out;
}
const DIGIT_RULES: Record<string, (d: string) => boolean> = {
  mobile: (d) => /^1[3-9]\d{9}$/.test(d),
  // with its area code (Chinese or UK), or a local number of 7 or 8 digits
  landline: (d) => /^0[1-9]\d{8,10}$/.test(d) || /^[2-9]\d{6,7}$/.test(d),
  id_card: idCardValid,
  bank_card: luhnValid,
  us_phone: (d) => /^[2-9]\d{2}[2-9]\d{6}$/.test(d) && !/^8(00|88|77|66|55|44|33)/.test(d),
  ssn: (d) => /^(?!000|666|9)\d{3}(?!00)\d{2}(?!0000)\d{4}$/.test(d),
};

interface Cell { tp: number; fp: number; fn: number }
const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);

const PHONE = new Set(['mobile', 'landline', 'us_phone']);
/** `phonesAsOne`: mobile, landline and us_phone match one another (all three are masked as a phone number). */
const sameCategory = (a: string, b: string, phonesAsOne: boolean): boolean => a === b || (phonesAsOne && PHONE.has(a) && PHONE.has(b));

function evaluate(phonesAsOne = false) {
  const cells = new Map<string, Cell>();
  const cell = (lang: string, cat: string): Cell => {
    const k = `${lang}\t${cat}`;
    if (!cells.has(k)) cells.set(k, { tp: 0, fp: 0, fn: 0 });
    return cells.get(k)!;
  };
  const errors: string[] = [];
  const masked = { zh: 0, en: 0 };
  for (const c of cases) {
    const predicted: Span[] = findPii(c.text);
    for (const l of c.pii) {
      const start = c.text.indexOf(l.text);
      let hidden = 0;
      for (let i = start; i < start + l.text.length; i++) if (predicted.some((p) => p.start <= i && i < p.end)) hidden++;
      if (hidden >= l.text.length - 1) masked[c.lang]++;
    }
    const used = new Set<number>();
    for (const l of c.pii) {
      const start = c.text.indexOf(l.text);
      const end = start + l.text.length;
      const len = l.text.length;
      const covered = (p: Span) => Math.max(0, Math.min(p.end, end) - Math.max(p.start, start));
      const hit = predicted.findIndex((p, i) => !used.has(i) && sameCategory(p.category, l.category, phonesAsOne)
        && covered(p) >= len - 1 && p.end - p.start <= 1.3 * len + 2);
      if (hit >= 0) { used.add(hit); cell(c.lang, l.category).tp++; continue; }
      cell(c.lang, l.category).fn++;
      // why: the best overlapping prediction, described by category and size only
      const near = predicted.map((p, i) => ({ p, i, o: covered(p) })).filter((x) => !used.has(x.i) && x.o > 0)
        .sort((a, b) => b.o - a.o)[0];
      const why = !near ? 'not found'
        : near.p.category !== l.category ? `found as ${near.p.category}`
        : near.o < len - 1 ? `partial: covers ${near.o}/${len} chars`
        : `too long: ${near.p.end - near.p.start} chars for ${len}`;
      errors.push(`miss  ${c.id}  ${l.category}  (${why})`);
    }
    predicted.forEach((p, i) => {
      if (used.has(i)) return;
      cell(c.lang, p.category).fp++;
      errors.push(`false ${c.id}  ${p.category}  [${p.start},${p.end})${c.pii.length === 0 ? '  (look-alike)' : ''}`);
    });
  }
  return { cells, errors, masked };
}

describe('personal-data finder on the second blind labelled set', () => {
  it(`has a well-formed blind set (${cases.length} texts) with every category in each language`, () => {
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases) {
      expect(LANGS, c.id).toContain(c.lang);
      for (const l of c.pii) {
        expect(CATEGORIES as readonly string[], `${c.id} category`).toContain(l.category);
        const at = c.text.indexOf(l.text);
        expect(at, `${c.id} ${l.category}: label is a substring`).toBeGreaterThanOrEqual(0);
        expect(c.text.lastIndexOf(l.text), `${c.id} ${l.category}: label occurs once`).toBe(at);
        const rule = DIGIT_RULES[l.category];
        if (rule) expect(rule(spokenDigits(l.text)), `${c.id} ${l.category}: digits valid`).toBe(true);
      }
    }
    for (const lang of LANGS) {
      const ofLang = cases.filter((c) => c.lang === lang);
      expect(ofLang.filter((c) => c.pii.length === 0).length, `${lang} look-alikes`).toBeGreaterThanOrEqual(20);
      for (const cat of CATEGORIES) {
        if (lang === 'zh' && cat === 'ssn') continue; // no US social security number in this set's Mandarin calls
        expect(ofLang.some((c) => c.pii.some((l) => l.category === cat)), `${lang} has a ${cat} case`).toBe(true);
      }
    }
  });

  it('prints precision and recall per language and category and holds them above the floors', () => {
    const { cells, errors, masked } = evaluate();
    let loose = { tp: 0, fp: 0, fn: 0 };
    for (const v of evaluate(true).cells.values()) loose = { tp: loose.tp + v.tp, fp: loose.fp + v.fp, fn: loose.fn + v.fn };
    const rows: string[] = ['lang  category    labels  tp  fp  fn  precision  recall'];
    const sum = (pick: (lang: string, cat: string) => boolean): Cell => {
      const t = { tp: 0, fp: 0, fn: 0 };
      for (const [k, v] of cells) {
        const [lang, cat] = k.split('\t') as [string, string];
        if (pick(lang, cat)) { t.tp += v.tp; t.fp += v.fp; t.fn += v.fn; }
      }
      return t;
    };
    const row = (lang: string, cat: string, c: Cell) => rows.push(
      `${lang.padEnd(4)}  ${cat.padEnd(10)}  ${String(c.tp + c.fn).padStart(6)}  ${String(c.tp).padStart(2)}  ${String(c.fp).padStart(2)}  ${String(c.fn).padStart(2)}  `
      + `${ratio(c.tp, c.tp + c.fp).toFixed(3).padStart(9)}  ${ratio(c.tp, c.tp + c.fn).toFixed(3).padStart(6)}`);
    for (const lang of LANGS) {
      for (const cat of CATEGORIES) row(lang, cat, sum((l, c) => l === lang && c === cat));
      row(lang, 'all', sum((l) => l === lang));
    }
    const all = sum(() => true);
    const labelled = (lang: string) => cases.filter((c) => c.lang === lang).reduce((n, c) => n + c.pii.length, 0);
    row('all', 'all', all);
    console.log(`personal-data finder over ${cases.length} second-set BLIND labelled texts:\n${rows.join('\n')}\n`
      + `labelled spans masked at all, any category: zh ${masked.zh}/${labelled('zh')}, en ${masked.en}/${labelled('en')}\n`
      + `phone categories as one: precision ${ratio(loose.tp, loose.tp + loose.fp).toFixed(3)}, recall ${ratio(loose.tp, loose.tp + loose.fn).toFixed(3)}\n`
      + `errors (${errors.length}):\n${errors.join('\n')}`);
    expect(ratio(all.tp, all.tp + all.fp)).toBeGreaterThanOrEqual(FLOOR.precision);
    expect(ratio(all.tp, all.tp + all.fn)).toBeGreaterThanOrEqual(FLOOR.recall);
    expect(ratio(loose.tp, loose.tp + loose.fp)).toBeGreaterThanOrEqual(FLOOR_PHONES_AS_ONE.precision);
    expect(ratio(loose.tp, loose.tp + loose.fn)).toBeGreaterThanOrEqual(FLOOR_PHONES_AS_ONE.recall);
  });
});
