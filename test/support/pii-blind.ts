import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { findPii } from '../../src/privacy/find.js';

/**
 * The scoring harness of the blind personal-data sets (test/privacy-blind*.test.ts, fixtures
 * test/fixtures/pii-blind*.json): ASR-style call texts, each listing the exact substrings to be masked (none for a
 * look-alike). Errors are printed by case id and category, never with the text.
 *
 * A predicted span matches a labelled one when the category agrees (with `phonesAsOne`, mobile, landline and
 * us_phone match one another), it covers the labelled text except at most 1 character, and it is at most 1.3x the
 * labelled length + 2 characters; matching is one-to-one.
 */

export interface Label { category: string; text: string }
export interface Case { id: string; lang: 'zh' | 'en'; text: string; pii: Label[]; note?: string }
interface Span { category: string; start: number; end: number }

export const CATEGORIES = ['mobile', 'landline', 'id_card', 'bank_card', 'us_phone', 'ssn', 'email', 'address'] as const;
export const LANGS = ['zh', 'en'] as const;

/** A labelled set from test/fixtures. */
export function loadCases(fileName: string): Case[] {
  return JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', fileName), 'utf8')) as Case[];
}

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

/** What the digits of a labelled span must be, per category (a set may widen one, as the second does landlines). */
export const DIGIT_RULES: Record<string, (d: string) => boolean> = {
  mobile: (d) => /^1[3-9]\d{9}$/.test(d),
  landline: (d) => /^0[1-9]\d{8,10}$/.test(d),
  id_card: idCardValid,
  bank_card: luhnValid,
  us_phone: (d) => /^[2-9]\d{2}[2-9]\d{6}$/.test(d) && !/^8(00|88|77|66|55|44|33)/.test(d),
  ssn: (d) => /^(?!000|666|9)\d{3}(?!00)\d{2}(?!0000)\d{4}$/.test(d),
};

export interface WellFormedRules {
  digitRules: Record<string, (d: string) => boolean>;
  /** a further check on each label at offset `at` of its case's text */
  label?: (c: Case, l: Label, at: number) => void;
  /** a language and category the set need not hold */
  absent?: (lang: string, category: string) => boolean;
}

/**
 * A set's labels are usable: unique ids, known languages and categories, each label a substring that occurs once
 * with valid digits, at least 20 look-alikes and a case of every category in each language.
 */
export function expectWellFormed(cases: Case[], rules: WellFormedRules): void {
  expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  for (const c of cases) {
    expect(LANGS, c.id).toContain(c.lang);
    for (const l of c.pii) {
      expect(CATEGORIES as readonly string[], `${c.id} category`).toContain(l.category);
      const at = c.text.indexOf(l.text);
      expect(at, `${c.id} ${l.category}: label is a substring`).toBeGreaterThanOrEqual(0);
      expect(c.text.lastIndexOf(l.text), `${c.id} ${l.category}: label occurs once`).toBe(at);
      const rule = rules.digitRules[l.category];
      if (rule) expect(rule(spokenDigits(l.text)), `${c.id} ${l.category}: digits valid`).toBe(true);
      rules.label?.(c, l, at);
    }
  }
  for (const lang of LANGS) {
    const ofLang = cases.filter((c) => c.lang === lang);
    expect(ofLang.filter((c) => c.pii.length === 0).length, `${lang} look-alikes`).toBeGreaterThanOrEqual(20);
    for (const cat of CATEGORIES) {
      if (rules.absent?.(lang, cat)) continue;
      expect(ofLang.some((c) => c.pii.some((l) => l.category === cat)), `${lang} has a ${cat} case`).toBe(true);
    }
  }
}

export interface Cell { tp: number; fp: number; fn: number }
export const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);
export const precision = (c: Cell): number => ratio(c.tp, c.tp + c.fp);
export const recall = (c: Cell): number => ratio(c.tp, c.tp + c.fn);

const PHONE = new Set(['mobile', 'landline', 'us_phone']);
const sameCategory = (a: string, b: string, phonesAsOne: boolean): boolean => a === b || (phonesAsOne && PHONE.has(a) && PHONE.has(b));

/**
 * The finder over a set: counts per language and category, one line per error, and per language how many labelled
 * spans are masked at all (under any category, by spans that together cover all but at most 1 character).
 */
export function evaluate(cases: Case[], opts: { phonesAsOne?: boolean } = {}) {
  const phonesAsOne = opts.phonesAsOne ?? false;
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

/** The counts summed over languages and categories. */
export function total(cells: Map<string, Cell>): Cell {
  return sumCells(cells, () => true);
}

function sumCells(cells: Map<string, Cell>, pick: (lang: string, cat: string) => boolean): Cell {
  const t = { tp: 0, fp: 0, fn: 0 };
  for (const [k, v] of cells) {
    const [lang, cat] = k.split('\t') as [string, string];
    if (pick(lang, cat)) { t.tp += v.tp; t.fp += v.fp; t.fn += v.fn; }
  }
  return t;
}

/** Precision and recall per language and category, per language, and over all, as a table of lines. */
export function scoreTable(cells: Map<string, Cell>): string[] {
  const rows: string[] = ['lang  category    labels  tp  fp  fn  precision  recall'];
  const row = (lang: string, cat: string, c: Cell) => rows.push(
    `${lang.padEnd(4)}  ${cat.padEnd(10)}  ${String(c.tp + c.fn).padStart(6)}  ${String(c.tp).padStart(2)}  ${String(c.fp).padStart(2)}  ${String(c.fn).padStart(2)}  `
    + `${precision(c).toFixed(3).padStart(9)}  ${recall(c).toFixed(3).padStart(6)}`);
  for (const lang of LANGS) {
    for (const cat of CATEGORIES) row(lang, cat, sumCells(cells, (l, c) => l === lang && c === cat));
    row(lang, 'all', sumCells(cells, (l) => l === lang));
  }
  row('all', 'all', total(cells));
  return rows;
}
