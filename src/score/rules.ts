import { AUDIO_EVENT_TYPES as AUDIO_TYPES, TEXT_EVENT_TYPES as TEXT_TYPES } from '../core/event-types.js';
import type { CallEvent, CallMetadata, CallMetrics, Speaker, Transcript } from '../core/types.js';
import { eventCategory, eventConfidence, eventDurationSec, eventEntryId, eventText } from '../core/events.js';
import { callConnectSec } from '../core/connect.js';
import { normaliseText } from '../core/normalise.js';
import type { Evidence } from './types.js';
import type {
  Condition,
  EventCondition,
  KeywordCondition,
  MetadataCondition,
  RegexCondition,
  RelativeCondition,
  RepeatedCondition,
  Role,
  SentenceWindow,
  SimilarCondition,
  SpeechRateCondition,
} from './schema.js';
import { MIN_RATED_SPEECH_SEC, speechRate, type SpeechRate } from '../core/speech-rate.js';
import { containsPhrase, preparePhrase, prepareText, similarity, textSize, type PreparedText } from './text.js';
import { compileLinearRegex } from './linear-regex.js';

/**
 * The rule engine: evaluates a composed condition over one call (events, transcript, metadata) with
 * three-valued logic. `value` is true/false, or null when the data needed to judge is absent (no transcript,
 * mono recording for talk-over, metadata field missing): an item whose rule is null is not applicable,
 * never failed. Every hit carries evidence (time span, speaker, quoted text, event reference).
 */

/** Event types of the text detectors (need a transcript) and of the audio detectors (need the timeline). */
export const TEXT_EVENT_TYPES: ReadonlySet<string> = new Set<string>(TEXT_TYPES);
export const AUDIO_EVENT_TYPES: ReadonlySet<string> = new Set<string>(AUDIO_TYPES);

export interface ScoreInput {
  events: readonly CallEvent[];
  /** null/undefined: the call was not transcribed, text conditions are not applicable */
  transcript?: Transcript | null;
  metadata?: CallMetadata;
  metrics?: CallMetrics;
  /** call length; default: the latest end among segments and events */
  durationSec?: number;
  /** when the call connected, seconds from the start of the recording (`window: { firstSec }` counts from it);
   * default: core/connect.ts over the metadata and the transcript */
  connectSec?: number;
  /** which signals were measured; defaults: transcript when given, audio always, talk-over always */
  available?: { transcript?: boolean; audio?: boolean; talkOver?: boolean };
}

export type { Evidence };

/**
 * Why a condition could not be judged. metadata: the telephony platform did not give the field;
 * insufficient: too little of the call to judge (e.g. speech rate over 3 s of speech): both make an item
 * not applicable. signal: a whole signal is missing (no transcript, no audio, mono for talk-over): the
 * situation may well have arisen, so the item needs review.
 */
export interface Unknown {
  kind: 'metadata' | 'insufficient' | 'signal';
  why: string;
}

export interface ConditionResult {
  value: boolean | null;
  hits: Evidence[];
  /** why value is null */
  unknown: Unknown[];
}

interface Sentence {
  index: number;
  speaker: Speaker;
  start: number;
  end: number;
  text: string;
  prepared: PreparedText;
  turn: number;
}

export interface EvalContext {
  events: readonly CallEvent[];
  sentences: Sentence[];
  metadata: CallMetadata;
  durationSec: number;
  /** when the call connected (core/connect.ts): `firstSec` windows count from it */
  connectSec: number;
  hasTranscript: boolean;
  hasAudio: boolean;
  hasTalkOver: boolean;
  /** sorted segment starts with their turn numbers, for turnAt() */
  turnStarts: { start: number; turn: number }[];
}

export function buildContext(input: ScoreInput): EvalContext {
  const segs = [...(input.transcript?.segments ?? [])]
    .map((s, index) => ({ s, index }))
    .sort((a, b) => a.s.start - b.s.start || a.index - b.index);
  const sentences: Sentence[] = [];
  let turn = -1;
  let lastSpeaker: Speaker | null = null;
  for (const { s, index } of segs) {
    if (s.speaker !== lastSpeaker) {
      turn++;
      lastSpeaker = s.speaker;
    }
    const norm = s.normText ?? normaliseText(s.text);
    sentences.push({ index, speaker: s.speaker, start: s.start, end: s.end, text: s.text, prepared: prepareText(norm), turn });
  }
  let durationSec = input.durationSec ?? 0;
  if (!input.durationSec) {
    for (const s of sentences) durationSec = Math.max(durationSec, s.end);
    for (const e of input.events) durationSec = Math.max(durationSec, e.end);
  }
  return {
    events: input.events,
    sentences,
    metadata: input.metadata ?? {},
    durationSec,
    connectSec: input.connectSec ?? callConnectSec({ metadata: input.metadata, segments: input.transcript?.segments }),
    hasTranscript: input.available?.transcript ?? (input.transcript !== null && input.transcript !== undefined),
    hasAudio: input.available?.audio ?? true,
    hasTalkOver: input.available?.talkOver ?? true,
    turnStarts: sentences.map((s) => ({ start: s.start, turn: s.turn })),
  };
}

/** Turn number at time t: the turn of the last sentence starting at or before t (0 before the first). */
export function turnAt(ctx: EvalContext, t: number): number {
  let lo = 0;
  let hi = ctx.turnStarts.length - 1;
  let ans = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ctx.turnStarts[mid]!.start <= t + 1e-9) {
      ans = ctx.turnStarts[mid]!.turn;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

const TRUE = (hits: Evidence[]): ConditionResult => ({ value: true, hits, unknown: [] });
const unknownResult = (why: string, kind: Unknown['kind'] = 'signal'): ConditionResult => ({ value: null, hits: [], unknown: [{ kind, why }] });

function roleMatches(role: Role | undefined, speaker: Speaker | null): boolean {
  if (!role || role === 'any') return true;
  return speaker === role;
}

function counted(hits: Evidence[], c: { minCount?: number; maxCount?: number }, defaultMin = 1): ConditionResult {
  const min = c.minCount ?? defaultMin;
  const ok = hits.length >= min && (c.maxCount === undefined || hits.length <= c.maxCount);
  return { value: ok, hits: ok ? hits : [], unknown: [] };
}

/** Sentences of the role, restricted to the window. */
function scopedSentences(ctx: EvalContext, role: Role | undefined, window: SentenceWindow | undefined): Sentence[] {
  const byRole = ctx.sentences.filter((s) => roleMatches(role, s.speaker));
  if (!window) return byRole;
  if (window.first !== undefined) return byRole.slice(0, window.first);
  if (window.last !== undefined) return byRole.slice(Math.max(0, byRole.length - window.last));
  if (window.firstSec !== undefined) return byRole.filter((s) => s.start - ctx.connectSec < window.firstSec!);
  if (window.lastSec !== undefined) return byRole.filter((s) => s.end > ctx.durationSec - window.lastSec!);
  return byRole;
}

/** Time window for events. Sentence-count windows become the time span of those sentences (of the role). */
function inWindow(ctx: EvalContext, role: Role | undefined, window: SentenceWindow | undefined, start: number, end: number): boolean {
  if (!window) return true;
  if (window.firstSec !== undefined) return start - ctx.connectSec < window.firstSec;
  if (window.lastSec !== undefined) return end > ctx.durationSec - window.lastSec;
  const scope = scopedSentences(ctx, role, window);
  if (scope.length === 0) return false;
  if (window.first !== undefined) return start <= scope[scope.length - 1]!.end;
  return end >= scope[0]!.start;
}

function sentenceEvidence(s: Sentence, note?: string): Evidence {
  return { kind: 'sentence', start: s.start, end: s.end, speaker: s.speaker, text: s.text, segmentIndex: s.index, ...(note ? { note } : {}) };
}

function eventEvidence(e: CallEvent, index: number, note?: string): Evidence {
  const ev: Evidence = { kind: 'event', type: e.type, start: e.start, end: e.end, speaker: e.speaker, eventIndex: index };
  const text = eventText(e);
  const entryId = eventEntryId(e);
  if (text !== undefined) ev.text = text;
  if (entryId !== undefined) ev.entryId = entryId;
  if (note) ev.note = note;
  return ev;
}

function list(v: string | string[] | undefined): string[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

function availability(ctx: EvalContext, types: string[]): string | null {
  for (const t of types) {
    if (TEXT_EVENT_TYPES.has(t) && !ctx.hasTranscript) return `no transcript, so no ${t} events`;
    if (t === 'talk_over' || t === 'backchannel') {
      if (!ctx.hasAudio) return `no audio analysis, so no ${t} events`;
      if (!ctx.hasTalkOver) return 'talk-over not measurable (mono recording)';
    } else if (AUDIO_EVENT_TYPES.has(t) && !ctx.hasAudio) return `no audio analysis, so no ${t} events`;
  }
  return null;
}

function evalEvent(ctx: EvalContext, c: EventCondition): ConditionResult {
  const types = list(c.event)!;
  const why = availability(ctx, types);
  if (why) return unknownResult(why);
  const entries = list(c.entry);
  const categories = list(c.category);
  const hits: Evidence[] = [];
  ctx.events.forEach((e, i) => {
    if (!types.includes(e.type)) return;
    if (!roleMatches(c.role, e.speaker)) return;
    const entryId = eventEntryId(e);
    const category = eventCategory(e);
    if (entries && !(entryId !== undefined && entries.includes(entryId))) return;
    if (categories && !(category !== undefined && categories.includes(category))) return;
    if (c.minSec !== undefined && eventDurationSec(e) < c.minSec) return;
    if (c.minConfidence !== undefined && eventConfidence(e) < c.minConfidence) return;
    if (c.details && !detailsMatch(e, c.details)) return;
    if (!inWindow(ctx, c.role, c.window, e.start, e.end)) return;
    hits.push(eventEvidence(e, i));
  });
  return counted(hits, c);
}

/** every field given has exactly that value in the event's details (a field the event lacks: no match) */
function detailsMatch(e: CallEvent, want: Record<string, string | number | boolean>): boolean {
  const d = (e.details ?? {}) as unknown as Record<string, unknown>;
  return Object.entries(want).every(([k, v]) => Object.hasOwn(d, k) && d[k] === v);
}

function evalKeywords(ctx: EvalContext, c: KeywordCondition): ConditionResult {
  if (!ctx.hasTranscript) return unknownResult('no transcript');
  const phrases = c.keywords.map(preparePhrase);
  const match = c.match ?? 'any';
  const need = match === 'all' ? phrases.length : match === 'atLeast' ? c.atLeast! : 1;
  const scope = scopedSentences(ctx, c.role, c.window);
  const found = (s: Sentence) => phrases.filter((p) => containsPhrase(s.prepared, p));

  if (match === 'none') {
    const offending = scope.filter((s) => found(s).length > 0);
    return { value: offending.length === 0, hits: [], unknown: [] };
  }
  if (!c.across) {
    const hits: Evidence[] = [];
    for (const s of scope) {
      const f = found(s);
      if (f.length >= need) hits.push(sentenceEvidence(s, `keywords: ${f.map((p) => p.raw).join(', ')}`));
    }
    return counted(hits, c);
  }
  // across sentences: the distinct keywords found anywhere in scope
  const seen = new Set<string>();
  const hits: Evidence[] = [];
  for (const s of scope) {
    const f = found(s);
    if (f.length === 0) continue;
    f.forEach((p) => seen.add(p.raw));
    hits.push(sentenceEvidence(s, `keywords: ${f.map((p) => p.raw).join(', ')}`));
  }
  if (seen.size < need) return { value: false, hits: [], unknown: [] };
  return counted(hits, c);
}

function evalRegex(ctx: EvalContext, c: RegexCondition): ConditionResult {
  if (!ctx.hasTranscript) return unknownResult('no transcript');
  // RE2 (linear time in the sentence whatever the pattern): a QA program cannot stall a call
  const re = compileLinearRegex(c.regex, c.flags);
  const ex = c.exclude ? compileLinearRegex(c.exclude, c.flags) : null;
  const hits: Evidence[] = [];
  for (const s of scopedSentences(ctx, c.role, c.window)) {
    // match on the normalised text and on its compact form, so "工号 1234" and "工号1234" both match \d+
    const m = re.exec(s.prepared.norm) ?? re.exec(s.prepared.compact);
    if (m === null) continue;
    if (ex && (ex.test(s.prepared.norm) || ex.test(s.prepared.compact))) continue;
    hits.push(sentenceEvidence(s, `matched: ${m}`));
  }
  return counted(hits, c);
}

function evalSimilar(ctx: EvalContext, c: SimilarCondition): ConditionResult {
  if (!ctx.hasTranscript) return unknownResult('no transcript');
  const threshold = c.threshold ?? 0.75;
  const examples = c.similar.map((x) => normaliseText(x));
  const hits: Evidence[] = [];
  for (const s of scopedSentences(ctx, c.role, c.window)) {
    let best = 0;
    for (const ex of examples) best = Math.max(best, similarity(s.prepared.norm, ex));
    if (best >= threshold) hits.push(sentenceEvidence(s, `similarity ${best.toFixed(2)}`));
  }
  return counted(hits, c);
}

function evalRepeated(ctx: EvalContext, c: RepeatedCondition): ConditionResult {
  if (!ctx.hasTranscript) return unknownResult('no transcript');
  const threshold = c.repeated.threshold ?? 0.8;
  const minChars = c.repeated.minChars ?? 4;
  const scope = scopedSentences(ctx, c.role, c.window).filter((s) => textSize(s.prepared.norm) >= minChars);
  // single-link clusters of near-identical sentences; hits are the sentences of clusters reaching minTimes
  const cluster = scope.map((_, i) => i);
  const find = (i: number): number => (cluster[i] === i ? i : (cluster[i] = find(cluster[i]!)));
  for (let i = 0; i < scope.length; i++)
    for (let j = i + 1; j < scope.length; j++)
      if (similarity(scope[i]!.prepared.norm, scope[j]!.prepared.norm) >= threshold) cluster[find(j)] = find(i);
  const groups = new Map<number, Sentence[]>();
  scope.forEach((s, i) => {
    const g = find(i);
    groups.set(g, [...(groups.get(g) ?? []), s]);
  });
  const hits: Evidence[] = [];
  for (const g of groups.values())
    if (g.length >= c.repeated.minTimes) for (const s of g) hits.push(sentenceEvidence(s, `said ${g.length} times`));
  hits.sort((a, b) => a.start - b.start);
  return counted(hits, c);
}

function evalSpeechRate(ctx: EvalContext, c: SpeechRateCondition): ConditionResult {
  if (!ctx.hasTranscript) return unknownResult('no transcript');
  const role = c.role ?? 'agent';
  const scope = scopedSentences(ctx, role, c.window);
  const { above, below } = c.speechRate;
  const out = (rate: number) => (above !== undefined && rate > above) || (below !== undefined && rate < below);
  const unit = (r: SpeechRate) => (r.unit === 'chars_per_min' ? 'chars/min' : 'words/min');
  const minSec = c.speechRate.minSentenceSec ?? MIN_RATED_SPEECH_SEC;
  const hits: Evidence[] = [];
  // the same rate function as the speech-rate detector (core/speech-rate.ts): one definition of units and minimum
  if ((c.speechRate.per ?? 'call') === 'turn') {
    for (const s of scope) {
      const r = speechRate([s], undefined, minSec);
      if (r && out(r.perMin)) hits.push(sentenceEvidence(s, `${Math.round(r.perMin)} ${unit(r)}`));
    }
    return counted(hits, c);
  }
  const r = speechRate(scope, undefined, minSec);
  if (!r) {
    const sec = scope.reduce((a, s) => a + Math.max(0, s.end - s.start), 0);
    return unknownResult(`too little ${role} speech to rate (${sec.toFixed(1)} s)`, 'insufficient');
  }
  if (!out(r.perMin)) return { value: false, hits: [], unknown: [] };
  const first = scope[0]!;
  const last = scope[scope.length - 1]!;
  hits.push({ kind: 'sentence', start: first.start, end: last.end, speaker: first.speaker, note: `${Math.round(r.perMin)} ${unit(r)} over ${r.speakingSec.toFixed(0)} s of speech` });
  return counted(hits, c);
}

function evalMetadata(ctx: EvalContext, c: MetadataCondition): ConditionResult {
  const v = ctx.metadata[c.metadata];
  if (v === undefined || v === null || v === '') return unknownResult(`call metadata has no ${c.metadata}`, 'metadata');
  let ok = true;
  if (c.equals !== undefined) ok &&= v === c.equals || String(v) === String(c.equals);
  if (c.in !== undefined) ok &&= c.in.some((x) => String(x) === String(v));
  const n = typeof v === 'number' ? v : Number(v);
  for (const [op, bound] of [
    ['lt', c.lt],
    ['lte', c.lte],
    ['gt', c.gt],
    ['gte', c.gte],
  ] as const) {
    if (bound === undefined) continue;
    if (!Number.isFinite(n)) return unknownResult(`call metadata ${c.metadata} is not a number`, 'metadata');
    ok &&= op === 'lt' ? n < bound : op === 'lte' ? n <= bound : op === 'gt' ? n > bound : n >= bound;
  }
  const ev: Evidence = { kind: 'metadata', start: 0, end: 0, speaker: null, field: c.metadata, value: v, note: `${c.metadata} = ${String(v)}` };
  return ok ? TRUE([ev]) : { value: false, hits: [], unknown: [] };
}

/**
 * after: the hit starts later than the anchor starts and ends no earlier than it ends, so an agent who
 * interrupts a complaint to apologise is still "after" it; within N s counts from the anchor's end.
 * before: the mirror image; within N s counts back from the anchor's start.
 */
function positioned(ctx: EvalContext, anchor: Evidence, hit: Evidence, r: RelativeCondition['relative']): boolean {
  const after = () => {
    if (!(hit.start > anchor.start && hit.end >= anchor.end)) return false;
    if (r.withinSec !== undefined && hit.start - anchor.end > r.withinSec) return false;
    if (r.withinTurns !== undefined && turnAt(ctx, hit.start) - turnAt(ctx, anchor.end) > r.withinTurns) return false;
    return true;
  };
  const before = () => {
    if (!(hit.start < anchor.start && hit.end <= anchor.end)) return false;
    if (r.withinSec !== undefined && anchor.start - hit.end > r.withinSec) return false;
    if (r.withinTurns !== undefined && turnAt(ctx, anchor.start) - turnAt(ctx, hit.end) > r.withinTurns) return false;
    return true;
  };
  // around: before, after, or overlapping the anchor
  const overlaps = () => hit.start < anchor.end && hit.end > anchor.start;
  return r.position === 'after' ? after() : r.position === 'before' ? before() : overlaps() || after() || before();
}

function evalRelative(ctx: EvalContext, c: RelativeCondition): ConditionResult {
  const r = c.relative;
  const anchors = evaluateCondition(ctx, r.to);
  if (anchors.value === null) return { value: null, hits: [], unknown: anchors.unknown };
  const found = evaluateCondition(ctx, r.find);
  const report = r.report ?? 'found';
  // "find" may be false overall (e.g. minCount not reached) yet have no hits; its hits are what we position.
  if (found.value === null && report !== 'found' && anchors.hits.length > 0) return { value: null, hits: [], unknown: found.unknown };
  if (found.value === null && report === 'found') return { value: null, hits: [], unknown: found.unknown };
  const targets = found.value ? found.hits : [];
  if (report === 'found') {
    const hits = targets.filter((t) => anchors.hits.some((a) => positioned(ctx, a, t, r)));
    return counted(hits, c);
  }
  const withHit = anchors.hits.filter((a) => targets.some((t) => positioned(ctx, a, t, r)));
  const hits = report === 'anchorsWith' ? withHit : anchors.hits.filter((a) => !withHit.includes(a));
  return counted(hits, c);
}

function combine(results: ConditionResult[], op: 'all' | 'any'): ConditionResult {
  const unknown = results.flatMap((r) => r.unknown);
  if (op === 'all') {
    if (results.some((r) => r.value === false)) return { value: false, hits: [], unknown: [] };
    if (results.some((r) => r.value === null)) return { value: null, hits: [], unknown };
    return TRUE(dedupe(results.flatMap((r) => r.hits)));
  }
  const trues = results.filter((r) => r.value === true);
  if (trues.length > 0) return TRUE(dedupe(trues.flatMap((r) => r.hits)));
  if (results.some((r) => r.value === null)) return { value: null, hits: [], unknown };
  return { value: false, hits: [], unknown: [] };
}

function dedupe(hits: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const h of hits) {
    const key = `${h.kind}:${h.eventIndex ?? ''}:${h.segmentIndex ?? ''}:${h.field ?? ''}:${h.start}:${h.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(h);
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

export function evaluateCondition(ctx: EvalContext, c: Condition): ConditionResult {
  if ('all' in c) return combine(c.all.map((x) => evaluateCondition(ctx, x)), 'all');
  if ('any' in c) return combine(c.any.map((x) => evaluateCondition(ctx, x)), 'any');
  if ('not' in c) {
    const r = evaluateCondition(ctx, c.not);
    return r.value === null ? r : { value: !r.value, hits: [], unknown: [] };
  }
  if ('event' in c) return evalEvent(ctx, c);
  if ('keywords' in c) return evalKeywords(ctx, c);
  if ('regex' in c) return evalRegex(ctx, c);
  if ('similar' in c) return evalSimilar(ctx, c);
  if ('repeated' in c) return evalRepeated(ctx, c);
  if ('silence' in c)
    return evalEvent(ctx, { event: 'silence', minSec: c.silence.minSec, window: c.window, minCount: c.minCount, maxCount: c.maxCount });
  if ('hold' in c) return evalEvent(ctx, { event: 'hold', minSec: c.hold.minSec, window: c.window, minCount: c.minCount, maxCount: c.maxCount });
  if ('talkOver' in c) {
    const why = availability(ctx, ['talk_over']);
    if (why) return unknownResult(why);
    const minSec = c.talkOver.minSec ?? 0;
    const hits: Evidence[] = [];
    ctx.events.forEach((e, i) => {
      if (e.type !== 'talk_over' || !roleMatches(c.talkOver.by, e.speaker)) return;
      const overlap = e.details.overlapSec;
      if (overlap < minSec) return;
      if (!inWindow(ctx, c.talkOver.by, c.window, e.start, e.end)) return;
      hits.push(eventEvidence(e, i, `overlap ${overlap.toFixed(1)} s`));
    });
    return counted(hits, c);
  }
  if ('speechRate' in c) return evalSpeechRate(ctx, c);
  if ('metadata' in c) return evalMetadata(ctx, c);
  if ('relative' in c) return evalRelative(ctx, c);
  throw new Error(`unknown condition ${JSON.stringify(c)}`);
}

/** A one-line human description of a condition, for reasons and the `pipelines show` table. */
export function describeCondition(c: Condition): string {
  const role = (r?: Role) => (r && r !== 'any' ? `${r} ` : '');
  const win = (w?: SentenceWindow) =>
    !w ? '' : w.first ? ` in first ${w.first} sentences` : w.last ? ` in last ${w.last} sentences` : w.firstSec ? ` in first ${w.firstSec} s` : ` in last ${w.lastSec} s`;
  const cnt = (x: { minCount?: number; maxCount?: number }) =>
    (x.minCount && x.minCount > 1 ? ` at least ${x.minCount} times` : '') + (x.maxCount !== undefined ? ` at most ${x.maxCount} times` : '');
  if ('all' in c) return `(${c.all.map(describeCondition).join(' AND ')})`;
  if ('any' in c) return `(${c.any.map(describeCondition).join(' OR ')})`;
  if ('not' in c) return `NOT ${describeCondition(c.not)}`;
  if ('event' in c)
    return `${role(c.role)}${list(c.event)!.join('|')} event${c.entry ? ` [${list(c.entry)!.join('|')}]` : ''}${c.minSec ? ` >= ${c.minSec} s` : ''}${c.details ? ` with ${Object.entries(c.details).map(([k, v]) => `${k} = ${String(v)}`).join(', ')}` : ''}${win(c.window)}${cnt(c)}`;
  if ('keywords' in c)
    return `${role(c.role)}says ${c.match === 'none' ? 'none of' : c.match === 'all' ? 'all of' : c.match === 'atLeast' ? `at least ${c.atLeast} of` : 'any of'} [${c.keywords.join(', ')}]${c.across ? ' (across sentences)' : ''}${win(c.window)}${cnt(c)}`;
  if ('regex' in c) return `${role(c.role)}matches /${c.regex}/${c.exclude ? ` except /${c.exclude}/` : ''}${win(c.window)}${cnt(c)}`;
  if ('similar' in c) return `${role(c.role)}says something like "${c.similar[0]}"${win(c.window)}${cnt(c)}`;
  if ('repeated' in c) return `${role(c.role)}repeats the same sentence ${c.repeated.minTimes}+ times${win(c.window)}${cnt(c)}`;
  if ('silence' in c) return `silence >= ${c.silence.minSec} s${win(c.window)}${cnt(c)}`;
  if ('hold' in c) return `hold >= ${c.hold.minSec} s${win(c.window)}${cnt(c)}`;
  if ('talkOver' in c) return `${role(c.talkOver.by)}talk-over >= ${c.talkOver.minSec ?? 0} s${win(c.window)}${cnt(c)}`;
  if ('speechRate' in c)
    return `${role(c.role ?? 'agent')}speech rate${c.speechRate.above ? ` above ${c.speechRate.above}` : ''}${c.speechRate.below ? ` below ${c.speechRate.below}` : ''} per ${c.speechRate.per ?? 'call'}${cnt(c)}`;
  if ('metadata' in c) {
    const ops = (['equals', 'in', 'lt', 'lte', 'gt', 'gte'] as const).filter((k) => c[k] !== undefined).map((k) => `${k} ${JSON.stringify(c[k])}`);
    return `metadata ${c.metadata}${ops.length ? ` ${ops.join(', ')}` : ' present'}`;
  }
  if ('relative' in c) {
    const r = c.relative;
    const lim = [r.withinTurns !== undefined ? `${r.withinTurns} turns` : '', r.withinSec !== undefined ? `${r.withinSec} s` : ''].filter(Boolean).join(' / ');
    const near = `${r.position} it${lim ? ` (within ${lim})` : ''}`;
    if (r.report === 'anchorsWithout') return `${describeCondition(r.to)} without ${describeCondition(r.find)} ${near}${cnt(c)}`;
    if (r.report === 'anchorsWith') return `${describeCondition(r.to)} with ${describeCondition(r.find)} ${near}${cnt(c)}`;
    return `${describeCondition(r.find)} ${r.position} ${describeCondition(r.to)}${lim ? ` (within ${lim})` : ''}${cnt(c)}`;
  }
  return JSON.stringify(c);
}
