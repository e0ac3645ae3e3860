/**
 * `callqa analyze` with and without `--redact` on a real sample call whose transcript holds a spoken mobile
 * number, a bank card and an e-mail: what reaches the report and the embedded database's files on disk.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'src', 'cli', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'callqa-pii-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: work, env: { ...process.env, DATABASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Every file under dir whose bytes contain the needle (UTF-8). */
function filesContaining(dir: string, needle: string): string[] {
  const hit: string[] = [];
  const bytes = Buffer.from(needle, 'utf8');
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (readFileSync(p).includes(bytes)) hit.push(p);
    }
  };
  walk(dir);
  return hit;
}

const MOBILE = '一三八，一二三四，五六七八'; // already in the sample transcript (customer, segment 3)
const CARD = '6222 0210 0012 3456 781';
const EMAIL = 'wang.fang@163.com';

interface Report {
  calls: Array<{ status: string; pipeline: { version: string }; events: Array<{ type: string; category?: string; maskedInStore?: boolean }>; transcript: { segments: Array<{ text: string }> }; scorecard: { total: number; sections: Array<{ items: Array<{ id: string; status: string; points: number | null }> }> } }>;
}
let plain: Report;
let redacted: Report;

beforeAll(async () => {
  copyFileSync(join(ROOT, 'samples', 'zh-billing-good.ogg'), join(work, 'call.ogg'));
  const t = JSON.parse(readFileSync(join(ROOT, 'samples', 'zh-billing-good.transcript.json'), 'utf8'));
  expect(JSON.stringify(t)).toContain(MOBILE);
  t.segments[1].text = `你好，我的卡号是${CARD}，邮箱${EMAIL}，我想问一下我这个月的账单。`;
  writeFileSync(join(work, 'call.transcript.json'), JSON.stringify(t));
  const a = await cli(['analyze', '-q', '--no-table', '--pipeline', 'inbound-service-zh', '--data', join(work, 'plain'), '--json', join(work, 'plain.json'), join(work, 'call.ogg')]);
  expect(a.code, a.stderr).toBe(0);
  const b = await cli(['analyze', '-q', '--no-table', '--pipeline', 'inbound-service-zh', '--redact', '--data', join(work, 'redacted'), '--json', join(work, 'redacted.json'), join(work, 'call.ogg')]);
  expect(b.code, b.stderr).toBe(0);
  plain = JSON.parse(readFileSync(join(work, 'plain.json'), 'utf8'));
  redacted = JSON.parse(readFileSync(join(work, 'redacted.json'), 'utf8'));
}, 180_000);

describe('personal data through callqa analyze', () => {
  it('finds the mobile, the card and the e-mail as pii events, in both runs', () => {
    for (const r of [plain, redacted]) {
      const cats = r.calls[0]!.events.filter((e) => e.type === 'pii').map((e) => e.category).sort();
      expect(cats).toEqual(['bank_card', 'email', 'mobile']);
    }
  });
  it('without --redact: the card is still never stored (PCI DSS); the rest is kept for permitted roles', () => {
    const text = JSON.stringify(plain.calls[0]!.transcript);
    expect(text).toContain('[银行卡号]');
    expect(text).not.toContain(CARD);
    expect(text).toContain(MOBILE);
    expect(filesContaining(join(work, 'plain'), CARD.slice(0, 9))).toEqual([]);
    // the check below is meaningful: the raw mobile number is found in the database files when it is stored
    expect(filesContaining(join(work, 'plain'), MOBILE).length).toBeGreaterThan(0);
  });
  it('with --redact: neither the report nor any database file holds the number, card or e-mail', () => {
    const report = readFileSync(join(work, 'redacted.json'), 'utf8');
    for (const secret of [MOBILE, CARD, EMAIL, '五六七八', '6222']) {
      expect(report).not.toContain(secret);
      expect(filesContaining(join(work, 'redacted'), secret), secret).toEqual([]);
    }
    expect(report).toContain('[手机号]');
    expect(report).toContain('[邮箱]');
    expect(redacted.calls[0]!.pipeline.version).toMatch(/\+redact$/);
  });
  it('scoring is unchanged by redaction', () => {
    expect(redacted.calls[0]!.scorecard.total).toBe(plain.calls[0]!.scorecard.total);
    // evidence quotes may differ (masked), the judgement may not
    const judged = (r: Report) => r.calls[0]!.scorecard.sections.flatMap((s) => s.items).map((i) => [i.id, i.status, i.points]);
    expect(judged(redacted)).toEqual(judged(plain));
    expect(judged(plain).length).toBeGreaterThan(10);
    // self-identification still sees the staff number (1234号) in the redacted transcript
    expect(JSON.stringify(redacted.calls[0]!.transcript)).toContain('1234号');
    expect(redacted.calls[0]!.events.some((e) => e.type === 'self_identification')).toBe(true);
  });
});
