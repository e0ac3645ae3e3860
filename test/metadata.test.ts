import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.js';
import { loadCallMetadata, loadManifest, maskNumber, parseCsv } from '../src/pipeline/metadata.js';

const dir = mkdtempSync(join(tmpdir(), 'callqa-meta-'));
const write = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

describe('call metadata', () => {
  it.each([
    ['+86 138-0013-5678', '*********5678'],
    ['13800135678', '*******5678'],
    ['5678', '****'],
    ['12', '****'],
  ])('masks %s as %s', (raw, masked) => expect(maskNumber(raw)).toBe(masked));

  it('parses quoted CSV with CRLF and a BOM', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\r\n\r\n').map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
    ]);
  });

  it('loads a manifest, validates, converts and masks', async () => {
    const csv = write(
      'calls.csv',
      'file,agent_id,team,direction,started_at,queue,customer_number,ring_sec,answered_at_sec,hung_up_by,transfers\n' +
        'a.wav,A17,north,inbound,2024-05-01T09:30:00+08:00,billing,+86 13800135678,12,31.5,customer,0\n' +
        'sub/b.wav,A18,,呼出,,,,,,坐席,\n',
    );
    const m = await loadManifest(csv);
    expect(m.get(join(dir, 'a.wav'))).toEqual({
      agentId: 'A17',
      team: 'north',
      direction: 'inbound',
      startedAt: '2024-05-01T09:30:00+08:00',
      queue: 'billing',
      customerNumberMasked: '*********5678',
      ringSec: 12,
      answeredAtSec: 31.5,
      hungUpBy: 'customer',
      transfers: 0,
    });
    expect(m.get(join(dir, 'sub/b.wav'))).toEqual({ agentId: 'A18', direction: 'outbound', hungUpBy: 'agent' });
    expect(m.get('b.wav')).toEqual(m.get(join(dir, 'sub/b.wav')));
    expect(JSON.stringify([...m.values()])).not.toContain('13800135678');
  });

  it('reads a Taiwan or Hong Kong export: Traditional Chinese and any case in the fixed vocabularies', async () => {
    const csv = write(
      'tw.csv',
      '\ufefffile,direction,hung_up_by\r\n' + 'a.wav,呼入,客戶\r\n' + 'b.wav,OUTBOUND,用戶\r\n' + 'c.wav,外呼,Agent\r\n',
    );
    const m = await loadManifest(csv);
    expect(m.get('a.wav')).toEqual({ direction: 'inbound', hungUpBy: 'customer' });
    expect(m.get('b.wav')).toEqual({ direction: 'outbound', hungUpBy: 'customer' });
    expect(m.get('c.wav')).toEqual({ direction: 'outbound', hungUpBy: 'agent' });
  });

  it.each([
    ['no file column', 'agent_id\nA1\n', /no "file" column/],
    ['bad number', 'file,ring_sec\na.wav,abc\n', /line 2: invalid call metadata: ringSec: expected a number >= 0, got "abc"/],
    ['bad direction', 'file,direction\na.wav,sideways\n', /line 2: invalid call metadata: direction: expected inbound or outbound/],
    ['bad date', 'file,started_at\na.wav,yesterday\n', /startedAt: expected a date-time/],
    // Date.parse takes these (rolled over into March / December), PostgreSQL's date cast does not: one such call
    // failed every search and trend over the whole database (22008 date/time field value out of range)
    ['30 February', 'file,started_at\na.wav,2026-02-30\n', /line 2: invalid call metadata: startedAt: expected a date-time/],
    ['31 November', 'file,started_at\na.wav,2026-11-31T10:00:00Z\n', /startedAt: expected a date-time/],
    // a date SQL cannot read: the call would have been dated the day it was analysed
    ['not ISO 8601', 'file,started_at\na.wav,11/16/2026 07:30\n', /startedAt: expected a date-time/],
    ['fractional transfers', 'file,transfers\na.wav,1.5\n', /transfers: expected a whole number/],
    ['duplicate file', 'file\na.wav\na.wav\n', /line 3: file: a.wav is listed twice/],
    ['too many cells', 'file,team\na.wav,x,y\n', /line 2: 3 cells but the header has 2 columns/],
  ])('manifest error: %s', async (_n, text, msg) => {
    const f = write('bad.csv', text);
    const err = await loadManifest(f).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(msg);
    expect((err as Error).message.startsWith(f)).toBe(true);
  });

  it('merges manifest < sidecar < flags', async () => {
    const rec = write('c.wav', '');
    write('c.wav.meta.json', JSON.stringify({ agent_id: 'S1', ringSec: 4, customerNumber: '02012345678', customer_id: 70012 }));
    const manifest = new Map([[rec, { agentId: 'M1', team: 'east', ringSec: 30 }]]);
    const md = await loadCallMetadata(rec, { manifest, overrides: { ringSec: 2 } });
    expect(md).toEqual({ agentId: 'S1', team: 'east', ringSec: 2, customerNumberMasked: '*******5678', customerId: '70012' });
  });

  it('finds <stem>.meta.json too and reports bad sidecars by file and field', async () => {
    const rec = write('d.mp3', '');
    const side = write('d.meta.json', JSON.stringify({ hungUpBy: 'nobody' }));
    await expect(loadCallMetadata(rec)).rejects.toThrow(`${side}: invalid call metadata: hungUpBy: expected agent or customer`);
    write('d.meta.json', '{oops');
    await expect(loadCallMetadata(rec)).rejects.toThrow(/d\.meta\.json: not valid JSON/);
  });

  it('agent_speaker (which diarisation label is the agent): a short label from the manifest or .meta.json, refused naming file, line and field', async () => {
    const csv = write('speakers.csv', 'file,agent_speaker\nf1.wav,spk_1\nf2.wav, Speaker ０ \nf3.wav,\n');
    const m = await loadManifest(csv);
    expect(m.get(join(dir, 'f1.wav'))).toEqual({ agentSpeaker: 'spk_1' });
    expect(m.get(join(dir, 'f2.wav'))).toEqual({ agentSpeaker: 'Speaker 0' });
    expect(m.get(join(dir, 'f3.wav'))).toEqual({});
    for (const [cell, why] of [
      ['x'.repeat(41), 'expected the diarisation label of the agent'],
      ['Agent', 'not a role name'],
      ['客服', 'not a role name'],
    ] as const) {
      const bad = write('speakers-bad.csv', `file,agent_speaker\nf1.wav,spk_0\nf2.wav,${cell}\n`);
      const e = (await loadManifest(bad).catch((err: unknown) => err)) as InputError;
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toContain(`${bad}: line 3: invalid call metadata: agentSpeaker: `);
      expect(e.message).toContain(why);
      expect(e.message).toContain('agent_speaker');
    }
    const rec = write('s.wav', '');
    write('s.meta.json', JSON.stringify({ agent_speaker: 'SPK 1' }));
    expect(await loadCallMetadata(rec)).toEqual({ agentSpeaker: 'SPK 1' });
    write('s.meta.json', JSON.stringify({ agentSpeaker: 0 }));
    expect(await loadCallMetadata(rec)).toEqual({ agentSpeaker: '0' });
    const side = write('s.meta.json', JSON.stringify({ agentSpeaker: '  ' }));
    await expect(loadCallMetadata(rec)).rejects.toThrow(`${side}: invalid call metadata: agentSpeaker: expected the diarisation label of the agent`);
    write('s.meta.json', JSON.stringify({ agentSpeaker: ['spk_0'] }));
    await expect(loadCallMetadata(rec)).rejects.toThrow(`${side}: invalid call metadata: agentSpeaker: expected the diarisation label of the agent`);
  });

  it('flags are validated too, and no metadata at all is fine', async () => {
    const rec = write('e.wav', '');
    await expect(loadCallMetadata(rec, { overrides: { ringSec: -1 } })).rejects.toThrow(/\(flags\): invalid call metadata: ringSec/);
    expect(await loadCallMetadata(rec)).toEqual({});
  });

  it("names of Object.prototype's members are data, never its functions", async () => {
    const rec = write('p.wav', '');
    // a value that happens to be such a name is not a valid direction or hang-up side
    await expect(loadCallMetadata(rec, { overrides: { direction: 'constructor' } as never })).rejects.toThrow(/direction: expected inbound or outbound, got "constructor"/);
    await expect(loadCallMetadata(rec, { overrides: { hung_up_by: 'toString' } as never })).rejects.toThrow(/hungUpBy: expected agent or customer/);
    // a field so named is kept under its own name
    expect(await loadCallMetadata(rec, { overrides: { constructor: '1', hasOwnProperty: 'x' } as never })).toEqual({ constructor: '1', hasOwnProperty: 'x' });
    const csv = write('proto.csv', 'file,constructor,__proto__,agent_id\np.wav,c1,p1,A1\n');
    const md = (await loadManifest(csv)).get('p.wav')!;
    // (a "__proto__" column is dropped by validation; it never becomes the record's prototype)
    expect(Object.keys(md).sort()).toEqual(['agentId', 'constructor']);
    expect(Object.getPrototypeOf(md)).toBe(Object.prototype);
    expect(md.constructor).toBe('c1');
  });

  it('prepareMetadataSource refuses a bad --meta once, before any file (exit 2), naming the option', async () => {
    const { prepareMetadataSource } = await import('../src/cli/metadata-source.js');
    await expect(prepareMetadataSource({ overrides: { direction: 'sideways' } })).rejects.toThrow(/^--meta: invalid call metadata: direction: expected inbound or outbound, got "sideways"/);
    await expect(prepareMetadataSource({ overrides: { agent_id: 'A17', team: 'blue' } })).resolves.toBeDefined();
  });

  it('a GBK manifest (Excel on Chinese Windows) or .meta.json is refused naming the file; UTF-8 with a BOM is fine', async () => {
    // team 蓝组 in GBK: C0 B6 D7 E9
    const csv = join(dir, 'gbk.csv');
    writeFileSync(csv, Buffer.concat([Buffer.from('file,agent_id,team\r\na.wav,A1,'), Buffer.from([0xc0, 0xb6, 0xd7, 0xe9]), Buffer.from('\r\n')]));
    await expect(loadManifest(csv)).rejects.toThrow(/gbk\.csv: manifest is not UTF-8 text \(first bad byte at offset 29\); save or convert it as UTF-8/);
    const rec = write('g.wav', '');
    writeFileSync(`${rec}.meta.json`, Buffer.concat([Buffer.from('{"team":"'), Buffer.from([0xc0, 0xb6, 0xd7, 0xe9]), Buffer.from('"}')]));
    await expect(loadCallMetadata(rec)).rejects.toThrow(/g\.wav\.meta\.json: call metadata is not UTF-8 text/);
    writeFileSync(`${rec}.meta.json`, '\ufeff{"team":"蓝组"}');
    expect(await loadCallMetadata(rec)).toEqual({ team: '蓝组' });
  });

  it('a UTF-16 manifest or .meta.json with its byte-order mark (PowerShell, Notepad "Unicode") is read as UTF-16, LE and BE', async () => {
    const utf16 = (text: string, be: boolean) => {
      const b = Buffer.from(`\ufeff${text}`, 'utf16le');
      return be ? b.swap16() : b;
    };
    for (const be of [false, true]) {
      const csv = join(dir, `u16${be ? 'be' : 'le'}.csv`);
      writeFileSync(csv, utf16('file,agent_id,team\r\nu16.wav,A1,蓝组\r\n', be));
      expect((await loadManifest(csv)).get(join(dir, 'u16.wav'))).toMatchObject({ agentId: 'A1', team: '蓝组' });
      const rec = write(`u16${be ? 'be' : 'le'}.wav`, '');
      writeFileSync(`${rec}.meta.json`, utf16('{"team":"蓝组"}', be));
      expect(await loadCallMetadata(rec)).toEqual({ team: '蓝组' });
    }
    // a mark and then an odd byte count is not UTF-16: refused naming the file
    const odd = join(dir, 'odd.csv');
    writeFileSync(odd, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('file\n', 'utf16le'), Buffer.from([0x41])]));
    await expect(loadManifest(odd)).rejects.toThrow(/odd\.csv: manifest starts with a UTF-16 byte-order mark but is not valid UTF-16 \(an odd number of bytes\)/);
  });

  it('UTF-16 without a byte-order mark (valid UTF-8 to a decoder: NUL every other byte) is refused saying so, never parsed or echoed', async () => {
    // LE and BE: the manifest's header came back as "no "file" column in the header (f\0i\0l\0e\0…)", NULs on the terminal
    for (const [enc, swap] of [['utf-16le', false], ['utf-16be', true]] as const) {
      const b = Buffer.from('file,agent_id,team\r\nu16.wav,A1,蓝组\r\n', 'utf16le');
      const csv = join(dir, `nobom-${enc}.csv`);
      writeFileSync(csv, swap ? b.swap16() : b);
      const err = await loadManifest(csv).then(() => null, (e: unknown) => e as Error);
      expect(err?.message).toMatch(new RegExp(`nobom-${enc}\\.csv: manifest holds NUL bytes: it looks like ${enc.toUpperCase()} saved without a byte-order mark; save or convert it as UTF-8, e\\.g\\. iconv -f ${enc} -t utf-8`));
      expect(err?.message).not.toContain('\0');
      const rec = write(`nobom-${enc}.wav`, '');
      const meta = Buffer.from('{"team":"蓝组"}', 'utf16le');
      writeFileSync(`${rec}.meta.json`, swap ? meta.swap16() : meta);
      await expect(loadCallMetadata(rec)).rejects.toThrow(/call metadata holds NUL bytes: it looks like UTF-16/);
    }
    // UTF-32 with its mark (FF FE 00 00) starts like UTF-16LE's: NULs after decoding, refused, not parsed
    const u32 = join(dir, 'u32.csv');
    writeFileSync(u32, Buffer.from([0xff, 0xfe, 0, 0, ...[...'file\n'].flatMap((c) => [c.charCodeAt(0), 0, 0, 0])]));
    await expect(loadManifest(u32)).rejects.toThrow(/u32\.csv: manifest holds NUL bytes/);
    // mostly Chinese text: few NULs (only its ASCII has them), still told apart from a stray NUL in one cell
    const zh = join(dir, 'nobom-zh.csv');
    writeFileSync(zh, Buffer.from(`file,team,agent_id\r\n${Array.from({ length: 40 }, (_, i) => `通话录音第${i}号.wav,华东区客户服务中心第二组,张伟\r\n`).join('')}`, 'utf16le'));
    await expect(loadManifest(zh)).rejects.toThrow(/nobom-zh\.csv: manifest holds NUL bytes: it looks like UTF-16LE/);
    // one stray NUL in a cell of a UTF-8 file is the cell's fault, named by line and field (test/control-chars.test.ts)
    const stray = join(dir, 'stray.csv');
    writeFileSync(stray, 'file,team\nstray.wav,blue\0team\n');
    await expect(loadManifest(stray)).rejects.toThrow(/stray\.csv: line 2: team: contains a control character \(U\+0000/);
  });
});

describe('a call start date', () => {
  it('is an ISO 8601 date-time on a real calendar day', async () => {
    const { isCallDateTime } = await import('../src/pipeline/metadata.js');
    for (const ok of ['2024-05-01T09:30:00+08:00', '2026-11-16 07:30:00', '2026-11-16', '2024-02-29T00:00:00Z', '2026-11-30T23:59:59Z'])
      expect(isCallDateTime(ok), ok).toBe(true);
    for (const bad of ['2026-02-30', '2025-02-29T10:00:00Z', '2026-11-31T10:00:00Z', '2026-13-01', '2026-00-10', '2026/11/16 07:30', '11/16/2026', 'yesterday'])
      expect(isCallDateTime(bad), bad).toBe(false);
  });
});
