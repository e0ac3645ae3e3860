import path from 'node:path';
import { env } from '../config/env.js';
import type { SpeechTimeline } from '../core/types.js';
import { MediaRepo } from '../store/media-repo.js';
import type { Store } from '../store/db.js';
import type { AuditService } from './audit.js';
import type { CallAccess } from './call-access.js';
import { access } from 'node:fs/promises';
import { notFound, ServiceError } from './errors.js';
import { createMediaService, type CallPeaks, type MediaService, type PlayableFile } from './media.js';
import type { AuthUser } from './types.js';
import { createHash } from 'node:crypto';
import { DEFAULT_MUTE_PADDING, mutePlan, muteFilter } from '../privacy/audio.js';
import { hasPiiPermission } from './privacy.js';

/**
 * A call's media for the player, behind the same per-call access check as every other read (a call the user
 * may not see is 404): the playable copy (callAudio; every read is audited, once per playback rather than once
 * per byte range) and the waveform peaks with the speech timeline (callPeaks).
 */
export interface CallPeaksView extends CallPeaks {
  /** who spoke when on each side and the hold spans, as the audio analysis found them (null before it ran) */
  timeline: SpeechTimeline | null;
}

/** Where playable copies are cached: CALLQA_MEDIA_DIR, else `<data folder>/media` (the folder given, CALLQA_DATA_DIR or ./data). */
export function defaultMediaDir(dataDir?: string): string {
  const e = env();
  return e.CALLQA_MEDIA_DIR ?? path.join(dataDir ?? e.CALLQA_DATA_DIR ?? './data', 'media');
}

export class CallMediaService {
  private readonly repo: MediaRepo;
  readonly media: MediaService;
  constructor(
    private readonly access: CallAccess,
    private readonly store: Store,
    private readonly auditService: AuditService,
    opts: { cacheDir: string },
  ) {
    this.repo = new MediaRepo(store.db);
    this.media = createMediaService({ cacheDir: path.resolve(opts.cacheDir) });
  }

  private async source(user: AuthUser, callId: string) {
    const call = await this.access.authorizeCall(user, callId);
    const src = await this.repo.mediaSource(call.id, call.runId);
    if (!src) throw notFound(`call ${callId}`);
    return { call, src };
  }

  /**
   * Runs a media step on the call's recording. When it fails because the recording is no longer where it was
   * analysed from (moved, deleted, a storage not mounted) and no cached copy serves it, the answer says so (410)
   * instead of an internal error; the message names the file, never the folder it was in.
   */
  private async fromRecording<T>(callId: string, src: { path: string; fileName: string }, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (err) {
      if (!(await access(src.path).then(() => true, () => false))) {
        throw new ServiceError(410, 'gone', `the recording of call ${callId} (${path.basename(src.fileName)}) is no longer where it was analysed from, so it cannot be played or drawn; its transcript and scorecard are kept`);
      }
      throw err;
    }
  }

  /**
   * The playable copy. `audited`: false for the follow-up range requests of one playback (already logged).
   * A user without the pii permission (agents) gets the redacted copy: every personal-data span found in the
   * transcript silenced on the channel of the side that said it; the original is never served to them.
   */
  async audio(user: AuthUser, callId: string, opts: { audit: boolean; range?: string | null }): Promise<PlayableFile & { redaction: string }> {
    const { call, src } = await this.source(user, callId);
    const source = { ...src, speakers: src.speakers ?? undefined };
    let file: PlayableFile;
    let redaction = 'original';
    if (hasPiiPermission(user)) file = await this.fromRecording(callId, src, () => this.media.playable(source));
    else {
      const events = (await this.store.repo.getRunReport(call.runId))?.events ?? [];
      const findings = events.filter((e) => e.type === 'pii').map((e) => ({ speaker: e.speaker ?? 'unknown', start: e.start, end: e.end, timing: e.type === 'pii' ? e.details.timing : 'estimated' }));
      const channelCount = Math.min(2, Math.max(1, src.channels ?? src.speakers?.length ?? 1));
      const speakers = src.speakers ?? (channelCount === 2 ? ['agent', 'customer'] : ['unknown']);
      const plan = mutePlan(findings as never, {
        channelOf: { agent: Math.max(0, speakers.indexOf('agent')), customer: Math.max(0, speakers.indexOf('customer')) },
        channelCount,
        ...DEFAULT_MUTE_PADDING,
        durationSec: Number.POSITIVE_INFINITY,
      });
      const filter = muteFilter(plan);
      if (filter) {
        const key = createHash('sha256').update(filter).digest('hex').slice(0, 16);
        file = await this.fromRecording(callId, src, () => this.media.playable(source, { key, filter }));
        redaction = `muted ${findings.length} span(s)`;
      } else {
        file = await this.fromRecording(callId, src, () => this.media.playable(source));
        redaction = findings.length === 0 && !events.some((e) => e.type !== 'silence' && e.type !== 'hold' && e.type !== 'talk_over' && e.type !== 'backchannel') ? 'nothing to mute (no transcript: personal data could not be looked for)' : 'nothing to mute';
      }
    }
    if (opts.audit) await this.auditService.audit(user, 'call.audio.read', { type: 'call', id: call.id, callId: call.id }, { ...(opts.range ? { range: opts.range } : {}), redaction });
    return { ...file, redaction };
  }

  async peaks(user: AuthUser, callId: string): Promise<CallPeaksView> {
    const { src, call } = await this.source(user, callId);
    const peaks = await this.fromRecording(callId, src, () => this.media.peaks({ ...src, speakers: src.speakers ?? undefined }));
    const timeline = await this.store.repo.loadTimeline(call.runId);
    return { ...peaks, timeline };
  }
}
