/**
 * Who may see personal data in the API, and masking text on its way out. Stored text may hold personal data
 * (unless the program redacts); every API answer masks it, and only a user whose role carries the `pii`
 * permission may ask for the raw text (`unmask=true`), which is written to the audit log.
 */
import { resolvePipeline } from '../pipeline/loader.js';
import { findPii, maskText, type PiiOptions, type PiiSpan } from '../privacy/find.js';
import { maskSegmentTexts, segmentsPii, type SegmentText } from '../privacy/transcript.js';
import type { AuthUser } from './types.js';

/** Roles with the `pii` permission by default: the QA staff who must verify what was said. Agents lack it. */
export const PII_ROLES: ReadonlySet<AuthUser['role']> = new Set(['inspector', 'supervisor', 'admin']);

export function hasPiiPermission(user: AuthUser): boolean {
  return PII_ROLES.has(user.role);
}

/**
 * The company's own numbers of a QA program (`privacy.companyNumbers` of pipelines/<id>.yaml): never masked, in an
 * API answer as in the transcribe stage. A program that is gone (renamed, deleted) or does not load has none.
 */
export function programCompanyNumbers(pipelineId: string): readonly string[] {
  try {
    return resolvePipeline(pipelineId).privacy.companyNumbers;
  } catch {
    return [];
  }
}

/**
 * Fields of an answer that hold what people said or typed: transcript text, quotes, evidence, and the free text
 * people write about a call (an inspector's `comment`, an item's `reason`, which quotes that comment or a
 * ruling, a dispute's `reason` and `rulingReason`): a comment may repeat the customer's number as well as the
 * transcript does.
 */
const SPOKEN_FIELDS = new Set(['text', 'quote', 'matched', 'snippet', 'comment', 'evidence', 'reason', 'rulingReason']);

/**
 * A copy of `value` with personal data masked in every string under a field that holds what people said,
 * at any depth (transcript segments, event quotes, scorecard evidence). Ids, codes and numbers are untouched.
 */
export function maskSpoken<T>(value: T, opts: MaskOptions = {}): T {
  const quoted = opts.segments ? segmentQuotes(opts.segments, opts) : null;
  const walk = (v: unknown, spoken: boolean, near?: Record<string, unknown>, key?: string): unknown => {
    if (typeof v === 'string') {
      if (!spoken) return v;
      return (quoted && near && key && QUOTE_FIELDS.has(key) ? quoted(v, near) : null) ?? maskPii(v, opts);
    }
    // a transcript's segments are masked together: a number a speaker said across two of them is masked in both
    if (Array.isArray(v) && v.length > 1 && v.every(isSegment)) {
      // (quotes of the call's segments, such as an absence finding's evidence, are masked as those segments are)
      const texts = maskSegmentTexts(v, opts);
      return v.map((seg, i) => ({ ...(walk({ ...seg, text: '' }, spoken) as object), text: (quoted?.(seg.text, seg as unknown as Record<string, unknown>) ?? texts[i])! }));
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, spoken));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      const o = v as Record<string, unknown>;
      for (const [k, x] of Object.entries(o)) out[k] = walk(x, spoken || SPOKEN_FIELDS.has(k), o, k);
      // a finding's evidence that is a metadata field (kind metadata, field, value) is masked as getCall's metadata is
      if (o.kind === 'metadata' && typeof o.field === 'string' && 'value' in o) {
        out.value = maskMetadata({ [o.field]: o.value }, opts)[o.field];
        // ... and so is the value where the evidence's words repeat it (the scorer's note: `callback_number = 5551234`)
        const raw = String(o.value);
        if (out.value !== o.value && raw) {
          for (const [k, x] of Object.entries(o)) {
            if (k !== 'value' && k !== 'field' && typeof x === 'string' && x.includes(raw)) {
              out[k] = walk(x.split(raw).join(String(out.value)), spoken || SPOKEN_FIELDS.has(k), o, k);
            }
          }
        }
      }
      return out;
    }
    return v;
  };
  return walk(value, false) as T;
}

export interface MaskOptions extends PiiOptions {
  /**
   * The call's transcript segments as stored: a quote of one of them (an event's `text`, a finding's evidence) is
   * masked as that segment is in the transcript view (maskSegmentTexts), so that a number said across two segments
   * shows in neither a quote nor the transcript.
   */
  segments?: readonly SegmentText[];
}

/** Fields that quote what was said: masked by the segment they were quoted from when it is known. */
const QUOTE_FIELDS = new Set(['text', 'quote', 'matched', 'snippet', 'evidence']);

/**
 * A function that masks a quote as the segment it was quoted from is masked in the transcript, or null when it
 * quotes no segment. The segment is the one `near` (the object holding the quote) names by `segmentIndex`, else one
 * of the same speaker whose time overlaps `near`'s start and end, else any: the first whose text contains the quote.
 * The segment's spans (with a number said across it and its neighbours) are clipped to the quote, and what the quote
 * holds on its own is masked as well.
 */
/** A quote of the call's segments masked as segmentQuotes does, or on its own when it quotes none of them. */
export function quoteMasker(segs: readonly SegmentText[], opts: PiiOptions = {}): (quote: string, near: Record<string, unknown>) => string {
  const quoted = segmentQuotes(segs, opts);
  return (quote, near) => quoted(quote, near) ?? maskPii(quote, opts);
}

function segmentQuotes(segs: readonly SegmentText[], opts: PiiOptions): (quote: string, near: Record<string, unknown>) => string | null {
  let spans: PiiSpan[][] | null = null;
  return (quote, near) => {
    if (!quote.trim()) return null;
    const idx = typeof near.segmentIndex === 'number' ? near.segmentIndex : -1;
    const timed = typeof near.start === 'number' && typeof near.end === 'number';
    const overlaps = (s: SegmentText) =>
      timed && s.start < (near.end as number) + 0.01 && s.end > (near.start as number) - 0.01 && (typeof near.speaker !== 'string' || near.speaker === s.speaker);
    const order = [
      ...(idx >= 0 && idx < segs.length ? [idx] : []),
      ...segs.map((_, i) => i).filter((i) => i !== idx && overlaps(segs[i]!)),
      ...segs.map((_, i) => i).filter((i) => i !== idx && !overlaps(segs[i]!)),
    ];
    for (const i of order) {
      const at = segs[i]!.text.indexOf(quote);
      if (at < 0) continue;
      spans ??= segmentsPii(segs, opts);
      const clipped = spans[i]!
        .filter((s) => s.end > at && s.start < at + quote.length)
        .map((s) => ({ ...s, start: Math.max(s.start, at) - at, end: Math.min(s.end, at + quote.length) - at }));
      return maskPii(clipped.length ? maskText(quote, clipped) : quote, opts);
    }
    return null;
  };
}

function isSegment(x: unknown): x is SegmentText {
  if (!x || typeof x !== 'object') return false;
  const s = x as Record<string, unknown>;
  return typeof s.text === 'string' && typeof s.speaker === 'string' && typeof s.start === 'number' && typeof s.end === 'number';
}

/**
 * Fields of call metadata that callqa itself reads and that hold no customer's personal data as given: ids, the
 * agent, the team and queue, times, and the number already masked on import (customerNumberMasked). They are shown
 * as they are; every other field (a manifest column, a key of a .meta.json sidecar) is free text the platform chose.
 */
const METADATA_KNOWN = new Set(['callId', 'agentId', 'team', 'direction', 'startedAt', 'queue', 'customerNumberMasked', 'customerId', 'ringSec', 'answeredAtSec', 'hungUpBy', 'transfers']);

/**
 * A copy of call metadata with personal data masked in the value of every field callqa does not know
 * (callback_number, customer_phone, contact_email: whatever a platform exports), read as if the field's name
 * were said before it ("callback number is 5551234"), so that a name that says what the value is counts as the
 * words before a number do in a transcript (a phone cue masks a bare 7-digit number; "order number is …" keeps
 * it). A number value that holds personal data becomes its masked text; other values are untouched.
 */
export function maskMetadata<T extends Record<string, unknown>>(md: T, opts: PiiOptions = {}): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(md)) {
    if (METADATA_KNOWN.has(k) || (typeof v !== 'string' && typeof v !== 'number')) {
      out[k] = v;
      continue;
    }
    const value = String(v);
    // the field's name as words: callback_number, customerPhone, Customer-Phone → callback number, customer phone
    const name = k.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' ').trim().toLowerCase();
    const prefix = /\p{Script=Han}/u.test(name) ? `${name}：` : `${name} is `;
    const spans = findPii(prefix + value, opts)
      .filter((s) => s.end > prefix.length)
      .map((s) => ({ ...s, start: Math.max(0, s.start - prefix.length), end: s.end - prefix.length }));
    out[k] = spans.length ? maskText(value, spans) : v;
  }
  return out as T;
}

/** The text with every personal-data span replaced by its label (the company's own numbers in `opts` stay). */
export function maskPii(text: string, opts: PiiOptions = {}): string {
  const spans = findPii(text, opts);
  return spans.length ? maskText(text, spans) : text;
}
