/**
 * Review-workflow test data: the shipped example dialogues of inbound-service-zh drafted by the real scorecard
 * and stored through the repository as analysed calls, for three agents in two teams, analysed on Monday of
 * ISO week 2026-W49 (the suites' clock is that Tuesday). Shared by the triage API suite and the CLI suite.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { examplesFileFor, loadExamples, loadPipeline } from '../../src/pipeline/loader.js';
import { exampleInput } from '../../src/score/examples.js';
import { draftScorecard } from '../../src/score/scorecard.js';
import type { Services } from '../../src/services/index.js';
import type { AuthUser } from '../../src/services/types.js';
import type { Store } from '../../src/store/db.js';
import { analysisRuns, recordings } from '../../src/store/schema.js';

export const NOW = new Date('2026-12-01T10:00:00Z'); // Tuesday, 2026-W49 (Monday 2026-11-30)
export const WEEK_LABEL = '2026-W49';

export const { file: PIPELINE_FILE, pipeline } = loadPipeline('inbound-service-zh');
export const EXAMPLES = loadExamples(examplesFileFor(PIPELINE_FILE)!).examples;
// 0 clean, 1 problems (banned phrases -2, total 80), 2 metadata absent, 3 not transcribed, 4 possible fatal (abuse)
export const CLEAN = 0;
export const PROBLEM = 1;
export const ABUSE = 4;

// a1 and a2 in team blue, b1 in team green; a2 started recently (a new agent)
export const CALLS: { agent: string; team: string; example: number }[] = [
  ...[CLEAN, PROBLEM, 2, ABUSE, CLEAN, PROBLEM].map((example) => ({ agent: 'a1', team: 'blue', example })),
  ...[CLEAN, PROBLEM, 3, CLEAN, PROBLEM, 2].map((example) => ({ agent: 'a2', team: 'blue', example })),
  ...[CLEAN, PROBLEM, ABUSE, 2].map((example) => ({ agent: 'b1', team: 'green', example })),
];

/** Stores one example dialogue as an analysed call (recording, run, events, transcript, draft). */
export async function storeCall(store: Store, c: (typeof CALLS)[number], i: number): Promise<string> {
  const ex = EXAMPLES[c.example]!;
  const input = exampleInput(ex);
  const draft = draftScorecard(pipeline.scorecard!, input, { id: pipeline.id, version: pipeline.version });
  const { id } = await store.repo.upsertRecording({
    contentHash: randomBytes(32).toString('hex'),
    path: `/nonexistent/call-${i}.wav`,
    fileName: `call-${String(i).padStart(2, '0')}-${c.agent}.wav`,
    info: { format: 'wav', codec: 'pcm_s16le', durationSec: ex.durationSec ?? 60, channels: 2, sampleRate: 8000 },
    sizeBytes: 1000,
    metadata: { ...input.metadata, agentId: c.agent, team: c.team },
  });
  const { run } = await store.repo.getOrCreateRun(id, pipeline.id, pipeline.version, {});
  await store.repo.markRunStarted(run.id, 'probe');
  await store.repo.completeRun(run.id, { events: input.events, transcript: input.transcript, metrics: {}, notes: [], scorecard: draft });
  // analysed on Monday of the week; a1's and b1's first calls long ago (an old installation), a2's last week
  await store.db.update(analysisRuns).set({ finishedAt: new Date(Date.UTC(2026, 10, 30, 9, i)) }).where(eq(analysisRuns.id, run.id));
  await store.db
    .update(recordings)
    .set({ createdAt: c.agent === 'a2' ? new Date('2026-11-25T09:00:00Z') : new Date('2026-09-01T09:00:00Z') })
    .where(eq(recordings.id, id));
  return id;
}


/** Completes a review: the overrides given, the confirmations given, every other item left to people decided as the machine suggests or at full marks. */
export async function completeReviewOf(services: Services, u: AuthUser, callId: string, overrides: Record<string, number>, confirms: string[] = []): Promise<void> {
  for (const [itemId, points] of Object.entries(overrides))
    await services.reviews.decideItem(u, callId, { itemId, action: 'override', points, reason: { code: 'wrong_score', comment: 'heard otherwise' } });
  for (const itemId of confirms) await services.reviews.decideItem(u, callId, { itemId, action: 'confirm' });
  const call = await services.calls.getCall(u, callId);
  for (const s of call.scorecard!.sections)
    for (const it of s.items)
      if (call.scorecard!.pendingItems.includes(it.id))
        await services.reviews.decideItem(
          u,
          callId,
          it.kind === 'fatal' && it.machine.suggested?.status === 'fatal'
            ? { itemId: it.id, action: 'override', reason: { code: 'other', comment: 'not abusive' } }
            : it.machine.suggested || it.kind === 'fatal'
              ? { itemId: it.id, action: 'confirm' }
              : { itemId: it.id, action: 'confirm', points: it.maxPoints },
        );
  await services.reviews.completeReview(u, callId);
}
