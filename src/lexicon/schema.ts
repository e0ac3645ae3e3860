import { z } from 'zod';

/**
 * The lexicon file format (lexicons/<lang>/<category>.yaml). QA staff edit these files; lexicons/README.md
 * explains the fields in their terms. Validation happens once at load (loader.ts) and names file and entry.
 */

export const LEXICON_CATEGORIES = [
  'greeting',
  'closing',
  'self_identification',
  'banned',
  'filler',
  'politeness',
  'apology',
  'thanks',
  'hold',
  'escalation',
  'hallucination',
] as const;
export type LexiconCategory = (typeof LEXICON_CATEGORIES)[number];

export const LEXICON_LANGUAGES = ['zh', 'en'] as const;
export type LexiconLanguage = (typeof LEXICON_LANGUAGES)[number];

export const RoleSchema = z.enum(['agent', 'customer', 'any']);
export type LexiconRole = z.infer<typeof RoleSchema>;

/** Where in the call an entry counts: the opening window, the closing window, or anywhere. */
export const PositionSchema = z.enum(['opening', 'closing', 'any']);
export type LexiconPosition = z.infer<typeof PositionSchema>;

export const SeveritySchema = z.enum(['info', 'minor', 'major', 'critical']);
export type Severity = z.infer<typeof SeveritySchema>;

/**
 * `none`: a plain substring (Chinese) / token-sequence (English) match.
 * `pause`: the match must be followed by a pause (punctuation, a space between Chinese characters, the end of
 * the utterance) or be repeated straight away — for words that are fillers only when dangling (那个, "like").
 * `word`: the match must be followed by more speech in the same clause (no pause, not the end) — for
 * introducers that only mean something with what follows (我是客服 + a name).
 */
export const BoundarySchema = z.enum(['none', 'pause', 'word']);

const phrase = z.string().trim().min(1, 'empty phrase');

/** Fields an entry may take from the file's `defaults`. */
const EntryDefaultsShape = {
  role: RoleSchema,
  position: PositionSchema,
  /** overrides the pipeline's opening/closing window for this entry, in seconds */
  withinSec: z.number().positive(),
  severity: SeveritySchema,
  boundary: BoundarySchema,
  /** tolerate ASR errors: pinyin homophones (zh) or Metaphone codes (en) */
  fuzzy: z.boolean(),
  /** confidence given to a fuzzy (not exact) hit */
  fuzzyConfidence: z.number().gt(0).lt(1),
  /** `count`: counted in metrics only, no event per hit (e.g. 您) */
  emit: z.enum(['event', 'count']),
  /**
   * false: the phrase does not count when it is all the utterance says (a bare "hello?" picking up the line is
   * not an opening greeting, issue 16). Default true.
   */
  countsAlone: z.boolean(),
};

export const LexiconEntrySchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z]{2}\.[a-z0-9_-]+(\.[a-z0-9_-]+)*$/, 'must look like <lang>.<category>.<name> in lower-case letters, digits, - and _'),
    phrases: z.array(phrase).min(1, 'at least one phrase'),
    /** sub-kind inside a category: staff_id | organisation (self-id), before | after (hold), complaint | escalation | regulator */
    kind: z.string().min(1).optional(),
    /** longer phrases containing the hit that cancel it (e.g. 我听不清楚 for 不清楚) */
    exceptions: z.array(phrase).default([]),
    /** the seed file and section the entry comes from; required for Chinese entries */
    source: z.string().min(1).optional(),
    note: z.string().optional(),
    role: RoleSchema.optional(),
    position: PositionSchema.optional(),
    withinSec: EntryDefaultsShape.withinSec.optional(),
    severity: SeveritySchema.optional(),
    boundary: BoundarySchema.optional(),
    fuzzy: z.boolean().optional(),
    fuzzyConfidence: EntryDefaultsShape.fuzzyConfidence.optional(),
    emit: EntryDefaultsShape.emit.optional(),
    countsAlone: z.boolean().optional(),
  })
  .strict();

export const LexiconFileSchema = z
  .object({
    version: z.union([z.string().min(1), z.number()]).transform(String),
    language: z.enum(LEXICON_LANGUAGES),
    category: z.enum(LEXICON_CATEGORIES),
    description: z.string().optional(),
    defaults: z.object(EntryDefaultsShape).partial().strict().default({}),
    /** words that introduce a quotation of the customer (您说 / "you said"): banned phrases quoted back are not hits */
    quoteMarkers: z.array(phrase).default([]),
    entries: z.array(LexiconEntrySchema).min(1, 'at least one entry'),
  })
  .strict();
export type LexiconFileData = z.infer<typeof LexiconFileSchema>;

/** One entry with the file's defaults applied: what the matcher and detectors see. */
export interface LexiconEntry {
  id: string;
  language: LexiconLanguage;
  category: LexiconCategory;
  kind?: string;
  phrases: string[];
  exceptions: string[];
  role: LexiconRole;
  position: LexiconPosition;
  withinSec?: number;
  severity: Severity;
  boundary: 'none' | 'pause' | 'word';
  fuzzy: boolean;
  fuzzyConfidence: number;
  emit: 'event' | 'count';
  /** false: does not count when it is the whole utterance */
  countsAlone: boolean;
  source?: string;
  /** repository-relative file the entry came from, for messages and the report */
  file: string;
}

export interface LexiconFileInfo {
  /** path relative to the lexicons directory, e.g. "zh/banned.yaml" */
  file: string;
  language: LexiconLanguage;
  category: LexiconCategory;
  version: string;
  entries: number;
  /** sha256 of the file bytes */
  sha256: string;
}

export interface LoadedLexicons {
  entries: LexiconEntry[];
  /** quote markers per language (union over that language's files) */
  quoteMarkers: Record<LexiconLanguage, string[]>;
  files: LexiconFileInfo[];
  /**
   * Recorded with every analysis: `<hash12>` = first 12 hex of sha256 over the loaded files (relative path +
   * bytes, sorted), prefixed with the declared versions, e.g. "en@1.0.0,zh@1.0.0#3fa2b9c1d0e4".
   */
  version: string;
}
