import { callConnectSec } from '../../core/connect.js';
import type { CallState, Stage, StageContext } from '../stage.js';
import type { ScoreInput } from '../../score/rules.js';
import { draftScorecard, type ScorecardDraft } from '../../score/scorecard.js';

/**
 * The score stage: drafts the pipeline's scorecard from the call's events, transcript, metrics and call
 * metadata. The draft (docs/scorecard.md) names the pipeline id and version that produced it; the store keeps
 * it beside the run, and re-scoring with a changed pipeline adds a new draft instead of rewriting this one.
 * A pipeline without a scorecard produces nothing.
 */

/** What was measured, so rules can tell "not found" from "not looked for". */
export function scoreInputFromState(state: CallState, ctx: Pick<StageContext, 'recording'>): ScoreInput {
  const channels = state.timeline?.channels.length ?? state.info?.channels;
  const durationSec = state.info?.durationSec ?? state.timeline?.durationSec;
  return {
    events: state.events,
    transcript: state.transcript ?? null,
    metadata: ctx.recording.metadata ?? {},
    metrics: state.metrics,
    ...(durationSec ? { durationSec } : {}),
    // as the text detectors found it (their metric), else from the metadata, the transcript or the voice activity
    connectSec:
      typeof state.metrics?.connectSec === 'number'
        ? state.metrics.connectSec
        : callConnectSec({ metadata: ctx.recording.metadata, segments: state.transcript?.segments, timeline: state.timeline }),
    available: {
      // a transcript with no segments (an empty sidecar, whisper finding no words, every line dropped as a
      // hallucination) is no evidence that the agent did not greet or close: not measured, so those items
      // wait for review instead of passing on the absence of a missing_greeting event
      transcript: !!state.transcript && state.transcript.segments.length > 0,
      audio: !!state.timeline,
      // talk-over needs one channel per speaker (issue 3: mono is "not measurable", not zero)
      talkOver: !!state.timeline && (channels ?? 0) >= 2,
    },
  };
}

export function draftForState(state: CallState, ctx: Pick<StageContext, 'recording' | 'pipeline'>): ScorecardDraft | null {
  const card = ctx.pipeline.scorecard;
  if (!card) return null;
  return draftScorecard(card, scoreInputFromState(state, ctx), { id: ctx.pipeline.id, version: ctx.pipeline.version });
}

export const scoreStage: Stage = {
  name: 'score',
  async run(state, ctx) {
    const draft = draftForState(state, ctx);
    if (!draft) return {};
    ctx.progress?.(1);
    return { scorecard: draft };
  },
};
