import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TimeSpan } from '../../core/types.js';
import { parseTextParams, runTextDetectors } from '../../detect/text/index.js';
import { loadLexicons } from '../../lexicon/loader.js';
import type { LoadedLexicons } from '../../lexicon/schema.js';
import type { Stage } from '../stage.js';

/**
 * The text half of the detect stage: lexicon-based detectors over the transcript. Lexicons come from the
 * repository's lexicons/ folder (or CALLQA_LEXICONS_DIR) and the pipeline's `lexicons` sets, loaded once per
 * process per (dir, sets); thresholds from the pipeline's `text` block.
 */

export function defaultLexiconsDir(): string {
  return process.env.CALLQA_LEXICONS_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../lexicons');
}

const lexiconCache = new Map<string, LoadedLexicons>();

export function cachedLexicons(dir: string, sets?: readonly string[]): LoadedLexicons {
  const key = JSON.stringify([dir, sets ?? []]);
  let lex = lexiconCache.get(key);
  if (!lex) {
    lex = loadLexicons(dir, sets);
    lexiconCache.set(key, lex);
  }
  return lex;
}

export const detectTextStage: Stage = {
  name: 'detect',
  async run(state, ctx) {
    const transcript = state.transcript;
    if (!transcript) {
      return {
        events: [],
        notes: [`text detectors skipped: no transcript${state.transcriptSkipped ? ` (${state.transcriptSkipped})` : ''}`],
      };
    }
    const params = parseTextParams(ctx.pipeline.text, `pipeline ${ctx.pipeline.id}`);
    const lex = cachedLexicons(defaultLexiconsDir(), ctx.pipeline.lexicons);
    // hold events are the audio stage's reported holds (already filtered by holdMinSec); fall back to the timeline
    const holdEvents: TimeSpan[] = state.events.filter((e) => e.type === 'hold').map((e) => ({ start: e.start, end: e.end }));
    const holdSpans = holdEvents.length ? holdEvents : (state.timeline?.hold ?? []);
    const durationSec =
      state.info?.durationSec ?? state.timeline?.durationSec ?? Math.max(0, ...transcript.segments.map((s) => s.end));
    const result = runTextDetectors({ transcript, durationSec, holdSpans, language: ctx.pipeline.language }, lex, params);
    return { events: result.events, metrics: { ...result.metrics, lexiconVersion: result.lexiconVersion } };
  },
};
