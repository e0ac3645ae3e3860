import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { z } from 'zod';
import { describeUnsafe, findUnsafeChars } from '../core/control-chars.js';
import { InputError } from '../core/errors.js';
import { jsonSyntaxError } from '../core/json-error.js';
import { toSimplifiedChinese } from '../core/normalise.js';
import { decodeUtf8 } from '../core/text-file.js';
import type { CallMetadata } from '../core/types.js';
import { speakerOf } from '../transcribe/sidecar-common.js';

/**
 * Call metadata for scoring and triage, from (lowest to highest precedence) a batch CSV manifest, a sidecar
 * `<recording>.meta.json` (or `<recording minus extension>.meta.json`), and command-line flags.
 * Validated where it enters; errors name the file, the line (CSV) and the field. Customer numbers are
 * masked on the way in (all but the last 4 digits) and the raw number is never kept.
 *
 * CSV columns: file,agent_id,team,direction,started_at,queue,customer_number,customer_id,ring_sec,answered_at_sec,hung_up_by,
 * transfers,agent_speaker (any order, header required, unknown columns kept as extra string fields, empty cells = absent).
 * `agent_speaker` (`agentSpeaker`) is which diarisation label of the call's transcript sidecar is the agent
 * (spk_0, Speaker 1, A: src/transcribe/sidecar-common.ts speakerLabels).
 */

/** snake_case (CSV, some telephony exports) -> the CallMetadata field */
const FIELD_ALIASES: Record<string, string> = {
  call_id: 'callId',
  agent_id: 'agentId',
  started_at: 'startedAt',
  customer_number: 'customerNumber',
  customer_number_masked: 'customerNumberMasked',
  customer_id: 'customerId',
  ring_sec: 'ringSec',
  answered_at_sec: 'answeredAtSec',
  hung_up_by: 'hungUpBy',
  agent_speaker: 'agentSpeaker',
};

const DIRECTION: Record<string, 'inbound' | 'outbound'> = {
  inbound: 'inbound',
  in: 'inbound',
  呼入: 'inbound',
  outbound: 'outbound',
  out: 'outbound',
  呼出: 'outbound',
  外呼: 'outbound',
};
const HUNG_UP_BY: Record<string, 'agent' | 'customer'> = {
  agent: 'agent',
  坐席: 'agent',
  座席: 'agent',
  客服: 'agent',
  customer: 'customer',
  caller: 'customer',
  callee: 'customer',
  客户: 'customer',
  用户: 'customer',
};

const str = z.string().trim().min(1);
const num = z.union([z.number(), z.string().trim().min(1)]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n < 0) {
    ctx.addIssue({ code: 'custom', message: `expected a number >= 0, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return n;
});
/**
 * table[key] for the table's own keys only: `direction=constructor` or a CSV column named `toString` must not
 * find Object.prototype's functions (a direction that was a function; a field named "function Object() …").
 */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Sets a field even when it is called `__proto__` (plain assignment would set the prototype, losing it). */
function setField(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** A value from a fixed vocabulary: case-insensitive, Traditional Chinese read as Simplified (客戶 as 客户). */
const mapped = <T extends string>(table: Record<string, T>, what: string) =>
  z.string().transform((v, ctx) => {
    const key = toSimplifiedChinese(v.normalize('NFKC').trim().toLowerCase());
    const r = own(table, key);
    if (!r) {
      ctx.addIssue({ code: 'custom', message: `expected ${what}, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return r;
  });

/**
 * A call's start as search, trends and the QA figures read it: an ISO 8601 date-time whose first ten characters
 * are a real calendar date (they are the call's date in SQL). JavaScript's Date.parse alone lets through
 * 2026-02-30 and 2026-11-31 (rolled over into the next month), which PostgreSQL then refuses to cast, failing
 * every search and trend over the whole database; and 11/16/2026 or 2026/11/16, whose date SQL cannot read,
 * so the call would be dated the day it was analysed.
 */
export function isCallDateTime(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(s);
  if (!m || Number.isNaN(Date.parse(s))) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

const AGENT_SPEAKER_EXPECTED =
  'expected the diarisation label of the agent in the call\'s transcript (agent_speaker), such as spk_0, Speaker 1 or A: 1 to 40 characters';

/**
 * Which diarisation label is the agent: a short label, not a role name (a file that says "Agent" needs none), so
 * that a typo is refused here, naming the file, line and field, rather than by every call's transcript.
 */
const agentSpeaker = z
  .union([z.string(), z.number().int().min(0).transform(String)], { error: AGENT_SPEAKER_EXPECTED })
  .transform((v) => v.normalize('NFKC').trim())
  .refine((v) => v.length >= 1 && v.length <= 40, AGENT_SPEAKER_EXPECTED)
  .refine((v) => speakerOf(v) === undefined, 'expected a diarisation label such as spk_0 or Speaker 1, not a role name: a transcript that names the roles needs no agent_speaker');

export const CallMetadataInputSchema = z
  .object({
    callId: str.optional(),
    agentId: z.union([str, z.number().transform(String)]).optional(),
    team: str.optional(),
    direction: mapped(DIRECTION, 'inbound or outbound').optional(),
    startedAt: str.refine(isCallDateTime, 'expected a date-time such as 2024-05-01T09:30:00+08:00').optional(),
    queue: str.optional(),
    /** raw number: masked before it is kept */
    customerNumber: z.union([str, z.number().transform(String)]).optional(),
    customerNumberMasked: str.optional(),
    /** the customer's id in the call platform or CRM: what repeat contacts are matched on when present */
    customerId: z.union([str, z.number().transform(String)]).optional(),
    ringSec: num.optional(),
    /** when the call was answered, seconds from the start of the recording (ringing, IVR or queue before it) */
    answeredAtSec: num.optional(),
    hungUpBy: mapped(HUNG_UP_BY, 'agent or customer').optional(),
    transfers: num
      .refine((n) => Number.isInteger(n), 'expected a whole number')
      .optional(),
    agentSpeaker: agentSpeaker.optional(),
  })
  .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()]));

/** Keep only the last 4 digits: "+86 138-0013-5678" -> "*******5678". Short numbers are masked whole. */
export function maskNumber(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  if (digits.length <= 4) return '*'.repeat(Math.max(4, digits.length));
  return '*'.repeat(digits.length - 4) + digits.slice(-4);
}

function normaliseKeys(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === '' || v === null || v === undefined) continue;
    setField(out, own(FIELD_ALIASES, k) ?? k, v);
  }
  return out;
}

/** Validate one record; `where` is "file" or "file: line 3" for messages. */
export function parseCallMetadata(raw: unknown, where: string, file = where): CallMetadata {
  const at = where === file ? '' : `${where.slice(file.length + 2)}: `;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(file, `${at}call metadata must be a JSON object`);
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const badKey = findUnsafeChars(k);
    if (badKey) throw new InputError(file, `${at}a field name ${describeUnsafe(badKey)}`);
    const badValue = typeof v === 'string' ? findUnsafeChars(v) : null;
    if (badValue) throw new InputError(file, `${at}${k}: ${describeUnsafe(badValue)}`);
  }
  const r = CallMetadataInputSchema.safeParse(normaliseKeys(raw as Record<string, unknown>));
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new InputError(file, `${at}invalid call metadata: ${issues}`);
  }
  const { customerNumber, ...rest } = r.data;
  const md: CallMetadata = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined && v !== null) setField(md, k, v);
  if (customerNumber !== undefined) md.customerNumberMasked = maskNumber(customerNumber);
  // a "masked" value that still shows more than 4 digits is masked again
  else if (typeof md.customerNumberMasked === 'string' && md.customerNumberMasked.replace(/\D/g, '').length > 4)
    md.customerNumberMasked = maskNumber(md.customerNumberMasked);
  return md;
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, BOM. Returns rows with their 1-based line numbers. */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let rowLine = 1;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.some((c) => c.trim() !== '')) rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += ch;
  }
  cells.push(cell);
  if (cells.some((c) => c.trim() !== '')) rows.push({ line: rowLine, cells });
  return rows;
}

/**
 * A batch manifest. Keys: the absolute path of each `file` (resolved against the manifest's folder) and,
 * for lookups by name, the file's base name when no other row has the same base name.
 */
export async function loadManifest(csvPath: string): Promise<Map<string, CallMetadata>> {
  let text: string;
  try {
    text = decodeUtf8(await readFile(csvPath), csvPath, 'manifest');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(csvPath, `cannot read manifest: ${(err as Error).message}`);
  }
  const rows = parseCsv(text);
  if (rows.length === 0) throw new InputError(csvPath, 'manifest is empty (expected a header row with a "file" column)');
  const header = rows[0]!.cells.map((h) => h.trim().toLowerCase());
  const fileCol = header.indexOf('file');
  if (fileCol < 0) throw new InputError(csvPath, `line 1: no "file" column in the header (${header.join(',')})`);
  const dup = header.find((h, i) => h && header.indexOf(h) !== i);
  if (dup) throw new InputError(csvPath, `line 1: column "${dup}" appears twice`);
  const out = new Map<string, CallMetadata>();
  const baseCount = new Map<string, number>();
  const entries: [string, string, CallMetadata][] = [];
  for (const { line, cells } of rows.slice(1)) {
    if (cells.length > header.length) throw new InputError(csvPath, `line ${line}: ${cells.length} cells but the header has ${header.length} columns`);
    const file = (cells[fileCol] ?? '').trim();
    if (!file) throw new InputError(csvPath, `line ${line}: file: empty`);
    const badFile = findUnsafeChars(file);
    if (badFile) throw new InputError(csvPath, `line ${line}: file: ${describeUnsafe(badFile)}`);
    const raw: Record<string, unknown> = {};
    header.forEach((h, i) => {
      if (i !== fileCol && h) setField(raw, h, (cells[i] ?? '').trim());
    });
    const md = parseCallMetadata(raw, `${csvPath}: line ${line}`, csvPath);
    const abs = resolve(dirname(csvPath), file);
    if (out.has(abs)) throw new InputError(csvPath, `line ${line}: file: ${file} is listed twice`);
    out.set(abs, md);
    entries.push([abs, basename(file), md]);
    baseCount.set(basename(file), (baseCount.get(basename(file)) ?? 0) + 1);
  }
  for (const [, base, md] of entries) if (baseCount.get(base) === 1 && !out.has(base)) out.set(base, md);
  return out;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** The sidecar beside a recording: `call.wav.meta.json`, else `call.meta.json`. */
export async function findSidecar(recordingPath: string): Promise<string | null> {
  const a = `${recordingPath}.meta.json`;
  if (await isFile(a)) return a;
  const stem = recordingPath.replace(/\.[^./\\]+$/, '');
  const b = `${stem}.meta.json`;
  if (stem !== recordingPath && (await isFile(b))) return b;
  return null;
}

/**
 * Metadata of one recording: manifest row < sidecar < overrides (flags). Every source is validated;
 * an invalid one throws InputError naming its file (or "(flags)") and field.
 */
export async function loadCallMetadata(
  recordingPath: string,
  opts: { manifest?: Map<string, CallMetadata>; overrides?: Partial<CallMetadata> } = {},
): Promise<CallMetadata> {
  const fromManifest = opts.manifest?.get(resolve(recordingPath)) ?? opts.manifest?.get(basename(recordingPath)) ?? {};
  let fromSidecar: CallMetadata = {};
  const sidecar = await findSidecar(recordingPath);
  if (sidecar) {
    let text: string;
    try {
      text = decodeUtf8(await readFile(sidecar), sidecar, 'call metadata');
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(sidecar, `cannot read call metadata (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    // Windows Notepad and Excel start UTF-8 with a byte-order mark
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      // V8's message quotes the text around the fault: a customer's number never goes into an error
      throw new InputError(sidecar, `not valid JSON: ${jsonSyntaxError(text)}`);
    }
    fromSidecar = parseCallMetadata(data, sidecar);
  }
  const fromFlags = opts.overrides && Object.keys(opts.overrides).length ? parseCallMetadata(opts.overrides, '(flags)') : {};
  const merged: CallMetadata = { ...fromManifest, ...fromSidecar, ...fromFlags };
  return merged;
}
