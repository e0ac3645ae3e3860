import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { MIN_RATED_SPEECH_SEC } from '../../core/speech-rate.js';

/**
 * Text-detector thresholds: the pipeline's `text:` block (pipelines/<id>.yaml). Defaults are declared here
 * with where they come from; a pipeline overrides any of them.
 */

const RateBandSchema = z
  .object({
    /** above this the turn or call is flagged too_fast */
    tooFastPerMin: z.number().positive(),
    /** below this the turn or call is flagged too_slow */
    tooSlowPerMin: z.number().positive(),
  })
  .strict()
  .refine((b) => b.tooSlowPerMin < b.tooFastPerMin, 'tooSlowPerMin must be below tooFastPerMin');

export const SpeechRateParamsSchema = z
  .object({
    /**
     * Mandarin, Han characters per minute of agent speaking time. 280: the too-fast line commercial Mandarin
     * QA engines use (issue #5); the seeds only ask for 语速适中 (000 第三篇 二、5; 001 3.1.1). 120: our
     * too-slow line, half of a typical conversational rate of about 240 characters per minute.
     */
    zh: RateBandSchema.default({ tooFastPerMin: 280, tooSlowPerMin: 120 }),
    /**
     * English, words per minute of agent speaking time. Conversational English is commonly quoted at about
     * 150 wpm; 190 / 100 put the lines roughly a quarter above / a third below it. Heuristic defaults.
     */
    en: RateBandSchema.default({ tooFastPerMin: 190, tooSlowPerMin: 100 }),
    /** turns (and calls) with less speaking time than this are not rated (core/speech-rate.ts MIN_RATED_SPEECH_SEC) */
    minTurnSec: z.number().positive().default(MIN_RATED_SPEECH_SEC),
    /** agent segments closer than this, with no customer speech between, form one turn */
    turnMergeGapSec: z.number().nonnegative().default(1.5),
  })
  .strict();

export const TextParamsSchema = z
  .object({
    /** a greeting counts only if it starts within this many seconds of when the call connected (core/connect.ts) */
    greetingSearchSec: z.number().positive().default(30),
    /**
     * a greeting starting later than this after the call connected is also reported as late_greeting (recordings
     * may start with ringing, an IVR or the queue: core/connect.ts); the agent should speak first (000 第二篇: answer within three rings); 8 s leaves room for one
     * "hello?" exchange on a bad line.
     */
    lateGreetingSec: z.number().positive().default(8),
    /** a closing counts only if it ends within this many seconds of the end of the agent's last utterance */
    closingWindowSec: z.number().positive().default(30),
    /**
     * The closing must be in the agent's final turn (003 二(一)1.4 结束语 ends the call). A closing followed by more
     * business does not count; after it only short exchanges may follow (the customer's own 谢谢/拜拜, the agent's
     * 不客气): turns of at most this many Han characters or words on both sides.
     */
    closingTrailingMaxUnits: z.number().int().nonnegative().default(6),
    /** 001_c5af34a6c69547e3.txt 电话营销代表质检评分标准 3.1.3: company and staff number within 15 s of connection (core/connect.ts) */
    selfIdWithinSec: z.number().positive().default(15),
    /**
     * parts of the self-identification that must all be present (lexicon entry kinds); `a|b` accepts either.
     * Default: the organisation, and the staff number or the agent's name (001 3.1.3 asks for 单位和工号; company
     * plus name is how many programmes and all English calls identify, issue 16).
     */
    selfIdRequire: z.array(z.string().min(1)).min(1).default(['staff_id|name', 'organisation']),
    /** deployment-specific organisation names, matched as self-identification (kind organisation) */
    companyNames: z.array(z.string().min(1)).default([]),
    /** how many first/last agent utterances a missing_* event quotes as evidence */
    evidenceUtterances: z.number().int().positive().default(3),
    /** asking before a hold must end at most this long before the hold starts */
    holdBeforeSec: z.number().nonnegative().default(30),
    /** thanking after a hold must start at most this long after the hold ends */
    holdAfterSec: z.number().nonnegative().default(20),
    /** a customer complaint this recent makes an apology "due"; complaints with no apology this soon are unapologised */
    apologyWindowSec: z.number().positive().default(60),
    /**
     * an agent utterance no banned phrase matched is reported as banned when the classifier (banned-model.ts) gives it at
     * least this probability; 1 turns the classifier off (docs/lexicons.md: its precision and recall on sets it never saw)
     */
    bannedModelThreshold: z.number().min(0.5).max(1).default(0.7),
    /**
     * a customer utterance no escalation phrase matched (and none of the lexicon's cues read as no threat) is reported as
     * an escalation when the classifier (escalation-model.ts) gives it at least this probability; 1 turns it off
     */
    escalationModelThreshold: z.number().min(0.5).max(1).default(0.7),
    /** a banned phrase the agent quotes back (您说 / "you said") is excused if the customer said it this recently */
    echoWindowSec: z.number().positive().default(30),
    /** confidence multiplier for hits in segments with no speaker label (mono) */
    unknownSpeakerConfidence: z.number().gt(0).max(1).default(0.5),
    /** in auto mode, a Chinese utterance with this many Latin words is also matched against English lexicons */
    mixedMinLatinWords: z.number().int().positive().default(1),
    /** a segment at least this fraction covered by known ASR hallucinations is dropped */
    hallucinationCoverage: z.number().gt(0).max(1).default(0.6),
    speechRate: SpeechRateParamsSchema.default(SpeechRateParamsSchema.parse({})),
  })
  .strict();

export type TextParams = z.infer<typeof TextParamsSchema>;
export type SpeechRateParams = z.infer<typeof SpeechRateParamsSchema>;

/** Validate a pipeline's `text:` block; errors name the file and the field. */
export function parseTextParams(raw: unknown, file = '(pipeline)'): TextParams {
  const r = TextParamsSchema.safeParse(raw ?? {});
  if (!r.success) {
    const msg = r.error.issues.map((i) => `text.${i.path.map(String).join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`${file}: invalid text parameters: ${msg}`);
  }
  return r.data;
}

export const DEFAULT_TEXT_PARAMS: TextParams = TextParamsSchema.parse({});
