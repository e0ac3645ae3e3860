import { lang } from './i18n';

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

/** The file's own name, without the folders it was analysed from (the full path stays in the title attribute). */
export function baseName(p: string): string {
  return p.split(/[\\/]/).pop() || p;
}
