/**
 * Characters that must not enter the database from outside data (transcripts, metadata): NUL, which
 * PostgreSQL cannot store in text or jsonb at all (the call then failed deep in the database with an error
 * that quoted the whole transcript), the other C0 control characters (never meaningful in a transcript or a
 * metadata field; tab, line feed and carriage return are allowed), and lone UTF-16 surrogates (invalid
 * Unicode, refused by jsonb). Found where the data enters, reported by position and code point only:
 * the text itself is personal data and is never quoted.
 */

export interface UnsafeChar {
  /** 0-based index in the string (UTF-16 units) */
  index: number;
  /** "U+0000" */
  code: string;
  /** how many such characters the string holds */
  count: number;
}

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function findUnsafeChars(s: string): UnsafeChar | null {
  UNSAFE.lastIndex = 0;
  const first = UNSAFE.exec(s);
  if (!first) return null;
  let count = 1;
  while (UNSAFE.exec(s)) count++;
  const cp = first[0].charCodeAt(0);
  return { index: first.index, code: `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`, count };
}

/** "contains a control character (U+0000 at character 17; 3 in all)" — no text quoted. */
export function describeUnsafe(u: UnsafeChar): string {
  const surrogate = u.code >= 'U+D800' && u.code <= 'U+DFFF';
  const what = surrogate ? 'an unpaired UTF-16 surrogate' : 'a control character';
  return `contains ${what} (${u.code} at character ${u.index + 1}${u.count > 1 ? `; ${u.count} in all` : ''}); remove it from the source data`;
}

// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A line for the terminal with every character that could steer it made visible: C0 and C1 controls (ESC
 * sequences that recolour, retitle, move the cursor or rewrite a line, carriage return, new line), DEL and the
 * bidirectional overrides. File names come from outside (a vendor's export, an upload) and are printed in
 * progress lines, failure lines and the summary table: `a\e[2K\r[1/2] b.wav: done.wav` must not be able to
 * overwrite its own failure. `\n` -> `\n` (two characters), ESC -> `\x1b`, U+202E -> `\u202e`. The JSON report
 * keeps the name as it is (JSON escapes it).
 */
export function forTerminal(s: string): string {
  TERMINAL_UNSAFE.lastIndex = 0;
  if (!TERMINAL_UNSAFE.test(s)) return s;
  return s.replace(TERMINAL_UNSAFE, (c) => {
    const cp = c.charCodeAt(0);
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
  });
}
