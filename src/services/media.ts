import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { probe } from '../audio/ffmpeg.js';
import type { Peaks } from '../audio/peaks.js';
import { makePlayableCopy } from '../audio/playable.js';
import type { Speaker } from '../core/types.js';

/**
 * Media for the browser: a playable copy of each recording and its waveform peaks per channel, both made in one
 * ffmpeg pass the first time a call is opened and cached on disk by content hash (the same bytes under another
 * name share them). Several `callqa serve` processes may share the cache folder: every file is written under a
 * unique temporary name and renamed into place, so a reader sees a whole file or none; the peaks file is renamed
 * last and marks the pair complete. Within one process, concurrent first requests share one ffmpeg run.
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
  playable(src: MediaSource): Promise<PlayableFile>;
  peaks(src: MediaSource): Promise<CallPeaks>;
}

export interface MediaServiceOptions {
  /** cache folder, e.g. `<data>/media` */
  cacheDir: string;
}

export function createMediaService(opts: MediaServiceOptions): MediaService {
  const inflight = new Map<string, Promise<void>>();

  function files(hash: string) {
    if (!/^[0-9a-f]{16,128}$/.test(hash)) throw new Error(`media: not a content hash: ${hash.slice(0, 80)}`);
    const dir = path.join(opts.cacheDir, hash.slice(0, 2));
    return { dir, mp3: path.join(dir, `${hash}.${MEDIA_VERSION}.mp3`), peaks: path.join(dir, `${hash}.${MEDIA_VERSION}.peaks.json`) };
  }

  async function ensure(src: MediaSource): Promise<void> {
    const f = files(src.contentHash);
    if (await exists(f.peaks)) return;
    let job = inflight.get(src.contentHash);
    if (!job) {
      job = build(src, f).finally(() => inflight.delete(src.contentHash));
      inflight.set(src.contentHash, job);
    }
    await job;
  }

  async function build(src: MediaSource, f: ReturnType<typeof files>): Promise<void> {
    await mkdir(f.dir, { recursive: true });
    let channels = src.channels ?? 0;
    let sampleRate = src.sampleRate ?? 0;
    if (!channels || !sampleRate) {
      const info = await probe(src.path, src.fileName);
      channels = info.channels;
      sampleRate = info.sampleRate;
    }
    const tmp = `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
    const tmpMp3 = `${f.mp3}${tmp}`;
    const tmpPeaks = `${f.peaks}${tmp}`;
    try {
      const peaks = await makePlayableCopy(src.path, src.fileName, tmpMp3, { channels, sampleRateHz: sampleRate });
      await writeFile(tmpPeaks, JSON.stringify(peaks));
      await rename(tmpMp3, f.mp3);
      await rename(tmpPeaks, f.peaks);
    } finally {
      await rm(tmpMp3, { force: true });
      await rm(tmpPeaks, { force: true });
    }
  }

  return {
    async playable(src) {
      await ensure(src);
      const f = files(src.contentHash);
      const st = await stat(f.mp3);
      return { path: f.mp3, sizeBytes: st.size, mimeType: 'audio/mpeg', etag: `"${src.contentHash.slice(0, 32)}-${MEDIA_VERSION}"`, mtime: st.mtime };
    },
    async peaks(src) {
      await ensure(src);
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
