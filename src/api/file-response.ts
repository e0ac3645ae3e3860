import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import parseRange from 'range-parser';

/**
 * A file as an HTTP response with byte ranges (RFC 9110 §14): browsers fetch audio in ranges and seek by
 * asking for the bytes at a position, so a 2-hour call starts at once and a seek does not download the rest.
 * One range per request (what media elements ask for); a multi-range request gets the first range.
 */
export interface FileResponseInput {
  path: string;
  sizeBytes: number;
  mimeType: string;
  etag: string;
  mtime: Date;
  /** the request's headers */
  range?: string | null;
  ifRange?: string | null;
  ifNoneMatch?: string | null;
  method?: string;
  /** Cache-Control; private by default (call audio is personal data) */
  cacheControl?: string;
}

export function fileResponse(f: FileResponseInput): Response {
  const headers = new Headers({
    'Content-Type': f.mimeType,
    'Accept-Ranges': 'bytes',
    ETag: f.etag,
    'Last-Modified': f.mtime.toUTCString(),
    'Cache-Control': f.cacheControl ?? 'private, max-age=3600',
  });
  if (f.ifNoneMatch && f.ifNoneMatch.split(',').some((t) => t.trim() === f.etag) && !f.range) {
    return new Response(null, { status: 304, headers });
  }
  // If-Range with a stale validator: send the whole file.
  const rangeAllowed = !f.ifRange || f.ifRange === f.etag;
  let start = 0;
  let end = f.sizeBytes - 1;
  let status = 200;
  if (f.range && rangeAllowed) {
    const parsed = parseRange(f.sizeBytes, f.range, { combine: true });
    if (parsed === -1) {
      headers.set('Content-Range', `bytes */${f.sizeBytes}`);
      return new Response(null, { status: 416, headers });
    }
    // -2 (malformed header) is ignored, as RFC 9110 allows: the whole file follows.
    if (parsed !== -2 && parsed.type === 'bytes' && parsed.length > 0) {
      start = parsed[0].start;
      end = parsed[0].end;
      status = 206;
      headers.set('Content-Range', `bytes ${start}-${end}/${f.sizeBytes}`);
    }
  }
  const length = f.sizeBytes === 0 ? 0 : end - start + 1;
  headers.set('Content-Length', String(length));
  if (f.method === 'HEAD' || length === 0) return new Response(null, { status, headers });
  const stream = createReadStream(f.path, { start, end });
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, headers });
}
