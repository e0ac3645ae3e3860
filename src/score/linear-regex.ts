/**
 * Regular expressions in QA programs run on RE2 (re2js, a pure-JavaScript port of RE2): matching time is
 * linear in the text, whatever the pattern. A pipeline is data written by QA staff, and JavaScript's
 * backtracking RegExp takes exponential time on patterns such as `(a+)+b` (32 a's: a minute per
 * sentence); RE2 has no backtracking, so no pattern can stall a call. The price is RE2's syntax: no
 * lookahead/lookbehind and no backreferences; such patterns are refused when the pipeline loads.
 */
import { RE2JS } from 're2js';

export interface LinearRegex {
  /** the first match in `text`, or null */
  exec(text: string): string | null;
  test(text: string): boolean;
}

/** Flags as pipelines write them (JavaScript letters): i, m, s; u is implied (RE2 is Unicode). */
export function compileLinearRegex(source: string, flags = ''): LinearRegex {
  const key = `${flags}/${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const compiled = compile(source, flags);
  if (cache.size >= 512) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

/** A pipeline's patterns are compiled once per process, not once per call. */
const cache = new Map<string, LinearRegex>();

function compile(source: string, flags: string): LinearRegex {
  let f = 0;
  if (flags.includes('i')) f |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) f |= RE2JS.MULTILINE;
  if (flags.includes('s')) f |= RE2JS.DOTALL;
  // translateRegExp: JavaScript spellings RE2 writes differently (named groups `(?<n>`, `\u{...}`)
  const re = RE2JS.compile(RE2JS.translateRegExp(source), f);
  return {
    exec: (text) => (re.exec(text)?.[0] as string | undefined) ?? null,
    test: (text) => re.test(text),
  };
}

/** Why `source` cannot be used as a rule pattern, or null when it can. */
export function linearRegexProblem(source: string): string | null {
  try {
    compileLinearRegex(source);
    return null;
  } catch (err) {
    const msg = err instanceof Error ? err.message.replace(/^error parsing regexp: /, '') : String(err);
    return msg;
  }
}
