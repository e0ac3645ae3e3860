import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { probe } from '../audio/ffmpeg.js';
import type { Peaks } from '../audio/peaks.js';
import { decodePeaks, encodePlayable, type SourceFormat } from '../audio/playable.js';
import type { Speaker } from '../core/types.js';

/**
 * Media for the browser: a playable copy of each recording and its waveform peaks per channel, made the first time
 * a call is opened (peaks by a fast decode pass, the MP3 by an encode started at the same time: see
 * audio/playable.ts) and cached on disk by content hash (the same bytes under another name share them). Several
 * `callqa serve` processes may share the cache folder: every file is written under a unique temporary name and
 * renamed into place, so a reader sees a whole file or none. Within one process, concurrent first requests share
 * one ffmpeg run.
 */

/** Bump when the playable copy or the peaks change shape, so old caches are not served. */
const MEDIA_VERSION = 'v1';

export interface MediaSource {
  /** lowercase hex sha256 of the recording's bytes (the cache key) */
  contentHash: string;
  /** where the recording is read from */
  path: string;
  /** the name as the user gave it (errors only) */
  fileName: string;
  /** from the probe stage when known; probed here otherwise */
  channels?: number | null;
  sampleRate?: number | null;
  /** who is on each channel, in channel order (from the analysis), for labelling the peaks */
  speakers?: Speaker[];
}

export interface PlayableFile {
  path: string;
  sizeBytes: number;
  mimeType: 'audio/mpeg';
  /** strong validator: content hash + media version */
  etag: string;
  mtime: Date;
}

export interface CallPeaks extends Peaks {
  /** speaker of each entry of `channels`, when the analysis named them */
  speakers: Speaker[];
}

export interface MediaService {
  /**
   * The playable copy; with `redaction`, a separate copy with those stretches silenced (cached under the
   * redaction's own key, so the original and every redacted variant never mix).
   */
  playable(src: MediaSource, redaction?: { key: string; filter: string }): Promise<PlayableFile>;
  peaks(src: MediaSource): Promise<CallPeaks>;
}

export interface MediaServiceOptions {
  /** cache folder, e.g. `<data>/media` */
  cacheDir: string;
}

export function createMediaService(opts: MediaServiceOptions): MediaService {
  // one job per (content hash, output) at a time in this process
  const inflight = new Map<string, Promise<void>>();

  function files(hash: string) {
    if (!/^[0-9a-f]{16,128}$/.test(hash)) throw new Error(`media: not a content hash: ${hash.slice(0, 80)}`);
    const dir = path.join(opts.cacheDir, hash.slice(0, 2));
    return { dir, mp3: path.join(dir, `${hash}.${MEDIA_VERSION}.mp3`), peaks: path.join(dir, `${hash}.${MEDIA_VERSION}.peaks.json`) };
  }

  async function format(src: MediaSource): Promise<SourceFormat> {
    if (src.channels && src.sampleRate) return { channels: src.channels, sampleRateHz: src.sampleRate };
    const info = await probe(src.path, src.fileName);
    return { channels: info.channels, sampleRateHz: info.sampleRate };
  }

  /** Runs `make(tmpPath)` once and renames its output into place; concurrent callers share the run. */
  async function once(key: string, finalPath: string, make: (tmpPath: string) => Promise<void>): Promise<void> {
    if (await exists(finalPath)) return;
    let job = inflight.get(key);
    if (!job) {
      job = (async () => {
        await mkdir(path.dirname(finalPath), { recursive: true });
        const tmp = `${finalPath}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
        try {
          await make(tmp);
          await rename(tmp, finalPath);
        } finally {
          await rm(tmp, { force: true });
        }
      })().finally(() => inflight.delete(key));
      inflight.set(key, job);
    }
    await job;
  }

  const ensureMp3 = (src: MediaSource) =>
    once(`${src.contentHash}:mp3`, files(src.contentHash).mp3, async (tmp) => encodePlayable(src.path, src.fileName, tmp, await format(src)));
  const ensurePeaks = (src: MediaSource) =>
    once(`${src.contentHash}:peaks`, files(src.contentHash).peaks, async (tmp) => {
      const peaks = await decodePeaks(src.path, src.fileName, await format(src));
      await writeFile(tmp, JSON.stringify(peaks));
    });

  return {
    async playable(src, redaction) {
      if (redaction) {
        if (!/^[0-9a-f]{8,64}$/.test(redaction.key)) throw new Error('media: redaction key must be hex');
        const out = path.join(files(src.contentHash).dir, `${src.contentHash}.${MEDIA_VERSION}.redacted-${redaction.key}.mp3`);
        await once(`${src.contentHash}:redacted:${redaction.key}`, out, async (tmp) =>
          encodePlayable(src.path, src.fileName, tmp, await format(src), undefined, redaction.filter));
        const st = await stat(out);
        return { path: out, sizeBytes: st.size, mimeType: 'audio/mpeg', etag: `"${src.contentHash.slice(0, 24)}-${MEDIA_VERSION}-r${redaction.key.slice(0, 8)}"`, mtime: st.mtime };
      }
      await ensureMp3(src);
      const f = files(src.contentHash);
      const st = await stat(f.mp3);
      return { path: f.mp3, sizeBytes: st.size, mimeType: 'audio/mpeg', etag: `"${src.contentHash.slice(0, 32)}-${MEDIA_VERSION}"`, mtime: st.mtime };
    },
    async peaks(src) {
      // The player asks for peaks first: start the playable copy now, so it is ready (or nearly) when play is pressed.
      // Its failure is reported to the audio request, which runs it again.
      ensureMp3(src).catch(() => undefined);
      await ensurePeaks(src);
      const peaks = JSON.parse(await readFile(files(src.contentHash).peaks, 'utf8')) as Peaks;
      const speakers = src.speakers && src.speakers.length === peaks.channels.length ? src.speakers : peaks.channels.map((): Speaker => 'unknown');
      return { ...peaks, speakers };
    },
  };
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
