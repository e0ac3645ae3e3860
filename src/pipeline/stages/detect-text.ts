import type { TimeSpan } from '../../core/types.js';
import { runTextDetectors } from '../../detect/text/index.js';
import { defaultLexiconsDir, lexiconsFor } from '../loader.js';
import type { Stage } from '../stage.js';

/**
 * The text half of the detect stage: lexicon-based detectors over the transcript. Lexicons are the
 * pipeline's `lexicons` sets, loaded and validated by the pipeline loader (the same cached object);
 * thresholds are the pipeline's `text` block, validated at load.
 */

/** @deprecated kept for existing imports: the loader owns lexicon loading (lexiconsFor). */
export { defaultLexiconsDir };
export function cachedLexicons(dir: string, sets?: readonly string[]) {
  return lexiconsFor({ lexicons: sets ? [...sets] : undefined }, dir);
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
    const params = ctx.pipeline.text;
    const lex = lexiconsFor(ctx.pipeline);
    // hold events are the audio stage's reported holds (already filtered by holdMinSec); fall back to the timeline
    const holdEvents: TimeSpan[] = state.events.filter((e) => e.type === 'hold').map((e) => ({ start: e.start, end: e.end }));
    const holdSpans = holdEvents.length ? holdEvents : (state.timeline?.hold ?? []);
    const durationSec =
      state.info?.durationSec ?? state.timeline?.durationSec ?? Math.max(0, ...transcript.segments.map((s) => s.end));
    const result = runTextDetectors(
      { transcript, durationSec, holdSpans, language: ctx.pipeline.language, metadata: ctx.recording.metadata, timeline: state.timeline },
      lex,
      params,
    );
    return { events: result.events, metrics: { ...result.metrics, lexiconVersion: result.lexiconVersion } };
  },
};
