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
  if (le || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    try {
      return new TextDecoder(le ? 'utf-16le' : 'utf-16be', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      throw new InputError(file, `${what} starts with a UTF-16 byte-order mark but is not valid UTF-16 (${bytes.length % 2 ? 'an odd number of bytes' : 'an unpaired surrogate'}); save or convert it as UTF-8`);
    }
  }
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
