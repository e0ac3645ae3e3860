import { InputError } from './errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A text file from outside (a transcript sidecar, a metadata CSV or JSON) as UTF-8, or an InputError naming the
 * file and where the first bad byte is. Decoding leniently turned a GBK export (Excel's "CSV" and many call
 * platforms on Chinese Windows write GBK) into U+FFFD soup that parsed: a transcript with no greeting, closing
 * or self-identification to be found (points deducted from an agent who said them all), a team called "����".
 * The bytes are not quoted: they are the transcript or the customer's data. UTF-16 with a byte-order mark is read
 * as UTF-16 (the mark says which).
 */
export function decodeUtf8(bytes: Uint8Array, file: string, what: string): string {
  // UTF-16 with its byte-order mark (Windows tools' "Unicode": PowerShell's `>` and Out-File, Notepad, Excel's
  // "Unicode text") says what it is: read as such, not refused as bad UTF-8 at offset 0 with advice about GBK.
  // The mark itself is kept, as UTF-8's is, for the parsers that strip it.
  const le = bytes[0] === 0xff && bytes[1] === 0xfe;
  let text: string;
  if (le || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    try {
      text = new TextDecoder(le ? 'utf-16le' : 'utf-16be', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      throw new InputError(file, `${what} starts with a UTF-16 byte-order mark but is not valid UTF-16 (${bytes.length % 2 ? 'an odd number of bytes' : 'an unpaired surrogate'}); save or convert it as UTF-8`);
    }
  } else {
    // checked first: UTF-16 with CJK text in it is not valid UTF-8 either, and GBK is then the wrong advice
    if (wideEncoding(bytes)) throw new InputError(file, `${what} holds NUL bytes: ${nulGuess(bytes)}`);
    try {
      text = utf8.decode(bytes);
    } catch {
      throw new InputError(file, `${what} is not UTF-8 text (first bad byte at offset ${firstBadByte(bytes)}); save or convert it as UTF-8, e.g. iconv -f gbk -t utf-8`);
    }
  }
  // No text file holds NUL (above for UTF-8: UTF-16 saved without its mark, ASCII with a NUL every other byte,
  // is valid UTF-8 to a decoder and parsed into nothing that matched, 'no "file" column' with NULs echoed to the
  // terminal, or a JSON syntax error at column 2). UTF-32 with its mark starts as UTF-16LE's does and ends here.
  if (text.includes('\0') && wideEncoding(bytes)) throw new InputError(file, `${what} holds NUL bytes: ${nulGuess(bytes)}`);
  // a stray NUL in otherwise good text is left to the parsers' control-character checks, which name the line and field
  return text;
}

/**
 * NUL bytes in the share a wide encoding has, in the first 4 kB: UTF-16 or UTF-32 holds one for every ASCII
 * character (digits, punctuation, line ends, field names even in Chinese text), so at least a few and 2 % of the
 * bytes; not the one stray NUL a platform's export left in a cell.
 */
function wideEncoding(b: Uint8Array): boolean {
  const n = Math.min(b.length, 4096);
  let nul = 0;
  for (let i = 0; i < n; i++) if (b[i] === 0) nul++;
  return nul >= 4 && nul >= 0.02 * n;
}

/** What a text file with NUL bytes probably is: UTF-16 without its mark when every other byte is NUL. */
function nulGuess(b: Uint8Array): string {
  const n = Math.min(b.length, 512) & ~1;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) even++;
    if (b[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  const enc = odd >= 0.3 * pairs && even === 0 ? 'utf-16le' : even >= 0.3 * pairs && odd === 0 ? 'utf-16be' : undefined;
  return enc
    ? `it looks like ${enc.toUpperCase()} saved without a byte-order mark; save or convert it as UTF-8, e.g. iconv -f ${enc} -t utf-8`
    : 'it is not text (or UTF-32 or another wide encoding); save or convert it as UTF-8';
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (for the message). */
function firstBadByte(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return i;
}
