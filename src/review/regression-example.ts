import { parse as parseYaml, stringify } from 'yaml';
import type { CallEvent, CallMetadata, Speaker, TranscriptSegment } from '../core/types.js';
import { ExampleSchema, ExamplesFileSchema, type Example } from '../score/examples.js';
import type { ScoreItem } from '../score/schema.js';

/**
 * An inspector's decision becomes a regression example for the program (pipelines/<id>.examples.yaml, the
 * format `callqa pipelines test` runs): the call as the scorer saw it (transcript, events, metadata) and the
 * verdict the human gave as the expectation. While the rule is wrong the example fails; once the rule is fixed
 * it passes and keeps the fix in git. Pure: building and appending text; the service reads and writes files.
 */

export interface CallForExample {
  callId: string;
  language: string;
  durationSec?: number | undefined;
  metadata: CallMetadata;
  /** null: the call was not transcribed */
  transcript: readonly Pick<TranscriptSegment, 'speaker' | 'start' | 'end' | 'text'>[] | null;
  events: readonly CallEvent[];
  available?: { audio?: boolean; talkOver?: boolean } | undefined;
}

export interface HumanVerdict {
  action: 'confirm' | 'override';
  /** the points the inspector gave (standard: 0..max; penalty: 0 or negative; fatal: 0 when fatal) */
  points: number | null;
  /** fatal items: whether the inspector found the fatal fault */
  fatal?: boolean | undefined;
  /** reason code and comment of the override (the example's description) */
  reason?: string | undefined;
}

export class ExampleExportError extends Error {}

/** Metadata fields kept in an example: what rules can test. Ids of people and customers are dropped. */
const DROP_METADATA = new Set(['callId', 'agentId', 'customerNumberMasked', 'customerId', 'agentName']);

/** The expectation for one item from the human's verdict. */
export function expectationOf(item: Pick<ScoreItem, 'id' | 'kind' | 'points' | 'onHit'>, v: HumanVerdict): { items: Example['expect']['items']; mustNot: Example['expect']['mustNot'] } {
  if (item.kind === 'manual') throw new ExampleExportError(`${item.id} is a manual item: people judge it, there is no rule to keep fixed`);
  if (item.kind === 'fatal') {
    const fatal = v.fatal ?? v.points === 0;
    if (!fatal) return { items: { [item.id]: 'pass' }, mustNot: {} };
    // onHit: review only flags the call: what must hold is that it is not passed silently
    return (item.onHit ?? 'fatal') === 'review' ? { items: {}, mustNot: { [item.id]: ['pass', 'not_applicable'] } } : { items: { [item.id]: 'fatal' }, mustNot: {} };
  }
  if (v.points === null) throw new ExampleExportError(`${item.id}: the decision has no points to expect`);
  const clean = item.kind === 'penalty' || item.kind === 'bonus' ? 0 : item.points;
  // the range a decision can give: standard 0..points; penalty -points x occurrences..0 (cap unknown here: -∞..0)
  const [lo, hi] = item.kind === 'penalty' ? [-Infinity, 0] : [0, item.kind === 'bonus' ? Infinity : item.points];
  if (v.points < lo - 1e-9 || v.points > hi + 1e-9)
    throw new ExampleExportError(`${item.id}: ${v.points} points is outside the item's range (${item.kind === 'penalty' ? `between -${item.points} and 0 per occurrence` : `0..${hi}`})`);
  if (item.kind === 'bonus') return { items: { [item.id]: { status: 'pass', points: v.points } }, mustNot: {} };
  if (Math.abs(v.points - clean) < 1e-9) return { items: { [item.id]: { status: 'pass', points: v.points } }, mustNot: {} };
  return { items: { [item.id]: { status: 'deducted', points: v.points } }, mustNot: {} };
}

export interface ExampleOptions {
  /** applied to every transcript and event text and to the reason (the inspector's comment) (e.g. the privacy module's masking) */
  mask?: (text: string) => string;
  /**
   * the transcript's texts masked together (default: each with `mask`): a number said across two segments is
   * personal data that neither half shows on its own (privacy/transcript.ts maskSegmentTexts)
   */
  maskSegments?: (segments: NonNullable<CallForExample['transcript']>) => string[];
  /**
   * an event's quoted text masked by the segment it quotes (default: `mask`), so that it agrees with the transcript's
   * texts masked together (`details` is the event's details: their segmentIndex names the segment)
   */
  maskQuote?: (text: string, details: Record<string, unknown>) => string;
  /** the call metadata kept in the example, masked (default: as it is) */
  maskMetadata?: (metadata: Record<string, unknown>) => Record<string, unknown>;
  /** who decided and when, for the description */
  decidedBy?: string;
  decidedAt?: string;
}

/** Build the example; it validates against the examples schema. */
export function buildRegressionExample(
  call: CallForExample,
  item: Pick<ScoreItem, 'id' | 'kind' | 'points' | 'onHit' | 'title'>,
  verdict: HumanVerdict,
  opts: ExampleOptions = {},
): Example {
  const mask = opts.mask ?? ((t: string) => t);
  const expect = expectationOf(item, verdict);
  const metadata: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(call.metadata)) if (!DROP_METADATA.has(k) && v !== undefined && v !== null) metadata[k] = v;
  const maskQuote = opts.maskQuote ?? ((t: string) => mask(t));
  const events = call.events.map((e) => {
    const details: Record<string, unknown> = { ...(e.details ?? {}) };
    if (typeof details.text === 'string') details.text = maskQuote(details.text, { ...details, speaker: e.speaker, start: e.start, end: e.end });
    return { ...details, type: e.type, speaker: e.speaker as Speaker | null, start: e.start, end: e.end };
  });
  const who = [opts.decidedBy, opts.decidedAt?.slice(0, 10)].filter(Boolean).join(', ');
  const raw = {
    name: `review ${call.callId.slice(0, 8)} ${item.id} (${verdict.action})`,
    description:
      `${verdict.action === 'override' ? 'Overridden' : 'Confirmed'} by an inspector${who ? ` (${who})` : ''}: ${item.title}` +
      (verdict.reason ? `. Reason: ${mask(verdict.reason)}` : ''),
    ...(call.durationSec !== undefined ? { durationSec: call.durationSec } : {}),
    metadata: opts.maskMetadata ? opts.maskMetadata(metadata) : metadata,
    transcript: call.transcript === null ? null : maskedTranscript(call.transcript, mask, opts.maskSegments),
    language: call.language,
    events,
    ...(call.available && Object.keys(call.available).length ? { available: call.available } : {}),
    expect: { items: expect.items, mustNot: expect.mustNot },
  };
  const r = ExampleSchema.safeParse(raw);
  if (!r.success) throw new ExampleExportError(`cannot build an example for ${item.id}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

function maskedTranscript(segs: NonNullable<CallForExample['transcript']>, mask: (t: string) => string, together?: ExampleOptions['maskSegments']) {
  const texts = together ? together(segs) : segs.map((s) => mask(s.text));
  return segs.map((s, i) => ({ speaker: s.speaker, start: s.start, end: s.end, text: texts[i]! }));
}

/** The example as YAML, a list entry indented to sit under `examples:`. */
export function exampleYaml(example: Example): string {
  const text = stringify([example], { lineWidth: 0 });
  return text
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');
}

/**
 * Append an example to an examples file's text (or start a new file), keeping everything already there.
 * The result is checked against the examples schema; a name already used gets a numeric suffix.
 */
export function appendExample(fileText: string | null, pipelineId: string, example: Example): string {
  let base = fileText;
  if (base === null || !base.trim()) base = `# Example calls for ${pipelineId}.yaml (see pipelines/README.md)\npipeline: ${pipelineId}\nexamples:\n`;
  const data = (parseYaml(base) ?? {}) as Record<string, unknown>;
  if (data.examples === null) delete data.examples; // `examples:` with nothing under it yet
  const parsed = ExamplesFileSchema.partial({ examples: true }).safeParse(data);
  if (!parsed.success) throw new ExampleExportError(`the examples file does not parse: ${parsed.error.issues[0]?.message}`);
  if (parsed.data.pipeline !== pipelineId) throw new ExampleExportError(`the examples file is for ${parsed.data.pipeline}, not ${pipelineId}`);
  const names = new Set((parsed.data.examples ?? []).map((e) => e.name));
  let ex = example;
  for (let i = 2; names.has(ex.name); i++) ex = { ...example, name: `${example.name} #${i}` };
  const sep = base.endsWith('\n') ? '' : '\n';
  const out = `${base}${sep}${exampleYaml(ex)}`;
  const check = ExamplesFileSchema.safeParse(parseYaml(out));
  if (!check.success) throw new ExampleExportError(`appending broke the examples file: ${check.error.issues[0]?.message}`);
  return out;
}
