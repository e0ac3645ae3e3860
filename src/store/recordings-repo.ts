/**
 * Recordings: one row per audio content (sha256 of the bytes), with where it is, its given name, what the
 * probe found and the call metadata.
 */
import { eq, sql } from 'drizzle-orm';
import type { AudioInfo } from '../core/types.js';
import { erasedRecordings, type RecordingRow, recordings } from './schema.js';
import type { Db, UpsertRecordingInput } from './store-types.js';

/** The probe's findings stored on a recording (shared with the queue's fast path). */
export function setRecordingInfoQuery(db: Db, id: string, info: AudioInfo) {
  return db
    .update(recordings)
    .set({
      format: info.format,
      codec: info.codec,
      durationSec: info.durationSec,
      channels: info.channels,
      sampleRate: info.sampleRate,
      updatedAt: sql`now()`,
    })
    .where(eq(recordings.id, id));
}

export class RecordingsRepo {
  constructor(readonly db: Db) {}

  /**
   * Same content hash -> same row. A second upsert updates where the file is, its given name and probe info,
   * and merges the metadata (new keys win; keys absent from the new metadata are kept), or with
   * `replaceMetadata` replaces it.
   */
  async upsertRecording(input: UpsertRecordingInput): Promise<{ id: string; created: boolean }> {
    const { info } = input;
    const values = {
      contentHash: input.contentHash,
      path: input.path,
      fileName: input.fileName,
      sourcePath: input.sourcePath ?? input.path,
      sourceHost: input.sourceHost ?? null,
      format: info?.format ?? null,
      codec: info?.codec ?? null,
      durationSec: info?.durationSec ?? null,
      channels: info?.channels ?? null,
      sampleRate: info?.sampleRate ?? null,
      sizeBytes: input.sizeBytes,
      metadata: input.metadata ?? {},
    };
    const [row] = await this.db
      .insert(recordings)
      .values(values)
      .onConflictDoUpdate({
        target: recordings.contentHash,
        set: {
          path: sql`excluded.path`,
          fileName: sql`excluded.file_name`,
          sourcePath: sql`excluded.source_path`,
          sourceHost: sql`excluded.source_host`,
          // an upsert without probe info keeps what an earlier probe found
          format: sql`coalesce(excluded.format, ${recordings.format})`,
          codec: sql`coalesce(excluded.codec, ${recordings.codec})`,
          durationSec: sql`coalesce(excluded.duration_sec, ${recordings.durationSec})`,
          channels: sql`coalesce(excluded.channels, ${recordings.channels})`,
          sampleRate: sql`coalesce(excluded.sample_rate, ${recordings.sampleRate})`,
          sizeBytes: sql`excluded.size_bytes`,
          metadata: input.replaceMetadata ? sql`excluded.metadata` : sql`${recordings.metadata} || excluded.metadata`,
          updatedAt: sql`now()`,
        },
      })
      // xmax is 0 on a freshly inserted row version and non-zero on one written by ON CONFLICT DO UPDATE.
      .returning({ id: recordings.id, created: sql<boolean>`(xmax = 0)` });
    if (!row) throw new Error(`upsertRecording ${input.contentHash}: no row returned`);
    return { id: row.id, created: Boolean(row.created) };
  }

  /** Stores the probe stage's findings on a recording created without them. */
  async setRecordingInfo(id: string, info: AudioInfo): Promise<void> {
    await setRecordingInfoQuery(this.db, id, info);
  }

  async getRecording(id: string): Promise<RecordingRow | null> {
    const [row] = await this.db.select().from(recordings).where(eq(recordings.id, id));
    return row ?? null;
  }

  async getRecordingByHash(contentHash: string): Promise<RecordingRow | null> {
    const [row] = await this.db.select().from(recordings).where(eq(recordings.contentHash, contentHash));
    return row ?? null;
  }

  /** When and why recordings with these bytes were erased (callqa data), or null: such bytes are not stored again. */
  async erasure(contentHash: string): Promise<{ erasedAt: Date; reason: string } | null> {
    const [row] = await this.db
      .select({ erasedAt: erasedRecordings.erasedAt, reason: erasedRecordings.reason })
      .from(erasedRecordings)
      .where(eq(erasedRecordings.contentHash, contentHash));
    return row ?? null;
  }

}
