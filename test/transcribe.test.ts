import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, ToolError } from '../src/core/errors.js';
import type { Speaker, TimeSpan, Transcript } from '../src/core/types.js';
import { defaultPipeline } from '../src/pipeline/config.js';
import { emptyState, mergeState, type CallState, type StageContext } from '../src/pipeline/stage.js';
import { makeTranscribeStage } from '../src/pipeline/stages/transcribe.js';
import { extractChannelPcm, WHISPER_RATE, writeGatedWav } from '../src/transcribe/audio-io.js';
import { identityPlan, mapSpan, mapTime, planGate } from '../src/transcribe/gate.js';
import { dropHallucinations } from '../src/transcribe/hallucinations.js';
import { loadLexicons } from '../src/lexicon/loader.js';
import { normaliseText } from '../src/core/normalise.js';
import { downloadModel, ModelDownloadError, ModelNotFoundError, listModels, resolveModel } from '../src/transcribe/models.js';
import { ensureWhisperCli } from '../src/transcribe/whisper-build.js';
import { parseWhisperJson, whisperSegments } from '../src/transcribe/whisper-json.js';
import { mapWhisperSegments, WhisperTranscriber } from '../src/transcribe/whisper.js';
import { buildCall, type GroundTruth } from './support/callgen.js';
import { writeRandomGgmlModel } from './support/transcribe-ggml-model.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'callqa-transcribe-test-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------
// gating and the time map (pure)

describe('voice-activity gating plan and time map', () => {
  const speech: TimeSpan[] = [
    { start: 1, end: 2 },
    { start: 2.3, end: 3 }, // 0.3 s after the first: joined (padded gap 0.0 <= 0.5)
    { start: 10, end: 12 },
    { start: 29.9, end: 31 }, // runs past the end: clipped
  ];
  const plan = planGate(speech, 30, { padSec: 0.2, gapSec: 0.3, joinGapSec: 0.5 });

  it('pads, joins close spans, clips to the recording and lays regions out with gaps', () => {
    expect(plan.regions).toEqual([
      { srcStart: 0.8, srcEnd: 3.2, dstStart: 0 },
      { srcStart: 9.8, srcEnd: 12.2, dstStart: expect.closeTo(2.7, 9) },
      { srcStart: 29.7, srcEnd: 30, dstStart: expect.closeTo(5.4, 9) },
    ]);
    expect(plan.totalSec).toBeCloseTo(5.7, 9);
  });

  it.each([
    [0, 0.8],
    [1.2, 2.0],
    [2.7, 9.8],
    [3.7, 10.8],
    [5.4, 29.7],
    [5.7, 30],
  ])('gated %f s -> recording %f s', (dst, src) => {
    expect(mapTime(plan, dst)).toBeCloseTo(src, 9);
  });

  it('times inside an inserted gap map to the neighbouring region edge by bias', () => {
    expect(mapTime(plan, 2.5, 'before')).toBeCloseTo(3.2, 9);
    expect(mapTime(plan, 2.5, 'after')).toBeCloseTo(9.8, 9);
  });

  it('a span wholly inside a gap or past the end maps to null; a span across a gap covers it', () => {
    expect(mapSpan(plan, 2.45, 2.6)).toBeNull();
    expect(mapSpan(plan, 6, 7)).toBeNull();
    const s = mapSpan(plan, 2, 3)!;
    expect(s.start).toBeCloseTo(2.8, 9);
    expect(s.end).toBeCloseTo(10.1, 9);
    const tail = mapSpan(plan, 5.5, 9)!; // whisper's end past the audio: clamped to the last region's end
    expect(tail.end).toBeCloseTo(30, 9);
  });

  it('no speech -> no regions; identity plan maps times unchanged', () => {
    expect(planGate([], 60).regions).toEqual([]);
    expect(mapTime(identityPlan(60), 42.5)).toBe(42.5);
  });

  it('writes the gated WAV so that gated sample t is recording sample map(t), streaming from the extracted PCM', async () => {
    // a recording whose every sample encodes its own index: a ramp of 16-bit values
    const n = 16000 * 14;
    const pcm = Buffer.alloc(n * 2);
    for (let i = 0; i < n; i++) pcm.writeInt16LE((i % 30000) - 15000, i * 2);
    const pcmFile = path.join(dir, 'ramp.pcm');
    writeFileSync(pcmFile, pcm);
    const p = planGate([{ start: 1, end: 2 }, { start: 8, end: 9.5 }, { start: 13.5, end: 14 }], 14);
    const wav = path.join(dir, 'ramp.wav');
    const { durationSec } = await writeGatedWav(pcmFile, p, wav);
    expect(durationSec).toBeCloseTo(p.totalSec, 3);
    const out = readFileSync(wav);
    expect(out.subarray(0, 4).toString()).toBe('RIFF');
    expect(out.subarray(36, 40).toString()).toBe('data');
    expect(out.readUInt32LE(40)).toBe(out.length - 44);
    const at = (sec: number) => out.readInt16LE(44 + Math.round(sec * WHISPER_RATE) * 2);
    for (const r of p.regions) {
      for (const f of [0, 0.25, 0.5, 0.99]) {
        const dst = r.dstStart + f * (r.srcEnd - r.srcStart);
        const srcIndex = Math.round(mapTime(p, dst) * WHISPER_RATE);
        expect(Math.abs(at(dst) - ((srcIndex % 30000) - 15000))).toBeLessThanOrEqual(1);
      }
    }
    // the inserted gap is silence
    expect(at(p.regions[1].dstStart - 0.15)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------------
// hallucinations and whisper JSON (pure)

describe('hallucination guard (one list: the lexicons)', () => {
  const lex = loadLexicons(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'lexicons'));
  const tr = (...texts: string[]): Transcript => ({
    engine: 'sidecar-json',
    language: 'auto',
    segments: texts.map((text, i) => ({ speaker: 'agent', start: i * 2, end: i * 2 + 1, text, normText: normaliseText(text) })),
  });

  it.each(['谢谢观看', '謝謝觀看！', '请不吝点赞 订阅 转发 打赏支持明镜与点点栏目', '字幕由 Amara.org 社群提供', 'Thank you for watching.', ' THANKS FOR WATCHING! ', '[BLANK_AUDIO]', '(music)', '【音乐】', '♪'])(
    'drops a segment that is only %j, whatever the transcript source',
    (text) => {
      expect(dropHallucinations(tr(text), lex, 0.6).dropped).toBe(1);
    },
  );

  it.each(['', '  ', '\n'])('drops a segment with no text (%j) as empty, not as something a recogniser invented', (text) => {
    const out = dropHallucinations(tr('您好', text, '再见'), lex, 0.6);
    expect(out).toMatchObject({ dropped: 0, empty: 1 });
    expect(out.transcript.segments.map((s) => s.text)).toEqual(['您好', '再见']);
  });

  it.each(['谢谢，再见', '您好，请问有什么可以帮您', 'Thank you for calling', 'thank you, goodbye', '您好，请问有什么可以帮您？谢谢观看'])('keeps real speech %j', (text) => {
    const out = dropHallucinations(tr(text), lex, 0.6);
    expect(out.dropped).toBe(0);
    expect(out.transcript.segments[0].text).toBe(text);
  });

  it('the phrases live only in the lexicons (no second list in code)', () => {
    const entries = lex.entries.filter((e) => e.category === 'hallucination');
    expect(entries.flatMap((e) => e.phrases).length).toBeGreaterThan(20);
    expect(new Set(entries.map((e) => e.language))).toEqual(new Set(['zh', 'en']));
  });

  it('whisper mapping drops only text on inserted silence and bracketed annotations; phrases go in the stage guard', () => {
    const plan = identityPlan(20);
    const raw = [
      { startSec: 1, endSec: 2, text: '[BLANK_AUDIO]', tokens: [] },
      { startSec: 3, endSec: 5, text: '您好，请问有什么可以帮您？谢谢观看', tokens: [] },
      { startSec: 6, endSec: 7, text: 'Thank you for watching!', tokens: [] },
      { startSec: 8, endSec: 9, text: '謝謝，再見', tokens: [] },
    ];
    const { segments, dropped } = mapWhisperSegments(raw, plan, 20, 'agent');
    expect(dropped).toBe(1);
    expect(segments[2].normText).toBe('谢谢 再见');
    const guarded = dropHallucinations({ engine: 'whisper', language: 'auto', segments }, lex, 0.6);
    expect(guarded.transcript.segments.map((s) => s.text)).toEqual(['您好，请问有什么可以帮您？谢谢观看', '謝謝，再見']);
  });
});

describe('whisper JSON parsing', () => {
  const sample = `{
	"result": {"language": "zh"},
	"transcription": [
		{"offsets": {"from": 660, "to": 94720}, "text": " 您好\u0001",
		 "tokens": [
			{"text": "[_BEG_]", "offsets": {"from": 0, "to": 0}, "id": 50364, "p": 0.9, "t_dtw": -1},
			{"text": "您", "offsets": {"from": 700, "to": 900}, "id": 41402, "p": nan, "t_dtw": -1},
			{"text": "好", "offsets": {"from": 900, "to": 1200}, "id": 41403, "p": 0.5, "t_dtw": -1},
			{"text": "[_TT_236]", "offsets": {"from": 4720, "to": 4720}, "id": 50599, "p": -inf, "t_dtw": -1}
		 ]}
	]
}`;
  it('repairs nan/inf and raw control characters, drops special and timestamp tokens', () => {
    const segs = whisperSegments(parseWhisperJson(sample));
    expect(segs).toHaveLength(1);
    expect(segs[0].tokens.map((t) => t.text)).toEqual(['您', '好']);
    expect(segs[0].tokens[0].p).toBeUndefined();
    expect(segs[0].startSec).toBeCloseTo(0.66, 9);
  });

  it('clamps a segment that runs past the end of the audio', () => {
    const segs = whisperSegments(parseWhisperJson(sample));
    const { segments } = mapWhisperSegments(segs, identityPlan(5), 5, 'customer');
    expect(segments[0]).toMatchObject({ start: 0.66, end: 5, speaker: 'customer' });
    expect(segments[0].words?.map((w) => w.text)).toEqual(['您', '好']);
  });

  it('splits a segment whisper ran across an inserted gap into one per speech region, by its tokens', () => {
    const plan = planGate([{ start: 2, end: 4 }, { start: 20, end: 21 }], 30); // regions 1.8-4.2 -> 0-2.4, 19.8-21.2 -> 2.7-4.1
    const raw = [
      {
        startSec: 0.1,
        endSec: 4.0,
        text: 'Hello there. Yes.',
        tokens: [
          { text: ' Hello', startSec: 0.2, endSec: 0.6, p: 0.9 },
          { text: ' there.', startSec: 0.6, endSec: 1.2, p: 0.8 },
          { text: ' Yes.', startSec: 2.9, endSec: 3.3, p: 0.7 },
        ],
      },
    ];
    const { segments } = mapWhisperSegments(raw, plan, 30, 'agent');
    expect(segments.map((s) => [s.text, s.start, s.end])).toEqual([
      ['Hello there.', 1.9, 3],
      ['Yes.', 20, 21.1],
    ]);
    expect(segments[0].words?.map((w) => w.text)).toEqual(['Hello', 'there.']);
    // a one-token segment stretched over the gap is trimmed to its token's region
    const one = mapWhisperSegments([{ startSec: 0.1, endSec: 4.0, text: 'Hello', tokens: [raw[0].tokens[0]] }], plan, 30, 'agent');
    expect(one.segments.map((s) => [s.text, s.start, s.end])).toEqual([['Hello', 1.9, 4.2]]);
  });

  it('rejects output of the wrong shape with a ToolError', () => {
    expect(() => parseWhisperJson('{"transcription": [{"text": 1}]}')).toThrow(ToolError);
    expect(() => parseWhisperJson('not json')).toThrow(/unreadable JSON/);
  });
});

// ---------------------------------------------------------------------------------------------------------
// models

describe('model files', () => {
  it('names the missing file and the command to get it', () => {
    const prev = process.env.CALLQA_MODELS_DIR;
    process.env.CALLQA_MODELS_DIR = path.join(dir, 'no-models-here');
    try {
      let err: unknown;
      try {
        resolveModel('base');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ModelNotFoundError);
      expect((err as Error).message).toBe(
        `no model at ${path.join(dir, 'no-models-here', 'ggml-base.bin')}; run callqa models download base, or copy the file there`,
      );
      expect(listModels().map((m) => [m.name, m.present])).toEqual([
        ['tiny', false],
        ['tiny.en', false],
        ['base', false],
        ['base.en', false],
        ['small', false],
        ['small.en', false],
      ]);
      expect(() => resolveModel('huge')).toThrow(/unknown whisper model "huge"/);
    } finally {
      if (prev === undefined) delete process.env.CALLQA_MODELS_DIR;
      else process.env.CALLQA_MODELS_DIR = prev;
    }
  });

  // With a base model installed (or another models folder chosen) there is no "missing model" message to
  // check: reported as skipped, not passed.
  it.skipIf(existsSync(path.join(process.cwd(), 'models', 'ggml-base.bin')) || !!process.env.CALLQA_MODELS_DIR)('in the project models/ folder the message is the short relative one', () => {
    expect(() => resolveModel('base')).toThrow('no model at models/ggml-base.bin; run callqa models download base, or copy the file there');
  });

  it('download: an unreachable network is a clear, actionable error and leaves no file behind', async () => {
    const prev = process.env.CALLQA_MODELS_DIR;
    const mdir = path.join(dir, 'dl-models');
    process.env.CALLQA_MODELS_DIR = mdir;
    try {
      const offline = (async () => {
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
      }) as unknown as typeof fetch;
      await expect(downloadModel('tiny', { fetchImpl: offline })).rejects.toThrow(
        /cannot download model "tiny": network unreachable \(ENOTFOUND\); download https:\/\/huggingface\.co\/ggerganov\/whisper\.cpp\/resolve\/main\/ggml-tiny\.bin elsewhere and copy it to .*ggml-tiny\.bin/,
      );
      const notFound = (async () => new Response('nope', { status: 404 })) as unknown as typeof fetch;
      await expect(downloadModel('tiny', { fetchImpl: notFound })).rejects.toThrow(/HTTP 404/);
      // a body that is not the model: checked, rejected, temp file removed
      const bogus = (async () => new Response(new Uint8Array([1, 2, 3, 4, 5]), { status: 200, headers: { 'content-length': '5' } })) as unknown as typeof fetch;
      await expect(downloadModel('tiny', { fetchImpl: bogus })).rejects.toThrow(ModelDownloadError);
      const truncated = (async () => new Response(new Uint8Array([0x6c, 0x6d, 0x67, 0x67]), { status: 200, headers: { 'content-length': '100' } })) as unknown as typeof fetch;
      await expect(downloadModel('tiny', { fetchImpl: truncated })).rejects.toThrow(/incomplete/);
      expect(readdirSync(mdir)).toEqual([]);
    } finally {
      if (prev === undefined) delete process.env.CALLQA_MODELS_DIR;
      else process.env.CALLQA_MODELS_DIR = prev;
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// the real whisper-cli on a generated random-weights model

const DECODING = { beamSize: 1, bestOf: 1, noFallback: true } as const;

describe('whisper-cli on a generated model (structure and timing, not words)', () => {
  let modelPath: string;
  let callPath: string;
  let truth: GroundTruth;
  const DURATION = 16;

  beforeAll(async () => {
    // builds whisper-cli on a fresh clone (a few minutes, progress on stderr); instant when already built
    await ensureWhisperCli();
    modelPath = path.join(dir, 'ggml-random.bin');
    await writeRandomGgmlModel(modelPath);
    callPath = path.join(dir, 'call.wav');
    truth = await buildCall(
      {
        durationSec: DURATION,
        impairments: { sampleRate: 16000 },
        turns: [
          { speaker: 'agent', at: 0.8, source: { kind: 'espeak', voice: 'en-us', text: 'Hello, thank you for calling the billing department. How can I help you?' } },
          { speaker: 'customer', at: 6.2, source: { kind: 'espeak', voice: 'cmn', text: '你好，我想查一下我上个月的账单。' } },
          { speaker: 'agent', at: 12, source: { kind: 'espeak', voice: 'en-us', text: 'Sure, one moment please.' } },
        ],
      },
      callPath,
    );
  }, 20 * 60_000);

  const channelsOf = (t: GroundTruth) => [
    { channel: 0, speaker: 'agent' as Speaker, speech: t.speech.agent },
    { channel: 1, speaker: 'customer' as Speaker, speech: t.speech.customer },
  ];

  /** each segment lies within the padded speech regions of its own channel */
  function assertInsideSpeech(tr: Transcript, t: GroundTruth) {
    expect(tr.segments.length).toBeGreaterThan(0);
    for (const s of tr.segments) {
      expect(s.start).toBeGreaterThanOrEqual(0);
      expect(s.end).toBeGreaterThanOrEqual(s.start);
      expect(s.end).toBeLessThanOrEqual(DURATION);
      const speech = s.speaker === 'agent' ? t.speech.agent : t.speech.customer;
      const regions = planGate(speech, DURATION).regions;
      const inRegion = (x: number) => regions.some((r) => x >= r.srcStart - 0.011 && x <= r.srcEnd + 0.011);
      expect(inRegion(s.start), `${s.speaker} segment start ${s.start} in ${JSON.stringify(regions)}`).toBe(true);
      expect(inRegion(s.end), `${s.speaker} segment end ${s.end} in ${JSON.stringify(regions)}`).toBe(true);
      if (s.words?.length) {
        // segments with token timings never straddle the silence between two speech regions
        const ri = regions.findIndex((r) => s.start >= r.srcStart - 0.011 && s.start <= r.srcEnd + 0.011);
        expect(s.end, `${s.speaker} ${s.start}-${s.end} stays in ${JSON.stringify(regions[ri])}`).toBeLessThanOrEqual(regions[ri].srcEnd + 0.011);
      }
      expect(s.normText).toBe(s.normText.trim());
      for (const w of s.words ?? []) {
        expect(w.start).toBeGreaterThanOrEqual(s.start - 0.011);
        expect(w.end).toBeLessThanOrEqual(s.end + 0.011);
      }
    }
    for (let i = 1; i < tr.segments.length; i++) expect(tr.segments[i].start).toBeGreaterThanOrEqual(tr.segments[i - 1].start);
  }

  it('transcribes each channel of a stereo call on gated audio, maps times back, attributes both speakers', async () => {
    const tr = new WhisperTranscriber({ model: { name: 'random', path: modelPath }, decoding: DECODING, threads: 1 });
    const progress: number[] = [];
    const { transcript, stats } = await tr.transcribe({
      audioPath: callPath,
      durationSec: DURATION,
      channels: channelsOf(truth),
      language: 'en',
      onProgress: (f) => progress.push(f),
    });
    console.log(
      `random-model transcript: ${transcript.segments.map((s) => `${s.speaker}@${s.start}-${s.end}`).join(', ')}; ` +
        `gated audio ${stats.audioSecTranscribed.toFixed(2)} s of ${2 * DURATION} s, whisper ${stats.whisperSec.toFixed(2)} s`,
    );
    expect(transcript).toMatchObject({ engine: 'whisper', model: 'random', language: 'en' });
    assertInsideSpeech(transcript, truth);
    expect(new Set(transcript.segments.map((s) => s.speaker))).toEqual(new Set(['agent', 'customer']));
    // gating: whisper heard the speech plus padding and gaps, far less than both channels in full
    const speechSec = [...truth.speech.agent, ...truth.speech.customer].reduce((a, s) => a + s.end - s.start, 0);
    expect(stats.audioSecTranscribed).toBeGreaterThan(speechSec);
    expect(stats.audioSecTranscribed).toBeLessThan(speechSec + 2);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((p, i) => i === 0 || p >= progress[i - 1])).toBe(true);
  });

  it('a mono recording is one speaker-unknown track; no speech on a channel -> nothing transcribed for it', async () => {
    const mono = path.join(dir, 'mono.wav');
    await extractChannelPcm(callPath, 0, path.join(dir, 'mono.pcm'));
    // wrap the left channel as a mono WAV
    const { wavHeader } = await import('../src/transcribe/audio-io.js');
    const pcm = readFileSync(path.join(dir, 'mono.pcm'));
    writeFileSync(mono, Buffer.concat([wavHeader(pcm.length), pcm]));
    const tr = new WhisperTranscriber({ model: { name: 'random', path: modelPath }, decoding: DECODING, threads: 1 });
    const { transcript } = await tr.transcribe({
      audioPath: mono,
      durationSec: DURATION,
      channels: [{ channel: null, speaker: 'unknown', speech: truth.speech.agent }],
      language: 'auto',
    });
    expect(transcript.segments.length).toBeGreaterThan(0);
    expect(transcript.segments.every((s) => s.speaker === 'unknown')).toBe(true);
    expect(transcript.language).toBe('en'); // what the (English-only) model reported for 'auto'
    const silent = await tr.transcribe({
      audioPath: callPath,
      durationSec: DURATION,
      channels: [{ channel: 1, speaker: 'customer', speech: [] }],
      language: 'en',
    });
    expect(silent.transcript.segments).toEqual([]);
    expect(silent.stats.audioSecTranscribed).toBe(0);
  });

  it('hostile file names, two transcriptions at once, and the process working directory never changes', async () => {
    const names = [`$(touch pwned-callqa) it's "a" call.wav`, '-i leading dash.wav', '客户来电 `id`; echo x.wav'];
    const copies = names.map((n) => {
      const p = path.join(dir, n);
      copyFileSync(callPath, p);
      return p;
    });
    const cwd = process.cwd();
    const seen = new Set<string>();
    const timer = setInterval(() => seen.add(process.cwd()), 5);
    const tmpRoot = mkdtempSync(path.join(dir, 'tmproot-'));
    const tr = new WhisperTranscriber({ model: { name: 'random', path: modelPath }, decoding: DECODING, threads: 1, tmpRoot });
    try {
      const results = await Promise.all(
        copies.map((audioPath) =>
          tr.transcribe({ audioPath, durationSec: DURATION, channels: channelsOf(truth), language: 'en' }),
        ),
      );
      for (const r of results) assertInsideSpeech(r.transcript, truth);
      // same audio, same model, greedy decoding: the same segments (times) each time
      const shape = (t: Transcript) => t.segments.map((s) => [s.speaker, s.start, s.end]);
      expect(shape(results[1].transcript)).toEqual(shape(results[0].transcript));
      expect(shape(results[2].transcript)).toEqual(shape(results[0].transcript));
    } finally {
      clearInterval(timer);
    }
    seen.add(process.cwd());
    expect([...seen]).toEqual([cwd]);
    expect(existsSync(path.join(dir, 'pwned-callqa'))).toBe(false);
    expect(existsSync(path.join(cwd, 'pwned-callqa'))).toBe(false);
    // each transcription had its own temp dir, removed afterwards
    expect(readdirSync(tmpRoot)).toEqual([]);
    // whisper-cli only ever saw generated names
    const keepRoot = mkdtempSync(path.join(dir, 'keep-'));
    const keep = new WhisperTranscriber({ model: { name: 'random', path: modelPath }, decoding: DECODING, tmpRoot: keepRoot, keepTemp: true });
    await keep.transcribe({ audioPath: copies[0], durationSec: DURATION, channels: channelsOf(truth), language: 'en' });
    const [only] = readdirSync(keepRoot);
    expect(only).toMatch(/^callqa-whisper-\w{6}$/);
    expect(readdirSync(path.join(keepRoot, only)).sort()).toEqual(['ch0.json', 'ch0.wav', 'ch1.json', 'ch1.wav']);
  });

  it('an unreadable recording and a broken model fail with ToolError, not a crash or a silent empty transcript', async () => {
    const tr = new WhisperTranscriber({ model: { name: 'random', path: modelPath }, decoding: DECODING });
    const notAudio = path.join(dir, 'not audio.wav');
    writeFileSync(notAudio, 'this is text');
    await expect(
      tr.transcribe({ audioPath: notAudio, durationSec: 5, channels: [{ channel: null, speaker: 'unknown', speech: null }], language: 'en' }),
    ).rejects.toThrow(ToolError);
    const english = new WhisperTranscriber({ model: { name: 'base.en', path: modelPath }, decoding: DECODING });
    await expect(
      english.transcribe({ audioPath: callPath, durationSec: DURATION, channels: channelsOf(truth), language: 'zh' }),
    ).rejects.toThrow(/base\.en is English-only; a zh pipeline needs a multilingual model/);
    const badModel = path.join(dir, 'ggml-broken.bin');
    writeFileSync(badModel, 'lmgg not a model');
    const broken = new WhisperTranscriber({ model: { name: 'broken', path: badModel }, decoding: DECODING });
    await expect(
      broken.transcribe({ audioPath: callPath, durationSec: DURATION, channels: channelsOf(truth), language: 'en' }),
    ).rejects.toThrow(/whisper-cli/);
  });

  describe('the transcribe stage', () => {
    const ctxFor = (recordingPath: string, over: Partial<StageContext['options']> = {}): StageContext => ({
      recording: { id: 'r1', path: recordingPath, displayName: path.basename(recordingPath), contentHash: 'x', metadata: {} },
      pipeline: defaultPipeline(),
      options: { transcribe: true, ...over },
    });
    const stateFor = (t: GroundTruth): CallState => ({
      ...emptyState(),
      info: { format: 'wav', codec: 'pcm_s16le', durationSec: DURATION, channels: 2, sampleRate: 16000 },
      timeline: {
        durationSec: DURATION,
        channels: [
          { speaker: 'agent', speech: t.speech.agent },
          { speaker: 'customer', speech: t.speech.customer },
        ],
        hold: [],
      },
    });

    it('runs whisper per channel with speakers from the timeline, reports progress', async () => {
      const stage = makeTranscribeStage(() => new WhisperTranscriber({ model: { name: 'random', path: modelPath }, decoding: DECODING, threads: 1 }));
      const progress: number[] = [];
      const out = await stage.run(stateFor(truth), { ...ctxFor(callPath), progress: (f) => progress.push(f) });
      expect(out.transcript?.engine).toBe('whisper');
      assertInsideSpeech(out.transcript!, truth);
      expect(out.metrics?.transcriptSegments).toBe(out.transcript!.segments.length);
      expect(progress.at(-1)).toBe(1);
    });

    it('after the real probe and audio stages: gated by their voice activity, speakers from their timeline', async () => {
      const { probeStage } = await import('../src/pipeline/stages/probe.js');
      const { audioStage } = await import('../src/pipeline/stages/audio.js');
      const ctx = ctxFor(callPath);
      let state = mergeState(emptyState(), await probeStage.run(emptyState(), ctx));
      state = mergeState(state, await audioStage.run(state, ctx));
      const stage = makeTranscribeStage(() => new WhisperTranscriber({ model: { name: 'random', path: modelPath }, decoding: DECODING, threads: 1 }));
      const out = await stage.run(state, ctx);
      const t = out.transcript!;
      expect(t.segments.length).toBeGreaterThan(0);
      for (const seg of t.segments) {
        const ch = state.timeline!.channels.find((c) => c.speaker === seg.speaker)!;
        const regions = planGate(ch.speech, state.info!.durationSec).regions;
        expect(regions.some((r) => seg.start >= r.srcStart - 0.011 && seg.start <= r.srcEnd + 0.011)).toBe(true);
        expect(seg.end).toBeLessThanOrEqual(state.info!.durationSec);
      }
      expect(new Set(t.segments.map((x) => x.speaker))).toEqual(new Set(['agent', 'customer']));
    });

    it('without a model: transcript null and a note saying how to get one (not a failure)', async () => {
      const prev = process.env.CALLQA_MODELS_DIR;
      process.env.CALLQA_MODELS_DIR = path.join(dir, 'empty-models');
      try {
        const out = await makeTranscribeStage().run(stateFor(truth), ctxFor(callPath));
        expect(out.transcript).toBeNull();
        expect(out.transcriptSkipped).toBe('no model');
        expect(out.notes?.[0]).toMatch(/no model at .*ggml-base\.bin; run callqa models download base, or copy the file there/);
      } finally {
        if (prev === undefined) delete process.env.CALLQA_MODELS_DIR;
        else process.env.CALLQA_MODELS_DIR = prev;
      }
    });

    it('--no-transcribe skips whisper; a sidecar wins over both and is validated against the duration', async () => {
      const sub = mkdtempSync(path.join(dir, 'stage-'));
      const rec = path.join(sub, `$(touch pwned) "客户".wav`);
      copyFileSync(callPath, rec);
      const never = makeTranscribeStage(() => {
        throw new Error('whisper must not run');
      });
      expect(await never.run(stateFor(truth), ctxFor(rec, { transcribe: false }))).toEqual({
        transcript: null,
        transcriptSkipped: '--no-transcribe',
      });
      const sidecar = path.join(sub, `$(touch pwned) "客户".transcript.json`);
      // a sidecar made by whisper elsewhere carries its invented outro: the guard applies to this source too
      const seg = (start: number, text: string) => ({ speaker: 'agent', start, end: start + 1, text });
      writeFileSync(sidecar, JSON.stringify({ language: 'en', segments: [seg(1, 'Hello'), seg(5, 'Thanks for watching!'), seg(7, '字幕由Amara.org社区提供')] }));
      const out = await never.run(stateFor(truth), ctxFor(rec, { transcribe: false }));
      expect(out.transcript).toMatchObject({ engine: 'sidecar-json', segments: [{ speaker: 'agent', normText: 'hello' }] });
      expect(out.metrics?.hallucinatedSegments).toBe(2);
      writeFileSync(sidecar, JSON.stringify({ language: 'en', segments: [{ speaker: 'agent', start: 1, end: 300, text: 'Hello' }] }));
      await expect(never.run(stateFor(truth), ctxFor(rec))).rejects.toThrow(InputError);
      await expect(never.run(stateFor(truth), ctxFor(rec))).rejects.toThrow(/segments\[0\]\.end: 300 s is past the end/);
      expect(existsSync(path.join(sub, 'pwned'))).toBe(false);
    });

    it('an Amazon Transcribe sidecar: ch_0/ch_1 follow the channel layout whisper would use (pipeline, then --channels)', async () => {
      const sub = mkdtempSync(path.join(dir, 'stage-aws-'));
      const rec = path.join(sub, '客户来电 0501.wav');
      copyFileSync(callPath, rec);
      copyFileSync(path.join(import.meta.dirname, 'fixtures', 'sidecars', 'aws-channels-zh.transcript.json'), path.join(sub, '客户来电 0501.transcript.json'));
      const never = makeTranscribeStage(() => {
        throw new Error('whisper must not run');
      });
      const firstSpeaker = (out: { transcript?: unknown }) => (out.transcript as Transcript).segments[0]!.speaker;
      const byDefault = await never.run(stateFor(truth), ctxFor(rec));
      expect(byDefault.transcript).toMatchObject({ engine: 'sidecar-aws-transcribe', language: 'zh' });
      expect(firstSpeaker(byDefault)).toBe('agent');
      const swapped = { ...ctxFor(rec), pipeline: { ...defaultPipeline(), channels: ['customer', 'agent'] as ['customer', 'agent'] } };
      expect(firstSpeaker(await never.run(stateFor(truth), swapped))).toBe('customer');
      expect(firstSpeaker(await never.run(stateFor(truth), ctxFor(rec, { channels: ['customer', 'agent'] })))).toBe('customer');
    });

    it('a SubRip sidecar in the --transcripts folder is used; one running past the recording fails the call naming the cue', async () => {
      const sub = mkdtempSync(path.join(dir, 'stage-srt-'));
      const tdir = path.join(sub, 'transcripts');
      mkdirSync(tdir);
      const rec = path.join(sub, 'c.wav');
      copyFileSync(callPath, rec);
      const never = makeTranscribeStage(() => {
        throw new Error('whisper must not run');
      });
      writeFileSync(path.join(tdir, 'c.transcript.srt'), '1\n00:00:00,500 --> 00:00:02,000\n坐席：您好，请问有什么可以帮您？\n\n2\n00:00:02,500 --> 00:00:04,000\n客户：我想查账单。\n');
      const out = await never.run(stateFor(truth), ctxFor(rec, { transcriptsDir: tdir }));
      expect(out.transcript).toMatchObject({ engine: 'sidecar-srt', language: 'zh', segments: [{ speaker: 'agent' }, { speaker: 'customer' }] });
      writeFileSync(path.join(tdir, 'c.transcript.srt'), '1\n00:00:00,500 --> 00:00:02,000\n坐席：您好\n\n2\n00:00:02,500 --> 00:05:00,000\n客户：我想查账单\n');
      await expect(never.run(stateFor(truth), ctxFor(rec, { transcriptsDir: tdir }))).rejects.toThrow(/c\.transcript\.srt: cue 2 \(line 6\)\.end: 300 s is past the end of the recording/);
    });
  });
});
