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
