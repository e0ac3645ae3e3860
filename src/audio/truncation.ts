/**
 * Truncated recordings: a file whose header promises more audio than it holds (a copy cut short, an upload
 * that stopped). ffprobe reports the length a WAV's header declares, not what is there, so the two are read from
 * the RIFF header itself; for other containers the audio stage compares ffprobe's duration with what decoded.
 * Pure functions over bytes and numbers; the probe and audio stages read the file and word the warning.
 */

export interface Truncation {
  /** seconds of audio the header or container declares */
  declaredSec: number;
  /** seconds of audio actually present (decodable) */
  availableSec: number;
}

/**
 * A WAV (RIFF/WAVE) header against the file's real size: the `data` chunk's declared length vs the bytes
 * after it. `header` is the start of the file (the chunks before `data` plus 8 bytes); null when the file is
 * not a WAV, the sizes are placeholders of a streamed write (0 or 0xFFFFFFFF), or nothing is missing.
 */
export function wavTruncation(header: Uint8Array, fileSizeBytes: number): Truncation | null {
  const b = Buffer.from(header.buffer, header.byteOffset, header.byteLength);
  if (b.length < 12 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') return null;
  let pos = 12;
  let byteRate = 0;
  while (pos + 8 <= b.length) {
    const id = b.toString('ascii', pos, pos + 4);
    const size = b.readUInt32LE(pos + 4);
    if (id === 'fmt ' && pos + 16 <= b.length) byteRate = b.readUInt32LE(pos + 16);
    if (id === 'data') {
      if (!byteRate || size === 0 || size === 0xffffffff) return null;
      const presentBytes = Math.max(0, fileSizeBytes - (pos + 8));
      // a byte or a block short is padding arithmetic, not a cut: ask for at least 0.5 s missing
      if (size - presentBytes < byteRate / 2) return null;
      return { declaredSec: size / byteRate, availableSec: presentBytes / byteRate };
    }
    pos += 8 + size + (size % 2);
  }
  return null;
}

/**
 * Formats (ffprobe's first format name) that are bare codec streams with no length anywhere in them: ffprobe's
 * duration for them is the file size over a bit rate it guesses ("Estimating duration from bitrate, this may be
 * inaccurate"), 4 % long on a 30 s AMR-WB file and on an ADTS AAC one (31.0 and 31.1 s for 30.0), so it cannot
 * tell a cut-short file (the guess is made from the cut size anyway) and only ever raised false alarms.
 */
export const ESTIMATED_DURATION_FORMATS: ReadonlySet<string> = new Set(['amr', 'aac', 'g722', 'g723_1', 'g729', 'gsm', 'ac3', 'eac3', 'mulaw', 'alaw', 'adp', 'vox']);

/**
 * A recording's length: ffprobe's, except for a format whose length is only its estimate, where what decoded is the
 * length (a 30 s ADTS file was 25.9 s by ffprobe); ffprobe's while nothing has decoded yet.
 */
export function recordingLength(format: string | undefined | null, probedSec: number | undefined | null, decodedSec: number | undefined | null): number | undefined {
  const probed = probedSec ?? undefined;
  if (format && ESTIMATED_DURATION_FORMATS.has(format) && decodedSec) return decodedSec;
  return probed ?? decodedSec ?? undefined;
}

/**
 * Container duration (ffprobe) vs the audio that decoded: truncated when more than 1 s and more than 2 % of
 * the declared length is missing (encoders pad and round the last frame; that is not a cut). Never for a format
 * whose duration is only an estimate (ESTIMATED_DURATION_FORMATS).
 */
export function decodedTruncation(declaredSec: number, decodedSec: number, format?: string): Truncation | null {
  if (format !== undefined && ESTIMATED_DURATION_FORMATS.has(format)) return null;
  if (!(declaredSec > 0) || !(decodedSec >= 0)) return null;
  const missing = declaredSec - decodedSec;
  return missing > Math.max(1, 0.02 * declaredSec) ? { declaredSec, availableSec: decodedSec } : null;
}

/** The warning, with both lengths: "truncated: the header promises 90.0 s of audio, the file holds 1.0 s; ..." */
export function truncationWarning(t: Truncation, what: 'header' | 'container'): string {
  return (
    `truncated: the ${what} promises ${t.declaredSec.toFixed(1)} s of audio but the file holds only ${t.availableSec.toFixed(1)} s; ` +
    'that much was analysed (the file is probably a cut-short copy or an interrupted upload)'
  );
}
