import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.js';
import { findSidecar, loadSidecar, parseJsonSidecar, parseVttSidecar, sidecarNames } from '../src/transcribe/sidecar.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'callqa-sidecar-test-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const good = {
  language: 'zh',
  segments: [
    { speaker: 'customer', start: 3.2, end: 5, text: '我想查一下我的账单' },
    { speaker: 'agent', start: 0.5, end: 2.9, text: '您好，這裡是客服中心' },
  ],
};

function expectInputError(fn: () => unknown, ...parts: (string | RegExp)[]): InputError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected an InputError').toBeInstanceOf(InputError);
  const e = caught as InputError;
  for (const p of parts) expect(e.message).toMatch(p);
  return e;
}

describe('JSON sidecar', () => {
  it('parses, sorts by time and normalises text (Traditional -> Simplified, punctuation)', () => {
    const t = parseJsonSidecar(JSON.stringify(good), 'call.transcript.json', { durationSec: 6 });
    expect(t.engine).toBe('sidecar-json');
    expect(t.language).toBe('zh');
    expect(t.segments.map((s) => s.speaker)).toEqual(['agent', 'customer']);
    expect(t.segments[0].text).toBe('您好，這裡是客服中心');
    expect(t.segments[0].normText).toBe('您好 这里是客服中心');
    expect(t.segments[1]).toMatchObject({ start: 3.2, end: 5 });
  });

  it('accepts a BOM, extra vendor fields and an empty segment list', () => {
    const t = parseJsonSidecar('\ufeff' + JSON.stringify({ language: 'en', vendor: 'x', segments: [] }), 'f.json');
    expect(t.segments).toEqual([]);
  });

  it('clamps an end that is within the tolerance past the recording end', () => {
    const t = parseJsonSidecar(
      JSON.stringify({ language: 'en', segments: [{ speaker: 'agent', start: 1, end: 10.4, text: 'bye' }] }),
      'f.json',
      { durationSec: 10 },
    );
    expect(t.segments[0].end).toBe(10);
  });

  it("reads a platform's own spellings: a BCP 47 language tag, speakers in any case or as Chinese labels, Traditional too", () => {
    const seg = (speaker: string) => ({ speaker, start: 0, end: 1, text: '好的' });
    for (const [language, want] of [['zh-TW', 'zh'], ['zh-Hant-HK', 'zh'], ['zh_CN', 'zh'], ['cmn-Hans-CN', 'zh'], ['ZH', 'zh'], ['en-US', 'en'], ['EN-gb', 'en']]) {
      expect(parseJsonSidecar(JSON.stringify({ language, segments: [] }), 'f.json').language, language).toBe(want);
    }
    const speakers = ['Agent', 'CUSTOMER', '坐席', '座席', '客服', '客户', '客戶', '用戶'];
    const t = parseJsonSidecar(JSON.stringify({ language: 'zh-TW', segments: speakers.map(seg) }), 'f.json');
    expect(t.segments.map((x) => x.speaker)).toEqual(['agent', 'customer', 'agent', 'agent', 'agent', 'customer', 'customer', 'customer']);
    for (const language of ['fr', 'zh TW', 'yue-HK', '']) {
      expectInputError(() => parseJsonSidecar(JSON.stringify({ language, segments: [] }), 'f.json'), 'f.json: ', 'language: must be "zh" or "en"');
    }
  });

  it('numbered roles (Agent 1, customer_2, 客服1) and the common longer names (客服代表, 坐席人员, representative, client) are the roles', () => {
    const seg = (speaker: string) => ({ speaker, start: 0, end: 1, text: '好的' });
    const agents = ['Agent 1', 'agent_2', 'AGENT-3', 'Agent1', 'agent #2', '客服1', '坐席 2', '客服代表', '客服人员', '坐席人员', '座席人员', '坐席员', '人工客服', 'Representative', 'Customer Service Representative', 'CSR'];
    const customers = ['Customer 1', 'customer_2', '客户1', '用户 2', '顾客', '來電人', '来电者', 'Client'];
    const t = parseJsonSidecar(JSON.stringify({ language: 'zh', segments: [...agents, ...customers].map(seg) }), 'f.json');
    expect(t.segments.map((x) => x.speaker)).toEqual([...agents.map(() => 'agent'), ...customers.map(() => 'customer')]);
    const vtt = parseVttSidecar('WEBVTT\n\n00:00.000 --> 00:01.000\n<v Agent 1>hello\n\n00:01.000 --> 00:02.000\n<v 客服代表>您好\n', 'f.vtt');
    expect(vtt.segments.map((x) => x.speaker)).toEqual(['agent', 'agent']);
  });

  it('a diarisation label (spk_0, Speaker 1, A/B, 0/1) is refused once for the file, saying it names no side and how to fix it', () => {
    for (const labels of [['spk_0', 'spk_1'], ['Speaker 1', 'Speaker 2'], ['A', 'B'], [0, 1], ['ch_0', 'ch_1']]) {
      const segments = Array.from({ length: 7 }, (_, i) => ({ speaker: labels[i % 2], start: i, end: i + 0.5, text: 'secret words' }));
      const e = expectInputError(() => parseJsonSidecar(JSON.stringify({ language: 'en', segments }), 'f.json'));
      expect(e.message).toBe(
        'f.json: invalid transcript sidecar: segments[0].speaker, segments[1].speaker, segments[2].speaker (and 4 more): must name a side, "agent" or "customer" ' +
          '(also Agent 1, Customer 2, 坐席, 客服, 客户, 用户, 客服代表 …); a speaker number or letter from diarisation (spk_0, Speaker 1, A) does not say which side is the agent: ' +
          'write the roles into the file, or say which label is the agent for the call: the manifest column agent_speaker, or agentSpeaker in its .meta.json (such as spk_0)',
      );
      expect(e.message).not.toContain('secret');
    }
  });

  it('times in milliseconds are refused with a hint saying so', () => {
    const segments = [{ speaker: 'agent', start: 400, end: 3780, text: 'x' }, { speaker: 'customer', start: 4480, end: 9800, text: 'y' }];
    expectInputError(
      () => parseJsonSidecar(JSON.stringify({ language: 'en', segments }), 'f.json', { durationSec: 30 }),
      'f.json: segments[0].start: 400 s is after the end of the recording (30.00 s); the times look like milliseconds: write them in seconds (0.4, not 400)',
    );
    // a plain overrun that would not fit in milliseconds either is said as before, with no hint
    const e = expectInputError(() => parseJsonSidecar(JSON.stringify({ language: 'en', segments: [{ speaker: 'agent', start: 0, end: 50, text: 'x' }] }), 'f.json', { durationSec: 30 }));
    expect(e.message).toBe('f.json: segments[0].end: 50 s is past the end of the recording (30.00 s)');
  });

  it('a long word-level sidecar past the recording is refused as such (the hint took the largest time by spreading 200 000 arguments: RangeError)', () => {
    const segments = Array.from({ length: 100_000 }, (_, i) => ({ speaker: 'agent', start: i * 0.01, end: i * 0.01 + 0.005, text: 'x' }));
    expectInputError(
      () => parseJsonSidecar(JSON.stringify({ language: 'en', segments }), 'f.json', { durationSec: 30 }),
      'f.json: segments[3001].start: 30.01 s is after the end of the recording (30.00 s)',
    );
  });

  const bad: [string, string, (string | RegExp)[]][] = [
    ['not JSON', '{"language": "zh", "segments": [', ['not valid JSON']],
    ['missing segments', '{"language": "zh"}', ['segments']],
    ['missing language', JSON.stringify({ segments: [] }), ['language']],
    ['language not zh/en', JSON.stringify({ language: 'fr', segments: [] }), ['language', '"zh" or "en"']],
    [
      'missing text',
      JSON.stringify({ language: 'en', segments: [{ speaker: 'agent', start: 0, end: 1 }] }),
      ['segments[0].text'],
    ],
    [
      'unknown speaker',
      JSON.stringify({ language: 'en', segments: [good.segments[0], { speaker: 'supervisor', start: 0, end: 1, text: 'x' }] }),
      ['segments[1].speaker', 'agent'],
    ],
    [
      'negative start',
      JSON.stringify({ language: 'en', segments: [{ speaker: 'agent', start: -0.5, end: 1, text: 'x' }] }),
      ['segments[0].start', '>= 0'],
    ],
    [
      'end before start',
      JSON.stringify({ language: 'en', segments: [{ speaker: 'agent', start: 4, end: 3, text: 'x' }] }),
      ['segments[0].end', 'before start'],
    ],
    [
      'string time',
      JSON.stringify({ language: 'en', segments: [{ speaker: 'agent', start: '1', end: 3, text: 'x' }] }),
      ['segments[0].start'],
    ],
    [
      'null time (what JSON.stringify makes of NaN)',
      JSON.stringify({ language: 'en', segments: [{ speaker: 'agent', start: 0, end: Number.NaN, text: 'x' }] }),
      ['segments[0].end'],
    ],
    [
      'overlong end',
      JSON.stringify({
        language: 'en',
        segments: [
          { speaker: 'agent', start: 0, end: 2, text: 'ok' },
          { speaker: 'customer', start: 5, end: 99, text: 'x' },
        ],
      }),
      ['segments[1].end', 'past the end of the recording'],
    ],
    ['segments not an array', JSON.stringify({ language: 'en', segments: {} }), ['segments']],
    ['top level array', '[]', ['invalid transcript sidecar']],
  ];
  it.each(bad)('rejects %s with an InputError naming the file and field', (_name, text, parts) => {
    const e = expectInputError(() => parseJsonSidecar(text, '/data/calls/a b.transcript.json', { durationSec: 10 }), ...parts);
    expect(e.file).toBe('/data/calls/a b.transcript.json');
    expect(e.message.startsWith('/data/calls/a b.transcript.json: ')).toBe(true);
  });
});

describe('a sidecar that is not JSON: the error says where, never what the text holds (personal data)', () => {
  const secret = '身份证11010519491231002X 手机13812345678';
  it.each([
    ['a stray word after a segment', `{"language":"zh","segments":[{"speaker":"customer","start":1,"end":2,"text":"${secret}"}, oops ]}`, /line 1, column \d+/],
    ['a missing comma, on line 3', `{"language":"zh",\n "segments":[\n  {"speaker":"customer" "text":"${secret}"}]}`, /line 3, column 25/],
    ['cut short inside the text', `{"language":"zh","segments":[{"speaker":"customer","start":1,"end":2,"text":"${secret}`, /ends before/],
    ['a raw line break inside the text', `{"language":"zh","segments":[{"speaker":"customer","start":1,"end":2,"text":"138\n12345678"}]}`, /line 1, column \d+/],
  ])('%s', (_name, text, where) => {
    let err: unknown;
    try {
      parseJsonSidecar(text, 'call.transcript.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^call\.transcript\.json: transcript sidecar is not valid JSON: /);
    expect(msg).toMatch(where);
    for (const leak of ['1101', '1381', '1234', '2X', 'oops', '身份', '手机']) expect(msg, msg).not.toContain(leak);
  });
});

describe('WebVTT sidecar', () => {
  it('a cue broken inside a Chinese sentence is one sentence without a space, as the JSON of the same call has it', () => {
    const t = parseVttSidecar('WEBVTT\n\n00:01.000 --> 00:04.000\n<v 坐席>您好，很高兴\n为您服务</v>\n\n00:05.000 --> 00:06.000\n<v Agent>hello\n  there</v>\n', 'f.vtt');
    expect(t.segments.map((s) => s.text)).toEqual(['您好，很高兴为您服务', 'hello there']);
  });

  const vtt = [
    'WEBVTT - vendor export',
    '',
    'NOTE exported by the call platform',
    '',
    '1',
    '00:00:00.500 --> 00:00:02.900 align:start',
    '<v Agent>您好，这里是客服中心</v>',
    '',
    '2',
    '00:03.200 --> 00:05.000',
    '<v.loud Customer>我想查一下',
    '我的账单 &amp; 积分</v>',
    '',
    '01:00:00.000 --> 01:00:01.000',
    '<v 坐席><i>好的</i></v> <v Customer>谢谢</v>',
    '',
  ].join('\n');

  it('parses voice tags, multi-line payloads, entities, identifiers, hours and several voices per cue', () => {
    const t = parseVttSidecar(vtt, 'f.vtt', { language: 'auto' });
    expect(t.engine).toBe('sidecar-vtt');
    expect(t.language).toBe('zh');
    expect(t.segments).toHaveLength(4);
    expect(t.segments[0]).toMatchObject({ speaker: 'agent', start: 0.5, end: 2.9, text: '您好，这里是客服中心' });
    expect(t.segments[1]).toMatchObject({ speaker: 'customer', start: 3.2, end: 5, text: '我想查一下我的账单 & 积分' }); // the line break inside the Chinese sentence is no space
    expect(t.segments[2]).toMatchObject({ speaker: 'agent', start: 3600, end: 3601, text: '好的' });
    expect(t.segments[3]).toMatchObject({ speaker: 'customer', start: 3600, text: '谢谢' });
  });

  it('Traditional Chinese voice labels (a Taiwan platform writes <v 客戶>) are the same speakers', () => {
    const t = parseVttSidecar(
      '\ufeffWEBVTT\r\n\r\n00:00.600 --> 00:05.900\r\n<v 坐席>您好，很高興為您服務\r\n\r\n00:07.100 --> 00:07.700\r\n<v 客戶>你好\r\n\r\n00:08.000 --> 00:09.000\r\n<v 用戶>我想查帳單\r\n',
      'f.vtt',
    );
    expect(t.segments.map((x) => [x.speaker, x.text])).toEqual([
      ['agent', '您好，很高興為您服務'],
      ['customer', '你好'],
      ['customer', '我想查帳單'],
    ]);
  });

  it('<v constructor> (a name on Object.prototype) is an unknown speaker', () => {
    for (const v of ['constructor', 'toString', '__proto__']) {
      expect(() => parseVttSidecar(`WEBVTT\n\n00:00.000 --> 00:01.000\n<v ${v}>hello</v>\n`, 'f.vtt')).toThrow(
        'f.vtt: cue 1 (line 3): the <v> voice tag is not a speaker role (expected <v Agent> or <v Customer>, or <v Agent 1>, <v 坐席>, <v 客服>, <v 客户>); a speaker number or letter from diarisation (spk_0, Speaker 1, A) does not say which side is the agent',
      );
    }
  });

  it("a voice tag holding a person's name is refused without the name in the error (personal data)", () => {
    for (const v of ['Jane Smith', '王小明', 'Agent Jane']) {
      let message = '';
      try {
        parseVttSidecar(`WEBVTT\n\n00:00.000 --> 00:01.000\n<v ${v}>hello</v>\n`, 'f.vtt');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain('cue 1 (line 3): the <v> voice tag is not a speaker role');
      expect(message).not.toContain(v);
      expect(message).not.toContain('hello');
    }
  });

  it('a numeric character reference beyond Unicode is U+FFFD (as in HTML), not a RangeError that names no file', () => {
    const t = parseVttSidecar('WEBVTT\n\n00:00.000 --> 00:01.000\n<v Agent>a &#99999999; b &#x110000; c &#233;</v>\n', 'f.vtt');
    expect(t.segments[0]!.text).toBe('a \ufffd b \ufffd c é');
  });

  it('takes the language from the pipeline when it names one, else guesses from the text', () => {
    const en = 'WEBVTT\n\n00:00.000 --> 00:01.000\n<v Agent>Hello</v>\n';
    expect(parseVttSidecar(en, 'f.vtt', {}).language).toBe('en');
    expect(parseVttSidecar(en, 'f.vtt', { language: 'zh' }).language).toBe('zh');
  });

  const bad: [string, string, (string | RegExp)[]][] = [
    ['no header', '00:00.000 --> 00:01.000\n<v Agent>hi</v>\n', ['first line must be "WEBVTT"']],
    ['no voice tag', 'WEBVTT\n\n00:00.000 --> 00:01.000\nhello there\n', ['cue 1', 'voice tag']],
    ['unknown voice', 'WEBVTT\n\n00:00.000 --> 00:01.000\n<v Bob>hello</v>\n', ['cue 1', 'voice tag is not a speaker role']],
    ['bad timing', 'WEBVTT\n\n00:00.000 -> 00:01.000\n<v Agent>hello</v>\n', ['cue 1', 'bad timing line']],
    [
      'no blank line between two cues (an unclosed <v> would take the next cue in)',
      'WEBVTT\n\n00:00.000 --> 00:01.000\n<v Agent>hello\n00:02.000 --> 00:03.000\n<v Customer>hi\n',
      ['cue 1 (line 3): a timing line inside the cue\'s text, at line 5'],
    ],
    ['end before start', 'WEBVTT\n\n00:00:05.000 --> 00:00:01.000\n<v Agent>hi</v>\n', ['cue 1', 'before start']],
    [
      'past the end',
      'WEBVTT\n\n00:00.000 --> 00:01.000\n<v Agent>ok</v>\n\n00:30.000 --> 00:31.000\n<v Customer>late</v>\n',
      ['cue 2 (line 6)', 'after the end'],
    ],
  ];
  it.each(bad)('rejects %s', (_n, text, parts) => {
    expectInputError(() => parseVttSidecar(text, 'x.transcript.vtt', { durationSec: 10 }), 'x.transcript.vtt', ...parts);
  });
});

describe('finding and loading sidecars', () => {
  const hostile = [
    'call one.wav',
    `it's "quoted".wav`,
    '$(touch pwned-callqa).wav',
    '`id`; rm -rf x.wav',
    '客户来电 2024-05-01.wav',
    'no-extension',
  ];

  it.each(hostile)('finds the sidecar beside %j with fs only', async (name) => {
    const sub = mkdtempSync(path.join(dir, 'beside-'));
    const rec = path.join(sub, name);
    writeFileSync(rec, 'not really audio');
    const ext = path.extname(name);
    const stem = ext ? name.slice(0, -ext.length) : name;
    writeFileSync(path.join(sub, `${stem}.transcript.json`), JSON.stringify(good));
    const ref = findSidecar(rec);
    expect(ref).toEqual({ path: path.join(sub, `${stem}.transcript.json`), format: 'json' });
    const t = await loadSidecar(ref!, { durationSec: 6 });
    expect(t.segments).toHaveLength(2);
    expect(existsSync(path.join(sub, 'pwned-callqa'))).toBe(false);
    expect(existsSync(path.join(process.cwd(), 'pwned-callqa'))).toBe(false);
  });

  it('prefers the --transcripts folder, then beside; JSON over VTT over SRT; none -> null', () => {
    const sub = mkdtempSync(path.join(dir, 'prefer-'));
    const tdir = path.join(sub, 'transcripts');
    mkdirSync(tdir);
    const rec = path.join(sub, 'c.wav');
    writeFileSync(rec, '');
    expect(findSidecar(rec, tdir)).toBeNull();
    writeFileSync(path.join(sub, 'c.transcript.srt'), '');
    expect(findSidecar(rec, tdir)).toEqual({ path: path.join(sub, 'c.transcript.srt'), format: 'srt' });
    writeFileSync(path.join(sub, 'c.transcript.vtt'), 'WEBVTT\n');
    expect(findSidecar(rec, tdir)?.format).toBe('vtt');
    writeFileSync(path.join(sub, 'c.transcript.json'), '{}');
    expect(findSidecar(rec, tdir)?.path).toBe(path.join(sub, 'c.transcript.json'));
    writeFileSync(path.join(tdir, 'c.transcript.vtt'), 'WEBVTT\n');
    expect(findSidecar(rec, tdir)?.path).toBe(path.join(tdir, 'c.transcript.vtt'));
    // a directory with the sidecar's name is not a sidecar
    mkdirSync(path.join(sub, 'd.transcript.json'));
    expect(findSidecar(path.join(sub, 'd.wav'))).toBeNull();
  });

  it('also accepts the full file name plus .transcript.json', () => {
    expect(sidecarNames('/x/a.b.wav')).toEqual([
      'a.b.transcript.json',
      'a.b.transcript.vtt',
      'a.b.transcript.srt',
      'a.b.wav.transcript.json',
      'a.b.wav.transcript.vtt',
      'a.b.wav.transcript.srt',
    ]);
  });

  it('a sidecar that is not UTF-8 (a GBK export) is refused naming the file, not read as U+FFFD soup that scores as "no greeting"', async () => {
    const doc = JSON.stringify({ language: 'zh', segments: [{ speaker: 'agent', start: 0, end: 2, text: '您好，请问有什么可以帮您' }] });
    // 您好 in GBK is C4 FA BA C3: written as raw bytes (Node has no GBK encoder)
    const bytes = Buffer.concat([Buffer.from('{"language":"zh","segments":[{"speaker":"agent","start":0,"end":2,"text":"'), Buffer.from([0xc4, 0xfa, 0xba, 0xc3]), Buffer.from('"}]}')]);
    for (const [name, format, body] of [
      ['gbk.transcript.json', 'json', bytes],
      ['gbk.transcript.vtt', 'vtt', Buffer.concat([Buffer.from('WEBVTT\n\n00:00.000 --> 00:01.000\n<v Agent>'), Buffer.from([0xc4, 0xfa, 0xba, 0xc3]), Buffer.from('</v>\n')])],
    ] as const) {
      const p = path.join(dir, name);
      writeFileSync(p, body);
      const err = (await loadSidecar({ path: p, format }).catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(InputError);
      expect(err.message).toMatch(new RegExp(`${name.replace(/\./g, '\\.')}: transcript sidecar is not UTF-8 text \\(first bad byte at offset \\d+\\); save or convert it as UTF-8`));
    }
    // UTF-8 with a byte-order mark is fine
    const ok = path.join(dir, 'bom.transcript.json');
    writeFileSync(ok, `\ufeff${doc}`);
    expect((await loadSidecar({ path: ok, format: 'json' })).segments[0]!.text).toBe('您好，请问有什么可以帮您');
  });

  it('a UTF-16 sidecar with its byte-order mark (PowerShell `>`, Notepad "Unicode") is read, LE and BE, JSON and WebVTT', async () => {
    const utf16 = (text: string, be: boolean) => {
      const b = Buffer.from(`\ufeff${text}`, 'utf16le');
      return be ? b.swap16() : b;
    };
    const doc = JSON.stringify({ language: 'zh', segments: [{ speaker: 'agent', start: 0, end: 2, text: '您好，请问有什么可以帮您' }] });
    const vtt = 'WEBVTT\r\n\r\n00:00.000 --> 00:01.000\r\n<v Agent>您好\r\n';
    for (const be of [false, true]) {
      const j = path.join(dir, `u16-${be}.transcript.json`);
      writeFileSync(j, utf16(doc, be));
      expect((await loadSidecar({ path: j, format: 'json' })).segments[0]!.text).toBe('您好，请问有什么可以帮您');
      const v = path.join(dir, `u16-${be}.transcript.vtt`);
      writeFileSync(v, utf16(vtt, be));
      expect((await loadSidecar({ path: v, format: 'vtt' })).segments.map((s) => [s.speaker, s.text])).toEqual([['agent', '您好']]);
    }
  });

  it('loadSidecar reports an unreadable or malformed file as an InputError naming it', async () => {
    const p = path.join(dir, 'bad $(x).transcript.json');
    writeFileSync(p, '{"language":"zh","segments":[{"speaker":"agent","start":0,"end":-1,"text":"x"}]}');
    await expect(loadSidecar({ path: p, format: 'json' })).rejects.toThrow(InputError);
    await expect(loadSidecar({ path: p, format: 'json' })).rejects.toThrow(`${p}: segments[0].end`);
    await expect(loadSidecar({ path: path.join(dir, 'missing.transcript.json'), format: 'json' })).rejects.toThrow(
      /missing\.transcript\.json: cannot read/,
    );
  });
});
