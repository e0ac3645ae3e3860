import { z } from 'zod';
import { DisputeSettingsSchema } from '../review/settings.js';
import { toSimplifiedChinese } from '../core/normalise.js';
import { linearRegexProblem } from './linear-regex.js';

/**
 * The scorecard and rule language of a QA program (pipelines/<id>.yaml, key `scorecard`).
 * Reference for QA staff: docs/pipelines.md. Conditions are written as YAML maps whose *operator key*
 * (event, keywords, regex, similar, repeated, silence, talkOver, hold, speechRate, metadata, relative,
 * all, any, not) says what they test; the remaining keys refine it. No defaults are filled in here so that
 * the parsed data is exactly what the file says; the evaluator (rules.ts) documents and applies defaults.
 */

export const ROLES = ['agent', 'customer', 'any'] as const;
export type Role = (typeof ROLES)[number];

/** Sentence window: first/last N sentences of the role in scope, or seconds from when the call connected (firstSec:
 * core/connect.ts) / before the end of the recording (lastSec). */
export interface SentenceWindow {
  first?: number;
  last?: number;
  firstSec?: number;
  lastSec?: number;
}

interface CountBounds {
  /** the condition holds when it has at least this many hits (default 1) */
  minCount?: number;
  /** ... and at most this many */
  maxCount?: number;
}

interface Scoped extends CountBounds {
  role?: Role;
  window?: SentenceWindow;
}

export interface EventCondition extends Scoped {
  event: string | string[];
  /** lexicon entry id(s) the detector reported in details.entryId */
  entry?: string | string[];
  /** lexicon category in details.category */
  category?: string | string[];
  /** minimum duration end - start (or details.durationSec) */
  minSec?: number;
  minConfidence?: number;
  /** exact values of the event's own detail fields (e.g. hold_etiquette's askedBefore: false); an event
   * without the field does not match */
  details?: Record<string, string | number | boolean>;
}

export type KeywordMatch = 'any' | 'all' | 'none' | 'atLeast';
export interface KeywordCondition extends Scoped {
  keywords: string[];
  match?: KeywordMatch;
  atLeast?: number;
  /** false (default): the keywords must co-occur within one sentence; true: anywhere in the scoped sentences */
  across?: boolean;
}

export interface RegexCondition extends Scoped {
  regex: string;
  /** a sentence that also matches this pattern is not a hit */
  exclude?: string;
  /** flags: i (ignore case), m (multi-line), s (dot matches newline); matching is always Unicode-aware */
  flags?: string;
}

export interface SimilarCondition extends Scoped {
  similar: string[];
  /** 0..1, default 0.75 */
  threshold?: number;
}

export interface RepeatedCondition extends Scoped {
  repeated: {
    /** the same thing said at least this many times */
    minTimes: number;
    /** 0..1, default 0.8 */
    threshold?: number;
    /** ignore sentences shorter than this many characters (Chinese) / words x 4 (English); default 4 */
    minChars?: number;
  };
}

export interface SilenceCondition extends CountBounds {
  silence: { minSec: number };
  window?: SentenceWindow;
}

export interface TalkOverCondition extends CountBounds {
  talkOver: { minSec?: number; by?: Role };
  window?: SentenceWindow;
}

export interface HoldCondition extends CountBounds {
  hold: { minSec: number };
  window?: SentenceWindow;
}

export interface SpeechRateCondition extends CountBounds {
  speechRate: {
    /** hit when the rate is above this (characters/min for Chinese, words/min for English) */
    above?: number;
    /** hit when the rate is below this */
    below?: number;
    /** 'call' (default): one rate over the role's whole speaking time; 'turn': per sentence */
    per?: 'call' | 'turn';
    /** sentences shorter than this are not rated on their own (per: turn); default 3 */
    minSentenceSec?: number;
  };
  role?: Role;
  window?: SentenceWindow;
}

export interface MetadataCondition {
  /** field of the call metadata, e.g. ringSec, hungUpBy, direction, transfers */
  metadata: string;
  equals?: string | number | boolean;
  in?: (string | number)[];
  lt?: number;
  lte?: number;
  gt?: number;
  gte?: number;
}

export type Position = 'before' | 'after' | 'around';
export interface RelativeCondition extends CountBounds {
  relative: {
    /** the anchor, e.g. a customer complaint or a hold */
    to: Condition;
    /** what is looked for near each anchor */
    find: Condition;
    position: Position;
    withinTurns?: number;
    withinSec?: number;
    /**
     * found (default): hits are the `find` hits near some anchor;
     * anchorsWithout: hits are the anchors with nothing found near them (e.g. a complaint with no apology);
     * anchorsWith: hits are the anchors that have one.
     */
    report?: 'found' | 'anchorsWithout' | 'anchorsWith';
  };
}

export interface AllCondition {
  all: Condition[];
}
export interface AnyCondition {
  any: Condition[];
}
export interface NotCondition {
  not: Condition;
}

export type Condition =
  | EventCondition
  | KeywordCondition
  | RegexCondition
  | SimilarCondition
  | RepeatedCondition
  | SilenceCondition
  | TalkOverCondition
  | HoldCondition
  | SpeechRateCondition
  | MetadataCondition
  | RelativeCondition
  | AllCondition
  | AnyCondition
  | NotCondition;

// ---------------------------------------------------------------------------------------------------------
// zod schemas. Conditions dispatch on their operator key so that an error names the operator and field
// ("items.3.fail.keywords.match: ...") instead of zod's generic "no union member matched".

const count = { minCount: z.number().int().nonnegative().optional(), maxCount: z.number().int().nonnegative().optional() };
const RoleSchema = z.enum(ROLES);
export const WindowSchema = z
  .object({
    first: z.number().int().positive().optional(),
    last: z.number().int().positive().optional(),
    firstSec: z.number().positive().optional(),
    lastSec: z.number().positive().optional(),
  })
  .strict()
  .refine((w) => Object.values(w).filter((v) => v !== undefined).length === 1, 'window: give exactly one of first, last, firstSec, lastSec');
const scoped = { ...count, role: RoleSchema.optional(), window: WindowSchema.optional() };
const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** Rule patterns run on RE2 (linear time, see linear-regex.ts): what RE2 cannot compile is refused at load. */
function regexPattern() {
  return z
    .string()
    .min(1)
    .superRefine((src, ctx) => {
      const problem = linearRegexProblem(src);
      if (problem) {
        ctx.addIssue({
          code: 'custom',
          // the RE2 hint only where it explains the problem: after "missing closing )" it sent authors hunting for a lookahead
          message: `not a valid regular expression for callqa's linear-time (RE2) engine: ${problem}${
            /\(\?<?[=!]|\\[1-9]/.test(src) ? ' (lookahead, lookbehind and backreferences are not supported: write an exclude: pattern instead)' : ''
          }`,
        });
        return;
      }
      // sentences are matched in Simplified (docs/pipelines.md): a pattern written in Traditional never matches
      const simplified = toSimplifiedChinese(src);
      if (simplified !== src) {
        ctx.addIssue({
          code: 'custom',
          message: `"${src}" has Traditional characters, but sentences are matched in Simplified Chinese, so it would never match: write "${simplified}"`,
        });
      }
    });
}

// Lazily resolved so nested conditions reuse the dispatcher.
export const ConditionSchema: z.ZodType<Condition> = z.lazy(() => ConditionDispatch) as z.ZodType<Condition>;

const OPERATORS: Record<string, () => z.ZodType> = {
  event: () =>
    z
      .object({
        event: oneOrMany,
        entry: oneOrMany.optional(),
        category: oneOrMany.optional(),
        minSec: z.number().nonnegative().optional(),
        minConfidence: z.number().min(0).max(1).optional(),
        details: z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()])).optional(),
        ...scoped,
      })
      .strict(),
  keywords: () =>
    z
      .object({
        keywords: z.array(z.string().min(1)).min(1),
        match: z.enum(['any', 'all', 'none', 'atLeast']).optional(),
        atLeast: z.number().int().positive().optional(),
        across: z.boolean().optional(),
        ...scoped,
      })
      .strict()
      .refine((c) => c.match !== 'atLeast' || c.atLeast !== undefined, { message: 'match: atLeast needs atLeast: N', path: ['atLeast'] }),
  regex: () =>
    z
      .object({
        regex: regexPattern(),
        exclude: regexPattern().optional(),
        flags: z.string().regex(/^[imsu]*$/, 'flags: only i, m, s, u').optional(),
        ...scoped,
      })
      .strict()
      .superRefine((c, ctx) => {
        // sentences are matched lower-cased (docs/pipelines.md): a capital letter outside an escape never matches without i
        if (c.flags?.includes('i')) return;
        for (const field of ['regex', 'exclude'] as const) {
          const src = c[field];
          if (src === undefined) continue;
          const literal = src.replace(/\\[pP]\{[^}]*\}|\\.|\(\?P?<[^>]*>/gsu, '');
          if (/\p{Lu}/u.test(literal)) {
            ctx.addIssue({
              code: 'custom',
              path: [field],
              message: `"${src}" has upper-case letters, but sentences are matched lower-cased, so it would never match: write it in lower case or add flags: i`,
            });
          }
        }
      }),
  similar: () =>
    z
      .object({ similar: z.array(z.string().min(1)).min(1), threshold: z.number().gt(0).max(1).optional(), ...scoped })
      .strict(),
  repeated: () =>
    z
      .object({
        repeated: z
          .object({
            minTimes: z.number().int().min(2),
            threshold: z.number().gt(0).max(1).optional(),
            minChars: z.number().int().nonnegative().optional(),
          })
          .strict(),
        ...scoped,
      })
      .strict(),
  silence: () =>
    z.object({ silence: z.object({ minSec: z.number().nonnegative() }).strict(), window: WindowSchema.optional(), ...count }).strict(),
  talkOver: () =>
    z
      .object({
        talkOver: z.object({ minSec: z.number().nonnegative().optional(), by: RoleSchema.optional() }).strict(),
        window: WindowSchema.optional(),
        ...count,
      })
      .strict(),
  hold: () => z.object({ hold: z.object({ minSec: z.number().nonnegative() }).strict(), window: WindowSchema.optional(), ...count }).strict(),
  speechRate: () =>
    z
      .object({
        speechRate: z
          .object({
            above: z.number().positive().optional(),
            below: z.number().positive().optional(),
            per: z.enum(['call', 'turn']).optional(),
            minSentenceSec: z.number().nonnegative().optional(),
          })
          .strict()
          .refine((s) => s.above !== undefined || s.below !== undefined, 'speechRate: give above and/or below'),
        role: RoleSchema.optional(),
        window: WindowSchema.optional(),
        ...count,
      })
      .strict(),
  metadata: () =>
    z
      .object({
        metadata: z.string().min(1),
        equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
        in: z.array(z.union([z.string(), z.number()])).min(1).optional(),
        lt: z.number().optional(),
        lte: z.number().optional(),
        gt: z.number().optional(),
        gte: z.number().optional(),
      })
      .strict(),
  relative: () =>
    z
      .object({
        relative: z
          .object({
            to: ConditionSchema,
            find: ConditionSchema,
            position: z.enum(['before', 'after', 'around']),
            withinTurns: z.number().int().nonnegative().optional(),
            withinSec: z.number().nonnegative().optional(),
            report: z.enum(['found', 'anchorsWithout', 'anchorsWith']).optional(),
          })
          .strict(),
        ...count,
      })
      .strict(),
  all: () => z.object({ all: z.array(ConditionSchema).min(1) }).strict(),
  any: () => z.object({ any: z.array(ConditionSchema).min(1) }).strict(),
  not: () => z.object({ not: ConditionSchema }).strict(),
};
export const CONDITION_OPERATORS = Object.keys(OPERATORS);

const operatorSchemas = new Map<string, z.ZodType>();
function operatorSchema(op: string): z.ZodType {
  let s = operatorSchemas.get(op);
  if (!s) {
    s = OPERATORS[op]!();
    operatorSchemas.set(op, s);
  }
  return s;
}

const ConditionDispatch = z.unknown().transform((value, ctx) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: `a condition must be a map with one of: ${CONDITION_OPERATORS.join(', ')}` });
    return z.NEVER;
  }
  const ops = Object.keys(value).filter((k) => k in OPERATORS);
  if (ops.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message:
        ops.length === 0
          ? `unknown condition (keys: ${Object.keys(value).join(', ') || 'none'}); use one of: ${CONDITION_OPERATORS.join(', ')}`
          : `a condition has exactly one operator, found ${ops.join(' and ')}; combine them with all/any`,
    });
    return z.NEVER;
  }
  const r = operatorSchema(ops[0]!).safeParse(value);
  if (!r.success) {
    for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as PropertyKey[] });
    return z.NEVER;
  }
  return r.data as Condition;
});

// ---------------------------------------------------------------------------------------------------------
// Scorecard

export const ITEM_KINDS = ['standard', 'penalty', 'bonus', 'fatal', 'manual'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export const ItemSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, . _ - only, starting with a letter or digit'),
    title: z.string().min(1),
    /** where the item comes from: seed file and section, e.g. "000_6e589921b12215bc.txt 第三篇 三、6" */
    source: z.string().min(1),
    kind: z.enum(ITEM_KINDS).default('standard'),
    /**
     * standard/manual: the item's full marks; penalty: deducted from the section per occurrence;
     * bonus: added per occurrence; fatal: unused.
     */
    points: z.number().nonnegative().default(0),
    /** occurrences of this condition are faults (deductions, penalties, fatal) or, for bonus items, merits */
    fail: ConditionSchema.optional(),
    /** this must hold; when it does not, the item is deducted (bonus items: awarded when it holds) */
    pass: ConditionSchema.optional(),
    /** standard items: deduction per occurrence of `fail` (default: the full points at the first) */
    deduct: z.number().positive().optional(),
    /** penalty items: the most one item can subtract; bonus items: the most it can add */
    cap: z.number().positive().optional(),
    /** when this does not hold (or its data is absent), the item is not applicable */
    applicableWhen: ConditionSchema.optional(),
    /** when this holds, the automatic verdict is replaced by needs_review (evidence kept) */
    reviewWhen: ConditionSchema.optional(),
    /** fatal items: 'fatal' zeroes the card at once; 'review' flags it for the inspector to confirm */
    onHit: z.enum(['fatal', 'review']).optional(),
    /** manual items: hits of this condition are attached as evidence (hints for the inspector, never a verdict) */
    evidence: ConditionSchema.optional(),
    /** for manual items and reviews: what the inspector should listen for */
    guidance: z.string().optional(),
  })
  .strict()
  .superRefine((item, ctx) => {
    const rule = item.fail ?? item.pass;
    if (item.fail && item.pass) ctx.addIssue({ code: 'custom', message: 'give either fail or pass, not both', path: ['pass'] });
    if (item.kind === 'manual' && rule) ctx.addIssue({ code: 'custom', message: 'manual items have no fail/pass rule', path: ['kind'] });
    if ((item.kind === 'standard' || item.kind === 'penalty' || item.kind === 'bonus') && !rule)
      ctx.addIssue({ code: 'custom', message: `${item.kind} items need a fail or pass rule (or kind: manual)`, path: ['fail'] });
    if (item.kind !== 'fatal' && item.kind !== 'manual' && item.points <= 0)
      ctx.addIssue({ code: 'custom', message: `${item.kind} items need points > 0`, path: ['points'] });
    if (item.evidence && item.kind !== 'manual' && !(item.kind === 'fatal' && !rule))
      ctx.addIssue({ code: 'custom', message: 'evidence is for manual items (rules bring their own evidence)', path: ['evidence'] });
    if (item.onHit && item.kind !== 'fatal') ctx.addIssue({ code: 'custom', message: 'onHit is for fatal items', path: ['onHit'] });
    if (item.deduct !== undefined && item.kind !== 'standard')
      ctx.addIssue({ code: 'custom', message: 'deduct is for standard items (penalty items deduct their points)', path: ['deduct'] });
    if (item.cap !== undefined && item.kind !== 'penalty' && item.kind !== 'bonus')
      ctx.addIssue({ code: 'custom', message: 'cap is for penalty and bonus items', path: ['cap'] });
    // an item never goes below 0, so a deduction over its points is a typo (deduct: 20 on a 2-point item)
    if (item.deduct !== undefined && item.kind === 'standard' && item.points > 0 && item.deduct > item.points)
      ctx.addIssue({ code: 'custom', message: `deduct ${item.deduct} is more than the item's ${item.points} points (an item never goes below 0): give at most ${item.points}, or leave deduct out to take all points at the first fault`, path: ['deduct'] });
  });
export type ScoreItem = z.infer<typeof ItemSchema>;

export const SectionSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, . _ - only, starting with a letter or digit'),
    title: z.string().min(1),
    source: z.string().optional(),
    /** full marks of the section (for a bonus section: the most it can add) */
    max: z.number().nonnegative(),
    /** a 加分项 section: only bonus items, not part of the base total */
    bonus: z.boolean().default(false),
    items: z.array(ItemSchema).min(1),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.bonus) {
      s.items.forEach((it, i) => {
        if (it.kind !== 'bonus' && it.kind !== 'manual')
          ctx.addIssue({ code: 'custom', message: 'a bonus section holds only bonus (or manual) items', path: ['items', i, 'kind'] });
      });
      return;
    }
    const sum = s.items.filter((it) => it.kind === 'standard' || it.kind === 'manual').reduce((a, it) => a + it.points, 0);
    if (Math.abs(sum - s.max) > 1e-9)
      ctx.addIssue({ code: 'custom', message: `standard and manual item points add up to ${sum}, not the section max ${s.max}`, path: ['max'] });
  });
export type ScoreSection = z.infer<typeof SectionSchema>;

export const ScorecardSchema = z
  .object({
    title: z.string().min(1),
    source: z.string().optional(),
    /** full marks; default: the sum of the non-bonus sections. The total never exceeds it (bonus offsets deductions). */
    maxTotal: z.number().positive().optional(),
    sections: z.array(SectionSchema).min(1),
  })
  .strict()
  .superRefine((card, ctx) => {
    const seen = new Map<string, string>();
    card.sections.forEach((s, si) => {
      if (seen.has(`section:${s.id}`)) ctx.addIssue({ code: 'custom', message: `duplicate section id ${s.id}`, path: ['sections', si, 'id'] });
      seen.set(`section:${s.id}`, s.id);
      s.items.forEach((it, ii) => {
        if (seen.has(it.id)) ctx.addIssue({ code: 'custom', message: `duplicate item id ${it.id}`, path: ['sections', si, 'items', ii, 'id'] });
        seen.set(it.id, s.id);
      });
    });
    const base = card.sections.filter((s) => !s.bonus).reduce((a, s) => a + s.max, 0);
    if (card.maxTotal !== undefined && Math.abs(card.maxTotal - base) > 1e-9)
      ctx.addIssue({ code: 'custom', message: `maxTotal ${card.maxTotal} differs from the sum of the sections (${base})`, path: ['maxTotal'] });
  });
export type Scorecard = z.infer<typeof ScorecardSchema>;

// ---------------------------------------------------------------------------------------------------------
// Review policy: how many calls of this program get a human, which ones first, and how inspectors are
// calibrated (pipelines/<id>.yaml, key `review`; reference in pipelines/README.md and docs/review.md).
// Every default comes from a seed and says which; the arithmetic lives in src/review/.

export const SamplingPolicySchema = z
  .object({
    /** share of the week's calls that is reviewed: 002_86dd0be3b1ad6e94.txt 一、2 监控频率 (5%-15% of volume) */
    shareOfVolume: z
      .object({ min: z.number().min(0).max(1).default(0.05), max: z.number().min(0).max(1).default(0.15) })
      .strict()
      .refine((s) => s.min <= s.max, { message: 'min must not exceed max', path: ['min'] })
      .default({ min: 0.05, max: 0.15 }),
    /** 002 一、2: 每位CSR每周至少被监控3次 */
    minPerAgentPerWeek: z.number().int().nonnegative().default(3),
    /** 002 一、2: 对于新员工...应加强监控; an agent is new for this many days after their first call (or start date) */
    newAgent: z
      .object({ days: z.number().int().positive().default(30), minPerWeek: z.number().int().nonnegative().default(10) })
      .strict()
      .default({ days: 30, minPerWeek: 10 }),
    /**
     * 002 一、2: 对于表现不够好的员工监控的频率要大于表现好的员工; 数据...持续下降时 加大监控. An agent is weak
     * when their mean final score over the last `lookbackWeeks` is below `belowScore` (percent of full marks), or
     * falling when last week's mean is at least `fallingBy` points under the weeks before.
     */
    weakAgent: z
      .object({
        belowScore: z.number().min(0).max(100).default(80),
        fallingBy: z.number().positive().default(5),
        lookbackWeeks: z.number().int().positive().default(4),
        minPerWeek: z.number().int().nonnegative().default(6),
      })
      .strict()
      .default({ belowScore: 80, fallingBy: 5, lookbackWeeks: 4, minPerWeek: 6 }),
    /**
     * 001_c5af34a6c69547e3.txt 质检日常考核标准 二、质检比例: 根据通用COPC抽样计算器, 每个项目按置信度不低于95%的标准抽取录音.
     * The seed gives the confidence, not the margin: ±5 percentage points is the calculator's usual default.
     * n = z²·p(1−p)/e², corrected for the week's volume N: n / (1 + (n − 1)/N).
     */
    confidence: z.number().gt(0).lt(1).default(0.95),
    marginOfError: z.number().gt(0).lt(1).default(0.05),
    /** expected share of calls with a fault; 0.5 is the worst case (largest sample) */
    expectedProportion: z.number().gt(0).lt(1).default(0.5),
    /**
     * 002 一、3: 应该随机抽样. This share of the volume is drawn uniformly at random (marked random in the queue),
     * so QA statistics over random reviews stay unbiased; the rest of the target is filled by risk.
     */
    randomShare: z.number().min(0).max(1).default(0.05),
    /** seed of the random draw (with the ISO week), so the same week draws the same calls again */
    seed: z.string().min(1).default('callqa'),
  })
  .strict();
export type SamplingPolicy = z.infer<typeof SamplingPolicySchema>;

export const QuotaPolicySchema = z
  .object({
    /** 002 一、4 监控报告: 录音监控每人至少5个/天 */
    minPerInspectorPerDay: z.number().int().nonnegative().default(5),
    /** the most one inspector is given per day (0 = no limit) */
    maxPerInspectorPerDay: z.number().int().nonnegative().default(0),
    /** working days of the QA week (ISO weekday numbers, Monday = 1) */
    workdays: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
  })
  .strict();
export type QuotaPolicy = z.infer<typeof QuotaPolicySchema>;

export const TriagePolicySchema = z
  .object({
    /** a draft total below this percent of full marks is a reason */
    lowTotalPercent: z.number().min(0).max(100).default(80),
    /** dead air at least this long (s) is a reason (000 第二篇: avoid long silence) */
    longDeadAirSec: z.number().positive().default(10),
    /** hold at least this long (s) is a reason (000 第二篇: no hold over one minute) */
    longHoldSec: z.number().positive().default(60),
    /** mean ASR confidence of the call below this is a reason */
    lowAsrConfidence: z.number().min(0).max(1).default(0.6),
    /** weights of the reasons in the risk score (higher first); missing keys keep their defaults */
    weights: z.record(z.string(), z.number().nonnegative()).default({}),
  })
  .strict();
export type TriagePolicy = z.infer<typeof TriagePolicySchema>;

export const CalibrationPolicySchema = z
  .object({
    /** benchmark of a session: the supervisor's scores, or the consensus (median) of the inspectors */
    benchmark: z.enum(['supervisor', 'consensus']).default('supervisor'),
    /** weighted accuracy under this needs retraining (002 一、5: 评估标准有偏差 ... 进行再培训) */
    passAccuracy: z.number().min(0).max(1).default(0.9),
    /** mean signed deviation (share of item points) at which an inspector scores systematically high or low */
    biasThreshold: z.number().positive().max(1).default(0.05),
  })
  .strict();
export type CalibrationPolicy = z.infer<typeof CalibrationPolicySchema>;

export const ReviewPolicySchema = z
  .object({
    sampling: SamplingPolicySchema.default(() => SamplingPolicySchema.parse({})),
    quotas: QuotaPolicySchema.default(() => QuotaPolicySchema.parse({})),
    triage: TriagePolicySchema.default(() => TriagePolicySchema.parse({})),
    calibration: CalibrationPolicySchema.default(() => CalibrationPolicySchema.parse({})),
    /** disputes (质检申诉): window and limit (src/review/settings.ts, docs/review.md) */
    disputes: DisputeSettingsSchema.default(() => DisputeSettingsSchema.parse({})),
  })
  .strict();
export type ReviewPolicy = z.infer<typeof ReviewPolicySchema>;
export const defaultReviewPolicy = (): ReviewPolicy => ReviewPolicySchema.parse({});
