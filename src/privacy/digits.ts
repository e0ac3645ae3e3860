/**
 * Digit strings as people say and ASR writes them: "138 1234 5678", "138-1234-5678", "幺三八，幺二三四…",
 * "一三八零零…", "four one one one, double one…", "oh" for zero, numbers split over words, commas and dashes.
 * Pure: turns a text into the digit runs it contains, each with its offsets in the raw text.
 */

/** Chinese characters read one digit each (telephone style: 幺 1, 两 2, 洞 0, 拐 7, 勾 9). */
const HAN_DIGIT: Record<string, string> = {
  零: '0', 〇: '0', 洞: '0', 一: '1', 幺: '1', 壹: '1', 二: '2', 两: '2', 贰: '2', 三: '3', 叁: '3', 四: '4', 肆: '4',
  五: '5', 伍: '5', 六: '6', 陆: '6', 七: '7', 拐: '7', 柒: '7', 八: '8', 捌: '8', 九: '9', 勾: '9', 玖: '9',
};
/** Positional numerals: a run that uses them is a quantity or an amount (一百二十), not a digit string. */
const HAN_MAGNITUDE = new Set(['十', '拾', '百', '佰', '千', '仟', '万', '萬', '亿', '億']);
const EN_DIGIT: Record<string, string> = {
  zero: '0', oh: '0', o: '0', nought: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6',
  seven: '7', eight: '8', nine: '9', niner: '9',
};
const EN_MAGNITUDE = new Set(['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen',
  'eighteen', 'nineteen', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety', 'hundred',
  'thousand', 'million', 'billion']);
const MULTIPLIER: Record<string, number> = { double: 2, triple: 3, treble: 3 };
/**
 * table[key] for the table's own keys only: a spoken "constructor" (or "valueOf", "toString") must not find
 * Object.prototype's functions, which took down the whole call ("t.value.repeat is not a function").
 */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
/** Hesitations allowed inside a spoken number ("one three eight, uh, one two…"). */
const FILLERS = new Set(['uh', 'um', 'er', 'erm', 'ah', 'dash', 'hyphen', '嗯', '呃', '额', '啊', '杠', '横杠']);
/** Characters that may separate digit groups without ending the number. */
const SEPARATOR = /[\s\-‐‑‒–—,，、·()（）/+]/u;

export interface DigitRun {
  /** the digits, e.g. "13812345678"; an ID card's final X is kept as "X" */
  digits: string;
  /** offsets in the raw text: [start, end) covers the first to the last digit (or digit word) */
  start: number;
  end: number;
  /** lengths of the digit groups as separated in the text ("138-1234-5678" -> [3,4,4]) */
  groups: number[];
  /** the number touched a positional numeral or a number word (一百, twenty): a quantity, not a digit string */
  quantity: boolean;
  /** raw offsets [start, end) of each group, parallel to `groups` */
  groupSpans: Array<[number, number]>;
  /** raw offsets [start, end) of the word or character each digit was read from, parallel to `digits` */
  digitSpans: Array<[number, number]>;
  /**
   * the run began right after a positional numeral or number word (十五…, fifteen …) and did not end at one: its
   * first digit may belong to that quantity (三点十五 / a quarter past three) and the rest be a digit string of its own
   */
  afterMagnitude: boolean;
  /**
   * the run ended right before a positional numeral or number word (…五六七八十点, … eight twenty minutes): its last
   * digit may belong to that quantity (八十, 两千) or the numeral begin one of its own (十点), and the rest be a digit
   * string of its own
   */
  beforeMagnitude: boolean;
}

interface Tok {
  kind: 'digit' | 'sep' | 'filler' | 'mult' | 'mag' | 'x' | 'other';
  value: string;
  start: number;
  end: number;
  weak?: boolean;
}

function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const half = ch.normalize('NFKC');
    if (/[0-9]/.test(half)) {
      toks.push({ kind: 'digit', value: half, start: i, end: i + 1 });
      i++;
      continue;
    }
    const han = own(HAN_DIGIT, ch);
    if (han) {
      toks.push({ kind: 'digit', value: han, start: i, end: i + 1 });
      i++;
      continue;
    }
    if (ch === '叉') {
      toks.push({ kind: 'x', value: 'X', start: i, end: i + 1 });
      i++;
      continue;
    }
    if (HAN_MAGNITUDE.has(ch)) {
      toks.push({ kind: 'mag', value: ch, start: i, end: i + 1 });
      i++;
      continue;
    }
    if (ch === '.' && /[0-9]/.test(text[i + 1] ?? '') && /[0-9]/.test(text[i - 1] ?? '')) {
      toks.push({ kind: 'sep', value: ch, start: i, end: i + 1 });
      i++;
      continue;
    }
    if (SEPARATOR.test(ch)) {
      toks.push({ kind: 'sep', value: ch, start: i, end: i + 1 });
      i++;
      continue;
    }
    if (/[A-Za-z]/.test(half)) {
      let j = i;
      while (j < text.length && /[A-Za-z']/.test(text[j]!.normalize('NFKC'))) j++;
      const word = text.slice(i, j).normalize('NFKC').toLowerCase();
      if (word === 'x' || word === 'ex') toks.push({ kind: 'x', value: 'X', start: i, end: j });
      else if (own(EN_DIGIT, word) !== undefined)
        toks.push({ kind: 'digit', value: own(EN_DIGIT, word)!, start: i, end: j, weak: word === 'o' || word === 'oh' });
      else if (own(MULTIPLIER, word)) toks.push({ kind: 'mult', value: String(own(MULTIPLIER, word)), start: i, end: j });
      else if (EN_MAGNITUDE.has(word)) toks.push({ kind: 'mag', value: word, start: i, end: j });
      else if (FILLERS.has(word)) toks.push({ kind: 'filler', value: word, start: i, end: j });
      else toks.push({ kind: 'other', value: word, start: i, end: j });
      i = j;
      continue;
    }
    if (FILLERS.has(ch)) {
      toks.push({ kind: 'filler', value: ch, start: i, end: i + 1 });
      i++;
      continue;
    }
    if (text.startsWith('横杠', i)) {
      toks.push({ kind: 'filler', value: '横杠', start: i, end: i + 2 });
      i += 2;
      continue;
    }
    toks.push({ kind: 'other', value: ch, start: i, end: i + 1 });
    i++;
  }
  return toks;
}

/**
 * Every run of digits in `text`, spoken or written, with at least `minDigits` digits. A weak zero ("o", "oh")
 * only counts next to other digits. "double five" is 55, "triple oh" 000.
 */
export function findDigitRuns(text: string, minDigits = 5): DigitRun[] {
  const toks = tokenize(text);
  const runs: DigitRun[] = [];
  let cur: {
    digits: string; start: number; end: number; groups: number[]; group: number; quantity: boolean;
    groupSpans: Array<[number, number]>; gStart: number; digitSpans: Array<[number, number]>; afterMagnitude: boolean;
    /** a '.' has separated two of its groups (138.1234.5678): a later '.' is a separator too, not a decimal point */
    dotted: boolean;
  } | null = null;
  let pendingMult = 1;
  let pendingMultStart = -1;
  let lastDigitIdx = -1;

  const close = (trailingMagnitude = false) => {
    if (cur) {
      if (cur.group > 0) {
        cur.groups.push(cur.group);
        cur.groupSpans.push([cur.gStart, cur.end]);
      }
      // a trailing or leading positional numeral makes the whole number a quantity ("一三八千" is not a phone)
      if (cur.digits.length >= minDigits) {
        runs.push({
          digits: cur.digits, start: cur.start, end: cur.end, groups: cur.groups, quantity: cur.quantity, groupSpans: cur.groupSpans,
          digitSpans: cur.digitSpans, afterMagnitude: cur.afterMagnitude, beforeMagnitude: trailingMagnitude,
        });
      }
    }
    cur = null;
    pendingMult = 1;
    pendingMultStart = -1;
  };

  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (t.kind === 'digit') {
      if (t.weak) {
        // "o"/"oh" is a zero only beside another digit (or a multiplier): "oh I see" is not a number
        const prevDigit = cur !== null || pendingMult > 1;
        let nextDigit = false;
        for (let m = k + 1; m < toks.length; m++) {
          const n = toks[m]!;
          if (n.kind === 'sep' || n.kind === 'filler') continue;
          nextDigit = n.kind === 'digit' && !n.weak;
          break;
        }
        if (!prevDigit && !nextDigit) {
          close();
          continue;
        }
      }
      if (!cur) {
        const prevMag = lastNonSep(toks, k - 1);
        cur = {
          digits: '', start: pendingMultStart >= 0 ? pendingMultStart : t.start, end: t.end, groups: [], group: 0, quantity: prevMag?.kind === 'mag',
          groupSpans: [], gStart: t.start, digitSpans: [], afterMagnitude: prevMag?.kind === 'mag', dotted: false,
        };
      }
      if (cur.group === 0) cur.gStart = pendingMultStart >= 0 ? pendingMultStart : t.start;
      const times = pendingMult;
      cur.digits += t.value.repeat(times);
      for (let r = 0; r < times; r++) cur.digitSpans.push([pendingMultStart >= 0 ? pendingMultStart : t.start, t.end]);
      cur.group += times;
      cur.end = t.end;
      pendingMult = 1;
      pendingMultStart = -1;
      lastDigitIdx = k;
      continue;
    }
    if (t.kind === 'x') {
      // an ID card's final X, right after its 17th digit or after a separator ("… 0 0 2 叉")
      let prev = k - 1;
      while (prev > lastDigitIdx && (toks[prev]!.kind === 'sep' || toks[prev]!.kind === 'filler')) prev--;
      if (cur && cur.digits.length === 17 && lastDigitIdx === prev) {
        cur.digits += 'X';
        cur.digitSpans.push([t.start, t.end]);
        cur.group += 1;
        cur.end = t.end;
        lastDigitIdx = k;
        continue;
      }
      close();
      continue;
    }
    if (t.kind === 'mult') {
      pendingMult = Number(t.value);
      pendingMultStart = t.start;
      if (cur && cur.group > 0) {
        cur.groups.push(cur.group);
        cur.groupSpans.push([cur.gStart, cur.end]);
        cur.group = 0;
      }
      continue;
    }
    if (t.kind === 'sep' && t.value === '.' && cur && cur.group > 0 && !cur.dotted) {
      const fracEnd = decimalFractionEnd(toks, k);
      if (fracEnd > 0 && CLOCK_OR_DATE_AFTER.test(text.slice(toks[fracEnd - 1]!.end, toks[fracEnd - 1]!.end + 8))) {
        // no decimal: a full stop written with no space, then the hour or the day said next (…5678.3点以后,
        // …0112.10 am, …1111.12/28): the number ends at the stop, whole, and what follows is a number of its own
        close();
        continue;
      }
      if (fracEnd > 0) {
        // a decimal number (12.5, 12.50, 3.15): an amount or a time, never part of the number said before or after
        // it (金额 12.5 13912345678): the run so far ends before its whole part and it is a quantity of its own. The
        // whole part may be written with thousands separators (1,234,567.89): then it is the whole run so far.
        const whole = /^\d{1,3}(?:,\d{3})+$/.test(text.slice(cur.start, t.start)) ? cur.digits.length : cur.group;
        const wholeStart = whole === cur.digits.length ? cur.start : cur.gStart;
        const wholeDigits = cur.digits.slice(cur.digits.length - whole);
        const wholeSpans = cur.digitSpans.slice(cur.digitSpans.length - whole);
        if (whole < cur.digits.length) {
          cur.digits = cur.digits.slice(0, cur.digits.length - whole);
          cur.digitSpans = cur.digitSpans.slice(0, cur.digitSpans.length - whole);
          cur.end = cur.groupSpans[cur.groupSpans.length - 1]![1];
          cur.group = 0;
          close();
        }
        const frac = toks.slice(k + 1, fracEnd);
        const digits = wholeDigits + frac.map((f) => f.value).join('');
        if (digits.length >= minDigits) {
          runs.push({
            digits, start: wholeStart, end: frac[frac.length - 1]!.end, groups: [digits.length], quantity: true,
            groupSpans: [[wholeStart, frac[frac.length - 1]!.end]], digitSpans: [...wholeSpans, ...frac.map((f): [number, number] => [f.start, f.end])],
            afterMagnitude: false, beforeMagnitude: false,
          });
        }
        cur = null;
        pendingMult = 1;
        pendingMultStart = -1;
        lastDigitIdx = fracEnd - 1;
        k = fracEnd - 1;
        continue;
      }
      cur.dotted = true;
    }
    if (t.kind === 'sep' || t.kind === 'filler') {
      if (cur && cur.group > 0) {
        cur.groups.push(cur.group);
        cur.groupSpans.push([cur.gStart, cur.end]);
        cur.group = 0;
      }
      continue;
    }
    if (t.kind === 'mag') {
      if (cur) cur.quantity = true;
      close(true);
      continue;
    }
    close();
  }
  close();
  return runs;
}

/**
 * The '.' at toks[k] is a decimal point when one or two digits written right after it end the number there (12.5,
 * 12.50, 3.15 …): not when more digits follow or another '.' group does (138.1234.5678, 2026.11.30). The index
 * just past the fraction's digits, or 0.
 */
function decimalFractionEnd(toks: Tok[], k: number): number {
  let m = k + 1;
  while (m < toks.length && toks[m]!.kind === 'digit' && /^[0-9]$/.test(toks[m]!.value) && toks[m]!.end - toks[m]!.start === 1
    && toks[m]!.start === toks[m - 1]!.end) m++;
  const n = m - (k + 1);
  if (n < 1 || n > 2) return 0;
  const next = toks[m];
  if (next?.kind === 'sep' && next.value === '.' && toks[m + 1]?.kind === 'digit') return 0;
  return m;
}

// what follows an hour or a day, not a decimal's fraction (2.5 hours, 1.5 小时 and 12.5% stay decimals)
const CLOCK_OR_DATE_AFTER = /^\s*(?:点|點|时|時|号|號|日|[ap]\.?m\b|[ap]\.m\.|o'?clock|[/:：]\s*\d)/i;

function lastNonSep(toks: Tok[], from: number): Tok | undefined {
  for (let k = from; k >= 0; k--) if (toks[k]!.kind !== 'sep') return toks[k];
  return undefined;
}
