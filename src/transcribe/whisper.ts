import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, ToolError } from '../core/errors.js';
import { normaliseText } from '../core/normalise.js';
import type { Speaker, TranscriptSegment, WordTiming } from '../core/types.js';
import { extractChannelPcm, WHISPER_RATE, writeGatedWav } from './audio-io.js';
import { DEFAULT_GATE, type GateParams, type GatePlan, identityPlan, mapSpan, mapTime, planGate, regionAt } from './gate.js';
import { isAnnotationOnly } from './hallucinations.js';
import type { ResolvedModel } from './models.js';
import { runTool } from './process.js';
import {
  defaultPrompt,
  type TranscribeRequest,
  type TranscribeResult,
  type Transcriber,
} from './transcriber.js';
import { ensureWhisperCli } from './whisper-build.js';
import { parseWhisperJson, type RawToken, type RawWhisperSegment, whisperSegments } from './whisper-json.js';

/**
 * whisper.cpp's whisper-cli, run per channel on voice-activity-gated audio.
 *
 * nodejs-whisper supplies the sources, the build and the model file names; its own `nodewhisper()` is not
 * used because it runs whisper-cli through a shell string after a process-wide shelljs `cd` (unsafe with a
 * user's file name and in a worker doing other work at the same time). Here whisper-cli is spawned with
 * an argument list, and it only ever sees files this module wrote under generated names in a fresh temp
 * directory (os.tmpdir()/callqa-whisper-XXXXXX/ch0.wav ...).
 */

export interface DecodingOptions {
  /** -bs; whisper-cli's default is 5 */
  beamSize?: number;
  /** -bo; whisper-cli's default is 5 */
  bestOf?: number;
  /** -nf: no temperature fallback (bounded time; a little less robust) */
  noFallback?: boolean;
  /** -mc: max text-context tokens carried across windows */
  maxContext?: number;
}

export interface WhisperOptions {
  model: ResolvedModel;
  /** threads per whisper-cli run; default min(4, cores) */
  threads?: number;
  decoding?: DecodingOptions;
  /** voice-activity gating parameters; false = always transcribe whole channels */
  gate?: GateParams | false;
  /** an existing whisper-cli; default: found or built on first use (ensureWhisperCli) */
  cliPath?: string;
  /** build output when whisper-cli has to be built first */
  onBuildLine?: (line: string) => void;
  /** keep the temp directory (debugging) */
  keepTemp?: boolean;
  /** where the per-call temp directory is made; default os.tmpdir() */
  tmpRoot?: string;
}

export function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export class WhisperTranscriber implements Transcriber {
  readonly engine = 'whisper' as const;
  readonly model: string;

  constructor(private readonly opts: WhisperOptions) {
    this.model = opts.model.name;
  }

  async transcribe(req: TranscribeRequest): Promise<TranscribeResult> {
    if (req.language === 'zh' && /\.en$/.test(this.model)) {
      throw new ConfigError(`whisper model ${this.model} is English-only; a zh pipeline needs a multilingual model (e.g. base)`);
    }
    const cli = this.opts.cliPath ?? (await ensureWhisperCli({ onLine: this.opts.onBuildLine, signal: req.signal }));
    const threads = req.threads ?? this.opts.threads ?? defaultThreads();
    const prompt = req.prompt ?? defaultPrompt(req.language);
    const tmp = await mkdtemp(path.join(this.opts.tmpRoot ?? tmpdir(), 'callqa-whisper-'));
    const stats = { audioSecTranscribed: 0, whisperSec: 0, droppedSegments: 0, threads };
    const segments: TranscriptSegment[] = [];
    let detected: string | undefined;
    try {
      const n = req.channels.length;
      for (let ci = 0; ci < n; ci++) {
        const ch = req.channels[ci];
        const report = (f: number) => req.onProgress?.(Math.min(1, (ci + f) / n));
        report(0);
        // the audio stage's decode when it left one (one decode per call), else this channel decoded here
        const pcm = ch.pcmFile ?? path.join(tmp, `ch${ci}.pcm`);
        const { samples } = ch.pcmFile
          ? { samples: Math.floor((await stat(ch.pcmFile)).size / 2) }
          : await extractChannelPcm(req.audioPath, ch.channel, pcm, req.signal);
        const channelSec = samples / WHISPER_RATE;
        const dur = Math.min(req.durationSec, channelSec) || channelSec;
        const plan: GatePlan =
          ch.speech && this.opts.gate !== false ? planGate(ch.speech, dur, this.opts.gate ?? DEFAULT_GATE) : identityPlan(dur);
        report(0.05);
        if (plan.regions.length === 0 || plan.totalSec < 0.05) continue; // nobody spoke on this channel
        const wav = path.join(tmp, `ch${ci}.wav`);
        await writeGatedWav(pcm, plan, wav);
        if (!ch.pcmFile) await rm(pcm, { force: true });
        stats.audioSecTranscribed += plan.totalSec;

        const outBase = path.join(tmp, `ch${ci}`);
        const args = ['-m', this.opts.model.path, '-f', wav, '-of', outBase, '-ojf', '-pp', '-l', req.language, '-t', String(threads)];
        const d = this.opts.decoding ?? {};
        if (d.beamSize !== undefined) args.push('-bs', String(d.beamSize));
        if (d.bestOf !== undefined) args.push('-bo', String(d.bestOf));
        if (d.noFallback) args.push('-nf');
        if (d.maxContext !== undefined) args.push('-mc', String(d.maxContext));
        if (prompt) args.push('--prompt', prompt);
        const t0 = performance.now();
        const run = await runTool('whisper-cli', cli, args, {
          cwd: tmp,
          signal: req.signal,
          onLine: (line) => {
            const m = /progress =\s*(\d+)%/.exec(line);
            if (m) report(0.05 + 0.95 * (Number(m[1]) / 100));
          },
        });
        stats.whisperSec += (performance.now() - t0) / 1000;
        // whisper-cli exits 0 even when it could not read the audio: no JSON file is the failure signal
        let rawJson: string;
        try {
          rawJson = await readFile(`${outBase}.json`, 'utf8');
        } catch {
          throw new ToolError('whisper-cli', 0, run.stderrTail, `whisper-cli wrote no output: ${lastErrorLine(run.stderrTail)}`);
        }
        const json = parseWhisperJson(rawJson, `ch${ci}.json`);
        detected ??= json.result?.language;
        const mapped = mapWhisperSegments(whisperSegments(json), plan, dur, ch.speaker);
        stats.droppedSegments += mapped.dropped;
        segments.push(...mapped.segments);
        report(1);
      }
    } finally {
      if (!this.opts.keepTemp) await rm(tmp, { recursive: true, force: true });
    }
    segments.sort((a, b) => a.start - b.start || a.end - b.end);
    const language = req.language !== 'auto' ? req.language : (detected ?? 'auto');
    return { transcript: { engine: 'whisper', model: this.model, language, segments }, stats };
  }
}

function lastErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.filter((l) => /error|failed/i.test(l)).pop() ?? lines.pop() ?? 'no message';
}

/** Round to milliseconds: whisper's resolution is 10 ms; float noise from the map is not information. */
const ms = (x: number) => Math.round(x * 1000) / 1000;

/**
 * whisper's segments (gated time) -> transcript segments (recording time): mapped through the plan,
 * clamped to the recording, text on inserted silence and bracketed non-speech annotations dropped.
 */
export function mapWhisperSegments(
  raw: readonly RawWhisperSegment[],
  plan: GatePlan,
  durationSec: number,
  speaker: Speaker,
): { segments: TranscriptSegment[]; dropped: number } {
  const out: TranscriptSegment[] = [];
  let dropped = 0;
  for (const s of raw.flatMap((seg) => splitAtGaps(seg, plan))) {
    // whisper's segment times can run past the end of the audio it was given
    const span = mapSpan(plan, Math.max(0, s.startSec), Math.min(s.endSec, plan.totalSec));
    if (!span || !s.text) {
      dropped++;
      continue;
    }
    const start = ms(Math.min(span.start, durationSec));
    const end = ms(Math.min(Math.max(span.end, span.start), durationSec));
    if (start >= durationSec) {
      dropped++;
      continue;
    }
    // bracketed non-speech annotations; invented phrases are dropped for every source by the transcribe stage
    // (the lexicons' hallucination lists, transcribe/hallucinations.ts)
    if (isAnnotationOnly(s.text)) {
      dropped++;
      continue;
    }
    const words = tokensToWords(s.tokens, plan, durationSec);
    const ps = s.tokens.map((t) => t.p).filter((p): p is number => p !== undefined);
    const seg: TranscriptSegment = {
      speaker,
      start,
      end,
      text: s.text,
      normText: normaliseText(s.text),
      ...(words.length ? { words } : {}),
      ...(ps.length ? { confidence: Math.round((ps.reduce((a, b) => a + b, 0) / ps.length) * 1000) / 1000 } : {}),
    };
    out.push(seg);
  }
  return { segments: out, dropped };
}

/**
 * whisper often runs one segment across the silence we inserted between two speech regions (e.g. the
 * agent's question and, 20 s later, their next sentence). Mapped back, such a segment would cover the
 * whole stretch between them, including the other side's turn. Split it by its tokens' regions instead
 * (or trim it to the one region its tokens are in).
 */
export function splitAtGaps(seg: RawWhisperSegment, plan: GatePlan): RawWhisperSegment[] {
  if (seg.tokens.length === 0 || plan.regions.length < 2) return [seg];
  const groups: { region: number; tokens: RawToken[] }[] = [];
  for (const t of seg.tokens) {
    let r = regionAt(plan, (t.startSec + t.endSec) / 2);
    if (r < 0) r = Math.max(0, -1 - r - 1); // in a gap: belongs to the region before it
    const last = groups[groups.length - 1];
    if (last && last.region === r) last.tokens.push(t);
    else groups.push({ region: r, tokens: [t] });
  }
  // one group: the segment is trimmed to its tokens' region (whisper stretched it over a gap)
  return groups.map(({ region, tokens }, i) => {
    const reg = plan.regions[region];
    const regEnd = reg.dstStart + (reg.srcEnd - reg.srcStart);
    // the segment's own edges where it has them, token times at the cuts, always inside the region
    const from = i === 0 ? seg.startSec : tokens[0].startSec;
    const to = i === groups.length - 1 ? seg.endSec : tokens[tokens.length - 1].endSec;
    const startSec = Math.min(Math.max(from, reg.dstStart), regEnd);
    const endSec = Math.max(startSec, Math.min(to, regEnd));
    const text = groups.length === 1 ? seg.text : tokens.map((t) => t.text).join('').trim();
    const clamp = (x: number) => Math.min(Math.max(x, startSec), endSec);
    const inside = tokens.map((t) => ({ ...t, startSec: clamp(t.startSec), endSec: clamp(t.endSec) }));
    return { startSec, endSec, text, tokens: inside };
  });
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * Tokens -> words: a token starting with a space begins a new word; every CJK token is a word of its own
 * (Chinese has no spaces; a token is one or a few characters).
 */
export function tokensToWords(tokens: readonly RawToken[], plan: GatePlan, durationSec: number): WordTiming[] {
  const words: (WordTiming & { ps: number[] })[] = [];
  for (const t of tokens) {
    if (!t.text) continue;
    const start = ms(Math.min(mapTime(plan, Math.max(0, t.startSec), 'after'), durationSec));
    const end = ms(Math.max(start, Math.min(mapTime(plan, Math.min(t.endSec, plan.totalSec), 'before'), durationSec)));
    const last = words[words.length - 1];
    const startsWord = !last || /^\s/.test(t.text) || CJK.test(t.text) || CJK.test(last.text);
    if (startsWord) {
      words.push({ start, end, text: t.text.trim(), ps: t.p !== undefined ? [t.p] : [] });
    } else {
      last.text += t.text;
      last.end = Math.max(last.end, end);
      if (t.p !== undefined) last.ps.push(t.p);
    }
  }
  return words
    .filter((w) => w.text !== '')
    .map(({ ps, ...w }) => (ps.length ? { ...w, p: Math.round((ps.reduce((a, b) => a + b, 0) / ps.length) * 1000) / 1000 } : w));
}
