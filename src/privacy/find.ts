/**
 * Personal data in a transcript segment: mobile and landline numbers, Chinese ID cards (MOD 11-2), payment
 * cards (Luhn), US phone numbers and SSNs, e-mail addresses and street addresses given after an address cue,
 * written or spoken, in Chinese and English. Pure: text in, character spans out (never the matched text).
 *
 * What must stay readable (not personal data): amounts, dates and times, order / parcel / reference numbers,
 * the agent's staff number (工号, read by the self-identification rule), the company's own hotlines, quantities.
 */
import { toSimplifiedChinese } from '../core/normalise.js';
import { idCardValid, luhnValid, NANP_TOLL_FREE, nanpValid, ssnPlausible } from './check-digits.js';
import { type DigitRun, findDigitRuns } from './digits.js';

export const PII_CATEGORIES = ['mobile', 'landline', 'id_card', 'bank_card', 'us_phone', 'ssn', 'email', 'address'] as const;
export type PiiCategory = (typeof PII_CATEGORIES)[number];

export interface PiiSpan {
  category: PiiCategory;
  /** offsets in the raw text, [start, end) */
  start: number;
  end: number;
}

export interface PiiOptions {
  /** the company's own numbers (hotlines, switchboard): digits only; never masked */
  companyNumbers?: readonly string[];
}

const CONTEXT_BEFORE = 28;
// what may come before a company number as it is listed: a country code (86, 0086, 1) or a Chinese area code
const COMPANY_PREFIX = /^(?:0{0,2}86|1|0\d{2,3}|0{0,2}860\d{2,3})$/;

// Identifiers that are not personal data: say what the number is, just before it.
const NOT_PII_BEFORE =
  /(订单|单号|运单|快递|物流|包裹|工号|编号|流水|参考号|合同|工单|保单|验证码|取件码|会员|型号|批次|金额|价格|费用|余额|积分|order|reference|\bref\b|tracking|parcel|package|confirmation|ticket|\bcase\b|invoice|staff|employee|badge|agent (?:id|number)|operator|policy|claim|extension|\bext\b|model|serial|batch|balance|points|amount|price|total|code)[^0-9一二三四五六七八九零〇幺两洞拐勾]{0,14}$/i;
const AMOUNT_BEFORE = /(¥|￥|\$|€|£|rmb|usd|cny|共计|合计|总共|一共)\s*$/i;
// Units just after a number: an amount, a time, a date, a quantity.
const UNIT_AFTER =
  /^\s*(元|块|角|毛|分钟|分|秒|个|月|年|日|号(?!码)|点|次|天|周|小时|倍|%|％|percent|dollars?|bucks|cents?|yuan|rmb|usd|am\b|pm\b|a\.m|p\.m|o'clock|minutes?|hours?|days?|weeks?|months?|years?|items?|pieces?|units?|gb|mb|kg|km|g\b|兆|公斤|公里|米|件|台|张|条|笔)/i;
const PHONE_CUE = /(电话|手机|号码|联系方式|联系电话|座机|打给我|回电|拨打|phone|cell|mobile|numbers? (?:is|are)|my number's|reach (?:me|us)|call me|call back|contact)[^0-9]{0,10}$/i;
// a verb that says a number is to be called, right before it ("me" or "on" / "at" between at most): call 555 1234 at
// 14:30, ring us on 555 9876; not "the call ID", "called 3 times". Weaker than a cue that names the number: what is
// shaped like a date after it stays a date (we'll call on 2026-11-30, call on 20261130)
const CALL_VERB = /\b(?:call|ring|dial|text|message|whatsapp|sms)(?:\s+(?:me|us|him|her|them))?(?:\s+(?:on|at))?\s*$/i;
// a phone cue that says what the number is, with 是 / is / a colon right before the number (电话是, 手机号：, my
// number is): a spaced "date" with a clock time after it is then the number and the time says when to call (电话是
// 2012 11 30 14:30以后打). Not a cue without its verb (我的电话2026 11 30 14:30那天打不通: when the phone did not get
// through) nor one that says when (回电时间：2026 11 30 14:30, call me at …)
const NUMBER_CUE = /(电话|手机|号码|座机|联系方式|phone|cell|mobile|landline|number)\s*(?:号码|号|number)?\s*(?:是|为|is|:|：)\s*$/i;
const CARD_CUE = /(卡号|银行卡|信用卡|储蓄卡|借记卡|card number|credit card|debit card|card ending|\bcard\b)[^0-9]{0,10}$/i;
const ID_CUE = /(身份证|证件号|身份号码|id number|id card|identity)[^0-9]{0,10}$/i;
const SSN_CUE = /(social security|\bssn\b|social)[^0-9]{0,14}$/i;

/**
 * ASR often puts spaces between Chinese characters ("订 单 号"): cues are matched with those spaces removed,
 * and in Simplified characters, so that a Traditional transcript's cues (訂單號, 電話, 卡號, 身份證) count too.
 */
function compactHan(s: string): string {
  return toSimplifiedChinese(s).replace(/(\p{Script=Han})\s+(?=\p{Script=Han})/gu, '$1');
}

/**
 * What one number is, from its digits and the words around it. `inherited`: the cue in `rawBefore` is the one
 * before the first item of a list this number is a later item of; a date-shaped item then stays a date.
 */
function digitsCategory(run: DigitRun, rawBefore: string, after: string, hanContext: boolean, opts: PiiOptions, inherited = false): PiiCategory | null {
  const before = compactHan(rawBefore);
  const d = run.digits;
  const n = d.length;
  if (run.quantity) return null;
  if (NOT_PII_BEFORE.test(before) && !ID_CUE.test(before) && !CARD_CUE.test(before)) return null;
  if (AMOUNT_BEFORE.test(before) || UNIT_AFTER.test(toSimplifiedChinese(after))) return null;
  // the company's own number as listed, or said with a country code or an area code before it (+86 400…, 010-6234…);
  // not any number that merely ends with it (a customer's 139…95588 when 95588 is the hotline)
  if (companyNumber(d, opts)) return null;
  // dates written with separators: 2024-05-01, 05/01/2024
  const g = run.groups;
  const groupedAsDate = g.length === 3 && ((g[0] === 4 && g[1]! <= 2 && g[2]! <= 2) || (g[0]! <= 2 && g[1]! <= 2 && g[2] === 4));
  if (groupedAsDate) {
    if (inherited || (!PHONE_CUE.test(before) && !SSN_CUE.test(before))) return null;
    // a real calendar date after a cue that may as well say when (call me on 2026 11 30, reach me on 12 01 2026,
    // contact us by 2026-12-01) is the date; only a cue that says what the number is keeps it (my number is 2026 11 30)
    if (calendarDate(d, g) && !NUMBER_CUE.test(before) && !SSN_CUE.test(before)) return null;
  }
  if (inherited && COMPACT_DATE.test(d)) return null;
  if (/X$/.test(d)) return n === 18 && (idCardValid(d) || ID_CUE.test(before)) ? 'id_card' : null;
  if (n === 18 && (idCardValid(d) || ID_CUE.test(before))) return 'id_card';
  // an ID number right after its cue, of the old 15-digit kind or not said in full (身份证是 三七零二 八三 零六一八 二二四)
  if (n >= 12 && n < 18 && ID_CUE.test(before) && !CARD_CUE.test(before)) return 'id_card';
  // +86 and a mobile: 13 digits that may pass Luhn by chance (one in ten) are still a phone, unless a card cue says otherwise
  if (n === 13 && /^861[3-9]/.test(d) && !CARD_CUE.test(before)) return 'mobile';
  if (n >= 13 && n <= 19 && (luhnValid(d) || CARD_CUE.test(before))) return 'bank_card';
  if (n >= 12 && CARD_CUE.test(before)) return 'bank_card';
  // an 11-digit number from 1 is a Chinese mobile, or a NANP number with its country code: decide by the
  // call's script and by how it was grouped (138 1234 5678 vs 1 617 555 0112)
  const us10 = n === 10 ? d : n === 11 && d[0] === '1' ? d.slice(1) : null;
  const chineseGrouping = g.length === 3 && g[0] === 3 && g[1] === 4 && g[2] === 4;
  // the country code 1 written with its '+' or said as a group of its own before a 3-3-4 number (+1 415 555 0132,
  // 1 415 555 0132) is a NANP number in a Chinese call too: a Chinese mobile is not grouped so
  const nanpCountryCode = n === 11 && g[0] === 1 && (/[+＋]\s*$/.test(rawBefore) || g.join('-') === '1-3-3-4');
  if (n === 11 && /^1[3-9]/.test(d) && !(nanpCountryCode && us10 && nanpValid(us10)) && (hanContext || chineseGrouping || !us10 || !nanpValid(us10))) return 'mobile';
  if (n === 13 && /^861[3-9]/.test(d)) return 'mobile';
  if (serviceLine(d, hanContext)) return null;
  if (/^0[1-9]\d{8,10}$/.test(d)) return 'landline';
  if (us10 && nanpValid(us10)) return NANP_TOLL_FREE.has(us10.slice(0, 3)) ? null : 'us_phone';
  if (n === 9 && ssnPlausible(d) && (SSN_CUE.test(before) || (g.length === 3 && g[0] === 3 && g[1] === 2 && g[2] === 4))) return 'ssn';
  if (n >= 7 && n <= 12 && PHONE_CUE.test(before)) return hanContext ? 'landline' : 'us_phone';
  const dateShaped = COMPACT_DATE.test(d) || groupedAsDate;
  if (n >= 7 && n <= 12 && CALL_VERB.test(before) && !dateShaped) return hanContext ? 'landline' : 'us_phone';
  return null;
}

/**
 * The company's own number as listed, or said with a country code or an area code before it (+86 400…, 010-6234…);
 * not any number that merely ends with it (a customer's 139…95588 when 95588 is the hotline).
 */
function companyNumber(d: string, opts: PiiOptions): boolean {
  for (const c of opts.companyNumbers ?? []) if (c.length >= 5 && (d === c || (d.endsWith(c) && COMPANY_PREFIX.test(d.slice(0, d.length - c.length))))) return true;
  return false;
}

/** Chinese business numbers (400/800 service lines) are the company's, not the customer's. */
function serviceLine(d: string, hanContext: boolean): boolean {
  return d.length === 10 && /^[48]00/.test(d) && hanContext;
}

/** The groups [from, to) of a run as a run of their own. */
function subRun(run: DigitRun, from: number, to: number): DigitRun {
  let offset = 0;
  for (let k = 0; k < from; k++) offset += run.groups[k]!;
  let len = 0;
  for (let k = from; k < to; k++) len += run.groups[k]!;
  return {
    digits: run.digits.slice(offset, offset + len),
    start: run.groupSpans[from]![0],
    end: run.groupSpans[to - 1]![1],
    groups: run.groups.slice(from, to),
    groupSpans: run.groupSpans.slice(from, to),
    digitSpans: run.digitSpans.slice(offset, offset + len),
    quantity: run.quantity,
    afterMagnitude: from === 0 && run.afterMagnitude,
    beforeMagnitude: to === run.groups.length && run.beforeMagnitude,
  };
}

// what separates list items ("13812345678、13987654321", "617-555-0112, 617-555-0199"), not digit groups; a
// comma with no space after it is a thousands separator (1,380,000) as often as not
const LIST_SEPARATOR = /[，、;；]|,\s|\s\/|\/\s/;
// what joins two numbers of one list when it is not a separator inside a run
const JOINER_WORD = '和|或者?|或是|还有|以及|及|跟|与|and|or|and also|as well as';
const LIST_JOINER = new RegExp(`^\\s*(?:[、，,;；/]\\s*(?:${JOINER_WORD})?|(?:${JOINER_WORD}))\\s*$`, 'i');
// what introduces a second person's number of the same kind, said after the first (my number is 555 1234 and my
// wife's is 555 9876; 电话 5551234，我老婆的是 5559876): a later item of the same list, under the first one's cue
const SECOND_OWNER = new RegExp(
  "^\\s*[,;，、；]?\\s*(?:(?:and|or|but)\\s+)?(?:(?:(?:my|his|her|their|our|the)\\s+)?[a-z]+'s(?:\\s+(?:number|phone|cell|mobile|one))?|his|hers|mine|theirs|ours|yours)(?:\\s+is|'s)\\s*$"
  + '|^\\s*[，,、;；]?\\s*(?:还有|和|另外)?\\s*\\p{Script=Han}{1,4}的(?:号码|手机号?|电话)?是?\\s*$',
  'iu',
);
// 1,380,000: an amount or a count written with thousands separators, whatever cue is before it
const THOUSANDS = /^\d{1,3}(?:,\d{3})+$/;
// 20261130: a date written without separators, which a list's inherited phone cue must not turn into a number
/** Digits grouped 4-2-2 (year, month, day) or 2-2-4 (month and day either way round, year) that are a date that exists. */
function calendarDate(d: string, g: readonly number[]): boolean {
  const ok = (y: number, m: number, day: number) => y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && day >= 1 && day <= new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (g.length !== 3) return false;
  if (g[0] === 4) return ok(Number(d.slice(0, 4)), Number(d.slice(4, 4 + g[1]!)), Number(d.slice(4 + g[1]!)));
  if (g[2] === 4) {
    const a = Number(d.slice(0, g[0]!));
    const b = Number(d.slice(g[0]!, g[0]! + g[1]!));
    const y = Number(d.slice(-4));
    return ok(y, a, b) || ok(y, b, a);
  }
  return false;
}
const COMPACT_DATE = /^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/;
const DATE_SEPARATOR = /^\s*([-/.])\s*$/;

// a Chinese mobile number's digits, with or without the country code
const MOBILE_DIGITS = /^(?:86)?1[3-9]\d{9}$/;
// what follows the hour of a time at the end of a run: its minutes (14:30, 14：30), 点 / 时, h, am / pm
const TIME_REST = /^(?:\s*[:：]\s*[0-5]\d(?!\d)|\s*(?:点|點|时|時)|h(?![a-z])|\s*(?:am|pm|a\.m|p\.m)(?![a-z]))/i;

/**
 * The groups after a date at the start of a run are a time, and nothing else: an hour whose minutes follow the run
 * (2026 11 30 14:30, 30 11 2026 9点), an hour and its minutes as two groups (… 14 30), or as one (… 1430).
 */
function timeAfterDate(text: string, run: DigitRun): boolean {
  const g = run.groups.slice(3);
  const d = run.digits.slice(run.groups[0]! + run.groups[1]! + run.groups[2]!);
  if (g.length === 1 && g[0]! <= 2) return Number(d) <= 23 && TIME_REST.test(text.slice(run.end, run.end + 8));
  if (g.length === 1) return clockTime(d);
  if (g.length === 2 && g[0]! <= 2 && g[1] === 2) return Number(d.slice(0, g[0]!)) <= 23 && Number(d.slice(g[0]!)) <= 59;
  return false;
}

/**
 * A date written with separators at the start of a run (2026-11-30, 2026/11/30, 11/30/2026): not personal data.
 * With spaces between its parts (2026 11 30, 30 11 2026) only when a time follows it in the run (2026 11 30 14:30,
 * 30 11 2026 9点): spaces also group the digits of a phone number as it is said.
 */
function leadingDate(text: string, run: DigitRun): boolean {
  const g = run.groups;
  if (g.length < 3 || run.groupSpans.length < 3) return false;
  const d = run.digits;
  const gap1 = text.slice(run.groupSpans[0]![1], run.groupSpans[1]![0]);
  const gap2 = text.slice(run.groupSpans[1]![1], run.groupSpans[2]![0]);
  const sep1 = DATE_SEPARATOR.exec(gap1);
  const sep2 = DATE_SEPARATOR.exec(gap2);
  // (not when the run's digits together are a mobile number: 1990 12 30 930 is also 199 0123 0930)
  const spaced =
    /^\s+$/.test(gap1) && /^\s+$/.test(gap2) && g.length > 3 && run.groupSpans.length === g.length && timeAfterDate(text, run) && !MOBILE_DIGITS.test(d);
  if (!spaced && (!sep1 || !sep2 || sep1[1] !== sep2[1])) return false;
  if (g[0] === 4 && g[1]! <= 2 && g[2]! <= 2) {
    const m = Number(d.slice(4, 4 + g[1]!));
    const day = Number(d.slice(4 + g[1]!, 4 + g[1]! + g[2]!));
    return /^(19|20)/.test(d) && m >= 1 && m <= 12 && day >= 1 && day <= 31;
  }
  if (g[0]! <= 2 && g[1]! <= 2 && g[2] === 4) {
    const a = Number(d.slice(0, g[0]!));
    const b = Number(d.slice(g[0]!, g[0]! + g[1]!));
    return a >= 1 && a <= 31 && b >= 1 && b <= 31 && /^(19|20)/.test(d.slice(g[0]! + g[1]!));
  }
  return false;
}

/** Groups k and k + 1 of a run read as a month and a day, either way round (11 30, 30 11, 1/5). */
function monthDay(run: DigitRun, k: number): boolean {
  const at = run.groups.slice(0, k).reduce((a, b) => a + b, 0);
  const a = Number(run.digits.slice(at, at + run.groups[k]!));
  const b = Number(run.digits.slice(at + run.groups[k]!, at + run.groups[k]! + run.groups[k + 1]!));
  return a >= 1 && b >= 1 && ((a <= 12 && b <= 31) || (b <= 12 && a <= 31));
}

/**
 * The run without its first `head` and last `tail` digits: the minutes of a time said just before a number (3:15
 * 13912345678, 三点十五幺三九…), or the hour or count of what is said right after it (…五六七八两点, …五六七八十点,
 * 13912345678三点), judged as a number of its own. Null when a cut would fall inside one spoken word ("double five").
 */
function dropEnds(run: DigitRun, head: number, tail = 0): DigitRun | null {
  const to = run.digits.length - tail;
  if (head < 0 || tail < 0 || head >= to || run.digitSpans.length !== run.digits.length) return null;
  if (head > 0 && run.digitSpans[head]![0] === run.digitSpans[head - 1]![0]) return null;
  if (tail > 0 && run.digitSpans[to]![0] === run.digitSpans[to - 1]![0]) return null;
  const groups: number[] = [];
  const groupSpans: Array<[number, number]> = [];
  let pos = 0;
  for (let k = 0; k < run.groups.length; k++) {
    const end = pos + run.groups[k]!;
    const from = Math.max(pos, head);
    const until = Math.min(end, to);
    if (until > from) {
      groups.push(until - from);
      groupSpans.push([
        from === pos ? (run.groupSpans[k]?.[0] ?? run.digitSpans[from]![0]) : run.digitSpans[from]![0],
        until === end ? (run.groupSpans[k]?.[1] ?? run.digitSpans[until - 1]![1]) : run.digitSpans[until - 1]![1],
      ]);
    }
    pos = end;
  }
  return {
    digits: run.digits.slice(head, to),
    start: run.digitSpans[head]![0],
    end: tail === 0 ? run.end : run.digitSpans[to - 1]![1],
    groups,
    groupSpans,
    digitSpans: run.digitSpans.slice(head, to),
    quantity: false,
    afterMagnitude: false,
    beforeMagnitude: false,
  };
}

// a time just before the run: its first one or two digits may be the minutes (3:15 …, 3点15…, 三点零五…)
const TIME_BEFORE = /(?:[0-9０-９]|[零〇一二两三四五六七八九十])\s*(?:[:：]|点|點|时|時)\s*$/;
// … or the hour of a time said in words (half past three …, quarter to four …, ten to four …); a number after a
// plain "to" (send it to 139…) is read whole unless the cut reading is a stronger shape (classifyRun)
const HOUR_AFTER = /\b(?:past|to)\s*$/i;
/**
 * How much a number's digits alone say what it is (so it wins over a reading that needs a cue): 3 a mobile or a
 * valid ID card, 2 a landline with its area code, 1 a Luhn-valid card length (one number in ten passes by chance),
 * 0 nothing. A time's minutes glued to a mobile make "0" + the mobile (3:30 139…: a landline's shape) or 13
 * digits that may pass Luhn (3:05 159…): the stronger shape is the reading.
 */
function shapeStrength(d: string): number {
  if (/^1[3-9]\d{9}$/.test(d) || /^861[3-9]\d{9}$/.test(d) || (d.length === 18 && idCardValid(d))) return 3;
  if (/^0[1-9]\d{8,10}$/.test(d)) return 2;
  if (d.length >= 13 && d.length <= 19 && luhnValid(d)) return 1;
  return 0;
}

/** Where a run is split into list items: at 、，; and at a comma or a slash with a space beside it. */
function listParts(text: string, run: DigitRun): DigitRun[] {
  const n = run.groups.length;
  if (n < 2 || run.groupSpans.length !== n) return [run];
  const parts: DigitRun[] = [];
  let from = 0;
  for (let k = 1; k < n; k++) {
    if (!LIST_SEPARATOR.test(text.slice(run.groupSpans[k - 1]![1], run.groupSpans[k]![0]))) continue;
    parts.push(subRun(run, from, k));
    from = k;
  }
  parts.push(subRun(run, from, n));
  return parts;
}

/**
 * The personal data in one digit run. A run the separators joined but that is no one number is split at a group
 * boundary: a date and the time after it (2026-11-30 10:30: the date stays readable, the rest is judged on its
 * own), two numbers in a list (13812345678、13987654321; 617-555-0112, 617-555-0199), or two numbers of at least
 * seven digits each with only a space between them that are each personal data (电话 5551234 5559876); each part
 * is then judged as a number of its own. A list is governed by the cue before its first item (电话 5551234、5559876:
 * both are phone numbers), so every item is judged with the words before the whole run (`ctxAt`); an item judged
 * by such an inherited cue must not look like a date.
 * A time just before the run may have lent it its minutes (3:15 13912345678): then the rest is judged on its own.
 */
function classifyRun(text: string, run: DigitRun, han: boolean, opts: PiiOptions, out: PiiSpan[], ctxAt = run.start, inherited = false): void {
  const n = run.groups.length;
  const judge = (r: DigitRun, at = r.start, inh = inherited && at === ctxAt): PiiCategory | null =>
    r.digits.length < 7 || THOUSANDS.test(text.slice(r.start, r.end))
      ? null
      : digitsCategory(r, text.slice(Math.max(0, at - CONTEXT_BEFORE), at), text.slice(r.end, r.end + 8), han, opts, inh);
  const rawBefore = text.slice(Math.max(0, ctxAt - CONTEXT_BEFORE), ctxAt);
  // after a phone cue a date-shaped run may be the number (电话 2024-05-01…), unless a time with its minutes or its
  // unit ends it (回电时间 2026 11 30 14:30: no phone number is said with a clock time's colon after it)
  const clockEnds = run.groups[n - 1]! <= 2 && TIME_REST.test(text.slice(run.end, run.end + 8));
  const spacedGroups = run.groupSpans.length === n;
  const gapBefore = (k: number): string => text.slice(run.groupSpans[k - 1]![1], run.groupSpans[k]![0]);
  if (n > 3 && leadingDate(text, run)) {
    // right after a cue that names the number (电话 2012 11 30 14:30以后打, my number is 2012 11 30 14:30), the
    // spaced date-shaped groups are the number and the clock time after them says when: the number is masked
    if (clockEnds && spacedGroups && /^\s+$/.test(gapBefore(1)) && NUMBER_CUE.test(compactHan(rawBefore))) {
      const num = subRun(run, 0, 3);
      const c = judge(num, ctxAt);
      if (c) out.push({ category: c, start: num.start, end: num.end });
      return;
    }
    if (clockEnds || !PHONE_CUE.test(compactHan(rawBefore))) {
      classifyRun(text, subRun(run, 3, n), han, opts, out);
      return;
    }
  }
  // a date written with spaces and the time after it at the end of the run (phone 555 1234 2026 11 30 14 30): the
  // number before it is judged on its own, the date and the time stay readable (the whole was taken for a card)
  if (n > 4 && spacedGroups) {
    // (the date's three groups and a time of one or two: only the last four or five groups are tried)
    for (const k of [n - 4, n - 5]) {
      if (k < 1 || !/^\s+$/.test(gapBefore(k))) continue;
      const head = subRun(run, 0, k);
      // (a head longer than any number, 19 digits, is not one: dates said one after another, 2026 11 30 2026 11 30 …,
      // were cut one date at a time, a call as deep as their count, in time quadratic in it)
      if (head.digits.length < 7 || head.digits.length > 19) continue;
      if (!leadingDate(text, subRun(run, k, n))) continue;
      classifyRun(text, head, han, opts, out, ctxAt, inherited);
      return;
    }
  }
  // the hour of a clock time written as a group of its own at the end of the run is the time's (电话 5551234 14:30,
  // call 555 1234 14:30): the number ends before it. Not a run read digit by digit, where nothing shows where it ends.
  if (n >= 2 && spacedGroups && run.groups[n - 1]! <= 2 && !run.groups.every((g) => g === 1) && /^\s+$/.test(gapBefore(n - 1))
    && Number(run.digits.slice(-run.groups[n - 1]!)) <= 23 && /^\s*[:：]\s*[0-5]\d(?!\d)/.test(text.slice(run.end, run.end + 8))
    && run.digits.length - run.groups[n - 1]! >= 7) {
    // a month and a day said between the number and the time are the date's (my number is 555 1234 11 30 14:30,
    // 555-1234 11/30 14:30, 电话 5551234 30 11 9:15): the number ends before them
    const k = n - 3;
    const dayMonth = k >= 1 && run.groups[k]! <= 2 && run.groups[k + 1]! <= 2 && /^\s+$/.test(gapBefore(k))
      && /^\s*[-/.]?\s*$/.test(gapBefore(k + 1)) && /^\s+$/.test(gapBefore(k + 2)) && monthDay(run, k)
      && run.groups.slice(0, k).reduce((a, b) => a + b, 0) >= 7
      // (not when the digits with them say what the number is: 手机 138 1234 12 11 14:30 is a mobile)
      && shapeStrength(subRun(run, 0, n - 1).digits) <= shapeStrength(subRun(run, 0, k).digits);
    classifyRun(text, subRun(run, 0, dayMonth ? k : n - 1), han, opts, out, ctxAt, inherited);
    return;
  }
  // what the words before the whole run say it is (订单号 …、…, an amount) holds for all its parts; a unit after it
  // (…、3点, …, 3 pm) belongs to its last part only (手机13912345678，3点前回电: the mobile is still a mobile)
  const before = compactHan(rawBefore);
  const blockedBefore = AMOUNT_BEFORE.test(before) || (NOT_PII_BEFORE.test(before) && !ID_CUE.test(before) && !CARD_CUE.test(before));
  const unitAfter = UNIT_AFTER.test(toSimplifiedChinese(text.slice(run.end, run.end + 8)));
  // a list of whole numbers (every item at least 7 digits and each one personal data under the list's cue)
  const items = run.quantity || blockedBefore ? [run] : listParts(text, run);
  if (items.length > 1 && items.every((p) => p.digits.length >= 7)) {
    const cats = items.map((p) => judge(p, ctxAt, true));
    if (cats.every((c) => c !== null)) {
      items.forEach((p, k) => out.push({ category: cats[k]!, start: p.start, end: p.end }));
      return;
    }
  }
  const cat = judge(run, ctxAt);
  // the minutes of a time said just before (3:15 139…, 三点十五幺三九…, at three fifteen one three nine…): the
  // reading without them wins when its digits say more plainly what it is (the whole run read as it stands
  // otherwise: 3点 13912345678). Likewise at the end: a positional numeral right after the run (…五六七八十点,
  // … eight twenty minutes, …五六七八两千块) begins a quantity or takes the last digit into one (八十, 两千); a unit
  // right after it (…五六七八两点, 13912345678三点, 1391234567830号) takes its count from the last one or two digits,
  // and then only a number whose digits alone say what it is (a mobile, a valid ID, a landline with its area code)
  // is read off the rest.
  let best: { r: DigitRun; cat: PiiCategory; strength: number } | null = null;
  if (!blockedBefore) {
    const near = text.slice(Math.max(0, run.start - 12), run.start);
    const heads = unitAfter ? [0]
      : run.afterMagnitude ? [0, 1]
      : run.quantity && !run.beforeMagnitude ? []
      : TIME_BEFORE.test(near) ? [0, 1, 2]
      : HOUR_AFTER.test(near) ? [0, 1] : [0];
    // (a count said as a group of its own, 139 1234 5678 30号, is a part the cuts below take off whole)
    const tails = run.beforeMagnitude ? [1, 0] : unitAfter && run.groups[run.groups.length - 1]! > 2 ? [1, 2] : [0];
    for (const t of tails) {
      for (const h of heads) {
        if (h === 0 && t === 0 && !run.quantity) continue; // the whole run as it stands: `cat`
        if (h > 0 && Number(run.digits.slice(0, h)) > 59) continue;
        const r = dropEnds(run, h, t);
        const c = r && judge(r, r.start, false);
        if (!r || !c) continue;
        const strength = shapeStrength(r.digits);
        if (unitAfter && !run.beforeMagnitude && strength < 2) continue;
        // digits run into a numeral (…2021 八十八个) are a card only when a card cue says so: a run of 13 to 19
        // digits passes Luhn one time in ten by chance
        if (run.beforeMagnitude && c === 'bank_card' && !CARD_CUE.test(before)) continue;
        if (!best || strength > best.strength) best = { r, cat: c, strength };
      }
    }
  }
  if (cat && (!best || best.strength <= shapeStrength(run.digits))) {
    out.push({ category: cat, start: run.start, end: run.end });
    return;
  }
  if (best) {
    out.push({ category: best.cat, start: best.r.start, end: best.r.end });
    return;
  }
  // a number known not to be personal data (the company's own, a 400/800 service line) is not cut into parts
  if (n < 2 || run.groupSpans.length !== n || run.quantity || companyNumber(run.digits, opts) || serviceLine(run.digits, han)) return;
  // digits before each group boundary: a part longer than any personal number (19 digits) is not judged
  const upTo = [0];
  for (const g of run.groups) upTo.push(upTo[upTo.length - 1]! + g);
  const total = upTo[n]!;
  if (blockedBefore) {
    // what the cue names (金额 199, 订单号 2405) ends where a number that says by its digits alone what it is begins,
    // written or grouped as such (金额 199 13912345678, 价格 199 139 1234 5678): the short part stays what the cue
    // says, the rest is judged on its own. Not a run read digit by digit, where nothing shows where the first ends.
    for (let k = 1; k < n && upTo[k]! < 7; k++) {
      if (total - upTo[k]! > 19 || !run.groups.slice(k).every((g) => g >= 3)) continue;
      const right = subRun(run, k, n);
      if (shapeStrength(right.digits) < 3) continue;
      const c = judge(right, right.start, false);
      if (c) out.push({ category: c, start: right.start, end: right.end });
      return;
    }
    return;
  }
  // list separators first (either side may be the number)
  for (let k = 1; k < n; k++) {
    if (!LIST_SEPARATOR.test(text.slice(run.groupSpans[k - 1]![1], run.groupSpans[k]![0]))) continue;
    const left = subRun(run, 0, k);
    const right = subRun(run, k, n);
    if (left.digits.length < 7 && right.digits.length < 7) continue;
    classifyRun(text, left, han, opts, out, ctxAt, inherited);
    classifyRun(text, right, han, opts, out, ctxAt, true);
    return;
  }
  // then plain gaps (a space, a dash) between a number and what was said right before or after it: two whole numbers
  // (电话 5551234 5559876), a number and a date, a year, a count or a time (电话 5551234 20261130; 手机 139 1234 5678
  // 30号; 2026 139 1234 5678; 桃园路八十八号三栋五零二 一五九…). A part is cut off when
  // - both parts are whole numbers, each personal data (under the cue before the run, as a list's items are); or
  // - the part is written as one block or grouped as a phone number (138 1234 5678, 617 555 0112, 010 6234 5678) and
  //   its digits say what it is (a mobile, a valid ID, a landline with its area code), or it is the first part and a
  //   phone, card, ID or SSN cue is right before it; or
  // - read digit by digit, the part is a mobile or a valid ID by its digits and the rest is plainly something else:
  //   a year or a time before it (at 1 4 3 0 1 3 9…), a date, or a count with its unit after it; or the part is the
  //   first and a cue is right before it (手机 1 3 9 1 2 3 4 5 6 7 8 3 0).
  // Not otherwise: a long number read digit by digit or in groups of its own (an IMEI, a card, a tracking number: 3 5
  // 2 0 9 9 1 1 4 7 8 2 0 6 3, 七五三 零八八 二一四 六六九 零二) is one number, and any ten or eleven digits of it may look
  // like a phone number by chance. The cut is where the plainest part is; each side is then judged on its own.
  const cued = CUE_BEFORE.some((re) => re.test(before));
  const partOk = (part: DigitRun, rest: DigitRun, isLeft: boolean, cat: PiiCategory | null): boolean => {
    if (!cat || (!isLeft && !startsNumber(part))) return false;
    // the first part right after its cue, and the rest a count or an hour with its unit (卡号 6222 0212 3456 7890 3点,
    // card number 4111 1111 1111 1111 3 pm, my number is six one seven … one two, three pm): the number as said,
    // however it was grouped
    if (isLeft && cued && unitAfter && rest.digits.length <= 2) return true;
    if (part.groups.length === 1 || phoneGrouped(part) || landlineGrouped(part)) return shapeStrength(part.digits) >= 2 || phoneGrouped(part) || (isLeft && cued);
    if (!part.groups.every((g) => g === 1)) return false;
    if (shapeStrength(part.digits) < 3) return false;
    const r = rest.digits;
    if (COMPACT_DATE.test(r) || (isLeft && cued)) return true;
    return isLeft ? unitAfter : /^(?:19|20)\d{2}$/.test(r) || clockTime(r);
  };
  const cuts: Array<{ k: number; score: number; start: number; end: number; cat: PiiCategory }> = [];
  for (let k = 1; k < n; k++) {
    const leftLen = upTo[k]!;
    const rightLen = total - leftLen;
    const leftFits = leftLen >= 7 && leftLen <= 19;
    const rightFits = rightLen >= 7 && rightLen <= 19;
    if (!leftFits && !rightFits) continue;
    const left = subRun(run, 0, k);
    const right = subRun(run, k, n);
    const lc = leftFits ? judge(left, ctxAt) : null;
    const rc = rightFits ? judge(right, ctxAt, true) : null;
    const both = lc !== null && rc !== null;
    const leftOk = both || partOk(left, right, true, lc);
    const rightOk = both || partOk(right, left, false, rc);
    if (!leftOk && !rightOk) continue;
    const ls = leftOk ? shapeStrength(left.digits) + 1 : 0;
    const rs = rightOk ? shapeStrength(right.digits) + 1 : 0;
    cuts.push({
      k, score: Math.max(ls, rs),
      start: leftOk ? left.start : right.start, end: rightOk ? right.end : left.end, cat: ls >= rs ? lc! : rc!,
    });
  }
  if (cuts.length === 0) return;
  const top = Math.max(...cuts.map((c) => c.score));
  const plainest = cuts.filter((c) => c.score === top);
  // read digit by digit, the grouping shows nothing: when two equally plain readings put the number in different
  // places (1 4 3 0 1 3 9 1 2 3 4 5 6 7 8: a time and a mobile, or a mobile and a count), all of them are masked
  // rather than leave one reading's digits readable
  if (plainest.length > 1 && run.groups.every((g) => g === 1) && plainest.some((c) => c.start !== plainest[0]!.start || c.end !== plainest[0]!.end)) {
    out.push({ category: plainest[0]!.cat, start: Math.min(...plainest.map((c) => c.start)), end: Math.max(...plainest.map((c) => c.end)) });
    return;
  }
  classifyRun(text, subRun(run, 0, plainest[0]!.k), han, opts, out, ctxAt, inherited);
  classifyRun(text, subRun(run, plainest[0]!.k, n), han, opts, out, ctxAt, true);
}

const CUE_BEFORE = [PHONE_CUE, CARD_CUE, ID_CUE, SSN_CUE];

/** Grouped as a whole phone number is written or said: 617 555 0112, 1 617 555 0112, 138 1234 5678, 86 138 1234 5678. */
function phoneGrouped(run: DigitRun): boolean {
  const g = run.groups.join('-');
  return g === '3-3-4' || g === '1-3-3-4' || g === '3-4-4' || g === '2-3-4-4';
}

/** A time said as three or four digits (930, 1430, 2030): an hour up to 23 and minutes up to 59. */
function clockTime(d: string): boolean {
  if (!/^\d{3,4}$/.test(d)) return false;
  const h = Number(d.slice(0, d.length - 2));
  return h <= 23 && Number(d.slice(-2)) <= 59;
}

/** Grouped as a landline with its area code: 010 6234 5678, 0755 2687 1234, 021-64321876. */
function landlineGrouped(run: DigitRun): boolean {
  const [area, ...rest] = run.groups;
  const local = rest.reduce((a, g) => a + g, 0);
  return (area === 3 || area === 4) && run.digits[0] === '0' && rest.length > 0 && rest.every((g) => g >= 3) && local >= 7 && local <= 8;
}

/**
 * A part cut off the front of a run may be a number of its own when it begins as numbers are said: with a group of
 * three or more (139 …, 010 …, 0755 …, 617 …), with the country code 86, or digit by digit. Not the tail of a code
 * (1Z 999 AA1 01 2345 6784: 01 2345 6784 is no landline).
 */
function startsNumber(run: DigitRun): boolean {
  const g0 = run.groups[0]!;
  return g0 >= 3 || (g0 === 2 && run.digits.startsWith('86')) || run.groups.every((g) => g === 1);
}

const TLD = '(?:com|net|org|edu|gov|cn|io|co|uk|us|hk|tw|info|biz|me)';
// each starts only where its first word starts (a start inside the word finds what a start at its beginning finds):
// tried from every letter of a long word without an address, they took time quadratic in its length
const EMAIL_WRITTEN = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// the local part may also be a QQ number read in Chinese digits (幺二三四五六七八 at qq点com), end in digits read so
// (lin dot yue 九九 at outlook dot com: the whole local part, not only 九九), or be a name the recogniser wrote in
// characters (小明 at qq 点 com), which starts after a space, a colon, a comma or 是. (Each block of Chinese digits is
// taken whole, so that no text is tried in more than one way: searched in time linear in its length.)
const HAN_DIGIT_CHARS = '零〇一二三四五六七八九幺两洞';
const HAN_DIGITS_LOCAL = `[${HAN_DIGIT_CHARS}](?:\\s*[${HAN_DIGIT_CHARS}]){4,11}`;
// (after 是, or after the verb or the word that says where it goes: 发给张伟 at 163点com, 寄到…, 我的邮箱张伟 at …; those
// words are not part of the name)
const HAN_NAME_LOCAL = '(?<=^|[\\s，,：:是给到]|邮箱|邮件)(?!邮箱|邮件)(?:(?![是给到的])\\p{Script=Han}){1,4}';
const LATIN_LOCAL = `(?<![A-Za-z0-9])[A-Za-z0-9]+(?:\\s*(?:dot|点|underscore|下划线|杠|dash|\\.|_|-)\\s*[A-Za-z0-9]+|\\s+[${HAN_DIGIT_CHARS}]+(?![${HAN_DIGIT_CHARS}])){0,8}`;
const EMAIL_SPOKEN = new RegExp(
  `(?:${LATIN_LOCAL}|${HAN_DIGITS_LOCAL}|${HAN_NAME_LOCAL})\\s*(?:\\bat\\b|艾特|@|at sign|圈a)\\s*[A-Za-z0-9]+(?:\\s*(?:dot|点|\\.)\\s*[A-Za-z0-9]+){0,4}\\s*(?:dot|点|\\.)\\s*${TLD}\\b`,
  'giu',
);

const ZH_ADDRESS_CUES = ['收货地址', '家庭住址', '详细地址', '地址', '住址', '家住', '住在', '家在', '寄到', '送到', '邮寄到', '寄给我', '现住'];
// each cue may have spaces between its characters, as ASR writes them ("住 在")
const ZH_ADDRESS_CUE = new RegExp(`(${ZH_ADDRESS_CUES.map((c) => [...c].join('\\s*')).join('|')})\\s*(?:是|为|在)?[:：，,\\s]*`, 'g');
const ZH_ADDRESS_TOKEN = /[省市区县镇乡村路街道巷弄号楼栋幢单元室苑园]|小区|大厦|公寓|花园|胡同|社区/;
const EN_ADDRESS_CUE =
  /\b(?:my (?:home |street |mailing |billing |shipping )?address is|the address is|address is|i live at|i live on|we live at|live at|lives at|send (?:it|them|the \w+) to|ship (?:it|them) to|mail (?:it|them) to|deliver (?:it |them )?to|i'?m at|i am at|we'?re at|moved to)\s*/gi;
const EN_STREET =
  /\b(street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|terrace|crescent|close|highway|hwy|parkway|pkwy|apartment|apt|suite|unit|square|sq)\b/i;
const EN_NUMBERISH = /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred)\b/i;

// an English street address said without a cue (yeah it's 12 Oak Lane): a house number, one to three capitalised words
// (or an ordinal: 46th) and a street type, with the flat after it; as whisper writes it (a recogniser's lower-case
// text needs the cue)
const EN_ADDRESS_BARE =
  /(?<![\d:.$/#-]\s?|\d,)\b\d{1,5}\s+(?:(?:[A-Z][a-z]+|\d{1,3}(?:st|nd|rd|th))\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Terrace|Place|Pl|Crescent|Close|Parkway|Pkwy|Highway|Hwy)\b(?:,?\s+(?:[Aa]pt|[Aa]partment|[Ss]uite|[Uu]nit|[Ff]lat)\.?\s*#?[A-Za-z0-9]{1,5}\b)?/g;

// a street-shaped phrase that counts places rather than gives one (we have 3 Main Street stores, the 2 Main Street
// branches): a plural noun right after it, or a determiner right before its number. (A verb ending in s after an
// address, 12 Oak Lane needs a meter, is not a plural noun: the common ones are named.)
const COUNTED_BEFORE = /\b(?:the|these|those|all|both|our|their|several|many)\s+$/i;
// … or a number that a word right before it says is something else (order 12345 Oak Lane delivery, chapter 12 Baker
// Street), or a year after in / since (in 2019 Main Street flooded)
const OTHER_NUMBER_BEFORE = /\b(?:order|ref|reference|tracking|ticket|case|invoice|chapter|page|flight|model|serial)\s*(?:number|no\.?|#)?\s*$/i;
const YEAR_AFTER = /\b(?:in|since|until|by|before|after)\s+$/i;
const COUNTED_AFTER =
  /^\s+(?!(?:is|was|has|does|goes|gets|needs|looks|seems|says|means|sounds|belongs|works|takes|makes|comes|keeps|stays|floods|thanks|always|perhaps|plus|unless|towards|across|besides|whereas|its|his|hers|ours|yours|theirs|this|thus|yes)\b)[a-z]{2,}[^su\W]s\b/;

function addressSpans(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const m of text.matchAll(ZH_ADDRESS_CUE)) {
    const from = m.index! + m[0].length;
    const sentenceEnd = text.slice(from).search(/[。！？!?；;\n]|电话|手机|号码/);
    const clause = text.slice(from, sentenceEnd < 0 ? text.length : from + sentenceEnd);
    // keep comma-separated parts while they look like address parts (北京市朝阳区，建国路88号，3号楼)
    let end = 0;
    let pos = 0;
    for (const part of clause.split(/([，,、])/)) {
      if (/^[，,、]$/.test(part)) {
        pos += part.length;
        continue;
      }
      if (!ZH_ADDRESS_TOKEN.test(part) && !/[0-9一二三四五六七八九十]/.test(part)) break;
      pos += part.length;
      end = pos;
    }
    let span = clause.slice(0, end);
    span = span.replace(/[\s，,、]+$/, '');
    if (span.length >= 4 && ZH_ADDRESS_TOKEN.test(span)) out.push({ start: from, end: from + span.length });
  }
  for (const m of text.matchAll(EN_ADDRESS_CUE)) {
    const from = m.index! + m[0].length;
    const rest = text.slice(from);
    const stop = rest.search(/[.!?;](?:\s|$)|\s(?:and my|and the|my phone|phone number|my number)\b/i);
    let clause = stop < 0 ? rest : rest.slice(0, stop);
    clause = clause.replace(/[\s,]+$/, '');
    if (clause.length >= 6 && EN_STREET.test(clause) && EN_NUMBERISH.test(clause)) out.push({ start: from, end: from + clause.length });
  }
  for (const m of text.matchAll(EN_ADDRESS_BARE)) {
    const end = m.index! + m[0].length;
    const near = text.slice(Math.max(0, m.index! - 20), m.index!);
    if (COUNTED_BEFORE.test(near) || COUNTED_AFTER.test(text.slice(end, end + 24)) || OTHER_NUMBER_BEFORE.test(near)) continue;
    if (/^(?:19|20)\d\d\s/.test(m[0]) && YEAR_AFTER.test(near)) continue;
    if (!out.some((o) => o.start <= m.index! && m.index! < o.end)) out.push({ start: m.index!, end });
  }
  return out;
}

const PRIORITY: Record<PiiCategory, number> = {
  email: 0, id_card: 1, bank_card: 2, ssn: 3, mobile: 4, us_phone: 5, landline: 6, address: 7,
};

/** Personal-data spans in one text (a transcript segment), sorted, non-overlapping. */
const MAX_GROUPS_JUDGED_WHOLE = 64;

export function findPii(text: string, opts: PiiOptions = {}): PiiSpan[] {
  const cands: PiiSpan[] = [];
  for (const m of text.matchAll(EMAIL_WRITTEN)) cands.push({ category: 'email', start: m.index!, end: m.index! + m[0].length });
  for (const m of text.matchAll(EMAIL_SPOKEN)) cands.push({ category: 'email', start: m.index!, end: m.index! + m[0].length });
  const han = /\p{Script=Han}/u.test(text);
  // a number joined to the one before by 和 / 或 / and / or (or by "and my wife's is", "我老婆的是") is a later item of
  // the same list: it is judged under
  // the words before the list's first item, whatever they say (电话 5551234和5559876: both phone numbers;
  // 订单号 13812345678和13987654321: both order numbers)
  let prev: { end: number; ctxAt: number } | null = null;
  for (const run of findDigitRuns(text, 7)) {
    const between = prev === null ? '' : compactHan(text.slice(prev.end, run.start));
    const joined: boolean = prev !== null && ((run.start - prev.end <= 16 && LIST_JOINER.test(between))
      || (run.start - prev.end <= 32 && SECOND_OWNER.test(between)));
    const ctxAt: number = joined && prev ? prev.ctxAt : run.start;
    // a run of very many groups (1, 1, 1, … said as a list of hundreds of items) is split at its list separators
    // first: judged whole, it was cut one item at a time, in time cubic in its length with a call as deep as its items
    // (a few thousand overflowed the stack). Each item after the first is a later item of the list, as within a run.
    const parts = run.groups.length > MAX_GROUPS_JUDGED_WHOLE ? listParts(text, run) : [run];
    parts.forEach((p, k) => classifyRun(text, p, han, opts, cands, ctxAt, joined || k > 0));
    prev = { end: run.end, ctxAt };
  }
  for (const a of addressSpans(text)) cands.push({ category: 'address', ...a });
  for (let i = 0; i < cands.length; i++) cands[i] = withOpening(text, cands[i]!);
  cands.sort((a, b) => PRIORITY[a.category] - PRIORITY[b.category] || a.start - b.start);
  const kept: PiiSpan[] = [];
  for (const c of cands) {
    const clash = kept.find((k) => c.start < k.end && k.start < c.end);
    if (!clash) {
      kept.push(c);
      continue;
    }
    // an address that contains a number already found keeps the rest of its text masked around it
    if (c.category === 'address' && c.start < clash.start && clash.start - c.start >= 4) kept.push({ ...c, end: clash.start });
  }
  return kept.sort((a, b) => a.start - b.start);
}

const PHONE_CATEGORIES: ReadonlySet<PiiCategory> = new Set(['mobile', 'landline', 'us_phone']);

/**
 * A phone number's span with the '+' of its country code and the opening bracket of its area code, when they are
 * said or written right before it ("+86 139…", "(555) 123-4567"): the mask is "[PHONE]", not "+[PHONE]" or "([PHONE]".
 */
function withOpening(text: string, span: PiiSpan): PiiSpan {
  if (!PHONE_CATEGORIES.has(span.category)) return span;
  let start = span.start;
  const inside = text.slice(span.start, span.end);
  if (/[(（]/.test(text[start - 1] ?? '') && /[)）]/.test(inside) && !/[(（]/.test(inside)) start--;
  if (/[+＋]/.test(text[start - 1] ?? '')) start--;
  return start === span.start ? span : { ...span, start };
}

const LABELS: Record<PiiCategory, { zh: string; en: string }> = {
  mobile: { zh: '[手机号]', en: '[PHONE]' },
  landline: { zh: '[电话]', en: '[PHONE]' },
  us_phone: { zh: '[电话]', en: '[PHONE]' },
  id_card: { zh: '[身份证号]', en: '[ID]' },
  bank_card: { zh: '[银行卡号]', en: '[CARD]' },
  ssn: { zh: '[社保号]', en: '[SSN]' },
  email: { zh: '[邮箱]', en: '[EMAIL]' },
  address: { zh: '[地址]', en: '[ADDRESS]' },
};

export function piiLabel(category: PiiCategory, zh: boolean): string {
  return zh ? LABELS[category].zh : LABELS[category].en;
}

/** The text with each span replaced by its category label, in the text's language. */
export function maskText(text: string, spans: readonly PiiSpan[]): string {
  if (spans.length === 0) return text;
  const zh = /\p{Script=Han}/u.test(text);
  let out = '';
  let pos = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < pos) continue;
    out += text.slice(pos, s.start) + piiLabel(s.category, zh);
    pos = s.end;
  }
  return out + text.slice(pos);
}
