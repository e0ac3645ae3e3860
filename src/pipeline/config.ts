import { z } from 'zod';
import { DEFAULT_TEXT_PARAMS, TextParamsSchema } from '../detect/text/params.js';
import { ReviewPolicySchema, ScorecardSchema } from '../score/schema.js';
import { DEFAULT_PRIVACY, PrivacySchema } from '../privacy/config.js';

/**
 * A QA program ("pipeline") as data: pipelines/<id>.yaml. This schema composes every part, so one parse
 * checks the whole file: identity, language, channel layout, audio-detector thresholds and ASR choice
 * (owned here), the text-detector thresholds under `text` (src/detect/text/params.ts), the lexicon sets
 * under `lexicons` (loaded and checked by loader.ts) and the scorecard with its rules under `scorecard`
 * (src/score/schema.ts). Pure: reading files is loader.ts's job.
 */

export const ChannelLayoutSchema = z
  .tuple([z.enum(['agent', 'customer']), z.enum(['agent', 'customer'])])
  .refine(([a, b]) => a !== b, 'channels must name agent and customer once each');
export type ChannelLayout = z.infer<typeof ChannelLayoutSchema>;

export const AudioParamsSchema = z
  .object({
    /** both channels silent at least this long -> silence (dead air) event */
    deadAirMinSec: z.number().positive().default(5),
    /** overlap shorter than this is never talk-over */
    talkOverMinSec: z.number().positive().default(0.5),
    /** an utterance of the listener no longer than this, inside the other side's turn, is a backchannel */
    backchannelMaxSec: z.number().positive().default(1.2),
    /** pauses up to this long inside one speaker's speech are merged into one turn */
    turnMergeGapSec: z.number().nonnegative().default(0.7),
    /** hold shorter than this is not reported */
    holdMinSec: z.number().positive().default(8),
  })
  .strict();
export type AudioParams = z.infer<typeof AudioParamsSchema>;

export const AsrSchema = z
  .object({
    model: z.string().default('base'),
    /** whisper initial prompt; a Simplified-Chinese prompt steers whisper away from Traditional output */
    prompt: z.string().optional(),
    threads: z.number().int().positive().optional(),
  })
  .strict();

export const PipelineConfigSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-_]*$/, 'use lower-case letters, digits, - and _ only, starting with a letter or digit (and name the file <id>.yaml)'),
    version: z.string().min(1),
    title: z.string().optional(),
    description: z.string().optional(),
    source: z.string().optional(),
    language: z.enum(['zh', 'en', 'auto']).default('auto'),
    channels: ChannelLayoutSchema.default(['agent', 'customer']),
    asr: AsrSchema.default({ model: 'base' }),
    audio: AudioParamsSchema.default(AudioParamsSchema.parse({})),
    /** text-detector thresholds (schema owned by src/detect/text/params.ts) */
    text: TextParamsSchema.default(DEFAULT_TEXT_PARAMS),
    /** lexicon sets: folder names under lexicons/ (or absolute paths); all sets when absent */
    lexicons: z.array(z.string().min(1)).optional(),
    /** scorecard definition (schema owned by src/score/schema.ts, reference in docs/pipelines.md) */
    scorecard: ScorecardSchema.optional(),
    /** review policy: sampling, quotas, triage, calibration (schema in src/score/schema.ts, docs/review.md) */
    review: ReviewPolicySchema.default(() => ReviewPolicySchema.parse({})),
    /** personal data: what to find and whether to mask it before storing (src/privacy, docs/privacy.md) */
    privacy: PrivacySchema.default(DEFAULT_PRIVACY),
  })
  .strict();
export type PipelineConfig = z.infer<typeof PipelineConfigSchema>;

/** The built-in default when no pipeline is named: audio analysis only, standard stereo layout. */
export function defaultPipeline(): PipelineConfig {
  // the schema's defaults are the built-in program (parsed, not hand-written, so it cannot drift from them)
  return PipelineConfigSchema.parse({ id: 'default', version: '1' });
}
