import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.js';
import { defaultPipeline } from '../src/pipeline/config.js';
import { transcriptSourceOf } from '../src/pipeline/inputs.js';
import { DirStorage } from '../src/queue/storage.js';
import { findSidecar, loadSidecar, parseJsonSidecar, parseVttSidecar, type SidecarFormat } from '../src/transcribe/sidecar.js';
import { parseSrtSidecar } from '../src/transcribe/sidecar-srt.js';
import { findPiiInTranscript, maskTranscript } from '../src/privacy/transcript.js';
import { indexTokens } from '../src/search/tokenize.js';

/**
 * The transcript formats call platforms hand over besides callqa's own JSON and WebVTT: SubRip, Amazon
 * Transcribe output (channel identification; speaker labels are refused) and Amazon Transcribe Call Analytics
 * output. Real files in test/fixtures/sidecars/, found and loaded the way the transcribe stage does.
 */

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'sidecars');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'callqa-sidecar-formats-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const fixture = (name: string, format: SidecarFormat = name.endsWith('.srt') ? 'srt' : 'json') => ({ path: path.join(FIXTURES, name), format });

async function loadError(name: string, opts = {}): Promise<string> {
  const err = (await loadSidecar(fixture(name), opts).catch((e: unknown) => e)) as Error;
  expect(err, `expected ${name} to be refused`).toBeInstanceOf(InputError);
  expect((err as InputError).file).toBe(path.join(FIXTURES, name));
  expect(err.message.startsWith(`${path.join(FIXTURES, name)}: `)).toBe(true);
  return err.message;
}

const turns = (t: { segments: { speaker: string; text: string }[] }) => t.segments.map((s) => [s.speaker, s.text]);

const aws = (channels: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ jobName: 'j', status: 'COMPLETED', results: { transcripts: [{ transcript: '' }], channel_labels: { channels, number_of_channels: 2 }, ...extra } });
const word = (start: string, end: string, content: string) => ({ type: 'pronunciation', start_time: start, end_time: end, alternatives: [{ confidence: '0.99', content }] });

describe('SubRip (.transcript.srt)', () => {
  it('Traditional Chinese labels with a full-width or ASCII colon, 【客服】, multi-line cues, two speakers in one cue', async () => {
    const t = await loadSidecar(fixture('zh-tw-billing.transcript.srt'), { durationSec: 17, language: 'auto' });
    expect(t.engine).toBe('sidecar-srt');
    expect(t.language).toBe('zh');
    expect(turns(t)).toEqual([
      // a line broken inside a Chinese sentence is joined without a space, as the same call's JSON has it
      ['agent', '您好，很高興為您服務，請問有什麼可以幫您？'],
      ['customer', '我想查一下帳單，上個月被重複扣款了。'],
      ['agent', '不好意思，造成您的困擾，請您稍等。'],
      ['customer', '好，謝謝。'],
      // "10:30" inside the text is not a label
      ['agent', '幫您查到了，10:30 會退款。'],
    ]);
    expect(t.segments[0]).toMatchObject({ start: 0.62, end: 4.31 });
    expect(t.segments[0]!.normText).toContain('很高兴为您服务');
    expect(t.segments.slice(3).map((s) => [s.start, s.end])).toEqual([
      [13.5, 16.9],
      [13.5, 16.9],
    ]);
  });

  it('English: Agent:, [Customer], a <v> tag, formatting and {\\an8} dropped, "- AGENT:" dialogue lines, an empty cue', async () => {
    const t = await loadSidecar(fixture('en-support.transcript.srt'), { durationSec: 30, language: 'en' });
    expect(t.language).toBe('en');
    expect(turns(t)).toEqual([
      ['agent', 'Thank you for calling Northwind billing, this is Dana.'],
      ['customer', 'Hi, I was charged twice for March.'],
      ['agent', "I'm sorry about that. Let me check the account."],
      ['customer', 'The card ending 4217.'],
      ['agent', 'Thank you, one moment.'],
    ]);
    expect(t.segments[1]).toMatchObject({ start: 4.1, end: 7.25 });
  });

  it('a cue without a speaker label is refused, as a WebVTT cue without <v> is: by cue and line, not quoting it', async () => {
    const msg = await loadError('no-label.transcript.srt');
    expect(msg).toContain('cue 2 (line 6): no speaker label (expected the text to start with "Agent:" or "Customer:"');
    expect(msg).not.toMatch(/charged|March/);
  });

  it("a person's name as the label is no speaker: refused without the name or the text", async () => {
    const msg = await loadError('name-label.transcript.srt');
    expect(msg).toContain('cue 2 (line 6): no speaker label');
    for (const leak of ['Jane', 'Smith', '1381', '5678']) expect(msg).not.toContain(leak);
  });

  it('a bad timing line names the cue and line', async () => {
    expect(await loadError('bad-timing.transcript.srt')).toMatch(/cue 2 \(line 6\): bad timing line \(expected "00:00:01,000 --> 00:00:04,500"\)$/);
  });

  it('role labels in any case, in parentheses as in brackets: (Agent), (customer):, agent:, - (CUSTOMER), （客服）, (客户), (Agent 2):', async () => {
    const t = await loadSidecar(fixture('mixed-case-labels.transcript.srt'), { durationSec: 17, language: 'en' });
    expect(turns(t)).toEqual([
      ['agent', 'Thank you for calling, this is Dana.'],
      // "Note:" on a continuation line and "Yes:" after a label are text, not speaker labels
      ['customer', 'Hi, I was charged twice. Note: it was in March.'],
      ['agent', 'Let me check.'],
      ['customer', 'Thanks.'],
      ['customer', 'Yes: the card ending 4217.'],
      ['agent', '您好，请稍等。'],
      ['customer', '好的。'],
      ['agent', 'I am the supervisor.'],
    ]);
  });

  it('a numbered speaker (Speaker 1, any case) is a label, but names no side: refused saying so, not "no speaker label"', async () => {
    const msg = await loadError('speaker-numbers.transcript.srt');
    expect(msg).toMatch(/cue 1 \(line 2\): a numbered speaker label \(Speaker 1, spk_0\) does not say which side is the agent/);
    expect(msg).not.toMatch(/Hello|charged/);
  });

  const oneCue = (line: string) => `1\n00:00:01,000 --> 00:00:02,000\n${line} hello there\n`;
  it.each([
    ['(Agent)', 'agent'],
    ['(agent)', 'agent'],
    ['(AGENT):', 'agent'],
    ['agent:', 'agent'],
    ['Agent:', 'agent'],
    ['AGENT:', 'agent'],
    ['[agent]', 'agent'],
    ['(Customer)', 'customer'],
    ['(customer 2)', 'customer'],
    ['(客服)', 'agent'],
    ['（客服）', 'agent'],
    ['（客戶）：', 'customer'],
    ['- (agent)', 'agent'],
  ])('%s is the speaker label of %s', (label, speaker) => {
    expect(turns(parseSrtSidecar(oneCue(label), 'x.transcript.srt'))).toEqual([[speaker, 'hello there']]);
  });

  it.each([
    ['speaker 1:', /a numbered speaker label/],
    ['Speaker 1:', /a numbered speaker label/],
    ['SPEAKER 1:', /a numbered speaker label/],
    ['(Speaker 2)', /a numbered speaker label/],
    ['[speaker_1]', /a numbered speaker label/],
    ['说话人1：', /a numbered speaker label/],
    // a word and a colon is a sentence, not a label: the cue has none
    ['Note:', /no speaker label/],
    ['Yes:', /no speaker label/],
    ['(laughs)', /no speaker label/],
    ['(Jane)', /no speaker label/],
  ])('%s at the start of a cue is refused (%s)', (label, want) => {
    let err: unknown;
    try {
      parseSrtSidecar(oneCue(label), 'x.transcript.srt');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^x\.transcript\.srt: cue 1 \(line 2\): /);
    expect((err as Error).message).toMatch(want);
    expect((err as Error).message).not.toContain('hello');
  });

  it('a numbered speaker after a role label in the same cue is refused too (it would otherwise be read as the role\'s text)', () => {
    expect(() => parseSrtSidecar(oneCue('Agent: hi\nSpeaker 2:'), 'x.transcript.srt')).toThrow(/cue 1 \(line 2\): a numbered speaker label/);
  });

  const cue = (timing: string, text: string) => `1\n${timing}\n${text}\n`;
  it.each<[string, string, string | RegExp]>([
    ['end before start', cue('00:00:05,000 --> 00:00:01,000', 'Agent: hi'), 'cue 1 (line 2).end: 1 is before start 5'],
    ['past the end of the recording', cue('00:00:05,000 --> 00:00:40,000', 'Customer: hi'), 'cue 1 (line 2).end: 40 s is past the end of the recording (10.00 s)'],
    ['a minute field of 60 or more', cue('00:75:01,000 --> 00:75:02,000', 'Agent: hi'), 'cue 1 (line 2): bad timing line: minutes and seconds must be below 60'],
    ['a second field of 60 or more', cue('00:00:01,000 --> 00:00:61,500', 'Agent: hi'), 'cue 1 (line 2): bad timing line: minutes and seconds must be below 60'],
    ['an unknown <v> voice', cue('00:00:01,000 --> 00:00:02,000', '<v Jane>hi</v>'), 'cue 1 (line 2): the <v> voice tag is not a speaker role'],
    ['a control character', cue('00:00:01,000 --> 00:00:02,000', 'Agent: a\u0000b'), /cue 1 \(line 2\)\.text: contains a control character \(U\+0000/],
    ['a WebVTT file saved as .srt', 'WEBVTT\n\n00:00.000 --> 00:01.000\n<v Agent>hi</v>\n', 'a WebVTT file saved as SubRip: name it .transcript.vtt'],
    ['text where the timing should be', '1\nAgent: hi\n', 'cue 1 (line 2): bad timing line'],
    [
      'a dialogue line ("- ...") without a label after a labelled one: another speaker, nobody says who',
      cue('00:00:01,000 --> 00:00:02,000', '- Agent: Can I have the card number?\n- It is 4217.'),
      'cue 1 (line 2): a dialogue line ("- ...") without a speaker label',
    ],
    [
      'no blank line between two cues',
      '1\n00:00:01,000 --> 00:00:02,000\nAgent: hi\n2\n00:00:03,000 --> 00:00:04,000\nCustomer: hello\n',
      'cue 1 (line 2): a timing line inside the cue\'s text, at line 5 (is the blank line between two cues missing?)',
    ],
  ])('rejects %s', (_n, text, want) => {
    let err: unknown;
    try {
      parseSrtSidecar(text, 'x.transcript.srt', { durationSec: 10 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(typeof want === 'string' ? new RegExp(`^x\\.transcript\\.srt: ${want.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : want);
  });

  it('lines of a cue: Chinese joined without a space (search bigrams across the break), English and mixed with one', () => {
    const t = parseSrtSidecar('1\n00:00:01,000 --> 00:00:04,000\n坐席：您好，很高兴\n为您服务\n\n2\n00:00:05,000 --> 00:00:06,000\nAgent: hello\nthere\n\n3\n00:00:07,000 --> 00:00:08,000\n客户：我的\niPhone 坏了\n', 'x.srt');
    expect(turns(t)).toEqual([
      ['agent', '您好，很高兴为您服务'],
      ['agent', 'hello there'],
      ['customer', '我的 iPhone 坏了'],
    ]);
    expect(indexTokens(t.segments[0]!.text).map((x) => x.token)).toContain('兴为');
  });

  it('the language guessed from the text goes by share: a Chinese name in an English call is English, English words in a Mandarin call are Mandarin', () => {
    const guess = (lines: string[]) =>
      parseSrtSidecar(lines.map((l, i) => `${i + 1}\n00:00:0${i},000 --> 00:00:0${i},900\n${l}\n`).join('\n'), 'x.srt', { language: 'auto' }).language;
    expect(guess(['Agent: Hello Mr 王, how can I help you today?', 'Customer: I was charged twice for March.'])).toBe('en');
    expect(guess(['Customer: 我的 app 一直 crash，帮我看一下', '坐席：好的，请您稍等'])).toBe('zh');
    expect(guess(['Agent: 您好', 'Customer: hi'])).toBe('zh');
    expect(guess(['Agent: Thank you for calling.'])).toBe('en');
  });

  it('an end within the tolerance is clamped; cue numbers and CRLF are not needed; the language follows the pipeline', () => {
    const t = parseSrtSidecar('00:00:01,000 --> 00:00:10,400\r\nAGENT：Goodbye.\r\n', 'x.srt', { durationSec: 10, language: 'zh' });
    expect(t.segments).toMatchObject([{ speaker: 'agent', start: 1, end: 10, text: 'Goodbye.' }]);
    expect(t.language).toBe('zh');
  });
});

describe('Amazon Transcribe output (.transcript.json)', () => {
  it('channel identification: ch_0 (left) is the agent, ch_1 the customer by default; words joined into sentence turns', async () => {
    const t = await loadSidecar(fixture('aws-channels-en.transcript.json'), { durationSec: 32, language: 'auto' });
    expect(t.engine).toBe('sidecar-aws-transcribe');
    expect(t.language).toBe('en');
    expect(turns(t)).toEqual([
      ['agent', 'Thank you for calling Northwind billing, this is Dana.'],
      ['agent', 'How can I help you today?'],
      ['customer', 'Hi, I was charged twice for March.'],
      ['agent', "I'm sorry about that."],
      ['agent', 'Let me check the account.'],
      ['customer', 'The card ending four two one seven.'],
      ['agent', 'I can see both payments.'],
      ['agent', "I'll refund the second one today."],
      ['customer', 'Great, thank you.'],
      ['customer', 'Bye.'],
    ]);
    const first = t.segments[0]!;
    expect(first.start).toBe(0.52);
    expect(first.words?.[0]).toMatchObject({ text: 'Thank', start: 0.52, end: 0.82 });
    expect(first.confidence).toBeGreaterThan(0.9);
    expect(first.confidence).toBeLessThan(1);
  });

  it('the channel layout (pipeline channels / --channels customer,agent) decides who ch_0 is, as for whisper', async () => {
    const t = await loadSidecar(fixture('aws-channels-en.transcript.json'), { channels: ['customer', 'agent'] });
    expect(turns(t)[0]).toEqual(['customer', 'Thank you for calling Northwind billing, this is Dana.']);
    expect(turns(t)[2]).toEqual(['agent', 'Hi, I was charged twice for March.']);
  });

  it('Mandarin: the language from results.language_code (zh-CN), Chinese words joined without spaces', async () => {
    const t = await loadSidecar(fixture('aws-channels-zh.transcript.json'), { durationSec: 14, language: 'en' });
    expect(t.language).toBe('zh');
    expect(turns(t)).toEqual([
      ['agent', '您好，这里是客服中心，请问有什么可以帮您？'],
      ['customer', '我想查一下上个月的账单。'],
      ['agent', '好的，请您稍等。'],
      ['customer', '谢谢。'],
    ]);
  });

  it('speaker labels (spk_0, spk_1) are refused: they do not say who the agent is; the message says what to do instead', async () => {
    const msg = await loadError('aws-speakers.transcript.json');
    expect(msg).toContain('results: speaker labels (spk_0, spk_1, ...) do not say which speaker is the agent, and callqa does not guess it');
    expect(msg).toContain('channel identification');
    expect(msg).toContain('Call Analytics');
    expect(msg).not.toMatch(/Thank|charged/);
  });

  it('a malformed word time names the item and field, without the value', async () => {
    const msg = await loadError('aws-bad-time.transcript.json');
    expect(msg).toContain('invalid Amazon Transcribe output: results.channel_labels.channels[1].items[3].end_time: must be a number of seconds >= 0');
    expect(msg).not.toContain('5.1s');
  });

  it.each<[string, string, string]>([
    ['neither channels nor speakers', JSON.stringify({ jobName: 'j', results: { transcripts: [], items: [] } }), 'results: neither channel_labels nor speaker_labels'],
    ['a third channel', aws([{ channel_label: 'ch_2', items: [] }]), 'results.channel_labels.channels[0].channel_label: must be "ch_0" or "ch_1"'],
    ['a channel listed twice', aws([{ channel_label: 'ch_0', items: [] }, { channel_label: 'ch_0', items: [] }]), 'results.channel_labels.channels[1].channel_label: ch_0 is listed twice'],
    ['a word without times', aws([{ channel_label: 'ch_0', items: [{ type: 'pronunciation', alternatives: [{ content: 'hi' }] }] }]), 'items[0].start_time, results.channel_labels.channels[0].items[0].end_time: missing'],
    ['a word ending before it starts', aws([{ channel_label: 'ch_1', items: [word('3.0', '2.5', 'hi')] }]), 'items[0].end_time: 2.5 is before start_time 3'],
    ['no alternatives', aws([{ channel_label: 'ch_0', items: [{ type: 'pronunciation', start_time: '1', end_time: '2', alternatives: [] }] }]), 'items[0].alternatives: must hold at least one'],
    ['a language other than zh/en', aws([], { language_code: 'ja-JP' }), 'results.language_code: must be "zh" or "en"'],
    ['a turn past the end of the recording', aws([{ channel_label: 'ch_0', items: [word('1', '2', 'Hello'), word('2.1', '99', 'there')] }]), 'results.channel_labels.channels[0].items[0..1].end_time: 99 s is past the end of the recording (10.00 s)'],
    ['a confidence above 1', aws([{ channel_label: 'ch_0', items: [{ ...word('1', '2', 'hi'), alternatives: [{ confidence: '7', content: 'hi' }] }] }]), 'items[0].alternatives[0].confidence: must be a number from 0 to 1'],
  ])('rejects %s', (_n, text, want) => {
    expect(() => parseJsonSidecar(text, 'a.transcript.json', { durationSec: 10 })).toThrow(want);
    expect(() => parseJsonSidecar(text, 'a.transcript.json', { durationSec: 10 })).toThrow(/^a\.transcript\.json: /);
  });

  it('a long pause on one channel starts a new turn; punctuation before any word is ignored', () => {
    const t = parseJsonSidecar(aws([{ channel_label: 'ch_0', items: [{ type: 'punctuation', alternatives: [{ content: ',' }] }, word('1', '1.4', 'Hello'), word('4', '4.5', 'anyone')] }]), 'a.json');
    expect(turns(t)).toEqual([
      ['agent', 'Hello'],
      ['agent', 'anyone'],
    ]);
  });
});

describe('Amazon Transcribe Call Analytics output (.transcript.json)', () => {
  it('ParticipantRole maps directly; milliseconds become seconds; zh-TW is zh; Traditional text is kept and normalised', async () => {
    const t = await loadSidecar(fixture('aws-call-analytics-zh-tw.transcript.json'), { durationSec: 15, language: 'en', channels: ['customer', 'agent'] });
    expect(t.engine).toBe('sidecar-aws-call-analytics');
    expect(t.language).toBe('zh');
    expect(turns(t)).toEqual([
      ['agent', '您好，很高興為您服務，請問有什麼可以幫您？'],
      ['customer', '我想查一下帳單，上個月被重複扣款了。'],
      ['agent', '不好意思，造成您的困擾，請您稍等，我幫您查詢。'],
      ['customer', '好，謝謝。'],
    ]);
    expect(t.segments[1]).toMatchObject({ start: 4.98, end: 8.76 });
    expect(t.segments[0]!.normText).toContain('很高兴为您服务');
  });

  it('a role other than AGENT or CUSTOMER is refused naming the entry', async () => {
    const msg = await loadError('aws-call-analytics-bad-role.transcript.json');
    expect(msg).toContain('invalid Amazon Transcribe Call Analytics output: Transcript[2].ParticipantRole: must be "AGENT" or "CUSTOMER"');
    expect(msg).not.toMatch(/不好意思|SUPERVISOR/);
  });

  const ca = (entry: Record<string, unknown>) => JSON.stringify({ JobStatus: 'COMPLETED', LanguageCode: 'en-US', Transcript: [{ ParticipantRole: 'AGENT', Content: 'Hello', BeginOffsetMillis: 0, EndOffsetMillis: 900 }, { ParticipantRole: 'CUSTOMER', Content: 'Hi', BeginOffsetMillis: 1000, EndOffsetMillis: 2000, ...entry }] });
  it.each<[string, string, string]>([
    ['seconds where milliseconds belong', ca({ BeginOffsetMillis: 1.5 }), 'Transcript[1].BeginOffsetMillis: must be a whole number of milliseconds'],
    ['an end before the beginning', ca({ EndOffsetMillis: 500 }), 'Transcript[1].EndOffsetMillis: is before BeginOffsetMillis'],
    ['no content', ca({ Content: undefined }), 'Transcript[1].Content: must be a string'],
    ['past the end of the recording', ca({ EndOffsetMillis: 60_000 }), 'Transcript[1].EndOffsetMillis: 60 s is past the end of the recording (10.00 s)'],
    ['a language other than zh/en', JSON.stringify({ LanguageCode: 'es-US', Transcript: [] }), 'LanguageCode: must be "zh" or "en"'],
    ['Transcript not a list', JSON.stringify({ Transcript: {} }), 'Transcript: must be a list'],
  ])('rejects %s', (_n, text, want) => {
    expect(() => parseJsonSidecar(text, 'b.transcript.json', { durationSec: 10 })).toThrow(want);
  });

  it('an end within the 1 s tolerance past the recording is clamped, as for every format', () => {
    const t = parseJsonSidecar(ca({ EndOffsetMillis: 10_400 }), 'b.json', { durationSec: 10 });
    expect(t.segments[1]).toMatchObject({ speaker: 'customer', start: 1, end: 10 });
    const words = parseJsonSidecar(aws([{ channel_label: 'ch_1', items: [word('9.2', '10.6', 'Bye')] }]), 'a.json', { durationSec: 10 }).segments[0]!;
    expect(words).toMatchObject({ speaker: 'customer', start: 9.2, end: 10, words: [{ start: 9.2, end: 10, text: 'Bye' }] });
  });

  it('without LanguageCode the pipeline language (or the text) decides', () => {
    const text = JSON.stringify({ Transcript: [{ ParticipantRole: 'AGENT', Content: '您好', BeginOffsetMillis: 0, EndOffsetMillis: 900 }] });
    expect(parseJsonSidecar(text, 'b.json', { language: 'auto' }).language).toBe('zh');
    expect(parseJsonSidecar(text, 'b.json', { language: 'en' }).language).toBe('en');
  });
});

describe('a .transcript.json that is none of the shapes', () => {
  it.each([
    ['an empty object', '{}'],
    ['another vendor', JSON.stringify({ utterances: [{ speaker: 'A', start: 0, end: 1, text: 'hi' }] })],
    ['a bare list', '[]'],
  ])('%s: refused listing the shapes callqa reads', (_n, text) => {
    let message = '';
    try {
      parseJsonSidecar(text, 'c.transcript.json');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^c\.transcript\.json: invalid transcript sidecar: not one of the JSON shapes callqa reads: /);
    expect(message).toContain('callqa\'s own ({"language": "zh", "segments"');
    expect(message).toContain('Amazon Transcribe output with channel identification');
    expect(message).toContain('Amazon Transcribe Call Analytics output');
    expect(message).not.toContain('hi');
  });
});

describe('found beside the recording like the other formats', () => {
  it.each([
    ['zh-tw-billing.transcript.srt', 'srt', 'sidecar-srt'],
    ['aws-channels-zh.transcript.json', 'json', 'sidecar-aws-transcribe'],
    ['aws-call-analytics-zh-tw.transcript.json', 'json', 'sidecar-aws-call-analytics'],
  ])('%s', async (name, format, engine) => {
    const sub = mkdtempSync(path.join(dir, 'found-'));
    const rec = path.join(sub, '客户来电 $(id).wav');
    copyFileSync(path.join(FIXTURES, name), path.join(sub, `客户来电 $(id).transcript.${format}`));
    const ref = findSidecar(rec);
    expect(ref).toEqual({ path: path.join(sub, `客户来电 $(id).transcript.${format}`), format });
    expect((await loadSidecar(ref!, { durationSec: 20 })).engine).toBe(engine);
  });
});

describe("a storage folder's copy of the sidecar is the one enqueue found (queue, CALLQA_STORAGE_DIR)", () => {
  it('a transcript handed over again in another format replaces the stored one: the worker reads what the key was made from', async () => {
    const sub = mkdtempSync(path.join(dir, 'storage-'));
    const rec = path.join(sub, 'call.wav');
    writeFileSync(rec, 'audio bytes');
    const hash = createHash('sha256').update('audio bytes').digest('hex');
    const storage = new DirStorage(path.join(sub, 'store'));
    const pipeline = defaultPipeline();
    const options = { transcribe: true };
    const storedCopy = async () => storage.localPath(await storage.put(rec, hash));

    // first delivery: Call Analytics JSON
    copyFileSync(path.join(FIXTURES, 'aws-call-analytics-zh-tw.transcript.json'), path.join(sub, 'call.transcript.json'));
    let copy = await storedCopy();
    expect(await transcriptSourceOf(copy, pipeline, options)).toBe(await transcriptSourceOf(rec, pipeline, options));
    // the platform re-delivers it as SubRip and drops the JSON; enqueue again (--force)
    rmSync(path.join(sub, 'call.transcript.json'));
    copyFileSync(path.join(FIXTURES, 'zh-tw-billing.transcript.srt'), path.join(sub, 'call.transcript.srt'));
    copy = await storedCopy();
    expect(findSidecar(copy)?.format).toBe('srt');
    expect(await transcriptSourceOf(copy, pipeline, options)).toBe(await transcriptSourceOf(rec, pipeline, options));
    // and without any transcript now: the stored copy has none either (whisper, as the key says)
    rmSync(path.join(sub, 'call.transcript.srt'));
    copy = await storedCopy();
    expect(findSidecar(copy)).toBeNull();
    expect(readdirSync(path.dirname(copy))).toEqual([path.basename(copy)]);
  });
});

describe('Amazon Transcribe words (review)', () => {
  const ch = (label: string, items: unknown[]) => ({ channel_label: label, items });
  const punct = (content: string) => ({ type: 'punctuation', alternatives: [{ confidence: '0.0', content }] });

  it("a turn's words spell its text, punctuation included: a phone number is timed by its words and masking keeps word timings", () => {
    const items = [word('5.0', '5.3', 'My'), word('5.3', '5.6', 'number'), word('5.6', '5.8', 'is'), word('6.0', '6.4', '415'), word('6.5', '6.9', '555'), word('7.0', '7.6', '0199'), punct('.'), word('8.0', '8.3', 'Thanks'), punct('.')];
    const t = parseJsonSidecar(aws([ch('ch_0', [word('1', '1.5', 'Hello'), punct(','), word('1.6', '2', 'there'), punct('.')]), ch('ch_1', items)]), 'a.json', { durationSec: 20 });
    expect(turns(t)).toEqual([
      ['agent', 'Hello, there.'],
      ['customer', 'My number is 415 555 0199.'],
      ['customer', 'Thanks.'],
    ]);
    for (const s of t.segments) expect(s.words!.map((w) => w.text).join(' ')).toBe(s.text);
    const found = findPiiInTranscript(t, {});
    expect(found).toMatchObject([{ category: 'us_phone', segment: 1, start: 6, end: 7.6, timing: 'words' }]);
    const masked = maskTranscript(t, found).segments[1]!;
    expect(masked.words, 'word timings kept, the number masked').toBeDefined();
    expect(JSON.stringify(masked.words)).not.toMatch(/415|555|0199/);
  });

  it('Chinese words and punctuation are joined without spaces and still spell the text', () => {
    const t = parseJsonSidecar(aws([ch('ch_0', [word('1', '1.2', '您好'), punct('，'), word('1.3', '1.5', '请'), word('1.5', '1.6', '问'), punct('？')])]), 'a.json');
    expect(turns(t)).toEqual([['agent', '您好，请问？']]);
    expect(t.segments[0]!.words!.map((w) => w.text)).toEqual(['您好，', '请', '问？']);
  });

  it('an item with empty content (a word a vocabulary filter removed) is no word and no turn', () => {
    const removed = { ...word('2', '2.4', ''), alternatives: [{ confidence: '0.9', content: '' }] };
    const t = parseJsonSidecar(aws([ch('ch_0', [word('1', '1.5', 'Hello'), removed, word('2.5', '3', 'there')]), ch('ch_1', [removed])]), 'a.json');
    expect(turns(t)).toEqual([['agent', 'Hello there']]);
    expect(t.segments[0]!.words!.map((w) => w.text)).toEqual(['Hello', 'there']);
  });

  it('a 3-hour channel with no punctuation and no long pause (one long turn) is read in linear time', () => {
    const n = 40_000;
    const items = Array.from({ length: n }, (_, i) => word((i * 0.27).toFixed(2), (i * 0.27 + 0.2).toFixed(2), i % 2 ? 'word' : '好'));
    const text = aws([ch('ch_0', items)]);
    const t0 = performance.now();
    const t = parseJsonSidecar(text, 'a.json');
    const ms = performance.now() - t0;
    expect(t.segments).toHaveLength(1);
    expect(t.segments[0]!.words).toHaveLength(n);
    expect(ms, `${Math.round(ms)} ms`).toBeLessThan(5000);
  }, 120_000);
});

/**
 * A diarised transcript (spk_0, Speaker 1, <v Speaker 2>, "A"/"B") read with the call's agentSpeaker metadata
 * (manifest column agent_speaker, .meta.json agentSpeaker): that label is the agent, every other the customer's
 * side; role labels in the same file still win. Without it the refusals are as before, saying how to give it.
 */
describe('agentSpeaker: which diarisation label is the agent', () => {
  const HINT = 'the manifest column agent_speaker, or agentSpeaker in its .meta.json';
  const vtt = (...voices: string[]) =>
    `WEBVTT\n\n${voices.map((v, i) => `00:00:0${i}.000 --> 00:00:0${i}.900\n<v ${v}>line ${i}`).join('\n\n')}\n`;
  const own = (...speakers: string[]) =>
    JSON.stringify({ language: 'en', segments: speakers.map((speaker, i) => ({ speaker, start: i, end: i + 0.9, text: `line ${i}` })) });

  it('SubRip: Speaker 1 / speaker 2 with agentSpeaker spk_1 (Speaker 1 == spk_1) are agent and customer', async () => {
    const t = await loadSidecar(fixture('speaker-numbers.transcript.srt'), { agentSpeaker: 'spk_1' });
    expect(turns(t)).toEqual([
      ['agent', 'Hello, how can I help?'],
      ['customer', 'I was charged twice.'],
    ]);
    // the other way round, written the way the file writes it (any case, NFKC: full-width digits)
    const swapped = await loadSidecar(fixture('speaker-numbers.transcript.srt'), { agentSpeaker: 'SPEAKER ２' });
    expect(swapped.segments.map((s) => s.speaker)).toEqual(['customer', 'agent']);
  });

  it.each(['spk_0', 'Speaker 0', 'speaker_0', 'SPK 0', 'SPEAKER_00', '0'])('%s names the label spk_0 in every spelling', (agentSpeaker) => {
    const t = parseJsonSidecar(own('Speaker 0', 'spk_1', 'SPK 0'), 'x.transcript.json', { agentSpeaker });
    expect(t.segments.map((s) => s.speaker)).toEqual(['agent', 'customer', 'agent']);
  });

  it('callqa JSON with speakers numbered as JSON numbers (0, 1): agentSpeaker spk_1 or "Speaker 1" names 1', () => {
    const doc = JSON.stringify({ language: 'en', segments: [0, 1, 0].map((speaker, i) => ({ speaker, start: i, end: i + 0.9, text: `line ${i}` })) });
    expect(parseJsonSidecar(doc, 'x.transcript.json', { agentSpeaker: 'Speaker 1' }).segments.map((s) => s.speaker)).toEqual(['customer', 'agent', 'customer']);
  });

  it('callqa JSON with A/B letters; a third label (a transfer target) is the customer side; roles still win', () => {
    const t = parseJsonSidecar(own('A', 'B', 'a', 'C', 'Agent 2', 'customer'), 'x.transcript.json', { agentSpeaker: 'A' });
    expect(t.segments.map((s) => s.speaker)).toEqual(['agent', 'customer', 'agent', 'customer', 'agent', 'customer']);
  });

  it('WebVTT <v Speaker 2>: the label given is the agent, others the customer, <v Agent> still the agent', () => {
    const t = parseVttSidecar(vtt('Speaker 1', 'Speaker 2', 'Agent', 'speaker 1'), 'x.transcript.vtt', { agentSpeaker: 'spk_2' });
    expect(turns(t)).toEqual([
      ['customer', 'line 0'],
      ['agent', 'line 1'],
      ['agent', 'line 2'],
      ['customer', 'line 3'],
    ]);
  });

  it('Amazon Transcribe speaker labels: the words of spk_0 are the agent\'s turns, spk_1\'s the customer\'s', async () => {
    const t = await loadSidecar(fixture('aws-speakers.transcript.json'), { agentSpeaker: 'spk_0', durationSec: 7 });
    expect(t.engine).toBe('sidecar-aws-transcribe');
    expect(turns(t)).toEqual([
      ['agent', 'Thank you for calling Northwind billing, this is Dana.'],
      ['agent', 'How can I help you today?'],
      ['customer', 'Hi, I was charged twice for March.'],
    ]);
    expect(t.segments[2]!.words!.map((w) => w.text)).toEqual(['Hi,', 'I', 'was', 'charged', 'twice', 'for', 'March.']);
    const swapped = await loadSidecar(fixture('aws-speakers.transcript.json'), { agentSpeaker: 'Speaker 1' });
    expect(swapped.segments.map((s) => s.speaker)).toEqual(['customer', 'customer', 'agent']);
  });

  it('Amazon Transcribe output without a label on each word (older jobs): the label is the speaker_labels item with its times', () => {
    const w = (start: string, end: string, content: string) => ({ type: 'pronunciation', start_time: start, end_time: end, alternatives: [{ confidence: '0.9', content }] });
    const doc = (items: unknown[]) =>
      JSON.stringify({
        jobName: 'j',
        results: {
          transcripts: [],
          speaker_labels: {
            speakers: 2,
            segments: [
              { start_time: '0.5', end_time: '1.5', speaker_label: 'spk_1', items: [{ start_time: '0.5', end_time: '1.0', speaker_label: 'spk_1' }, { start_time: '1.0', end_time: '1.5', speaker_label: 'spk_1' }] },
              { start_time: '2.0', end_time: '2.5', speaker_label: 'spk_0', items: [{ start_time: '2.0', end_time: '2.5', speaker_label: 'spk_0' }] },
            ],
          },
          items,
        },
      });
    const t = parseJsonSidecar(doc([w('0.5', '1.0', 'Good'), w('1.0', '1.5', 'morning'), w('2.0', '2.5', 'hi')]), 'a.json', { agentSpeaker: 'spk_1' });
    expect(turns(t)).toEqual([
      ['agent', 'Good morning'],
      ['customer', 'hi'],
    ]);
    const msg = (() => {
      try {
        parseJsonSidecar(doc([w('0.5', '1.0', 'Good'), w('3.0', '3.5', 'secret')]), 'a.json', { agentSpeaker: 'spk_1' });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(msg).toBe("a.json: results.items[1].speaker_label: missing, and no speaker_labels.segments item has the word's start_time and end_time");
  });

  it('an agentSpeaker no label equals is refused naming the file, the field and the labels found, never the text or a name', async () => {
    const srt = await loadError('speaker-numbers.transcript.srt', { agentSpeaker: 'spk_3' });
    expect(srt).toContain('agentSpeaker (the manifest\'s agent_speaker column, or the .meta.json\'s agentSpeaker) is "spk_3", but no speaker label in the file is that one; labels found: Speaker 1, speaker 2');
    expect(srt).not.toMatch(/Hello|charged/);
    const awsMsg = await loadError('aws-speakers.transcript.json', { agentSpeaker: 'B' });
    expect(awsMsg).toContain('is "B", but no speaker label in the file is that one; labels found: spk_0, spk_1');
    expect(awsMsg).not.toMatch(/Thank|charged/);
    let vttMsg = '';
    try {
      parseVttSidecar(vtt('Speaker 1', 'Jane Doe', 'Speaker 2'), 'x.transcript.vtt', { agentSpeaker: 'spk_0' });
    } catch (e) {
      vttMsg = (e as Error).message;
    }
    expect(vttMsg).toBe(
      'x.transcript.vtt: agentSpeaker (the manifest\'s agent_speaker column, or the .meta.json\'s agentSpeaker) is "spk_0", but no speaker label in the file is that one; ' +
        "labels found: Speaker 1, Speaker 2; 1 other label(s), not shown (they may be people's names)",
    );
  });

  it('a file that names the roles needs no agentSpeaker: one given is not used, and not refused', async () => {
    const t = await loadSidecar(fixture('mixed-case-labels.transcript.srt'), { agentSpeaker: 'spk_0' });
    expect(t.segments.every((s) => s.speaker === 'agent' || s.speaker === 'customer')).toBe(true);
    const ch = await loadSidecar(fixture('aws-channels-en.transcript.json'), { agentSpeaker: 'spk_1' });
    expect(ch.segments.length).toBeGreaterThan(0);
  });

  it('without agentSpeaker the refusals are as before, and say how to give it', async () => {
    const srt = await loadError('speaker-numbers.transcript.srt');
    expect(srt).toContain('cue 1 (line 2): a numbered speaker label (Speaker 1, spk_0) does not say which side is the agent, and callqa does not guess it');
    expect(srt).toContain(HINT);
    const awsMsg = await loadError('aws-speakers.transcript.json');
    expect(awsMsg).toContain('results: speaker labels (spk_0, spk_1, ...) do not say which speaker is the agent, and callqa does not guess it');
    expect(awsMsg).toContain(HINT);
    const vttErr = (() => {
      try {
        parseVttSidecar(vtt('Speaker 1'), 'x.transcript.vtt');
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(vttErr).toContain('cue 1 (line 3): the <v> voice tag is not a speaker role');
    expect(vttErr).toContain(HINT);
    const jsonErr = (() => {
      try {
        parseJsonSidecar(own('spk_0', 'spk_1'), 'x.transcript.json');
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(jsonErr).toContain('segments[0].speaker, segments[1].speaker: must name a side');
    expect(jsonErr).toContain(HINT);
  });
});
