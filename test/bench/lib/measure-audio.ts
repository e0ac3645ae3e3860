/**
 * Child process: the WHOLE audio analysis of one file, as the pipeline's audio stage does it
 * (probe -> streamed decode + frame features -> voice activity -> dead air / talk-over / hold / talk metrics),
 * timed per step, with this process's peak RSS. Prints one JSON line.
 *   node --import tsx test/bench/lib/measure-audio.ts <file>
 */
import { readFileSync } from 'node:fs';
import { probe } from '../../../src/audio/ffmpeg.js';
import { extractFeatures } from '../../../src/audio/extract.js';
import { detectVoiceActivity } from '../../../src/audio/vad.js';
import type { SpeechTimeline } from '../../../src/core/types.js';
import { detectHold } from '../../../src/detect/hold.js';
import { detectSilence } from '../../../src/detect/silence.js';
import { talkMetrics } from '../../../src/detect/talk-metrics.js';
import { detectTalkOver } from '../../../src/detect/talk-over.js';

const AUDIO_PARAMS = { deadAirMinSec: 5, talkOverMinSec: 0.5, backchannelMaxSec: 1.2, turnMergeGapSec: 0.7, holdMinSec: 8 };

function vmHwmMb(): number | null {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const file = process.argv[2];
const rssBaseMb = vmHwmMb();
const t0 = performance.now();
const info = await probe(file);
const t1 = performance.now();
const features = await extractFeatures(file, file, info);
const t2 = performance.now();
const vad = detectVoiceActivity(features, { holdMinSec: AUDIO_PARAMS.holdMinSec }, 0);
const t3 = performance.now();
const speakers = features.channels.length === 2 && !vad.dualMono ? (['agent', 'customer'] as const) : (['unknown'] as const);
const timeline: SpeechTimeline = {
  durationSec: features.nFrames * features.frameSec,
  channels: vad.channels.map((c, i) => ({ speaker: speakers[i], speech: c.speech, tails: c.tails })),
  hold: vad.hold,
};
const silence = detectSilence(timeline, AUDIO_PARAMS);
const hold = detectHold(timeline);
const talkOver = detectTalkOver(timeline, AUDIO_PARAMS) ?? [];
const metrics = talkMetrics(timeline, AUDIO_PARAMS.turnMergeGapSec);
const t4 = performance.now();
const ru = process.resourceUsage();
console.log(
  JSON.stringify({
    durationSec: info.durationSec,
    codec: info.codec,
    sampleRate: info.sampleRate,
    channels: info.channels,
    probeSec: (t1 - t0) / 1000,
    extractSec: (t2 - t1) / 1000,
    vadSec: (t3 - t2) / 1000,
    detectSec: (t4 - t3) / 1000,
    wallSec: (t4 - t0) / 1000,
    // CPU of this Node process only (ffmpeg's decode runs in its own process)
    cpuSec: (ru.userCPUTime + ru.systemCPUTime) / 1e6,
    maxRssMb: ru.maxRSS / 1024,
    vmHwmMb: vmHwmMb(),
    rssAtStartMb: rssBaseMb,
    events: { silence: silence.length, hold: hold.length, talkOver: talkOver.filter((e) => e.type === 'talk_over').length, backchannel: talkOver.filter((e) => e.type === 'backchannel').length },
    talkRatio: metrics.talkRatio,
  }),
);
