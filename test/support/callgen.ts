/**
 * Test-call synthesizer: builds stereo contact-centre calls (left = agent, right = customer) from real human
 * voices (Debian's asterisk-core-sounds prompts), espeak-ng, music on hold and hold tones, through the
 * impairments of telephone reality (noise floors, a quiet side, crosstalk, line echo, babble, AGC pumping,
 * 8 kHz codecs), and returns the ground truth computed from the CLEAN sources.
 *
 * Mixing happens in JS on Float32Array at 8 or 16 kHz; ffmpeg decodes sources and encodes the result, always
 * spawned with an argument list. Decoded sources are cached under test/.cache/callgen (gitignored).
 *
 * Levels: speech sources are normalised to an active-speech level of `SPEECH_LEVEL_DBFS` (Turn.levelDb
 * overrides). Impairment dB values: `noiseDb` is an absolute dBFS RMS floor; `gainDb` is added to everything
 * on that side; `crosstalk.db` / `echo.db` are coupling gains (e.g. -25 means the leak is 25 dB below the source);
 * `babble.db` is the babble level relative to the agent's speech level.
 */
import { prng } from './prng.js';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Writable } from 'node:stream';
import { ToolError } from '../../src/core/errors.js';
import { complementSpans, intersectSpans, mergeSpans, round, unionSpans } from '../../src/core/spans.js';
import type { TimeSpan } from '../../src/core/types.js';

// ---------------------------------------------------------------------------------------------------------------
// Public types

export type CallSpeaker = 'agent' | 'customer';

export type Source =
  /** a Debian asterisk prompt: `voice` is a directory under SOUNDS_DIR ('en', 'fr', 'es', 'it', 'ru'), `prompt` a file stem ('hello', 'digits/oh') */
  | { kind: 'asterisk'; voice: string; prompt: string }
  /** espeak-ng: voice 'cmn' | 'en-us' | 'en-gb' ...; speed in words/min (default 165), pitch 0-99 (default 50) */
  | { kind: 'espeak'; voice: string; text: string; speed?: number; pitch?: number }
  /** music on hold: a file under MOH_DIR (name or absolute path), starting `offsetSec` into it, looped if short */
  | { kind: 'moh'; file: string; durationSec: number; offsetSec?: number }
  /** a hold/ringback tone: sum of sines, on/off cadence */
  | { kind: 'tone'; freqHz: number[]; onSec: number; offSec: number; durationSec: number }
  /** keypad (DTMF) tones: one dual-tone burst per digit (0-9 * # A-D), `onSec` each with `offSec` between */
  | { kind: 'dtmf'; digits: string; onSec?: number; offSec?: number }
  /** pre-decoded samples at the call's sample rate (tests); `speech` says whether it counts as speech in the truth */
  | { kind: 'samples'; samples: Float32Array; speech: boolean; label?: string };

export interface Turn {
  speaker: CallSpeaker;
  /** start, seconds from the start of the call */
  at: number;
  source: Source;
  /** the words, for sidecar transcripts (asterisk prompts default to their official transcript) */
  text?: string;
  /** active level in dBFS before channel gain (speech default -20, moh -24, tone -22, dtmf -16) */
  levelDb?: number;
  /**
   * A recorded announcement played by the PBX during a hold ("thank you for holding…"): it belongs to the
   * hold (truth kind 'hold'), is not the agent's speech, and is not affected by the agent's microphone.
   */
  partOfHold?: boolean;
}

export type Codec =
  | 'pcm16' // wav pcm_s16le, stereo
  | 'mulaw' // wav pcm_mulaw (G.711 u-law), stereo
  | 'alaw' // wav pcm_alaw (G.711 A-law), stereo
  | 'gsm' // wav gsm_ms (GSM 06.10): MONO ONLY in ffmpeg -> the two sides are mixed down to one channel
  | 'gsm-stereo' // each channel passed through GSM 06.10 and back, stored as stereo pcm_s16le wav
  | 'mp3-16k' // mp3 16 kbit/s, stereo
  | 'opus' // ogg/opus 16 kbit/s, two independently coded channels (mapping family 255; decoders report 48 kHz)
  | 'amr' // AMR-NB: mono only and needs an ffmpeg built with libopencore_amrnb (Debian's is not): see codecAvailable()
  | 'aac' // m4a aac 32 kbit/s, stereo
  | 'flac'; // flac, stereo

export const CODECS: readonly Codec[] = ['pcm16', 'mulaw', 'alaw', 'gsm', 'gsm-stereo', 'mp3-16k', 'opus', 'amr', 'aac', 'flac'];
/** file extension that suits each codec */
export const CODEC_EXT: Record<Codec, string> = {
  pcm16: 'wav',
  mulaw: 'wav',
  alaw: 'wav',
  gsm: 'wav',
  'gsm-stereo': 'wav',
  'mp3-16k': 'mp3',
  opus: 'ogg',
  amr: 'amr',
  aac: 'm4a',
  flac: 'flac',
};

export interface Impairments {
  /** stationary pink-ish line noise, dBFS RMS per channel before that side's gainDb (the noise follows the line's gain) */
  noiseDb?: { agent: number; customer: number };
  /** gain added to everything on that side (e.g. customer -18: a quiet line) */
  gainDb?: { agent: number; customer: number };
  /** each side leaks into the other channel: coupling gain dB (-20..-30) and delay */
  crosstalk?: { db: number; delayMs: number };
  /** the agent's own signal returns delayed and band-limited on the customer channel */
  echo?: { db: number; delayMs: number };
  /** several other voices talking continuously near the agent's headset, level relative to the agent's speech; NOT agent speech */
  babble?: { db: number; voices?: number };
  /** noise floor rises in pauses (AGC): noise gain follows the inverse of the channel's own signal envelope, up to +pumpDb */
  agcPumping?: boolean | { pumpDb: number };
  /**
   * A noisy call start on the agent channel: for the first `durationSec` a louder line noise (hiss with crackle,
   * optionally mains hum) at `db` dBFS, fading out; not speech, not hold.
   */
  noisyStart?: { durationSec: number; db: number; humHz?: 50 | 60 };
  /** the agent's microphone boosted this many dB into hard clipping (their speech only; hold audio comes from the PBX) */
  micBoostDb?: number;
  /**
   * Discontinuous transmission on a side: digital silence (exact zeros) whenever that side is not sending,
   * the line noise returning with each utterance (sending starts `leadSec` before speech and keeps on for
   * `hangoverSec` after it, as a codec's VAD does).
   */
  dtx?: { side: CallSpeaker | 'both'; hangoverSec: number; leadSec?: number };
  /**
   * The customer on a speakerphone: their speech and keypad reverberate in the room (RT60 `rt60Sec`), and the
   * agent's voice comes back from the loudspeaker through the same room at `echoDb` after `delayMs`.
   * `room`: the room made by sox's `reverb` (Freeverb: reverberance %, HF damping %, room scale %, pre-delay
   * ms) instead of the built-in Schroeder reverberator with `rt60Sec`; another kind of room for varied sets.
   */
  speakerphone?: { rt60Sec: number; echoDb: number; delayMs: number; room?: SoxRoom };
  codec?: Codec;
  /** bit rate of the lossy codecs (mp3-16k, opus, aac), kbit/s; defaults 16, 16, 24/32 */
  bitrateKbps?: number;
  sampleRate?: 8000 | 16000;
}

/** sox `reverb` settings (percentages as sox takes them) and the direct-to-reverberant ratio (dB). */
export interface SoxRoom {
  reverberance: number;
  hfDamping: number;
  roomScale: number;
  preDelayMs: number;
  drrDb: number;
}

export interface CallSpec {
  durationSec: number;
  turns: Turn[];
  impairments?: Impairments;
  seed?: number;
}

export interface TruthTurn {
  speaker: CallSpeaker;
  kind: 'speech' | 'hold';
  /** extent of the speech (speech turns: first to last speech sample) or of the hold sound */
  start: number;
  end: number;
  text?: string;
  /** human-readable source, e.g. "asterisk:en/hello", "espeak:cmn", "moh:macroform-cold_day.wav" */
  source: string;
  backchannel: boolean;
}

export interface TalkOverTruth extends TimeSpan {
  /** the one who started second (the interrupter) */
  speaker: CallSpeaker;
}

export interface BackchannelTruth extends TimeSpan {
  /** the listener who said it */
  speaker: CallSpeaker;
}

export interface GroundTruth {
  durationSec: number;
  sampleRate: number;
  /** channels of the written file: 2, or 1 for the mono-only codecs (gsm, amr) */
  channels: 1 | 2;
  codec: Codec;
  /** true speech per speaker from the clean sources; internal pauses >= TRUTH_PARAMS.minPauseSec split spans */
  speech: { agent: TimeSpan[]; customer: TimeSpan[] };
  /** dead air: no speech on either side and no hold, >= TRUTH_PARAMS.minSilenceSec */
  silence: TimeSpan[];
  /** overlaps of both sides' (non-backchannel) speech >= TRUTH_PARAMS.minTalkOverSec */
  talkOver: TalkOverTruth[];
  /** short listener utterances fully inside the other side's turn */
  backchannels: BackchannelTruth[];
  /** music/tone on hold spans (agent channel), announcements during the hold included */
  hold: TimeSpan[];
  /** keypad (DTMF) tone bursts, per side: neither speech nor talk-over, and they do not end dead air */
  tones: { agent: TimeSpan[]; customer: TimeSpan[] };
  turns: TruthTurn[];
  impairments: Impairments;
  seed: number;
}

/** The definitions the ground truth is computed with. */
export const TRUTH_PARAMS = {
  /** energy gate on the clean source: frames this far below the source's loudest 10 ms frame are not speech */
  gateBelowPeakDb: 35,
  /** and never below this absolute level (dBFS, after level normalisation) */
  gateFloorDbfs: -60,
  frameSec: 0.01,
  /** pauses shorter than this inside speech do not split a speech span */
  minPauseSec: 0.25,
  /** speech bursts shorter than this are dropped (clicks) */
  minBurstSec: 0.04,
  minSilenceSec: 5,
  minTalkOverSec: 0.5,
  /** overlap pieces closer than this are one talk-over */
  talkOverMergeGapSec: 0.5,
  backchannelMaxSec: 1.2,
  /** a side's speech with pauses up to this merged is its "turn", for backchannel containment and who-started-second */
  turnMergeGapSec: 1.0,
} as const;

export const SPEECH_LEVEL_DBFS = -20;
const MOH_LEVEL_DBFS = -24;
const TONE_LEVEL_DBFS = -22;
const DTMF_LEVEL_DBFS = -16;
const DTMF_HZ: Record<string, [number, number]> = {};
['123A', '456B', '789C', '*0#D'].forEach((row, r) => [...row].forEach((d, c) => (DTMF_HZ[d] = [[697, 770, 852, 941][r], [1209, 1336, 1477, 1633][c]])));

// ---------------------------------------------------------------------------------------------------------------
// Paths and process helpers

export const SOUNDS_DIR = process.env.CALLGEN_SOUNDS_DIR ?? '/usr/share/asterisk/sounds';
export const MOH_DIR = process.env.CALLGEN_MOH_DIR ?? '/usr/share/asterisk/moh';
const SOUNDS_DOC_DIR = '/usr/share/doc';
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const CACHE_DIR = process.env.CALLGEN_CACHE_DIR ?? path.resolve(HERE, '../.cache/callgen');
const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';
const ESPEAK = process.env.ESPEAK_PATH ?? 'espeak-ng';
const SOX = process.env.SOX_PATH ?? 'sox';

/** Run a program with an argument list (never a shell); resolve stdout, reject with ToolError. */
function run(cmd: string, args: string[], input?: Buffer | string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => reject(new ToolError(cmd, null, e.message)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new ToolError(cmd, code, Buffer.concat(err).toString('utf8').slice(-2000)));
    });
    child.stdin.on('error', () => {}); // EPIPE when the tool fails early; the exit code reports it
    child.stdin.end(input ?? undefined);
  });
}

function toFloat32(buf: Buffer): Float32Array {
  const copy = new Uint8Array(buf.length - (buf.length % 4));
  copy.set(buf.subarray(0, copy.length));
  return new Float32Array(copy.buffer);
}

function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/** Write atomically so parallel test workers never read a half-written cache file. */
function writeAtomic(file: string, data: Uint8Array | string): void {
  ensureDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** 16-bit PCM mono WAV at the wanted rate (all asterisk prompts at 8 kHz): parse directly, no ffmpeg spawn. */
function readPcm16Wav(file: string, sampleRate: number): Float32Array | undefined {
  if (!file.endsWith('.wav')) return undefined;
  const b = readFileSync(file);
  if (b.length < 44 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let pos = 12;
  let fmtOk = false;
  while (pos + 8 <= b.length) {
    const id = b.toString('ascii', pos, pos + 4);
    const size = b.readUInt32LE(pos + 4);
    if (id === 'fmt ') {
      fmtOk = b.readUInt16LE(pos + 8) === 1 && b.readUInt16LE(pos + 10) === 1 && b.readUInt32LE(pos + 12) === sampleRate && b.readUInt16LE(pos + 22) === 16;
      if (!fmtOk) return undefined;
    } else if (id === 'data' && fmtOk) {
      const n = Math.floor(Math.min(size, b.length - pos - 8) / 2);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = b.readInt16LE(pos + 8 + 2 * i) / 32768;
      return out;
    }
    pos += 8 + size + (size % 2);
  }
  return undefined;
}

async function decodeFile(file: string, sampleRate: number): Promise<Float32Array> {
  const direct = readPcm16Wav(file, sampleRate);
  if (direct) return direct;
  const buf = await run(FFMPEG, ['-v', 'error', '-nostdin', '-i', file, '-ac', '1', '-ar', String(sampleRate), '-f', 'f32le', '-c:a', 'pcm_f32le', 'pipe:1']);
  return toFloat32(buf);
}

const memCache = new Map<string, Float32Array>();

async function cached(key: string, sampleRate: number, make: () => Promise<Float32Array>): Promise<Float32Array> {
  const hash = createHash('sha1').update(`${key}|${sampleRate}`).digest('hex').slice(0, 20);
  const hit = memCache.get(hash);
  if (hit) return hit;
  const file = path.join(CACHE_DIR, `${hash}.f32`);
  let data: Float32Array;
  if (existsSync(file)) data = toFloat32(readFileSync(file));
  else {
    data = await make();
    writeAtomic(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  memCache.set(hash, data);
  return data;
}

// ---------------------------------------------------------------------------------------------------------------
// Sources

export function asteriskPromptFile(voice: string, prompt: string): string {
  for (const ext of ['wav', 'gsm', 'ulaw', 'alaw']) {
    const f = path.join(SOUNDS_DIR, voice, `${prompt}.${ext}`);
    if (existsSync(f)) return f;
  }
  throw new Error(`callgen: no asterisk prompt ${voice}/${prompt} under ${SOUNDS_DIR}`);
}

const transcriptCache = new Map<string, Map<string, string>>();
/** Official transcripts of the asterisk prompts (core-sounds-<lang>.txt.gz in /usr/share/doc). */
export function asteriskTranscripts(voice: string): Map<string, string> {
  const lang = voice.split('_')[0];
  const hit = transcriptCache.get(lang);
  if (hit) return hit;
  const map = new Map<string, string>();
  const file = path.join(SOUNDS_DOC_DIR, `asterisk-core-sounds-${lang}`, `core-sounds-${lang}.txt.gz`);
  if (existsSync(file)) {
    for (const line of gunzipSync(readFileSync(file)).toString('utf8').split('\n')) {
      const m = /^([^;:\s][^:]*):\s*(.*)$/.exec(line.trim());
      if (m) map.set(m[1].trim(), m[2].trim());
    }
  }
  transcriptCache.set(lang, map);
  return map;
}

export function mohFiles(): string[] {
  if (!existsSync(MOH_DIR)) return [];
  return readdirSync(MOH_DIR).filter((f) => /\.(wav|gsm|ulaw|alaw)$/.test(f)).sort();
}

function sourceLabel(s: Source): string {
  switch (s.kind) {
    case 'asterisk':
      return `asterisk:${s.voice}/${s.prompt}`;
    case 'espeak':
      return `espeak:${s.voice}`;
    case 'moh':
      return `moh:${path.basename(s.file)}`;
    case 'tone':
      return `tone:${s.freqHz.join('+')}Hz`;
    case 'dtmf':
      return `dtmf:${s.digits}`;
    case 'samples':
      return `samples:${s.label ?? ''}`;
  }
}

function isSpeechSource(s: Source): boolean {
  return s.kind === 'asterisk' || s.kind === 'espeak' || (s.kind === 'samples' && s.speech);
}

function rms(x: Float32Array, from = 0, to = x.length): number {
  let acc = 0;
  for (let i = from; i < to; i++) acc += x[i] * x[i];
  return to > from ? Math.sqrt(acc / (to - from)) : 0;
}

const dbToGain = (db: number) => 10 ** (db / 20);

/** Raw (un-normalised) samples of a source at `sampleRate`. */
export async function loadSource(s: Source, sampleRate: number): Promise<Float32Array> {
  switch (s.kind) {
    case 'asterisk': {
      const file = asteriskPromptFile(s.voice, s.prompt);
      return cached(`asterisk|${file}`, sampleRate, () => decodeFile(file, sampleRate));
    }
    case 'espeak': {
      const speed = s.speed ?? 165;
      const pitch = s.pitch ?? 50;
      return cached(`espeak|${s.voice}|${speed}|${pitch}|${s.text}`, sampleRate, async () => {
        const tmp = path.join(tmpdir(), `callgen-espeak-${process.pid}-${Math.random().toString(36).slice(2)}.wav`);
        try {
          // text on stdin: nothing the script says can be mistaken for an option
          await run(ESPEAK, ['-v', s.voice, '-s', String(speed), '-p', String(pitch), '-w', tmp], s.text);
          return await decodeFile(tmp, sampleRate);
        } finally {
          rmSync(tmp, { force: true });
        }
      });
    }
    case 'moh': {
      const file = path.isAbsolute(s.file) ? s.file : path.join(MOH_DIR, s.file);
      const whole = await cached(`moh|${file}`, sampleRate, () => decodeFile(file, sampleRate));
      const n = Math.round(s.durationSec * sampleRate);
      const out = new Float32Array(n);
      let pos = Math.round((s.offsetSec ?? 0) * sampleRate) % Math.max(1, whole.length);
      for (let i = 0; i < n; i++) {
        out[i] = whole[pos];
        pos = pos + 1 >= whole.length ? 0 : pos + 1;
      }
      return out;
    }
    case 'tone': {
      const n = Math.round(s.durationSec * sampleRate);
      const out = new Float32Array(n);
      const period = s.onSec + s.offSec;
      const ramp = Math.round(0.005 * sampleRate);
      for (let i = 0; i < n; i++) {
        const t = i / sampleRate;
        const inPeriod = period > 0 ? t % period : 0;
        if (inPeriod >= s.onSec) continue;
        // 5 ms ramps: no clicks at the cadence edges
        const k = Math.round(inPeriod * sampleRate);
        const env = Math.min(1, k / ramp, (Math.round(s.onSec * sampleRate) - k) / ramp);
        let v = 0;
        for (const f of s.freqHz) v += Math.sin(2 * Math.PI * f * t);
        out[i] = (env * v) / s.freqHz.length;
      }
      return out;
    }
    case 'dtmf': {
      const on = s.onSec ?? 0.1;
      const off = s.offSec ?? 0.08;
      const per = Math.round((on + off) * sampleRate);
      const nOn = Math.round(on * sampleRate);
      const out = new Float32Array(per * s.digits.length);
      const ramp = Math.round(0.003 * sampleRate);
      [...s.digits].forEach((d, k) => {
        const hz = DTMF_HZ[d.toUpperCase()];
        if (!hz) throw new Error(`callgen: no DTMF digit '${d}'`);
        for (let i = 0; i < nOn; i++) {
          const t = i / sampleRate;
          const env = Math.min(1, i / ramp, (nOn - i) / ramp);
          // the high tone 2 dB above the low one (twist), as keypads send
          out[k * per + i] = env * 0.5 * (0.8 * Math.sin(2 * Math.PI * hz[0] * t) + Math.sin(2 * Math.PI * hz[1] * t));
        }
      });
      return out;
    }
    case 'samples':
      return s.samples;
  }
}

/** Frame energies (dB) of a signal. */
function frameDb(x: Float32Array, sampleRate: number, frameSec: number): Float64Array {
  const hop = Math.max(1, Math.round(frameSec * sampleRate));
  const n = Math.ceil(x.length / hop);
  const out = new Float64Array(n);
  for (let f = 0; f < n; f++) {
    const a = f * hop;
    const b = Math.min(x.length, a + hop);
    out[f] = 20 * Math.log10(rms(x, a, b) + 1e-9);
  }
  return out;
}

/**
 * Speech spans of a CLEAN source (seconds from its start), by an energy gate relative to its loudest frame.
 * Prompts and espeak output are studio-clean, so a gate is exact enough; pauses < minPauseSec are bridged.
 */
export function cleanSpeechSpans(x: Float32Array, sampleRate: number): TimeSpan[] {
  const p = TRUTH_PARAMS;
  const db = frameDb(x, sampleRate, p.frameSec);
  let peak = -Infinity;
  for (const v of db) peak = Math.max(peak, v);
  const thr = Math.max(peak - p.gateBelowPeakDb, p.gateFloorDbfs);
  const spans: TimeSpan[] = [];
  let start = -1;
  for (let f = 0; f <= db.length; f++) {
    const on = f < db.length && db[f] > thr;
    if (on && start < 0) start = f;
    if (!on && start >= 0) {
      spans.push({ start: start * p.frameSec, end: Math.min(f * p.frameSec, x.length / sampleRate) });
      start = -1;
    }
  }
  return mergeSpans(spans, p.minPauseSec - 1e-6).filter((s) => s.end - s.start >= p.minBurstSec);
}

/** Level of the active part of a signal (frames within 35 dB of the peak), dBFS. */
function activeLevelDb(x: Float32Array, sampleRate: number): number {
  const db = frameDb(x, sampleRate, 0.02);
  let peak = -Infinity;
  for (const v of db) peak = Math.max(peak, v);
  let acc = 0;
  let n = 0;
  for (const v of db)
    if (v > peak - 35) {
      acc += 10 ** (v / 10);
      n++;
    }
  return n ? 10 * Math.log10(acc / n) : -120;
}

interface PreparedSource {
  samples: Float32Array;
  /** speech spans relative to the source start (empty for non-speech) */
  speech: TimeSpan[];
  durationSec: number;
}

/** Load, level-normalise and measure a source. */
const preparedCache = new Map<string, PreparedSource>();
export async function prepareSource(s: Source, sampleRate: number, levelDb?: number): Promise<PreparedSource> {
  const key = s.kind === 'samples' ? undefined : JSON.stringify([s, sampleRate, levelDb]);
  const hit = key ? preparedCache.get(key) : undefined;
  if (hit) return hit;
  const prepared = await prepareUncached(s, sampleRate, levelDb);
  // long MOH slices are not worth keeping
  if (key && prepared.samples.length < sampleRate * 20) preparedCache.set(key, prepared);
  return prepared;
}

async function prepareUncached(s: Source, sampleRate: number, levelDb?: number): Promise<PreparedSource> {
  const raw = await loadSource(s, sampleRate);
  const speech = isSpeechSource(s);
  const target = levelDb ?? (speech ? SPEECH_LEVEL_DBFS : s.kind === 'moh' ? MOH_LEVEL_DBFS : s.kind === 'dtmf' ? DTMF_LEVEL_DBFS : TONE_LEVEL_DBFS);
  const current = speech || s.kind === 'tone' || s.kind === 'dtmf' ? activeLevelDb(raw, sampleRate) : 20 * Math.log10(rms(raw) + 1e-9);
  const g = current > -110 ? dbToGain(target - current) : 0;
  const samples = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) samples[i] = raw[i] * g;
  return { samples, speech: speech ? cleanSpeechSpans(samples, sampleRate) : [], durationSec: raw.length / sampleRate };
}

/** Duration of a source in seconds (decodes/synthesises it once; cached). */
export async function sourceDurationSec(s: Source, sampleRate = 8000): Promise<number> {
  return (await loadSource(s, sampleRate)).length / sampleRate;
}

// ---------------------------------------------------------------------------------------------------------------
// PRNG and DSP helpers

export { prng };

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Pink-ish noise (Paul Kellet's economy filter) at `levelDb` dBFS RMS. */
function pinkNoise(n: number, levelDb: number, rand: () => number): Float32Array {
  const out = new Float32Array(n);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  for (let i = 0; i < n; i++) {
    const w = gaussian(rand);
    b0 = 0.99765 * b0 + w * 0.099046;
    b1 = 0.963 * b1 + w * 0.2965164;
    b2 = 0.57 * b2 + w * 1.0526913;
    out[i] = b0 + b1 + b2 + w * 0.1848;
  }
  const g = dbToGain(levelDb) / (rms(out) + 1e-12);
  for (let i = 0; i < n; i++) out[i] *= g;
  return out;
}

/** One-pole high-pass then low-pass: the band-limiting of a hybrid echo path. */
function bandLimit(x: Float32Array, sampleRate: number, lowHz: number, highHz: number): Float32Array {
  const out = new Float32Array(x.length);
  const rc = 1 / (2 * Math.PI * lowHz);
  const dt = 1 / sampleRate;
  const aH = rc / (rc + dt);
  const aL = dt / (1 / (2 * Math.PI * highHz) + dt);
  let prevX = 0;
  let prevH = 0;
  let lp = 0;
  for (let i = 0; i < x.length; i++) {
    const h = aH * (prevH + x[i] - prevX);
    prevX = x[i];
    prevH = h;
    lp += aL * (h - lp);
    out[i] = lp;
  }
  return out;
}

function addDelayed(dst: Float32Array, src: Float32Array, gain: number, delaySamples: number): void {
  for (let i = delaySamples; i < dst.length; i++) dst[i] += src[i - delaySamples] * gain;
}

// ---------------------------------------------------------------------------------------------------------------
// Ground truth

/** A turn after placement, in absolute seconds. */
export interface PlacedTurn {
  speaker: CallSpeaker;
  kind: 'speech' | 'hold' | 'other';
  start: number;
  end: number;
  speech: TimeSpan[];
  /** keypad tone bursts (dtmf sources), absolute */
  tones?: TimeSpan[];
  text?: string;
  source: string;
}

function clip(spans: TimeSpan[], dur: number): TimeSpan[] {
  return spans.map((s) => ({ start: Math.max(0, s.start), end: Math.min(dur, s.end) })).filter((s) => s.end > s.start);
}

const r3 = (x: number) => round(x, 3);
const roundSpans = <T extends TimeSpan>(xs: T[]): T[] => xs.map((s) => ({ ...s, start: r3(s.start), end: r3(s.end) }));

/** Compute the ground truth of a call from its placed turns (pure; used by buildCall and buildLongCall). */
export function computeTruth(
  durationSec: number,
  placed: PlacedTurn[],
  meta: { sampleRate: number; channels: 1 | 2; codec: Codec; impairments: Impairments; seed: number },
): GroundTruth {
  const p = TRUTH_PARAMS;
  const gap = p.minPauseSec - 1e-6;
  const speechOf = (spk: CallSpeaker, filter: (t: PlacedTurn) => boolean = () => true) =>
    mergeSpans(clip(placed.filter((t) => t.speaker === spk && t.kind === 'speech' && filter(t)).flatMap((t) => t.speech), durationSec), gap);
  const speech = { agent: speechOf('agent'), customer: speechOf('customer') };
  const hold = mergeSpans(clip(placed.filter((t) => t.kind === 'hold').map((t) => ({ start: t.start, end: t.end })), durationSec), 0.5);
  const tonesOf = (spk: CallSpeaker) => mergeSpans(clip(placed.filter((t) => t.speaker === spk).flatMap((t) => t.tones ?? []), durationSec), 0.5);
  const turnSpans = {
    agent: mergeSpans(speech.agent, p.turnMergeGapSec),
    customer: mergeSpans(speech.customer, p.turnMergeGapSec),
  };

  // backchannels: short utterances fully inside the other side's turn
  const isBackchannel = new Set<PlacedTurn>();
  const backchannels: BackchannelTruth[] = [];
  for (const t of placed) {
    if (t.kind !== 'speech' || t.speech.length === 0) continue;
    const s = t.speech[0].start;
    const e = t.speech[t.speech.length - 1].end;
    if (e - s > p.backchannelMaxSec || e > durationSec) continue;
    const other = t.speaker === 'agent' ? turnSpans.customer : turnSpans.agent;
    if (other.some((o) => o.start <= s && o.end >= e)) {
      isBackchannel.add(t);
      backchannels.push({ start: s, end: e, speaker: t.speaker });
    }
  }
  backchannels.sort((a, b) => a.start - b.start);

  // talk-over: overlap of the non-backchannel speech, pieces merged, >= minTalkOverSec
  const main = {
    agent: speechOf('agent', (t) => !isBackchannel.has(t)),
    customer: speechOf('customer', (t) => !isBackchannel.has(t)),
  };
  const mainTurns = { agent: mergeSpans(main.agent, p.turnMergeGapSec), customer: mergeSpans(main.customer, p.turnMergeGapSec) };
  const overlaps = mergeSpans(intersectSpans(main.agent, main.customer), p.talkOverMergeGapSec).filter(
    (o) => o.end - o.start >= p.minTalkOverSec,
  );
  const talkOver: TalkOverTruth[] = overlaps.map((o) => {
    const a = mainTurns.agent.find((t) => t.start <= o.start + 1e-9 && t.end >= o.start) ?? o;
    const c = mainTurns.customer.find((t) => t.start <= o.start + 1e-9 && t.end >= o.start) ?? o;
    return { ...o, speaker: c.start > a.start ? 'customer' : 'agent' };
  });

  const busy = unionSpans(speech.agent, speech.customer, hold);
  // dead air lies between the first and the last speech (before it the call rings or connects, after it
  // the line is hung up): the product's definition, docs/report-schema.md
  const talk = unionSpans(speech.agent, speech.customer);
  const silence = talk.length
    ? complementSpans(busy, talk[0].start, talk[talk.length - 1].end).filter((s) => s.end - s.start >= p.minSilenceSec)
    : [];

  const turns: TruthTurn[] = placed
    .filter((t) => t.kind !== 'other' && t.start < durationSec)
    .map((t) => ({
      speaker: t.speaker,
      kind: t.kind === 'hold' ? ('hold' as const) : ('speech' as const),
      start: r3(t.kind === 'speech' && t.speech.length ? t.speech[0].start : t.start),
      end: r3(Math.min(durationSec, t.kind === 'speech' && t.speech.length ? t.speech[t.speech.length - 1].end : t.end)),
      ...(t.text !== undefined ? { text: t.text } : {}),
      source: t.source,
      backchannel: isBackchannel.has(t),
    }))
    .sort((a, b) => a.start - b.start);

  return {
    durationSec: r3(durationSec),
    sampleRate: meta.sampleRate,
    channels: meta.channels,
    codec: meta.codec,
    speech: { agent: roundSpans(speech.agent), customer: roundSpans(speech.customer) },
    silence: roundSpans(silence),
    talkOver: roundSpans(talkOver),
    backchannels: roundSpans(backchannels),
    hold: roundSpans(hold),
    tones: { agent: roundSpans(tonesOf('agent')), customer: roundSpans(tonesOf('customer')) },
    turns,
    impairments: meta.impairments,
    seed: meta.seed,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

export interface RenderedCall {
  agent: Float32Array;
  customer: Float32Array;
  sampleRate: number;
  placed: PlacedTurn[];
}

function speakerOfVoice(s: Source): string | undefined {
  if (s.kind === 'asterisk') return s.voice.startsWith('en') || s.voice.startsWith('es') ? 'allison' : s.voice.split('_')[0];
  if (s.kind === 'espeak') return `espeak-${s.voice}`;
  return undefined;
}

/** Continuous babble of `voices` other talkers (asterisk prompts in other voices), mixed. */
async function makeBabble(n: number, sampleRate: number, voices: number, excludeSpeaker: string | undefined, rand: () => number): Promise<Float32Array> {
  const pool = ASTERISK_VOICES.filter((v) => speakerOfVoice({ kind: 'asterisk', voice: v, prompt: '' }) !== excludeSpeaker);
  const out = new Float32Array(n);
  if (pool.length === 0) return out; // no other human voice installed: no babble to make
  for (let v = 0; v < voices; v++) {
    const voice = pool[v % pool.length];
    const prompts = promptCatalogue(voice, 1, 8);
    let pos = Math.floor(rand() * sampleRate);
    const stream = new Float32Array(n);
    while (pos < n) {
      const pr = prompts[Math.floor(rand() * prompts.length)];
      const src = await prepareSource({ kind: 'asterisk', voice, prompt: pr.prompt }, sampleRate);
      const g = dbToGain(-3 * rand());
      for (let i = 0; i < src.samples.length && pos + i < n; i++) stream[pos + i] += src.samples[i] * g;
      pos += src.samples.length + Math.floor((0.05 + 0.4 * rand()) * sampleRate);
    }
    for (let i = 0; i < n; i++) out[i] += stream[i];
  }
  // level: the mix at SPEECH_LEVEL_DBFS over its whole length (it is continuous)
  const g = dbToGain(SPEECH_LEVEL_DBFS) / (rms(out) + 1e-12);
  for (let i = 0; i < n; i++) out[i] *= g;
  return out;
}

/** Smoothed 0..1 activity envelope of a signal (fast attack, slow release), for AGC pumping. */
function activityEnvelope(x: Float32Array, sampleRate: number): Float32Array {
  const hop = Math.round(0.02 * sampleRate);
  const frames = frameDb(x, sampleRate, 0.02);
  const env = new Float32Array(x.length);
  let e = 0;
  const attack = 1 - Math.exp(-0.02 / 0.05);
  const release = 1 - Math.exp(-0.02 / 1.5);
  for (let f = 0; f < frames.length; f++) {
    const on = frames[f] > SPEECH_LEVEL_DBFS - 25 ? 1 : 0;
    e += (on - e) * (on > e ? attack : release);
    for (let i = f * hop; i < Math.min(x.length, (f + 1) * hop); i++) env[i] = e;
  }
  return env;
}

/**
 * Room reverberation (Schroeder: four parallel combs, two all-passes) with decay time `rt60Sec`, mixed with
 * the dry signal at a random direct-to-reverberant ratio of about -3..+3 dB (a speakerphone across a desk).
 */
function reverberate(x: Float32Array, sampleRate: number, rt60Sec: number, rand: () => number): Float32Array {
  const n = x.length;
  const wet = new Float32Array(n);
  for (const ms of [29.7, 37.1, 41.1, 43.7]) {
    const d = Math.round((ms * (0.9 + 0.2 * rand()) * sampleRate) / 1000);
    const g = 10 ** ((-3 * d) / sampleRate / rt60Sec);
    const buf = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      buf[i] = x[i] + (i >= d ? g * buf[i - d] : 0);
      wet[i] += buf[i] / 4;
    }
  }
  let y = wet;
  for (const ms of [5, 1.7]) {
    const d = Math.round((ms * sampleRate) / 1000);
    const g = 0.7;
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = -g * y[i] + (i >= d ? y[i - d] + g * out[i - d] : 0);
    y = out;
  }
  const drr = dbToGain(-3 + 6 * rand());
  const scale = (rms(x) / (rms(y) + 1e-12)) / drr;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = x[i] + y[i] * scale;
  return out;
}

/**
 * Room reverberation by sox's `reverb` (a Freeverb room, a different model from `reverberate`), wet only,
 * mixed with the dry signal at `room.drrDb` direct-to-reverberant ratio.
 */
async function soxReverb(x: Float32Array, sampleRate: number, room: SoxRoom): Promise<Float32Array> {
  const raw = ['-t', 'raw', '-e', 'floating-point', '-b', '32', '-c', '1', '-r', String(sampleRate), '-L'];
  const args = ['-V1', ...raw, '-', ...raw, '-', 'reverb', '-w', String(room.reverberance), String(room.hfDamping), String(room.roomScale), '100', String(room.preDelayMs), '0'];
  const wetAll = toFloat32(await run(SOX, args, Buffer.from(x.buffer, x.byteOffset, x.byteLength)));
  const wet = wetAll.subarray(0, x.length);
  const scale = rms(x) / (rms(wet) + 1e-12) / dbToGain(room.drrDb);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] + (wet[i] ?? 0) * scale;
  return out;
}

/** A noisy call start: crackling hiss (and mains hum) at `db` dBFS over the first seconds, fading out. */
function addNoisyStart(ch: Float32Array, sampleRate: number, p: NonNullable<Impairments['noisyStart']>, rand: () => number): void {
  const n = Math.min(ch.length, Math.round(p.durationSec * sampleRate));
  const hiss = pinkNoise(n, p.db, rand);
  const fade = Math.round(0.5 * sampleRate);
  // crackle: the hiss's level wanders by a few dB every 50-200 ms (a line settling), with clicks
  let gain = 1;
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (i >= next) {
      gain = dbToGain(-4 + 8 * rand());
      next = i + Math.round((0.05 + 0.15 * rand()) * sampleRate);
    }
    let v = hiss[i] * gain;
    if (rand() < 2 / sampleRate) v += (rand() < 0.5 ? -1 : 1) * dbToGain(p.db + 12);
    if (p.humHz) for (let h = 1; h <= 5; h += 2) v += dbToGain(p.db - 3) * 0.5 * Math.sin((2 * Math.PI * p.humHz * h * i) / sampleRate);
    const env = Math.min(1, (n - i) / fade);
    ch[i] += v * env;
  }
}

/** Mix a spec into two channels (no encoding). Exposed for tests and the benchmark. */
export async function renderCall(spec: CallSpec): Promise<RenderedCall> {
  const imp = spec.impairments ?? {};
  const sr = imp.sampleRate ?? 8000;
  const n = Math.round(spec.durationSec * sr);
  const seed = spec.seed ?? 1;
  const rand = prng(seed ^ 0x5eed);
  const clean = { agent: new Float32Array(n), customer: new Float32Array(n) };
  // hold audio (music, tones, announcements) comes from the PBX, not through the agent's microphone
  const holdAudio = new Float32Array(n);
  const placed: PlacedTurn[] = [];
  for (const t of spec.turns) {
    const holdSound = t.source.kind === 'moh' || t.source.kind === 'tone' || !!t.partOfHold;
    if (holdSound && t.speaker !== 'agent') throw new Error('callgen: music/tone/announcements on hold belong on the agent channel');
    const src = await prepareSource(t.source, sr, t.levelDb);
    const at = Math.round(t.at * sr);
    const dst = holdSound ? holdAudio : clean[t.speaker];
    for (let i = 0; i < src.samples.length && at + i < n; i++) if (at + i >= 0) dst[at + i] += src.samples[i];
    const start = at / sr;
    const text = t.text ?? (t.source.kind === 'asterisk' ? asteriskTranscripts(t.source.voice).get(t.source.prompt) : t.source.kind === 'espeak' ? t.source.text : undefined);
    let tones: TimeSpan[] | undefined;
    if (t.source.kind === 'dtmf') {
      const per = (t.source.onSec ?? 0.1) + (t.source.offSec ?? 0.08);
      tones = [...t.source.digits].map((_, k) => ({ start: start + k * per, end: start + k * per + (t.source.kind === 'dtmf' ? t.source.onSec ?? 0.1 : 0) }));
    }
    placed.push({
      speaker: t.speaker,
      kind: holdSound ? 'hold' : isSpeechSource(t.source) ? 'speech' : 'other',
      start,
      end: start + src.durationSec,
      speech: holdSound ? [] : src.speech.map((s) => ({ start: start + s.start, end: start + s.end })),
      ...(tones ? { tones } : {}),
      ...(text !== undefined ? { text } : {}),
      source: sourceLabel(t.source),
    });
  }

  const gA = dbToGain(imp.gainDb?.agent ?? 0);
  const gC = dbToGain(imp.gainDb?.customer ?? 0);
  const agent = new Float32Array(n);
  const customer = new Float32Array(n);
  const boost = dbToGain(imp.micBoostDb ?? 0);
  // a speakerphone: the customer's room reverberates what they say (and type)
  const sp = imp.speakerphone;
  const room = (x: Float32Array) => (sp?.room ? soxReverb(x, sr, sp.room) : Promise.resolve(reverberate(x, sr, sp?.rt60Sec ?? 0.5, rand)));
  const customerSrc = sp ? await room(clean.customer) : clean.customer;
  for (let i = 0; i < n; i++) {
    // a boosted microphone clips at the converter, before the line
    const mic = imp.micBoostDb ? Math.max(-1, Math.min(1, clean.agent[i] * boost)) : clean.agent[i];
    agent[i] = (mic + holdAudio[i]) * gA;
    customer[i] = customerSrc[i] * gC;
  }
  const agentOnly = Float32Array.from(agent);
  if (imp.speakerphone) {
    // the agent's voice from the loudspeaker, through the same room, back into the customer's microphone
    const back = await room(bandLimit(agentOnly, sr, 200, 3400));
    addDelayed(customer, back, dbToGain(imp.speakerphone.echoDb) * gC, Math.round((imp.speakerphone.delayMs / 1000) * sr));
  }
  const customerOnly = Float32Array.from(customer);
  if (imp.crosstalk) {
    const d = Math.round((imp.crosstalk.delayMs / 1000) * sr);
    const g = dbToGain(imp.crosstalk.db);
    addDelayed(customer, agentOnly, g, d);
    addDelayed(agent, customerOnly, g, d);
  }
  if (imp.echo) {
    const d = Math.round((imp.echo.delayMs / 1000) * sr);
    addDelayed(customer, bandLimit(agentOnly, sr, 300, 2800), dbToGain(imp.echo.db), d);
  }
  if (imp.babble) {
    const agentVoice = spec.turns.find((t) => t.speaker === 'agent' && isSpeechSource(t.source) && !t.partOfHold);
    const babble = await makeBabble(n, sr, imp.babble.voices ?? 4, agentVoice ? speakerOfVoice(agentVoice.source) : undefined, rand);
    const g = dbToGain(imp.babble.db) * gA;
    for (let i = 0; i < n; i++) agent[i] += babble[i] * g;
  }
  if (imp.noiseDb) {
    const pump = imp.agcPumping ? (typeof imp.agcPumping === 'object' ? imp.agcPumping.pumpDb : 12) : 0;
    // Line noise travels with the line: a quiet side (gainDb < 0) has its noise attenuated too, so its SNR
    // stays that of the line; the recorder's own floor (about -70 dBFS) bounds how quiet it gets.
    const gainOf = (side: 'agent' | 'customer') => imp.gainDb?.[side] ?? 0;
    for (const [ch, level, content] of [
      [agent, Math.max(imp.noiseDb.agent + gainOf('agent'), -70), agentOnly],
      [customer, Math.max(imp.noiseDb.customer + gainOf('customer'), -70), customerOnly],
    ] as const) {
      const noise = pinkNoise(n, level, rand);
      const env = pump ? activityEnvelope(content, sr) : undefined;
      for (let i = 0; i < n; i++) ch[i] += noise[i] * (env ? dbToGain(pump * (1 - env[i])) : 1);
    }
  }
  if (imp.noisyStart) addNoisyStart(agent, sr, imp.noisyStart, rand);
  if (imp.dtx) {
    const lead = imp.dtx.leadSec ?? 0.04;
    for (const side of ['agent', 'customer'] as const) {
      if (imp.dtx.side !== side && imp.dtx.side !== 'both') continue;
      // what the codec's VAD sends: speech, keypad and hold sound, with lead and hangover; zeros otherwise
      const sending = mergeSpans(
        placed
          .filter((t) => t.speaker === side)
          .flatMap((t) => (t.kind === 'speech' ? t.speech : [{ start: t.start, end: t.end }]))
          .map((x) => ({ start: x.start - lead, end: x.end + imp.dtx!.hangoverSec })),
        0,
      );
      const ch = side === 'agent' ? agent : customer;
      let k = 0;
      for (let i = 0; i < n; i++) {
        const t = i / sr;
        while (k < sending.length && sending[k].end <= t) k++;
        if (!(k < sending.length && sending[k].start <= t)) ch[i] = 0;
      }
    }
  }
  for (const ch of [agent, customer]) for (let i = 0; i < n; i++) ch[i] = Math.max(-1, Math.min(1, ch[i]));
  return { agent, customer, sampleRate: sr, placed };
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding

let encoderList: string | undefined;
async function ffmpegEncoders(): Promise<string> {
  encoderList ??= (await run(FFMPEG, ['-hide_banner', '-encoders'])).toString('utf8');
  return encoderList;
}

/** Whether this machine's ffmpeg can write `codec` (AMR needs libopencore_amrnb, absent from Debian's ffmpeg). */
export async function codecAvailable(codec: Codec): Promise<boolean> {
  const enc = await ffmpegEncoders();
  const need: Record<Codec, string> = {
    pcm16: 'pcm_s16le',
    mulaw: 'pcm_mulaw',
    alaw: 'pcm_alaw',
    gsm: 'libgsm_ms',
    'gsm-stereo': 'libgsm',
    'mp3-16k': 'libmp3lame',
    opus: 'libopus',
    amr: 'libopencore_amrnb',
    aac: ' aac ',
    flac: ' flac ',
  };
  const name = need[codec];
  return name.startsWith(' ') ? enc.includes(name) : new RegExp(`\\s${name}\\s`).test(enc);
}

/** Channels of the written file for a codec. */
export function codecChannels(codec: Codec): 1 | 2 {
  return codec === 'gsm' || codec === 'amr' ? 1 : 2;
}

function encodeArgs(codec: Codec, sampleRate: number, bitrateKbps?: number): string[] {
  const br = (d: number) => `${bitrateKbps ?? d}k`;
  switch (codec) {
    case 'pcm16':
    case 'gsm-stereo':
      return ['-c:a', 'pcm_s16le', '-f', 'wav'];
    case 'mulaw':
      return ['-c:a', 'pcm_mulaw', '-f', 'wav'];
    case 'alaw':
      return ['-c:a', 'pcm_alaw', '-f', 'wav'];
    case 'gsm':
      // gsm_ms is mono only (ffmpeg would silently downmix): we downmix explicitly
      return ['-ac', '1', '-ar', '8000', '-c:a', 'libgsm_ms', '-f', 'wav'];
    case 'mp3-16k':
      return ['-c:a', 'libmp3lame', '-b:a', br(16), '-f', 'mp3'];
    case 'opus':
      // libopus below ~20 kbit/s collapses a stereo pair to mono (both channels identical): mapping family 255
      // codes each channel as its own stream, which keeps agent and customer apart (layout reads as "unknown")
      return ['-c:a', 'libopus', '-mapping_family', '255', '-b:a', br(16), '-f', 'ogg'];
    case 'amr':
      return ['-ac', '1', '-ar', '8000', '-c:a', 'libopencore_amrnb', '-b:a', '12.2k', '-f', 'amr'];
    case 'aac':
      return ['-c:a', 'aac', '-b:a', br(sampleRate > 8000 ? 32 : 24), '-f', 'mp4'];
    case 'flac':
      return ['-c:a', 'flac', '-f', 'flac'];
  }
}

function interleave(a: Float32Array, b: Float32Array, from = 0, to = a.length): Buffer {
  const out = new Float32Array((to - from) * 2);
  for (let i = from, j = 0; i < to; i++, j += 2) {
    out[j] = a[i];
    out[j + 1] = b[i];
  }
  return Buffer.from(out.buffer);
}

/** GSM 06.10 round trip of one channel (for 'gsm-stereo'). */
async function gsmRoundTrip(x: Float32Array, sampleRate: number): Promise<Float32Array> {
  const gsm = await run(FFMPEG, ['-v', 'error', '-nostdin', '-f', 'f32le', '-ar', String(sampleRate), '-ac', '1', '-i', 'pipe:0', '-ar', '8000', '-c:a', 'libgsm', '-f', 'gsm', 'pipe:1'], Buffer.from(x.buffer, x.byteOffset, x.byteLength));
  const back = toFloat32(await run(FFMPEG, ['-v', 'error', '-nostdin', '-f', 'gsm', '-i', 'pipe:0', '-ar', String(sampleRate), '-f', 'f32le', '-c:a', 'pcm_f32le', 'pipe:1'], gsm));
  const out = new Float32Array(x.length);
  out.set(back.subarray(0, x.length));
  return out;
}

async function assertCodec(codec: Codec): Promise<void> {
  if (!(await codecAvailable(codec)))
    throw new Error(
      codec === 'amr'
        ? 'callgen: this ffmpeg has no AMR-NB encoder (libopencore_amrnb); AMR output is impossible here (and would be mono only)'
        : `callgen: this ffmpeg cannot encode ${codec}`,
    );
}

/** Encode two channels to `outFile` in `codec`. */
export async function encodeStereo(agent: Float32Array, customer: Float32Array, sampleRate: number, codec: Codec, outFile: string, bitrateKbps?: number): Promise<void> {
  await assertCodec(codec);
  let a = agent;
  let c = customer;
  if (codec === 'gsm-stereo') [a, c] = await Promise.all([gsmRoundTrip(agent, sampleRate), gsmRoundTrip(customer, sampleRate)]);
  ensureDir(path.dirname(path.resolve(outFile)));
  await run(
    FFMPEG,
    ['-v', 'error', '-nostdin', '-y', '-f', 'f32le', '-ar', String(sampleRate), '-ac', '2', '-i', 'pipe:0', ...encodeArgs(codec, sampleRate, bitrateKbps), '-map_metadata', '-1', '-bitexact', path.resolve(outFile)],
    interleave(a, c),
  );
}

/**
 * Build a call: mix the spec, write `outFile` (left = agent, right = customer; mono for 'gsm'/'amr'), return
 * the ground truth. Deterministic for a given spec (seed drives noise and babble).
 */
export async function buildCall(spec: CallSpec, outFile: string): Promise<GroundTruth> {
  const imp = spec.impairments ?? {};
  const codec = imp.codec ?? 'pcm16';
  await assertCodec(codec);
  const call = await renderCall(spec);
  await encodeStereo(call.agent, call.customer, call.sampleRate, codec, outFile, imp.bitrateKbps);
  return computeTruth(spec.durationSec, call.placed, {
    sampleRate: call.sampleRate,
    channels: codecChannels(codec),
    codec,
    impairments: imp,
    seed: spec.seed ?? 1,
  });
}

/** Sidecar transcript (the format src/transcribe reads) from the scripted text at the placed times. */
export function transcriptSidecar(truth: GroundTruth, language: string): { language: string; segments: { speaker: CallSpeaker; start: number; end: number; text: string }[] } {
  return {
    language,
    segments: truth.turns
      .filter((t) => t.kind === 'speech' && t.text)
      .map((t) => ({ speaker: t.speaker, start: t.start, end: t.end, text: t.text as string })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Random conversations


export interface PromptInfo {
  prompt: string;
  durationSec: number;
  text?: string;
}

const catalogueCache = new Map<string, PromptInfo[]>();
/** Speech prompts of a voice with durations in [minSec, maxSec] (from the WAV size: 8 kHz 16-bit mono). */
export function promptCatalogue(voice: string, minSec: number, maxSec: number): PromptInfo[] {
  const key = `${voice}|${minSec}|${maxSec}`;
  const hit = catalogueCache.get(key);
  if (hit) return hit;
  const texts = asteriskTranscripts(voice);
  const dir = path.join(SOUNDS_DIR, voice);
  const out: PromptInfo[] = [];
  const walk = (sub: string) => {
    for (const f of readdirSync(path.join(dir, sub)).sort()) {
      const rel = sub ? `${sub}/${f}` : f;
      if (!f.endsWith('.wav')) continue;
      const stem = rel.slice(0, -4);
      const text = texts.get(stem);
      // tones, beeps and silence prompts are not speech
      if (!text || text.startsWith('[') || /beep|tone|silence/.test(stem)) continue;
      const durationSec = (statSync(path.join(dir, rel)).size - 44) / 16000;
      if (durationSec >= minSec && durationSec <= maxSec) out.push({ prompt: stem, durationSec, text });
    }
  };
  walk('');
  if (existsSync(path.join(dir, 'digits'))) walk('digits');
  catalogueCache.set(key, out);
  return out;
}

/** A voice needs this many 1-8 s speech prompts (WAV with an official transcript) to make conversations. */
const MIN_USABLE_PROMPTS = 5;

/**
 * The real human voices: en/es are Allison, fr June, it Carlo, ru IvrvoiceRU. Only voices whose folder holds
 * usable prompts here: another package can own a folder (e.g. a Spanish prompt set putting GSM files without
 * transcripts in sounds/es), and test data must not depend on what else is installed, so such a voice is
 * skipped rather than crashed on.
 */
export const ASTERISK_VOICES = ['en', 'fr', 'it', 'ru', 'es'].filter(
  (v) => existsSync(path.join(SOUNDS_DIR, v)) && promptCatalogue(v, 1, 8).length >= MIN_USABLE_PROMPTS,
);

const EN_LINES = [
  'Thank you for calling Acme, this is Sam, how can I help?',
  'I am calling about my last bill, it looks wrong.',
  'Let me pull up your account, can I have your phone number please?',
  'Sure, it is five five five, one two three, four five six seven.',
  'I can see a charge for international roaming on the twelfth.',
  'But I was not travelling that week, I was at home the whole time.',
  'I understand, let me check the usage records for you.',
  'The internet has been dropping every evening for a week now.',
  'Have you tried restarting the router since then?',
  'Yes, twice, and it still drops around eight o clock.',
  'I will raise a ticket with our network team today.',
  'How long will that take to fix?',
  'Usually two to three working days, and we will text you.',
  'Um, and can you also update my address?',
  'Of course, what is the new address?',
  'Forty two Station Road, Leeds.',
  'Is there anything else I can help you with today?',
  'No, that is everything, thank you.',
  'Thanks for calling, goodbye.',
];
const ZH_LINES = [
  '您好，很高兴为您服务，请问有什么可以帮您？',
  '你好，我想查一下我上个月的话费。',
  '好的，请您提供一下您的手机号码。',
  '一三八，一二三四，五六七八。',
  '我看到您上个月有一笔国际漫游费用。',
  '可是我那个月根本没有出国啊。',
  '嗯，我帮您查一下详细的使用记录。',
  '我家的宽带最近每天晚上都断线。',
  '请问您重启过路由器吗？',
  '重启过两次了，还是一样。',
  '那个，我马上帮您提交一个维修工单。',
  '大概需要多长时间能修好？',
  '一般两到三个工作日，处理完会短信通知您。',
  '另外我想改一下我的地址。',
  '没问题，请问新的地址是？',
  '请问还有其他可以帮您的吗？',
  '没有了，谢谢。',
  '感谢您的来电，再见！',
];
const BACKCHANNELS: Record<'en' | 'zh', string[]> = {
  en: ['yes', 'okay', 'mm-hmm', 'right', 'uh-huh', 'sure'],
  zh: ['嗯', '对', '好的', '是的', '嗯嗯', '对对'],
};

export interface RandomCallOptions {
  /** default: 90-240 s, random */
  durationSec?: number;
  /** 'en': Allison + espeak English; 'zh': espeak cmn; 'any' (default): any asterisk voice or espeak */
  language?: 'en' | 'zh' | 'any';
  /** hold with MOH or tone: true, false, or a probability (default 0.5) */
  hold?: boolean | number;
  /** dead-air gaps of 6-15 s (default 1-3 random) */
  deadAirGaps?: number;
  /** 'random' (default): random impairments; 'none': clean; or fixed impairments */
  impairments?: 'random' | 'none' | Impairments;
  /** output codec; default pcm16 (random impairments keep pcm16 unless `randomCodec`) */
  codec?: Codec;
  randomCodec?: boolean;
  sampleRate?: 8000 | 16000;
  /**
   * 'any' (default): music or tones, as always; 'moh'; 'tone'; 'announced': music interrupted every 15-30 s by
   * a recorded PBX announcement in a voice that is not the agent's (part of the hold, not speech).
   */
  holdStyle?: 'any' | 'moh' | 'tone' | 'announced';
  /** holds in the call when there is hold (default 1; styles other than 'any' only) */
  holds?: number;
  /** hold length range in seconds (default 20-70) */
  holdSec?: [number, number];
  /** hold music level relative to the agent's speech level in dB (default: music at -24 dBFS, 4 dB below) */
  holdLevelDb?: number;
  /** hold music from this file (a name in MOH_DIR) instead of a random one */
  mohFile?: string;
  /** probability per agent sentence that the customer types keypad digits meanwhile (default 0); also in some dead air */
  keypad?: number;
  /** start the conversation at this time (s), e.g. after a noisy call start */
  firstSpeechAt?: number;
}

/** Hold announcements for the espeak PBX voice (never the agent's voice). */
const HOLD_ANNOUNCEMENTS: { voice: string; text: string }[] = [
  { voice: 'en-gb-x-rp', text: 'Thank you for holding. Your call is important to us. Please stay on the line.' },
  { voice: 'en-us', text: 'All of our agents are busy. Your call will be answered shortly. Thank you for your patience.' },
  { voice: 'en-gb', text: 'Thank you for waiting. An advisor will be with you shortly.' },
  { voice: 'cmn', text: '您好，您的来电正在排队中，请不要挂机，我们将尽快为您服务。' },
  { voice: 'cmn', text: '感谢您的耐心等待，请稍候。' },
];
const PBX_PROMPTS = ['queue-periodic-announce', 'queue-thankyou', 'queue-youarenext', 'queue-callswaiting', 'pls-hold-while-try'];

const STEREO_CODECS: Codec[] = ['pcm16', 'mulaw', 'alaw', 'gsm-stereo', 'mp3-16k', 'opus', 'aac', 'flac'];

/** Random but realistic impairments. */
export function randomImpairments(rand: () => number): Impairments {
  const u = (a: number, b: number) => a + (b - a) * rand();
  const imp: Impairments = { noiseDb: { agent: u(-62, -42), customer: u(-62, -40) } };
  if (rand() < 0.35) imp.gainDb = rand() < 0.5 ? { agent: 0, customer: -u(15, 20) } : { agent: -u(15, 20), customer: 0 };
  if (rand() < 0.35) imp.crosstalk = { db: -u(20, 30), delayMs: u(0, 20) };
  if (rand() < 0.3) imp.echo = { db: -u(18, 30), delayMs: u(30, 250) };
  if (rand() < 0.3) imp.babble = { db: -u(12, 25), voices: 3 + Math.floor(rand() * 3) };
  if (rand() < 0.25) imp.agcPumping = true;
  return imp;
}

interface Voice {
  kind: 'asterisk' | 'espeak';
  voice: string;
  pitch?: number;
  speed?: number;
  lang: 'en' | 'zh' | 'other';
}

/**
 * A varied, realistic conversation: turn-taking with 0.3-4 s pauses, dead-air gaps of 6-15 s, talk-overs of
 * 0.6-3 s, listener backchannels inside the other's turn, optional hold of 20-70 s (MOH or tones), random voices
 * and impairments. Async because placement needs the true length of every utterance (sources are cached).
 */
export async function randomCallSpec(seed: number, opts: RandomCallOptions = {}): Promise<CallSpec> {
  const rand = prng(seed);
  const u = (a: number, b: number) => a + (b - a) * rand();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const sr = opts.sampleRate ?? 8000;
  const durationSec = opts.durationSec ?? Math.round(u(90, 240));
  const language = opts.language ?? 'any';

  const espeakVoice = (lang: 'en' | 'zh'): Voice =>
    lang === 'zh'
      ? { kind: 'espeak', voice: 'cmn', pitch: Math.round(u(25, 75)), speed: Math.round(u(150, 190)), lang: 'zh' }
      : { kind: 'espeak', voice: pick(['en-us', 'en-gb', 'en-gb-scotland', 'en-us-nyc']), pitch: Math.round(u(25, 75)), speed: Math.round(u(150, 185)), lang: 'en' };
  const voicePool = (): Voice => {
    if (language === 'zh') return espeakVoice('zh');
    if (language === 'en') return rand() < 0.6 && ASTERISK_VOICES.includes('en') ? { kind: 'asterisk', voice: 'en', lang: 'en' } : espeakVoice('en');
    if (rand() < 0.65 && ASTERISK_VOICES.length) {
      const v = pick(ASTERISK_VOICES);
      return { kind: 'asterisk', voice: v, lang: v === 'en' ? 'en' : 'other' };
    }
    return espeakVoice(rand() < 0.5 ? 'zh' : 'en');
  };
  const agentVoice = voicePool();
  let customerVoice = voicePool();
  const sameSpeaker = () => speakerOfVoice({ kind: customerVoice.kind, voice: customerVoice.voice, prompt: '', text: '' } as Source) === speakerOfVoice({ kind: agentVoice.kind, voice: agentVoice.voice, prompt: '', text: '' } as Source);
  for (let i = 0; i < 5 && customerVoice.kind === 'asterisk' && sameSpeaker(); i++) customerVoice = voicePool();
  if (customerVoice.kind === 'espeak' && agentVoice.kind === 'espeak' && customerVoice.voice === agentVoice.voice)
    customerVoice.pitch = ((agentVoice.pitch ?? 50) + 30) % 100;
  const voices: Record<CallSpeaker, Voice> = { agent: agentVoice, customer: customerVoice };

  const utterance = (spk: CallSpeaker, minSec = 1, maxSec = 7): Source => {
    const v = voices[spk];
    if (v.kind === 'asterisk') {
      const prompts = promptCatalogue(v.voice, minSec, maxSec);
      if (prompts.length) return { kind: 'asterisk', voice: v.voice, prompt: pick(prompts).prompt };
    }
    // an asterisk voice with no prompt of this length: espeak says the line instead
    const espeakName = v.kind === 'espeak' ? v.voice : v.lang === 'zh' ? 'cmn' : 'en-us';
    return { kind: 'espeak', voice: espeakName, text: pick(v.lang === 'zh' ? ZH_LINES : EN_LINES), pitch: v.pitch, speed: v.speed };
  };
  const backchannel = (spk: CallSpeaker): Source => {
    const v = voices[spk];
    if (v.kind === 'asterisk') {
      const short = promptCatalogue(v.voice, 0.2, 0.9);
      if (short.length) return { kind: 'asterisk', voice: v.voice, prompt: pick(short).prompt };
    }
    const lang = v.lang === 'zh' ? 'zh' : 'en';
    return { kind: 'espeak', voice: v.kind === 'espeak' ? v.voice : lang === 'zh' ? 'cmn' : 'en-us', text: pick(BACKCHANNELS[lang]), pitch: v.pitch, speed: v.speed };
  };
  const lengthOf = async (s: Source) => {
    const p = await prepareSource(s, sr);
    return { dur: p.durationSec, speechEnd: p.speech.length ? p.speech[p.speech.length - 1].end : p.durationSec, speechStart: p.speech[0]?.start ?? 0 };
  };

  const turns: Turn[] = [];
  const wantHold = typeof opts.hold === 'boolean' ? opts.hold : rand() < (opts.hold ?? 0.5);
  let deadAirLeft = opts.deadAirGaps ?? 1 + Math.floor(rand() * 3);
  const holdAt = wantHold ? u(0.25, 0.6) * durationSec : Infinity;
  let held = false;
  let t = u(0.3, 1.5);
  // the newer conditions draw from their own stream, so calls made without them stay as they were
  const rand2 = prng(seed ^ 0x40d2);
  const u2 = (a: number, b: number) => a + (b - a) * rand2();
  const pick2 = <T>(xs: readonly T[]): T => xs[Math.floor(rand2() * xs.length)];
  const style = opts.holdStyle ?? 'any';
  const holdsWanted = style === 'any' ? 1 : Math.max(1, opts.holds ?? 1);
  const holdTimes = wantHold
    ? style === 'any'
      ? [holdAt]
      : Array.from({ length: holdsWanted }, (_, k) => ((k + u2(0.15, 0.55)) / holdsWanted) * durationSec)
    : [];
  let holdsDone = 0;
  if (opts.firstSpeechAt !== undefined) t = opts.firstSpeechAt;
  const keypad = (at: number, maxSec: number) => {
    // 3-11 digits, 60-150 ms each with 50-120 ms between: an account number typed on the customer's keypad
    const on = u2(0.06, 0.15);
    const off = u2(0.05, 0.12);
    const nDigits = Math.max(1, Math.min(3 + Math.floor(rand2() * 9), Math.floor(maxSec / (on + off))));
    const digits = Array.from({ length: nDigits }, () => pick2([...'0123456789*#'])).join('');
    turns.push({ speaker: 'customer', at, source: { kind: 'dtmf', digits, onSec: on, offSec: off }, levelDb: u2(-22, -10) });
  };
  const pbxAnnouncement = (): Source => {
    const agentSpeaker = speakerOfVoice({ kind: agentVoice.kind, voice: agentVoice.voice, prompt: '', text: '' } as Source);
    const others = ASTERISK_VOICES.filter((v) => speakerOfVoice({ kind: 'asterisk', voice: v, prompt: '' }) !== agentSpeaker);
    if (others.length && rand2() < 0.65) {
      const voice = pick2(others);
      const prompts = PBX_PROMPTS.filter((pr) => existsSync(path.join(SOUNDS_DIR, voice, `${pr}.wav`)));
      if (prompts.length) return { kind: 'asterisk', voice, prompt: pick2(prompts) };
    }
    const a = pick2(HOLD_ANNOUNCEMENTS.filter((x) => !(agentVoice.kind === 'espeak' && agentVoice.voice === x.voice)));
    return { kind: 'espeak', voice: a.voice, text: a.text, speed: Math.round(u2(140, 170)), pitch: Math.round(u2(30, 70)) };
  };
  let spk: CallSpeaker = rand() < 0.85 ? 'agent' : 'customer';
  // the end of the current speaker's last speech (absolute), for talk-over placement
  let lastSpeechEnd = 0;
  let lastSpeechStart = 0;
  const endLimit = durationSec - 1.0;
  while (t < endLimit - 1) {
    if (style !== 'any' && holdsDone < holdTimes.length && t >= holdTimes[holdsDone] && spk === 'agent' && t + 25 < endLimit) {
      holdsDone++;
      // "one moment, please", then hold right after (edges 0.15-1.2 s), then the agent comes back
      if (rand2() < 0.8) {
        const s = utterance('agent', 1, 4);
        const L = await lengthOf(s);
        turns.push({ speaker: 'agent', at: t, source: s });
        t += L.speechEnd + u2(0.15, 1.2);
      }
      const [lo, hi] = opts.holdSec ?? [20, 70];
      const holdSec = Math.min(u2(lo, hi), endLimit - t - 8);
      const level = opts.holdLevelDb !== undefined ? SPEECH_LEVEL_DBFS + opts.holdLevelDb : undefined;
      const files = mohFiles();
      const kind = style === 'tone' || !files.length ? 'tone' : style;
      if (kind === 'tone') {
        turns.push({
          speaker: 'agent',
          at: t,
          source: { kind: 'tone', freqHz: pick2([[425], [440, 480], [1400], [350, 440]]), onSec: u2(0.4, 2), offSec: u2(0.2, 1.5), durationSec: holdSec },
          levelDb: level,
        });
      } else {
        const drawn = pick2(files);
        const file = opts.mohFile ?? drawn;
        const end = t + holdSec;
        let at = t;
        let offset = u2(0, 60);
        const musicStops = rand2() < 0.6;
        while (at < end - 0.5) {
          const musicSec = kind === 'announced' ? Math.min(u2(15, 30), end - at) : end - at;
          // announcements: when the music resumes it goes on where it stopped
          turns.push({ speaker: 'agent', at, source: { kind: 'moh', file, durationSec: musicSec, offsetSec: offset }, levelDb: level });
          offset += musicSec;
          at += musicSec;
          if (kind !== 'announced' || at >= end - 6) break;
          const ann = pbxAnnouncement();
          const A = await lengthOf(ann);
          const annLevel = (level ?? -24) + u2(0, 6);
          if (musicStops) {
            turns.push({ speaker: 'agent', at: at + 0.2, source: ann, levelDb: annLevel, partOfHold: true });
            at += A.dur + 0.4;
          } else {
            // the announcement over the music
            turns.push({ speaker: 'agent', at: at - A.dur, source: ann, levelDb: annLevel, partOfHold: true });
          }
        }
        t = Math.max(at, end);
      }
      if (kind === 'tone') t += holdSec;
      t += u2(0.15, 1.2);
      spk = 'agent';
      continue;
    }
    if (style === 'any' && !held && t >= holdAt && spk === 'agent' && t + 30 < endLimit) {
      held = true;
      // agent (usually) asks, then hold, then thanks
      if (rand() < 0.75) {
        const s = utterance('agent', 1, 4);
        const L = await lengthOf(s);
        turns.push({ speaker: 'agent', at: t, source: s });
        t += L.speechEnd + u(0.5, 1.5);
      }
      const holdSec = Math.min(u(20, 70), endLimit - t - 8);
      const files = mohFiles();
      const src: Source =
        rand() < 0.7 && files.length
          ? { kind: 'moh', file: pick(files), durationSec: holdSec, offsetSec: u(0, 60) }
          : { kind: 'tone', freqHz: pick([[425], [440, 480], [1400], [350, 440]]), onSec: u(0.4, 2), offSec: u(0.2, 1.5), durationSec: holdSec };
      turns.push({ speaker: 'agent', at: t, source: src });
      t += holdSec + u(0.5, 1.5);
      spk = 'agent';
      continue;
    }
    // one or two sentences from the current speaker
    const sentences = rand() < 0.3 ? 2 : 1;
    let speechStart = t;
    for (let k = 0; k < sentences && t < endLimit; k++) {
      const s = utterance(spk);
      const L = await lengthOf(s);
      if (t + L.dur > durationSec) break;
      turns.push({ speaker: spk, at: t, source: s });
      if (k === 0) speechStart = t + L.speechStart;
      lastSpeechEnd = t + L.speechEnd;
      lastSpeechStart = speechStart;
      const listener: CallSpeaker = spk === 'agent' ? 'customer' : 'agent';
      // listener backchannel inside a long utterance
      if (opts.keypad && spk === 'agent' && L.speechEnd - L.speechStart > 2 && rand2() < opts.keypad) {
        const from = t + L.speechStart + 0.3;
        keypad(u2(from, Math.max(from, t + L.speechEnd - 1.5)), t + L.speechEnd - from);
      }
      if (L.speechEnd - L.speechStart > 2.6 && rand() < 0.35) {
        const b = backchannel(listener);
        const B = await lengthOf(b);
        const lo = t + L.speechStart + 0.6;
        const hi = t + L.speechEnd - 0.4 - B.speechEnd;
        if (hi > lo && B.speechEnd - B.speechStart <= 1.0) turns.push({ speaker: listener, at: u(lo, hi) - B.speechStart, source: b });
      }
      t = lastSpeechEnd + u(0.15, 0.7);
    }
    const next: CallSpeaker = spk === 'agent' ? 'customer' : 'agent';
    const r = rand();
    if (deadAirLeft > 0 && r < 0.12) {
      deadAirLeft--;
      t = lastSpeechEnd + u(6, 15);
      if (opts.keypad && rand2() < 0.5) keypad(lastSpeechEnd + u2(1.5, 3), 3);
    } else if (r < 0.3 && lastSpeechEnd - lastSpeechStart > 1.6) {
      // talk-over: the next speaker starts before this one finishes
      const overlap = Math.min(u(0.6, 3), lastSpeechEnd - lastSpeechStart - 0.8);
      t = lastSpeechEnd - overlap;
    } else t = lastSpeechEnd + (rand() < 0.8 ? u(0.3, 1.8) : u(1.8, 4));
    spk = next;
  }

  let impairments: Impairments =
    opts.impairments === 'none' ? {} : opts.impairments === undefined || opts.impairments === 'random' ? randomImpairments(rand) : { ...opts.impairments };
  const codec = opts.codec ?? (opts.randomCodec ? pick(STEREO_CODECS) : impairments.codec ?? 'pcm16');
  impairments = { ...impairments, codec, sampleRate: sr };
  return { durationSec, turns, impairments, seed };
}

// ---------------------------------------------------------------------------------------------------------------
// Long calls for the benchmark

export interface LongCallOptions {
  seed?: number;
  /** 'pcm16' | 'mulaw' | 'alaw' | 'flac' (stream-friendly containers); default pcm16 */
  codec?: Extract<Codec, 'pcm16' | 'mulaw' | 'alaw' | 'flac'>;
  sampleRate?: 8000 | 16000;
  /** 'random' per segment (default) or 'none' */
  impairments?: 'random' | 'none';
  onProgress?: (doneSec: number, totalSec: number) => void;
}

function writeChunk(stream: Writable, buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = stream.write(buf, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else stream.once('drain', resolve);
  });
}

/**
 * A long stereo call (e.g. 60 minutes) made of random 2-5 minute conversation segments, streamed to ffmpeg
 * one segment at a time (memory stays at one segment, ~20 MB at 8 kHz). Returns the ground truth of the whole.
 */
export async function buildLongCall(minutes: number, outFile: string, opts: LongCallOptions = {}): Promise<GroundTruth> {
  const codec = opts.codec ?? 'pcm16';
  const sr = opts.sampleRate ?? 8000;
  const totalSec = minutes * 60;
  const seed = opts.seed ?? 7;
  const rand = prng(seed);
  ensureDir(path.dirname(path.resolve(outFile)));
  const child = spawn(
    FFMPEG,
    ['-v', 'error', '-nostdin', '-y', '-f', 'f32le', '-ar', String(sr), '-ac', '2', '-i', 'pipe:0', ...encodeArgs(codec, sr), path.resolve(outFile)],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  const err: Buffer[] = [];
  child.stderr.on('data', (d: Buffer) => err.push(d));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (e) => reject(new ToolError(FFMPEG, null, e.message)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new ToolError(FFMPEG, code, Buffer.concat(err).toString('utf8')))));
  });
  done.catch(() => {}); // observed below
  const placed: PlacedTurn[] = [];
  let offset = 0;
  let segment = 0;
  try {
    while (offset < totalSec - 1e-6) {
      const dur = Math.min(Math.round(120 + rand() * 180), Math.ceil(totalSec - offset));
      const spec = await randomCallSpec(seed * 1000 + segment++, {
        durationSec: dur,
        impairments: opts.impairments === 'none' ? 'none' : 'random',
        codec,
        sampleRate: sr,
        hold: 0.4,
      });
      const call = await renderCall(spec);
      for (const t of call.placed)
        placed.push({ ...t, start: t.start + offset, end: t.end + offset, speech: t.speech.map((s) => ({ start: s.start + offset, end: s.end + offset })) });
      const step = sr * 10;
      for (let i = 0; i < call.agent.length; i += step) await writeChunk(child.stdin, interleave(call.agent, call.customer, i, Math.min(call.agent.length, i + step)));
      offset += dur;
      opts.onProgress?.(offset, totalSec);
    }
  } finally {
    child.stdin.end();
  }
  await done;
  return computeTruth(offset, placed, { sampleRate: sr, channels: 2, codec, impairments: {}, seed });
}

// ---------------------------------------------------------------------------------------------------------------
// Hard lines: holds on noisy lines, keypad tones, DTX, speakerphones (issue 16)

/**
 * - 'noisy-hold': ~20 dB SNR on both sides, GSM or a clean codec, 1-2 holds of music ~12 dB below the
 *   agent's speech, mostly interrupted by PBX announcements; often a noisy call start.
 * - 'clipping-hold': the agent's microphone boosted into clipping on a noisy channel; hold music only a few
 *   dB above that channel's floor.
 * - 'keypad': the customer types digits (DTMF) while the agent talks and in dead air.
 * - 'dtx': discontinuous transmission (digital silence between utterances, line noise returning with speech).
 * - 'speakerphone': the customer in a reverberant room, the agent's voice coming back through it.
 */
export type HardLine = 'noisy-hold' | 'clipping-hold' | 'keypad' | 'dtx' | 'speakerphone';
export const HARD_LINES: readonly HardLine[] = ['noisy-hold', 'clipping-hold', 'keypad', 'dtx', 'speakerphone'];

/** Overrides for varied sets: the output codec, sox's room instead of the built-in one, the hold music. */
export interface HardLineOptions {
  durationSec?: number;
  codec?: Codec;
  /** speakerphone lines: the room (sox reverb) or the built-in room's decay time, and the loudspeaker echo's level and delay */
  room?: SoxRoom;
  rt60Sec?: number;
  echoDb?: number;
  delayMs?: number;
  /** hold lines: the music file (a name in MOH_DIR) */
  mohFile?: string;
}

export async function hardLineCallSpec(lineSeed: number, line: HardLine, opts: HardLineOptions = {}): Promise<CallSpec> {
  // each kind of line gets its own conversations for the same seed
  const seed = lineSeed * 8 + HARD_LINES.indexOf(line);
  const rand = prng(seed ^ 0x11e5);
  const u = (a: number, b: number) => a + (b - a) * rand();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  // (drawn even when overridden, so the rest of a seed's call stays the same)
  const pickCodec = (xs: readonly Codec[]): Codec => {
    const c = pick(xs);
    return opts.codec ?? c;
  };
  const durationSec = opts.durationSec ?? Math.round(u(100, 150));
  const language = pick(['en', 'zh', 'any'] as const);
  const base: Impairments = {};
  if (rand() < 0.35) base.crosstalk = { db: -u(22, 30), delayMs: u(0, 20) };
  if (rand() < 0.3) base.echo = { db: -u(20, 30), delayMs: u(30, 250) };
  const speakerphone = (rt60Sec: number, echoDb: number, delayMs: number): NonNullable<Impairments['speakerphone']> => ({
    rt60Sec,
    echoDb: opts.echoDb ?? echoDb,
    delayMs: opts.delayMs ?? delayMs,
    ...(opts.room ? { room: opts.room } : {}),
  });
  const snrNoise = () => SPEECH_LEVEL_DBFS - u(17, 23);
  switch (line) {
    case 'noisy-hold': {
      const holds = rand() < 0.4 ? 2 : 1;
      const dur = opts.durationSec ?? (holds === 2 ? Math.round(u(180, 220)) : durationSec);
      const noisyStart = rand() < 0.7;
      const startSec = u(4, 10);
      const noise = { agent: snrNoise(), customer: snrNoise() };
      return randomCallSpec(seed, {
        ...(opts.mohFile ? { mohFile: opts.mohFile } : {}),
        durationSec: dur,
        language,
        hold: true,
        holdStyle: rand() < 0.75 ? 'announced' : 'moh',
        holds,
        holdSec: [35, 75],
        holdLevelDb: -12 + u(-1.5, 1.5),
        impairments: {
          ...base,
          noiseDb: noise,
          ...(noisyStart ? { noisyStart: { durationSec: startSec, db: noise.agent + u(8, 14), ...(rand() < 0.4 ? { humHz: pick([50, 60] as const) } : {}) } } : {}),
        },
        codec: pickCodec(['gsm-stereo', 'gsm-stereo', 'pcm16', 'mulaw']),
        firstSpeechAt: noisyStart ? startSec - u(0, 1) : undefined,
        deadAirGaps: 1,
      });
    }
    case 'clipping-hold': {
      const floor = -u(38, 33);
      return randomCallSpec(seed, {
        ...(opts.mohFile ? { mohFile: opts.mohFile } : {}),
        durationSec,
        language,
        hold: true,
        holdStyle: rand() < 0.5 ? 'announced' : 'moh',
        holds: 1,
        holdSec: [35, 70],
        // the music a few dB above the channel's floor
        holdLevelDb: floor + u(5, 9) - SPEECH_LEVEL_DBFS,
        impairments: { ...base, noiseDb: { agent: floor, customer: snrNoise() }, micBoostDb: u(10, 16) },
        codec: pickCodec(['gsm-stereo', 'pcm16', 'mulaw', 'alaw']),
        deadAirGaps: 1,
      });
    }
    case 'keypad':
      return randomCallSpec(seed, {
        ...(opts.mohFile ? { mohFile: opts.mohFile } : {}),
        durationSec,
        language,
        hold: 0.3,
        keypad: 0.35,
        // (headset babble, a separate condition with its own weaknesses, is left to the random calls)
        impairments: { ...base, noiseDb: { agent: -u(62, 42), customer: -u(62, 40) }, ...(rand() < 0.25 ? { agcPumping: true } : {}) },
        codec: pickCodec(['pcm16', 'mulaw', 'alaw', 'gsm-stereo', 'opus']),
        deadAirGaps: 2,
      });
    case 'dtx': {
      const side = pick(['customer', 'customer', 'both'] as const);
      return randomCallSpec(seed, {
        ...(opts.mohFile ? { mohFile: opts.mohFile } : {}),
        durationSec,
        language,
        hold: 0.3,
        keypad: rand() < 0.3 ? 0.2 : 0,
        impairments: { ...base, noiseDb: { agent: -u(55, 40), customer: -u(50, 36) }, dtx: { side, hangoverSec: u(0.1, 0.6), leadSec: u(0, 0.08) } },
        codec: pickCodec(['pcm16', 'gsm-stereo', 'mulaw', 'opus']),
      });
    }
    case 'speakerphone':
      return randomCallSpec(seed, {
        ...(opts.mohFile ? { mohFile: opts.mohFile } : {}),
        durationSec,
        language,
        hold: 0.3,
        impairments: { ...base, noiseDb: { agent: -u(60, 45), customer: -u(50, 38) }, speakerphone: speakerphone(u(0.3, 0.8), -u(12, 24), u(30, 150)) },
        codec: pickCodec(['pcm16', 'mulaw', 'gsm-stereo', 'aac']),
      });
  }
}
