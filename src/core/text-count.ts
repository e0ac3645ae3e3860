/**
 * Counting what an utterance holds, by one scan and no regular-expression match arrays: Han characters (the
 * Unicode Han script, as /\p{Script=Han}/u), Latin words (as /[A-Za-z][A-Za-z'’-]*\/g) and ASCII digits. Speech
 * rate, language choice and the closing detector count every agent utterance of every call.
 */
const HAN = /\p{Script=Han}/u;
/** BMP: 0 not looked up yet, 1 not Han, 2 Han */
const hanTable = new Uint8Array(0x10000);

function isHanUnit(c: number): boolean {
  let v = hanTable[c];
  if (v === 0) hanTable[c] = v = HAN.test(String.fromCharCode(c)) ? 2 : 1;
  return v === 2;
}

export function countHan(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x2e80) continue; // no Han character below U+2E80
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) {
        if (HAN.test(String.fromCodePoint(cp))) n++;
        i++;
        continue;
      }
    }
    if (isHanUnit(c)) n++;
  }
  return n;
}

const isAsciiLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

export function countLatinWords(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; ) {
    if (!isAsciiLetter(text.charCodeAt(i))) {
      i++;
      continue;
    }
    count++;
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (isAsciiLetter(c) || c === 0x27 || c === 0x2019 || c === 0x2d) i++;
      else break;
    }
  }
  return count;
}

export function countAsciiDigits(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) n++;
  }
  return n;
}
