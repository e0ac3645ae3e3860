import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findPii } from '../src/privacy/find.js';

/**
 * The blind personal-data set (test/fixtures/pii-blind.json): ASR-style call text in Mandarin and English, written
 * and labelled before src/privacy, docs/privacy.md or the authored set (pii-labelled.json) were read, so it measures
 * the finder on phrasing its author did not write. Each case lists the exact substrings to be masked; the
 * look-alikes (amounts, dates, order/parcel/policy numbers after their cue, staff numbers, company hotlines,
 * verification codes) list none. Errors are printed by case id and category, never with the text.
 *
 * A predicted span matches a labelled one when the category agrees, it covers the labelled text except at most
 * 1 character, and it is at most 1.3x the labelled length + 2 characters; matching is one-to-one.
 */

interface Label { category: string; text: string }
interface Case { id: string; lang: 'zh' | 'en'; text: string; pii: Label[] }
interface Span { category: string; start: number; end: number }

const CATEGORIES = ['mobile', 'landline', 'id_card', 'bank_card', 'us_phone', 'ssn', 'email', 'address'] as const;
const LANGS = ['zh', 'en'] as const;

/**
 * Floors: the first (blind) measurement rounded down to the 0.01 below, so that a regression fails. Measured on
 * 2026-11-30 before any change to src/privacy prompted by this set: precision 0.931 (67/72), recall 0.918 (67/73);
 * zh P 0.943 R 0.917, en P 0.919 R 0.919. A change to the finder made after reading this set's errors makes it a
 * regression guard, no longer a blind measurement.
 */
// After two general fixes prompted by its errors (cues with spaces between characters; an ID's X after a
// separator): P 0.945 R 0.945, no longer a blind figure; floors just under.
const FLOOR = { precision: 0.94, recall: 0.94 };

const here = dirname(fileURLToPath(import.meta.url));
const cases = JSON.parse(readFileSync(join(here, 'fixtures', 'pii-blind.json'), 'utf8')) as Case[];

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
  landline: (d) => /^0[1-9]\d{8,10}$/.test(d),
  id_card: idCardValid,
  bank_card: luhnValid,
  us_phone: (d) => /^[2-9]\d{2}[2-9]\d{6}$/.test(d) && !/^8(00|88|77|66|55|44|33)/.test(d),
  ssn: (d) => /^(?!000|666|9)\d{3}(?!00)\d{2}(?!0000)\d{4}$/.test(d),
};

interface Cell { tp: number; fp: number; fn: number }
const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);

function evaluate() {
  const cells = new Map<string, Cell>();
  const cell = (lang: string, cat: string): Cell => {
    const k = `${lang}\t${cat}`;
    if (!cells.has(k)) cells.set(k, { tp: 0, fp: 0, fn: 0 });
    return cells.get(k)!;
  };
  const errors: string[] = [];
  for (const c of cases) {
    const predicted: Span[] = findPii(c.text);
    const used = new Set<number>();
    for (const l of c.pii) {
      const start = c.text.indexOf(l.text);
      const end = start + l.text.length;
      const len = l.text.length;
      const covered = (p: Span) => Math.max(0, Math.min(p.end, end) - Math.max(p.start, start));
      const hit = predicted.findIndex((p, i) => !used.has(i) && p.category === l.category
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
  return { cells, errors };
}

describe('personal-data finder on the blind labelled set', () => {
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
        if (l.category === 'address') expect(c.text.slice(0, at), `${c.id} address cue`).toMatch(/(地\s*址\s*是|住\s*在|寄\s*到|address is|live at|ship it to)\s*$/);
      }
    }
    for (const lang of LANGS) {
      const ofLang = cases.filter((c) => c.lang === lang);
      expect(ofLang.filter((c) => c.pii.length === 0).length, `${lang} look-alikes`).toBeGreaterThanOrEqual(20);
      for (const cat of CATEGORIES) {
        expect(ofLang.some((c) => c.pii.some((l) => l.category === cat)), `${lang} has a ${cat} case`).toBe(true);
      }
    }
  });

  it('prints precision and recall per language and category and holds them above the floors', () => {
    const { cells, errors } = evaluate();
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
    row('all', 'all', all);
    console.log(`personal-data finder over ${cases.length} BLIND labelled texts:\n${rows.join('\n')}\n`
      + `errors (${errors.length}):\n${errors.join('\n')}`);
    expect(ratio(all.tp, all.tp + all.fp)).toBeGreaterThanOrEqual(FLOOR.precision);
    expect(ratio(all.tp, all.tp + all.fn)).toBeGreaterThanOrEqual(FLOOR.recall);
  });
});
