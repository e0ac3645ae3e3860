import { lang, t, tMaybe } from './i18n';

/** 75.4 -> "1:15"; 3725 -> "1:02:05" */
export function clock(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** With tenths, for evidence and events: "1:15.4" */
export function clockTenths(sec: number): string {
  const tenths = Math.floor((sec % 1) * 10);
  return `${clock(sec)}.${tenths}`;
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang.value === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

export function num(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return Number.isInteger(n) ? String(n) : n.toFixed(digits);
}

/**
 * QA programs write bilingual titles as "English / 中文". Show the half in the UI's language, the whole
 * when there is no such split.
 */
export function localTitle(title: string): string {
  const parts = title.split(' / ');
  if (parts.length !== 2) return title;
  const cjk = /[\u3400-\u9fff]/;
  const [a, b] = parts;
  const zh = cjk.test(b) && !cjk.test(a) ? b : cjk.test(a) && !cjk.test(b) ? a : null;
  if (!zh) return title;
  const enPart = zh === a ? b : a;
  return lang.value === 'zh' ? zh : enPart;
}

/** The file's own name, without the folders it was analysed from (the API sends those to admins only; they get the full path in the title attribute). */
export function baseName(p: string): string {
  return p.split(/[\\/]/).pop() || p;
}

/** A machine reason's lead-in (src/score/scorecard.ts), in the UI's language: [pattern, zh, en]. */
const REASON_LEADS: Array<[RegExp, (m: RegExpExecArray) => string, (m: RegExpExecArray) => string]> = [
  [/^penalty -([\d.]+): /, (m) => `罚 ${m[1]} 分：`, (m) => `Penalty −${m[1]}: `],
  [/^-([\d.]+): /, (m) => `扣 ${m[1]} 分：`, (m) => `−${m[1]}: `],
  [/^bonus \+([\d.]+): /, (m) => `加 ${m[1]} 分：`, (m) => `Bonus +${m[1]}: `],
  [/^no bonus: /, () => '未加分：', () => 'No bonus: '],
  [/^fatal: /, () => '致命项：', () => 'Fatal: '],
  [/^not met: /, () => '未达到：', () => 'Not met: '],
  [/^met: /, () => '达到：', () => 'Met: '],
  // the rule's fault condition did not hold: "No fault: No greeting" read as if no greeting had been found
  [/^no fault: /, () => '未发现问题，未检出：', () => 'No fault, not found: '],
  [/^cannot judge automatically: /, () => '无法自动判定：', () => 'Cannot judge automatically: '],
  [/^not applicable: /, () => '不适用：', () => 'Not applicable: '],
  [/^possible fatal item, inspector to confirm: /, () => '可能的致命项，待质检员确认：', () => 'Possible fatal item, to confirm: '],
  [/^manual item: judged by the inspector$/, () => '人工项：由质检员判定', () => 'Manual item: judged by the inspector'],
  [/^fatal item: the inspector must confirm it did not happen$/, () => '致命项：须由质检员确认未发生', () => 'Fatal item: the inspector must confirm it did not happen'],
];

/**
 * What the scorer says when it cannot judge (src/score/rules.ts `availability`, src/score/scorecard.ts), after the
 * lead-in: [pattern, zh, en]; event types are named as the UI names them.
 */
const REASON_PHRASES: Array<[RegExp, (m: RegExpExecArray) => string, (m: RegExpExecArray) => string]> = [
  [/no transcript, so no ([a-z_]+) events/g, (m) => `没有转写文本，无法检测${evName(m[1]!)}`, (m) => `no transcript, so “${evName(m[1]!)}” cannot be detected`],
  [/no audio analysis, so no ([a-z_]+) events/g, (m) => `没有音频分析，无法检测${evName(m[1]!)}`, (m) => `no audio analysis, so “${evName(m[1]!)}” cannot be detected`],
  [/talk-over not measurable \(mono recording\)/g, () => '单声道录音，无法测量抢话', () => 'talk-over not measurable (mono recording)'],
  [/the situation did not arise \(/g, () => '未出现该情形（', () => 'the situation did not arise ('],
  // a relative condition anchored on any hold ("no thanks within 20 s after the hold")
  [
    /\bhold >= 0 s without (.+?) (after|before) it \(within ([\d.]+) s\)/g,
    (m) => `保持${m[2] === 'after' ? '后' : '前'} ${m[3]} 秒内无${m[1]}`,
    (m) => `no ${m[1]} within ${m[3]} s ${m[2]} the hold`,
  ],
  [/ OR /g, () => ' 或 ', () => ' OR '],
  [/ AND /g, () => ' 且 ', () => ' AND '],
];

/**
 * An event condition's `details:` (src/score/rules.ts describeCondition: "hold_etiquette event with askedBefore =
 * false"): the fields a program is documented to read (docs/pipelines.md) as words, [zh, en] by field and value;
 * any other field is shown as the program wrote it.
 */
const DETAIL_WORDS: Record<string, Record<string, [string, string]>> = {
  askedBefore: { false: ['保持前未请客户稍等', 'did not ask the customer before the hold'], true: ['保持前已请客户稍等', 'asked the customer before the hold'] },
  thankedAfter: { false: ['保持后未致谢', 'did not thank the customer after the hold'], true: ['保持后已致谢', 'thanked the customer after the hold'] },
  ok: { false: ['等待用语不完整', 'incomplete'], true: ['等待用语完整', 'complete'] },
};

/** " with askedBefore = false, thankedAfter = true" -> "（保持前未请客户稍等，保持后已致谢）" / " (did not ask …, thanked …)" */
function localDetails(list: string, zh: boolean): string {
  const parts = list.split(', ').map((kv) => {
    const [k = '', v = ''] = kv.split(' = ');
    const w = Object.hasOwn(DETAIL_WORDS, k) && Object.hasOwn(DETAIL_WORDS[k]!, v) ? DETAIL_WORDS[k]![v]! : null;
    return w ? (zh ? w[0] : w[1]) : `${k} = ${v}`;
  });
  return zh ? `（${parts.join('，')}）` : ` (${parts.join(', ')})`;
}

function evName(type: string): string {
  return tMaybe(`ev_${type}`, type);
}

/**
 * The machine's reason for an item, for a person: its lead-in in the UI's language and the event types it names
 * as the UI names them elsewhere ("-10: missing_greeting|late_greeting event" -> "扣 10 分：缺少开头语 / 开头语过晚").
 * What the rule language says beyond that (keywords, patterns, thresholds) is kept as the program wrote it.
 */
export function localReason(reason: string): string {
  const zh = lang.value === 'zh';
  let lead = '';
  let rest = reason;
  for (const [re, zhLead, enLead] of REASON_LEADS) {
    const m = re.exec(rest);
    if (m) {
      lead = zh ? zhLead(m) : enLead(m);
      rest = rest.slice(m[0].length);
      break;
    }
  }
  const role = (r: string | undefined) => (!r ? '' : zh ? (r === 'agent ' ? '坐席' : '客户') : r === 'agent ' ? 'Agent: ' : 'Customer: ');
  rest = rest.replace(/\b(agent |customer )?([a-z][a-z_]*(?:\|[a-z][a-z_]*)*) event\b/g, (whole, r: string | undefined, types: string) => {
    const names = types.split('|').map((ty) => tMaybe(`ev_${ty}`, ''));
    if (names.some((n) => !n)) return whole;
    return `${role(r)}${names.join(' / ')}`;
  });
  rest = rest.replace(/ with ([A-Za-z]\w* = [^,\s()]+(?:, [A-Za-z]\w* = [^,\s()]+)*)/g, (_whole, list: string) => localDetails(list, zh));
  for (const [re, zhText, enText] of REASON_PHRASES) {
    rest = rest.replace(re, (...args) => {
      const m = args.slice(0, -2) as unknown as RegExpExecArray;
      return zh ? zhText(m) : enText(m);
    });
  }
  if (zh) rest = rest.replace(/ \((\d+) times\)$/, '（$1 次）').replace(/ did not hold$/, ' 未出现').replace(/; /g, '；');
  return lead + rest;
}

/**
 * An evidence line that quotes no words (a hold, dead air, a talk-over): what it is in the UI's language and how
 * long it lasted ("保持，68.3 秒"), instead of the event's id.
 */
export function evidenceLabel(e: { type?: string; start: number; end?: number }): string {
  const what = e.type ? tMaybe(`ev_${e.type}`, e.type.replaceAll('_', ' ')) : '';
  const sec = e.end !== undefined && e.end > e.start ? Math.round((e.end - e.start) * 10) / 10 : 0;
  return sec > 0 && what ? t('evidenceFor', { what, sec }) : what;
}
