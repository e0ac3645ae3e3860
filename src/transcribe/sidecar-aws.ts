import { z } from 'zod';
import { InputError } from '../core/errors.js';
import type { Speaker, Transcript, TranscriptEngine, WordTiming } from '../core/types.js';
import { AGENT_SPEAKER_HINT, checkAndBuild, isCjk, labelled, LANGUAGE_EXPECTED, languageFor, schemaError, sidecarLanguage, speakerLabels, type RawSegment, type SidecarOptions } from './sidecar-common.js';

/**
 * Amazon Transcribe's two JSON outputs, saved as `<name>.transcript.json` and told apart from callqa's own
 * shape by their top-level keys (sidecar.ts):
 *
 * - **Amazon Transcribe** (`{"jobName", "results": {"items", "channel_labels" | "speaker_labels", ...}}`), a word
 *   list with times as strings of seconds. With *channel identification* each word is on `ch_0` (left) or
 *   `ch_1` (right), and the speaker is the channel's by the same layout callqa uses for stereo audio (the
 *   pipeline's `channels`, `--channels`; agent,customer by default). Words are joined into sentence turns per
 *   channel (a new turn after . ? ! 。？！ or a pause of more than MAX_PAUSE_SEC). With *speaker labels* (`spk_0`,
 *   `spk_1`: diarisation) the file does not say which speaker is the agent, and callqa does not guess it: the file
 *   is refused, saying how to make one it reads, unless the call's agentSpeaker metadata names the agent's label;
 *   then that label's words are the agent's and every other label's the customer's side (sidecar-common.ts
 *   speakerLabels), joined into turns as channels' are, a new turn also where the label changes. A word's label
 *   is its `speaker_label` (current output), else the one `speaker_labels.segments[].items` gives for its times
 *   (older output). A file with neither channels nor speaker labels is refused.
 * - **Amazon Transcribe Call Analytics** (`{"JobStatus", "LanguageCode", "Transcript": [{"ParticipantRole":
 *   "AGENT" | "CUSTOMER", "Content", "BeginOffsetMillis", "EndOffsetMillis", ...}]}`): one turn per entry, the
 *   role given.
 *
 * The language is the file's (`results.language_code`, `LanguageCode`: a BCP 47 tag of zh or en) when it has one,
 * else the pipeline's, else guessed from the text. Everything is validated before any of it is used; errors name
 * the file and the JSON path of the field, never its text.
 */

export const AWS_TRANSCRIBE_SHAPE =
  'Amazon Transcribe output with channel identification ({"results": {"channel_labels": {"channels": [{"channel_label": "ch_0", "items": [...]}]}}})';
export const AWS_CALL_ANALYTICS_SHAPE =
  'Amazon Transcribe Call Analytics output ({"Transcript": [{"ParticipantRole": "AGENT", "BeginOffsetMillis": 500, "EndOffsetMillis": 2900, "Content": "..."}]})';

/** A pause longer than this between two words of one channel starts a new turn. */
export const MAX_PAUSE_SEC = 1.5;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function isAwsTranscribe(data: unknown): data is Record<string, unknown> {
  return isObject(data) && 'results' in data;
}

export function isAwsCallAnalytics(data: unknown): data is Record<string, unknown> {
  return isObject(data) && 'Transcript' in data;
}

const languageCode = labelled(sidecarLanguage, LANGUAGE_EXPECTED);

// ---------------------------------------------------------------------------------------------------------
// Amazon Transcribe

/** "4.87" (how Transcribe writes times) or 4.87. */
const awsSec = z
  .union([z.number(), z.string()], { error: 'must be a number of seconds, such as "4.87"' })
  .transform((v, ctx) => {
    const n = typeof v === 'number' ? v : /^\d+(?:\.\d+)?$/.test(v.trim()) ? Number(v) : Number.NaN;
    if (!Number.isFinite(n) || n < 0) {
      ctx.addIssue({ code: 'custom', message: 'must be a number of seconds >= 0, such as "4.87"' });
      return z.NEVER;
    }
    return n;
  });

const awsConfidence = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || n > 1 || (typeof v === 'string' && v.trim() === '')) {
      ctx.addIssue({ code: 'custom', message: 'must be a number from 0 to 1' });
      return z.NEVER;
    }
    return n;
  })
  .optional();

const AwsItemObject = z.object({
  type: z.enum(['pronunciation', 'punctuation'], { error: 'must be "pronunciation" or "punctuation"' }),
  start_time: awsSec.optional(),
  end_time: awsSec.optional(),
  alternatives: z
    .array(z.object({ content: z.string({ error: 'must be a string' }), confidence: awsConfidence }), { error: 'must be a list' })
    .min(1, 'must hold at least one alternative'),
});

function wordTimes(item: { type: string; start_time?: number; end_time?: number }, ctx: z.RefinementCtx): void {
  if (item.type !== 'pronunciation') return;
  if (item.start_time === undefined) ctx.addIssue({ code: 'custom', path: ['start_time'], message: 'missing (a word needs its times)' });
  if (item.end_time === undefined) ctx.addIssue({ code: 'custom', path: ['end_time'], message: 'missing (a word needs its times)' });
  if (item.start_time !== undefined && item.end_time !== undefined && item.end_time < item.start_time) {
    ctx.addIssue({ code: 'custom', path: ['end_time'], message: `${item.end_time} is before start_time ${item.start_time}` });
  }
}

const speakerLabel = z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty');

/** A word of a diarised file (`results.items`): its `speaker_label` in current output, absent in older. */
const AwsDiarisedItemSchema = AwsItemObject.extend({ speaker_label: speakerLabel.optional() }).superRefine(wordTimes);

/** `results.speaker_labels` as older output gives every word's label: by the word's times. */
const AwsSpeakerLabelsSchema = z.object(
  {
    segments: z
      .array(
        z.object({
          speaker_label: speakerLabel,
          items: z.array(z.object({ start_time: awsSec, end_time: awsSec, speaker_label: speakerLabel }), { error: 'must be a list' }).optional(),
        }),
        { error: 'must be a list' },
      )
      .optional(),
  },
  { error: 'must be an object' },
);

const AwsDiarisedSchema = z.object({
  results: z.object({
    items: z.array(AwsDiarisedItemSchema, { error: 'must be a list' }),
    speaker_labels: AwsSpeakerLabelsSchema,
  }),
});

const AwsItemSchema = AwsItemObject.superRefine(wordTimes);
type AwsItem = z.infer<typeof AwsItemSchema>;

const AwsTranscribeSchema = z.object({
  results: z.object(
    {
      language_code: languageCode.optional(),
      channel_labels: z
        .object({
          channels: z.array(
            z.object({
              channel_label: z.enum(['ch_0', 'ch_1'], { error: 'must be "ch_0" or "ch_1" (callqa reads two-channel calls)' }),
              items: z.array(AwsItemSchema, { error: 'must be a list' }),
            }),
            { error: 'must be a list' },
          ),
        })
        .optional(),
      speaker_labels: z.unknown().optional(),
    },
    { error: 'must be an object' },
  ),
});

const HOW_TO_GET_ROLES =
  'run the job with channel identification on the stereo recording (ch_0 = left), or use Call Analytics, or write callqa\'s own JSON with "speaker": "agent" / "customer"';

export function parseAwsTranscribe(data: unknown, file: string, opts: SidecarOptions): Transcript {
  const r = AwsTranscribeSchema.safeParse(data);
  if (!r.success) throw schemaError(file, r.error, 'invalid Amazon Transcribe output');
  const { results } = r.data;
  if (!results.channel_labels) {
    if (results.speaker_labels !== undefined && opts.agentSpeaker !== undefined) {
      return parseAwsDiarised(data, file, opts, results.language_code);
    }
    const why = results.speaker_labels !== undefined
      ? `speaker labels (spk_0, spk_1, ...) do not say which speaker is the agent, and callqa does not guess it; ${HOW_TO_GET_ROLES}, ${AGENT_SPEAKER_HINT}`
      : `neither channel_labels nor speaker_labels: nothing says who spoke; ${HOW_TO_GET_ROLES}`;
    throw new InputError(file, `results: ${why}`);
  }
  const layout = opts.channels ?? ['agent', 'customer'];
  const seen = new Set<string>();
  const raw: RawSegment[] = [];
  results.channel_labels.channels.forEach((ch, c) => {
    const base = `results.channel_labels.channels[${c}]`;
    if (seen.has(ch.channel_label)) throw new InputError(file, `${base}.channel_label: ${ch.channel_label} is listed twice`);
    seen.add(ch.channel_label);
    const speaker: Speaker = layout[ch.channel_label === 'ch_0' ? 0 : 1];
    raw.push(...turns(ch.items, `${base}.items`, () => ({ key: ch.channel_label, speaker })));
  });
  const segments = checkAndBuild(raw, file, opts);
  const language = results.language_code ?? languageFor(segments, opts);
  return { engine: 'sidecar-aws-transcribe' satisfies TranscriptEngine, language, segments };
}

/**
 * A diarised file (speaker labels, no channels) read with the call's agentSpeaker: each word's label is its own
 * `speaker_label`, else the `speaker_labels.segments[].items` entry with the word's times; a word with neither is
 * refused naming it. Turns end where the label changes, as well as at a sentence end or a pause.
 */
function parseAwsDiarised(data: unknown, file: string, opts: SidecarOptions, languageCode: string | undefined): Transcript {
  const r = AwsDiarisedSchema.safeParse(data);
  if (!r.success) throw schemaError(file, r.error, 'invalid Amazon Transcribe output');
  const { items, speaker_labels } = r.data.results;
  const byTimes = new Map<string, string>();
  for (const seg of speaker_labels.segments ?? []) {
    for (const it of seg.items ?? []) byTimes.set(`${it.start_time}/${it.end_time}`, it.speaker_label);
  }
  const labels = speakerLabels(opts);
  const who: { key: string; speaker: Speaker }[] = [];
  items.forEach((item, i) => {
    if (item.type !== 'pronunciation') return;
    const label = item.speaker_label ?? byTimes.get(`${item.start_time}/${item.end_time}`);
    if (label === undefined) {
      throw new InputError(file, `results.items[${i}].speaker_label: missing, and no speaker_labels.segments item has the word's start_time and end_time`);
    }
    const speaker = labels.of(label);
    if (!speaker) throw new InputError(file, `results.items[${i}].speaker_label: not a speaker label`);
    who[i] = { key: label, speaker };
  });
  labels.check(file);
  const raw = turns(items, 'results.items', (i) => who[i]!);
  const segments = checkAndBuild(raw, file, opts);
  const language = languageCode ?? languageFor(segments, opts);
  return { engine: 'sidecar-aws-transcribe' satisfies TranscriptEngine, language, segments };
}

const SENTENCE_END = /[.?!。？！]$/;

/**
 * A channel's (or a diarised file's) words as turns: punctuation joins the word before it (in the word's text too,
 * as whisper's words carry theirs, so a turn's words spell its text and personal data found in the text is timed
 * and masked by word); a sentence end, a long pause or another speaker label (`who`, asked for words only) ends a
 * turn. An item whose content is empty (a word a vocabulary filter removed) is no word. Linear in the number of
 * items: a turn's text is joined once, when it closes.
 */
function turns(items: readonly AwsItem[], base: string, who: (i: number) => { key: string; speaker: Speaker }): RawSegment[] {
  const out: RawSegment[] = [];
  let cur: { first: number; last: number; end: number; key: string; speaker: Speaker; words: WordTiming[]; conf: number[] } | null = null;
  let ended = false;
  const close = () => {
    if (cur && cur.words.length > 0) {
      const { words, conf, speaker } = cur;
      out.push({
        label: cur.first === cur.last ? `${base}[${cur.first}]` : `${base}[${cur.first}..${cur.last}]`,
        speaker,
        start: words[0]!.start,
        end: cur.end,
        text: joinWords(words),
        words,
        fields: { start: 'start_time', end: 'end_time' },
        ...(conf.length > 0 ? { confidence: conf.reduce((a, b) => a + b, 0) / conf.length } : {}),
      });
    }
    cur = null;
  };
  items.forEach((item, i) => {
    const alt = item.alternatives[0]!;
    const content = alt.content.trim();
    if (content === '') return;
    if (item.type === 'punctuation') {
      if (!cur) return; // nothing to attach it to
      cur.words.at(-1)!.text += content;
      cur.last = i;
      if (SENTENCE_END.test(content)) ended = true;
      return;
    }
    const start = item.start_time!;
    const end = item.end_time!;
    const { key, speaker } = who(i);
    const prevEnd = cur?.words.at(-1)?.end;
    if (cur && (ended || cur.key !== key || (prevEnd !== undefined && start - prevEnd > MAX_PAUSE_SEC))) close();
    ended = false;
    if (!cur) cur = { first: i, last: i, end, key, speaker, words: [], conf: [] };
    cur.last = i;
    cur.end = Math.max(cur.end, end);
    cur.words.push({ start, end, text: content, ...(alt.confidence !== undefined ? { p: alt.confidence } : {}) });
    if (alt.confidence !== undefined) cur.conf.push(alt.confidence);
  });
  close();
  return out;
}

/** A turn's words as its text: English words are spaced; Chinese (Transcribe writes one word per item) is not. */
function joinWords(words: readonly WordTiming[]): string {
  const parts: string[] = [];
  let prev = '';
  for (const { text } of words) {
    // whole code points: a Han character outside the BMP is two UTF-16 units
    if (prev !== '' && !isCjk(Array.from(prev).at(-1)!) && !isCjk(String.fromCodePoint(text.codePointAt(0)!))) parts.push(' ');
    parts.push(text);
    prev = text;
  }
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------------------
// Amazon Transcribe Call Analytics

const millis = z
  .number({ error: 'must be a whole number of milliseconds' })
  .int('must be a whole number of milliseconds')
  .min(0, 'must be >= 0');

const CallAnalyticsSchema = z.object({
  LanguageCode: languageCode.optional(),
  Transcript: z.array(
    z.object({
      ParticipantRole: z.enum(['AGENT', 'CUSTOMER'], { error: 'must be "AGENT" or "CUSTOMER"' }),
      Content: z.string({ error: 'must be a string' }),
      BeginOffsetMillis: millis,
      EndOffsetMillis: millis,
    }).refine((t) => t.EndOffsetMillis >= t.BeginOffsetMillis, { path: ['EndOffsetMillis'], message: 'is before BeginOffsetMillis' }),
    { error: 'must be a list' },
  ),
});

export function parseAwsCallAnalytics(data: unknown, file: string, opts: SidecarOptions): Transcript {
  const r = CallAnalyticsSchema.safeParse(data);
  if (!r.success) throw schemaError(file, r.error, 'invalid Amazon Transcribe Call Analytics output');
  // in seconds like every other message (the file's milliseconds / 1000), said as "s"
  const raw: RawSegment[] = r.data.Transcript.map((t, i) => ({
    label: `Transcript[${i}]`,
    speaker: t.ParticipantRole === 'AGENT' ? 'agent' : 'customer',
    start: t.BeginOffsetMillis / 1000,
    end: t.EndOffsetMillis / 1000,
    text: t.Content,
    fields: { start: 'BeginOffsetMillis', end: 'EndOffsetMillis' },
  }));
  const segments = checkAndBuild(raw, file, opts);
  const language = r.data.LanguageCode ?? languageFor(segments, opts);
  return { engine: 'sidecar-aws-call-analytics' satisfies TranscriptEngine, language, segments };
}
