import { and, eq, sql } from 'drizzle-orm';
import type { Speaker } from '../core/types.js';
import type { StoreDb } from './db.js';
import { recordings, stageOutputs } from './schema.js';

/** What the media service needs to make a call's playable copy and peaks: where the bytes are, and who is on which channel. */
export interface MediaSourceRow {
  contentHash: string;
  path: string;
  fileName: string;
  channels: number | null;
  sampleRate: number | null;
  /** speaker per channel as the audio stage labelled them (absent before the audio stage has run) */
  speakers: Speaker[] | null;
}

export class MediaRepo {
  constructor(private readonly db: StoreDb) {}

  async mediaSource(recordingId: string, runId: string | null): Promise<MediaSourceRow | null> {
    const [rec] = await this.db
      .select({
        contentHash: recordings.contentHash,
        path: recordings.path,
        fileName: recordings.fileName,
        channels: recordings.channels,
        sampleRate: recordings.sampleRate,
      })
      .from(recordings)
      .where(eq(recordings.id, recordingId));
    if (!rec) return null;
    let speakers: Speaker[] | null = null;
    if (runId) {
      const [row] = await this.db
        .select({ speakers: sql<Speaker[] | null>`(select json_agg(c ->> 'speaker') from jsonb_array_elements(${stageOutputs.output} -> 'timeline' -> 'channels') c)` })
        .from(stageOutputs)
        .where(and(eq(stageOutputs.runId, runId), eq(stageOutputs.stage, 'audio')));
      speakers = row?.speakers ?? null;
    }
    return { ...rec, speakers };
  }

}
