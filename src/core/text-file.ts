import { InputError } from './errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A text file from outside (a transcript sidecar, a metadata CSV or JSON) as UTF-8, or an InputError naming the
 * file and where the first bad byte is. Decoding leniently turned a GBK export (Excel's "CSV" and many call
 * platforms on Chinese Windows write GBK) into U+FFFD soup that parsed: a transcript with no greeting, closing
 * or self-identification to be found (points deducted from an agent who said them all), a team called "����".
 * The bytes are not quoted: they are the transcript or the customer's data.
 */
export function decodeUtf8(bytes: Uint8Array, file: string, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new InputError(file, `${what} is not UTF-8 text (first bad byte at offset ${firstBadByte(bytes)}); save or convert it as UTF-8, e.g. iconv -f gbk -t utf-8`);
  }
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
