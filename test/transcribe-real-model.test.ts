import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Speaker, Transcript } from '../src/core/types.js';
import { listModels, modelsDir } from '../src/transcribe/models.js';
import { parseJsonSidecar } from '../src/transcribe/sidecar.js';
import { ensureWhisperCli } from '../src/transcribe/whisper-build.js';
import { WhisperTranscriber } from '../src/transcribe/whisper.js';
import { buildCall, type GroundTruth, type Turn } from './support/callgen.js';
import { errorRate } from './support/transcribe-wer.js';

/**
 * Accuracy with a REAL whisper model: word/character error rate on calls made from scripts (espeak-ng
 * voices, so the numbers are for synthetic speech) and on any sample call under samples/ that ships a
 * <name>.transcript.json script. Runs when a multilingual model the error-rate limits are set for is in models/
 * (base, else small: `callqa models download base`), or on any ggml model file CALLQA_WHISPER_MODEL points to:
 *   CALLQA_WHISPER_MODEL=/path/ggml-base.bin npx vitest run --config test/vitest.config.ts test/transcribe-real-model
 */
const fromModels = listModels().find((m) => m.present && (m.name === 'base' || m.name === 'small'))?.path;
const MODEL = process.env.CALLQA_WHISPER_MODEL || fromModels;
const enabled = !!MODEL && existsSync(MODEL);

if (!enabled) {
  console.log(
    `SKIPPED real-model ASR accuracy test: ${
      process.env.CALLQA_WHISPER_MODEL ? `CALLQA_WHISPER_MODEL=${MODEL} does not exist` : `no ggml-base.bin or ggml-small.bin in ${modelsDir()} and CALLQA_WHISPER_MODEL is not set`
    }; get one with \`callqa models download base\` to run it`,
  );
}

const EN: [Speaker, string][] = [
  ['agent', 'Thank you for calling Acme, this is Sam, how can I help?'],
  ['customer', 'I am calling about my last bill, it looks wrong.'],
  ['agent', 'Let me pull up your account, can I have your phone number please?'],
  ['customer', 'The internet has been dropping every evening for a week now.'],
  ['agent', 'Is there anything else I can help you with today?'],
];
const ZH: [Speaker, string][] = [
  ['agent', '您好，很高兴为您服务，请问有什么可以帮您？'],
  ['customer', '你好，我想查一下我上个月的话费。'],
  ['agent', '好的，请您提供一下您的手机号码。'],
  ['customer', '我家的宽带最近每天晚上都断线。'],
  ['agent', '感谢您的来电，再见！'],
];

async function scriptedCall(lines: [Speaker, string][], voice: string, file: string): Promise<{ truth: GroundTruth; durationSec: number }> {
  const turns: Turn[] = [];
  let at = 0.8;
  for (const [speaker, text] of lines) {
    turns.push({ speaker: speaker as 'agent' | 'customer', at, text, source: { kind: 'espeak', voice, text } });
    at += 1.2 + text.length * (voice === 'cmn' ? 0.28 : 0.075);
  }
  const durationSec = Math.ceil(at + 2);
  const truth = await buildCall({ durationSec, turns, impairments: { sampleRate: 16000 } }, file);
  return { truth, durationSec };
}

function textOf(t: Transcript, speaker?: Speaker): string {
  return t.segments
    .filter((s) => !speaker || s.speaker === speaker)
    .map((s) => s.text)
    .join(' ');
}

describe.skipIf(!enabled)(`real whisper model ${MODEL ?? ''}: error rates on scripted calls`, () => {
  let dir: string;
  let tr: WhisperTranscriber;
  beforeAll(async () => {
    await ensureWhisperCli();
    dir = mkdtempSync(path.join(tmpdir(), 'callqa-asr-real-'));
    tr = new WhisperTranscriber({ model: { name: path.basename(MODEL!), path: path.resolve(MODEL!) } });
  }, 20 * 60_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['en', 'en-us', EN, 0.35],
    ['zh', 'cmn', ZH, 0.5],
  ] as const)('%s: per-speaker error rate on espeak speech, gated by the true speech spans', async (language, voice, lines, maxRate) => {
    const file = path.join(dir, `scripted-${language}.wav`);
    const { truth, durationSec } = await scriptedCall([...lines], voice, file);
    const t0 = performance.now();
    const { transcript, stats } = await tr.transcribe({
      audioPath: file,
      durationSec,
      language,
      channels: [
        { channel: 0, speaker: 'agent', speech: truth.speech.agent },
        { channel: 1, speaker: 'customer', speech: truth.speech.customer },
      ],
    });
    const wallSec = (performance.now() - t0) / 1000;
    const rates = (['agent', 'customer'] as const).map((spk) => {
      const ref = lines.filter(([s]) => s === spk).map(([, t]) => t).join(' ');
      return { spk, ...errorRate(language, ref, textOf(transcript, spk)) };
    });
    console.log(
      `[asr real] ${language}: ${rates.map((r) => `${r.spk} ${r.metric} ${(r.value * 100).toFixed(1)}%`).join(', ')}; ` +
        `RTF ${(wallSec / durationSec).toFixed(3)} (${durationSec} s call, ${stats.audioSecTranscribed.toFixed(1)} s gated audio, ${stats.threads} threads)\n` +
        transcript.segments.map((s) => `  ${s.speaker} ${s.start}-${s.end} ${s.text}`).join('\n'),
    );
    for (const r of rates) expect(r.value, `${r.spk} ${r.metric}`).toBeLessThan(maxRate);
    // attribution: each speaker's text is closer to its own script than to the other side's
    for (const s of transcript.segments) {
      const own = truth.speech[s.speaker as 'agent' | 'customer'];
      expect(own.some((sp) => s.start < sp.end + 0.3 && s.end > sp.start - 0.3), `${s.speaker} ${s.start}-${s.end}`).toBe(true);
    }
  });

  it('shipped sample calls with a script sidecar (samples/**/<name>.transcript.json), if any', async () => {
    const root = path.resolve('samples');
    const found: string[] = [];
    const walk = (d: string) => {
      if (!existsSync(d)) return;
      for (const f of readdirSync(d)) {
        const p = path.join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(wav|mp3|flac|ogg|m4a)$/i.test(f) && existsSync(p.replace(/\.[^.]+$/, '.transcript.json'))) found.push(p);
      }
    };
    walk(root);
    // samples/ ships scripted calls: finding none means the walk (or the samples) broke, not "nothing to do"
    expect(found.length, 'sample calls with a .transcript.json script under samples/').toBeGreaterThan(0);
    for (const audio of found) {
      const scriptFile = audio.replace(/\.[^.]+$/, '.transcript.json');
      const script = parseJsonSidecar(readFileSync(scriptFile, 'utf8'), scriptFile);
      const durationSec = Math.max(...script.segments.map((s) => s.end)) + 1;
      const language = script.language as 'zh' | 'en';
      const speakers = ['agent', 'customer'] as const;
      const { transcript } = await tr.transcribe({
        audioPath: audio,
        durationSec,
        language,
        channels: speakers.map((spk, i) => ({
          channel: i,
          speaker: spk,
          speech: script.segments.filter((s) => s.speaker === spk).map((s) => ({ start: s.start, end: s.end })),
        })),
      });
      const r = errorRate(language, script.segments.map((s) => s.text).join(' '), textOf(transcript));
      console.log(`[asr real] ${path.relative(root, audio)}: ${r.metric} ${(r.value * 100).toFixed(1)}%`);
      // Not measured here (no model can be downloaded on this machine): the bound of the scripted espeak
      // calls above, so a broken channel mapping or language (error rate near 1) fails.
      expect(r.value, `${path.relative(root, audio)} ${r.metric}`).toBeLessThan(0.5);
    }
  });
});

// No always-passing gate test: without a model the suite above is reported as skipped (and the line printed
// at load says why); with one, its tests run and assert.
