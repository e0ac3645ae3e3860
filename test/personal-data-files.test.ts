/**
 * callqa data erase, the edges a review found (src/services/personal-data.ts, src/store/personal-data-repo.ts):
 * --delete-audio deletes only the erased recording's bytes (a reused inbox name now holds another customer's call);
 * a storage copy that this process cannot reach is reported, not silently left; a retention purge of more calls
 * than PostgreSQL's 65535 bind parameters erases them all.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirStorage, SharedPathStorage } from '../src/queue/storage.js';
import { AuditService } from '../src/services/audit.js';
import { PersonalDataService } from '../src/services/personal-data.js';
import { systemActor } from '../src/services/types.js';
import { openStore, type Store } from '../src/store/index.js';
import { PersonalDataRepo } from '../src/store/personal-data-repo.js';
import { DB_BACKENDS } from './support/db-backends.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const NOW = new Date('2026-12-01T12:00:00Z');

describe.each(DB_BACKENDS)('callqa data erase: files and size on %s', (backendOf) => {
  const backend = backendOf();
  const dir = mkdtempSync(path.join(tmpdir(), 'callqa-pd-files-'));
  let store: Store;
  const svc = (storage = new SharedPathStorage()) =>
    new PersonalDataService(store, new AuditService(store.db, () => NOW), { mediaDir: path.join(dir, 'media'), now: () => NOW, storage });
  const add = async (bytes: string, p: string, customerId: string) =>
    (await store.repo.upsertRecording({ contentHash: sha(bytes), path: p, fileName: path.basename(p), sizeBytes: bytes.length, metadata: { customerId } })).id;

  beforeAll(async () => {
    store = await openStore(await backend.setup());
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await backend.teardown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--delete-audio does not delete another recording that now sits at the stored path (a reused inbox name)', async () => {
    const inbox = path.join(dir, 'inbox');
    mkdirSync(inbox, { recursive: true });
    const file = path.join(inbox, 'call.wav');
    // customer A's call arrived as call.wav and was analysed; the next day customer B's call arrived under the same name
    await add('bytes of A', file, 'C-A');
    writeFileSync(file, 'bytes of B');
    writeFileSync(path.join(inbox, 'call.meta.json'), '{"customer_id":"C-B"}');
    await add('bytes of B', file, 'C-B');

    const r = await svc().erase(systemActor('test'), { customerId: 'C-A' }, { reason: 'request', deleteAudio: true });
    expect(r.erased).toHaveLength(1);
    expect(existsSync(file)).toBe(true); // B's recording
    expect(existsSync(path.join(inbox, 'call.meta.json'))).toBe(true); // B's sidecar
    expect(r.filesDeleted).toEqual([]);
    expect(r.filesFailed.map((f) => f.path)).toEqual([file]); // said so: A's original is not there any more
  });

  it('--delete-audio deletes every transcript file beside the recording, whatever its format, not only the one analysed', async () => {
    const inbox = path.join(dir, 'inbox-formats');
    mkdirSync(inbox, { recursive: true });
    const file = path.join(inbox, '客户来电 0501.wav');
    writeFileSync(file, 'bytes of F');
    // the platform delivered the transcript twice, as Call Analytics JSON and as SubRip, and the metadata
    const sidecars = ['客户来电 0501.transcript.json', '客户来电 0501.transcript.srt', '客户来电 0501.wav.transcript.vtt', '客户来电 0501.meta.json'].map((n) => path.join(inbox, n));
    for (const f of sidecars) writeFileSync(f, 'personal data');
    const other = path.join(inbox, '客户来电 0502.transcript.srt');
    writeFileSync(other, 'another call');
    await add('bytes of F', file, 'C-F');

    const r = await svc().erase(systemActor('test'), { customerId: 'C-F' }, { reason: 'request', deleteAudio: true });
    expect(r.erased).toHaveLength(1);
    for (const f of [file, ...sidecars]) expect(existsSync(f), f).toBe(false);
    expect(r.filesDeleted.sort()).toEqual([file, ...sidecars].sort());
    expect(existsSync(other)).toBe(true);
  });

  it('a storage copy this process cannot reach (CALLQA_STORAGE_DIR not set) is reported as not removed', async () => {
    const root = path.join(dir, 'storage');
    const put = new DirStorage(root);
    const src = path.join(dir, 'queued.wav');
    writeFileSync(src, 'bytes of Q');
    const location = await put.put(src, sha('bytes of Q'));
    await add('bytes of Q', location, 'C-Q');
    const copy = await put.localPath(location);
    expect(existsSync(copy)).toBe(true);

    const r = await svc(new SharedPathStorage()).erase(systemActor('test'), { customerId: 'C-Q' }, { reason: 'request' });
    expect(r.erased).toHaveLength(1);
    expect(existsSync(copy)).toBe(true);
    expect(r.filesFailed.map((f) => f.path)).toEqual([location]);
  });

  it('erases more calls than the 65535 bind parameters of one statement (a first retention purge)', async () => {
    await store.db.execute(sql`
      insert into recordings (content_hash, path, file_name, size_bytes, metadata)
      select md5(g::text) || md5((g + 1)::text), '/gone/' || g || '.wav', g || '.wav', 1, '{"startedAt":"2020-01-01T00:00:00Z"}'::jsonb
      from generate_series(1, 66000) g`);
    const repo = new PersonalDataRepo(store.db);
    const ids = (await repo.findCalls({ before: '2021-01-01' })).map((c) => c.id);
    expect(ids).toHaveLength(66000);
    const counts = await repo.transaction((tx) => tx.erase(ids, 'retention', NOW));
    expect(counts.recordings).toBe(66000);
    const left = (await store.db.execute(sql`select count(*)::int as n from recordings where path like '/gone/%'`)) as unknown as { rows: { n: number }[] };
    expect(Number(left.rows[0]!.n)).toBe(0);
    const tomb = (await store.db.execute(sql`select count(*)::int as n from erased_recordings where reason = 'retention'`)) as unknown as { rows: { n: number }[] };
    expect(Number(tomb.rows[0]!.n)).toBe(66000);
  }, 300_000);
});
