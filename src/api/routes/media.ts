import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { currentUser, requireAuth, type AppEnv } from '../auth.js';
import { fileResponse } from '../file-response.js';
import { CallIdParam, errors, json } from '../schemas.js';

/** The player's media: callAudio (a playable MP3 copy with byte ranges) and callPeaks (waveform + speech timeline). */

const SpanSchema = z.object({ start: z.number(), end: z.number() });
const PeaksSchema = z
  .object({
    durationSec: z.number(),
    peaksPerSec: z.number().openapi({ description: 'buckets per second of audio' }),
    channels: z.array(z.object({ peaks: z.array(z.number().int().min(0).max(255)).openapi({ description: 'max |sample| per bucket, 0..255 of full scale' }) })),
    speakers: z.array(z.enum(['agent', 'customer', 'unknown'])).openapi({ description: 'who is on each channel' }),
    timeline: z
      .object({
        durationSec: z.number(),
        channels: z.array(z.object({ speaker: z.enum(['agent', 'customer', 'unknown']), speech: z.array(SpanSchema) })),
        hold: z.array(SpanSchema),
      })
      .nullable(),
  })
  .openapi('CallPeaks');

const callAudio = createRoute({
  method: 'get',
  path: '/api/calls/{callId}/audio',
  operationId: 'callAudio',
  tags: ['calls'],
  summary: "The call's audio as a browser plays it: MP3, channels kept apart, made once and cached. Byte ranges (Range, If-Range) supported. Audited as an audio read. Users without the pii permission (agents) get a copy with every personal-data span silenced on the speaking side (header X-Callqa-Redaction).",
  middleware: [requireAuth],
  request: { params: CallIdParam },
  responses: {
    200: { description: 'the whole file', content: { 'audio/mpeg': { schema: z.string().openapi({ format: 'binary' }) } } },
    206: { description: 'the requested byte range', content: { 'audio/mpeg': { schema: z.string().openapi({ format: 'binary' }) } } },
    304: { description: 'not modified (If-None-Match)' },
    416: { description: 'range not satisfiable' },
    ...errors(400, 401, 404, 410),
  },
});

const callPeaks = createRoute({
  method: 'get',
  path: '/api/calls/{callId}/peaks',
  operationId: 'callPeaks',
  tags: ['calls'],
  summary: 'Waveform peaks per channel (computed once on the server, so a 2-hour call opens at once) and the speech timeline per side',
  middleware: [requireAuth],
  request: { params: CallIdParam },
  responses: { 200: json(PeaksSchema, 'peaks'), ...errors(400, 401, 404, 410) },
});

export function registerMediaRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(callAudio, async (c) => {
    const { callId } = c.req.valid('param');
    const range = c.req.header('range') ?? null;
    // One audit entry per playback, not per range request: the browser's first request starts at byte 0.
    const firstRead = !range || /^bytes=0-/.test(range.trim());
    const file = await c.get('services').media.audio(currentUser(c), callId, { audit: firstRead && c.req.method !== 'HEAD', range });
    const res = fileResponse({ ...file, range, ifRange: c.req.header('if-range'), ifNoneMatch: c.req.header('if-none-match'), method: c.req.method }) as Response;
    // which copy this is: the original (pii permission) or the redacted one and what was muted
    res.headers.set('X-Callqa-Redaction', file.redaction);
    return res as never;
  });
  app.openapi(callPeaks, async (c) => {
    const { callId } = c.req.valid('param');
    const peaks = await c.get('services').media.peaks(currentUser(c), callId);
    c.header('Cache-Control', 'private, max-age=3600');
    return c.json(peaks, 200);
  });
}
