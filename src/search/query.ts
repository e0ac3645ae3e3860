/**
 * The search language, compiled to a PostgreSQL tsquery over the tokens of tokenize.ts. Pure.
 *
 *   退款                       a phrase (Chinese needs no quotes; Traditional or Simplified)
 *   cancel my account          a phrase (the words in this order, across punctuation and ASR spacing)
 *   退款 OR 退钱 | refund       any of several phrases
 *   投诉 AND 经理               both in one utterance
 *   refund NEAR/5 manager      both within 5 tokens (words or Chinese characters), either order; a NEAR/5 b NEAR/3 c
 *                              is a within 5 of (b within 3 of c)
 *   退款 NOT 经理               the first in an utterance without the second (binds like AND)
 *   "speak to" "a manager"     quotes group words; inside an AND/NEAR side they are one phrase
 *
 * Refused with a QueryError naming what is wrong (CLI exit 2, API 400): an unbalanced quote, an operator with no
 * phrase on a side or two in a row, NEAR without /n, parentheses beside an operator (no grouping; with no operator
 * they are punctuation: "(555) 123-4567"), a phrase with nothing searchable, a query whose tsquery would be longer
 * than MAX_TSQUERY_CHARS (NEAR/n repeats each side 2n times, so NEARs in a row multiply: measured before it is
 * built). & inside a name (AT&T) is not AND. The query is read in one pass (linear in its length).
 */
import { isHan, phraseRuns, quoteLexeme, searchNormalise, segmentRuns } from './tokenize.js';

export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}

export type QueryNode =
  | { kind: 'phrase'; text: string }
  | { kind: 'or'; items: QueryNode[] }
  | { kind: 'and'; items: QueryNode[] }
  | { kind: 'near'; left: QueryNode; right: QueryNode; within: number }
  | { kind: 'not'; item: QueryNode };

export const MAX_NEAR = 20;

/**
 * The most characters a compiled query (compileQuery) may have. tsquery has no "within n": NEAR/n repeats each of
 * its sides once per distance and order (2n times), so a chain of NEARs multiplies (four NEAR/20 in a row would be
 * about 48 million characters). Measured before the query is built (compiledLength) and refused beyond this.
 */
export const MAX_TSQUERY_CHARS = 100_000;

/** Parse a query string. OR binds loosest, then AND, then NEAR/n. One pass over the query: linear in its length. */
export function parseQuery(q: string): QueryNode {
  // & between letters or digits is part of a name (AT&T, R&D), as the index reads it, not AND
  const src = asciiOperatorForms(q).trim().replace(WORD_AMP, IN_WORD_AMP);
  if (!src) throw new QueryError('empty query');
  const words = checkSyntax(src);
  const ors: QueryNode[] = [];
  let ands: QueryNode[] = [];
  // the NEAR chain being read: its phrases (first and last word of each) and the distances between them
  let chain: Array<{ from: number; to: number }> = [];
  let nears: string[] = [];
  let negated = false;
  const endChain = () => {
    const node = nearChain(src, words, chain, nears);
    ands.push(negated ? { kind: 'not', item: node } : node);
    chain = [];
    nears = [];
    negated = false;
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.text;
    if (!OPERATOR.test(w)) {
      // a word of the phrase being read, or the first of a new one
      const last = chain[chain.length - 1];
      if (last && last.to === i - 1) last.to = i;
      else chain.push({ from: i, to: i });
      continue;
    }
    if (w.startsWith('NEAR/')) {
      nears.push(w.slice(5));
      continue;
    }
    // checkSyntax saw to a phrase on each side (NOT may follow AND: A AND NOT B)
    if (chain.length > 0) endChain();
    if (w === 'NOT') negated = true;
    else if (w === 'OR' || w === '|') {
      ors.push(ands.length === 1 ? ands[0]! : { kind: 'and', items: ands });
      ands = [];
    }
  }
  endChain();
  ors.push(ands.length === 1 ? ands[0]! : { kind: 'and', items: ands });
  const node = ors.length === 1 ? ors[0]! : ({ kind: 'or', items: ors } as QueryNode);
  checkSize(node);
  return node;
}

const OPERATOR = /^(?:OR|AND|NOT|\||&|NEAR\/\d+)$/;

/**
 * A Chinese input method types the query language's characters in their full-width forms (ＯＲ, ｜, ＆, ＮＥＡＲ／５,
 * ＂) and its quotes as “ ”: read as the ASCII ones, as the index reads full-width text (NFKC), so that 退款 ｜ 退钱
 * is an OR and “转 人工” a quoted phrase, not words that match nothing. One UTF-16 unit for one, so the offsets an
 * error names are the query's own. Full-width parentheses stay: （全额） is punctuation inside a Chinese phrase,
 * not a grouping the grammar would refuse.
 */
export function asciiOperatorForms(q: string): string {
  return q.replace(/[\uFF01-\uFF07\uFF0A-\uFF5E\u201C\u201D]/g, (c) => (c === '\u201C' || c === '\u201D' ? '"' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

/** An & with a Latin letter or digit on each side, no space: AT&T, R&D, P&G. */
const WORD_AMP = /(?<=(?!\p{Script=Han})[\p{L}\p{N}])&(?=(?!\p{Script=Han})[\p{L}\p{N}])/gu;
/** What such an & stands as while the query is parsed (a private-use character: a separator to segmentRuns, like & in the index). */
const IN_WORD_AMP = '\uE026';

/**
 * What the grammar cannot mean is refused, naming what is wrong, before it is parsed: otherwise a quote left open,
 * an operator doubled or with nothing on one side, NEAR without its distance, or a parenthesis would be read as
 * words of a phrase (or dropped) and the search would answer "no hits" (or something else) instead of an error.
 * Inside quotes everything is words. Returns the words (split at spaces, | and & outside quotes) with their offsets.
 */
function checkSyntax(src: string): Word[] {
  const words: Word[] = [];
  let start = -1;
  let open = -1;
  let paren = false;
  let at = 0;
  let n = 0;
  const flush = () => {
    if (start >= 0) words.push({ text: src.slice(start, at), start, end: at });
    start = -1;
  };
  for (const ch of src) {
    if (open >= 0) {
      if (ch === '"') open = -1;
    } else if (ch === '"') {
      open = n;
      if (start < 0) start = at;
    } else if (SPACE.test(ch)) flush();
    else if (ch === '|' || ch === '&') {
      flush();
      words.push({ text: ch, start: at, end: at + 1 });
    } else {
      if (ch === '(' || ch === ')') paren = true;
      if (start < 0) start = at;
    }
    at += ch.length;
    n++;
  }
  if (open >= 0) throw new QueryError(`unbalanced quote: the " at character ${open + 1} is never closed`);
  flush();
  // with no operator a parenthesis cannot be meant to group: it is punctuation of the phrase, like "(555) 123-4567"
  if (paren && (words.some((w) => OPERATOR.test(w.text)) || words.every((w) => /^[()]+$/.test(w.text)))) {
    throw new QueryError('parentheses do not group in a query (OR binds loosest, then AND, then NEAR/n); put a phrase with ( ) in quotes');
  }
  for (const { text: w } of words) {
    if (/^NEAR(?:\/.*)?$/.test(w) && !OPERATOR.test(w)) {
      throw new QueryError(`${w} needs its distance: NEAR/n with n 1-${MAX_NEAR} and a space on each side (refund NEAR/5 manager); put it in quotes to search for the word`);
    }
  }
  const op = (i: number) => OPERATOR.test(words[i]?.text ?? '');
  if (op(0)) throw new QueryError(`${words[0]!.text} needs a phrase on ${words.length === 1 ? 'each side' : 'its left'}`);
  for (let i = 1; i < words.length; i++) {
    const andNot = (words[i - 1]!.text === 'AND' || words[i - 1]!.text === '&') && words[i]!.text === 'NOT';
    if (op(i) && op(i - 1) && !andNot) throw new QueryError(`${words[i - 1]!.text} ${words[i]!.text}: two operators with no phrase between them`);
  }
  if (op(words.length - 1)) throw new QueryError(`${words.at(-1)!.text} needs a phrase on its right`);
  return words;
}

interface Word {
  text: string;
  /** offsets in the query, [start, end) */
  start: number;
  end: number;
}

const SPACE = /\s/;

/**
 * A run of phrases joined by NEAR/n (one phrase: no NEAR), as the right-nested near nodes it has always been
 * read as: a NEAR/5 b NEAR/3 c is a NEAR/5 (b NEAR/3 c). Each distance is checked before the phrase to its left.
 */
function nearChain(src: string, words: readonly Word[], spans: ReadonlyArray<{ from: number; to: number }>, nears: readonly string[]): QueryNode {
  const phrases: QueryNode[] = [];
  const within: number[] = [];
  for (const [k, span] of spans.entries()) {
    if (k < nears.length) {
      const n = Number(nears[k]);
      if (n < 1 || n > MAX_NEAR) throw new QueryError(`NEAR/${nears[k]}: the distance must be 1-${MAX_NEAR}`);
      within.push(n);
    }
    phrases.push(phrase(src.slice(words[span.from]!.start, words[span.to]!.end)));
  }
  // measured before the nodes are built (each NEAR/n multiplies the size by 2n, so a long chain is refused here,
  // and the tree the compiler walks is never deeper than a few NEARs)
  const sideLength = (p: QueryNode) => phraseTsquery((p as { text: string }).text, true).length;
  let size = sideLength(phrases[phrases.length - 1]!);
  for (let k = phrases.length - 2; k >= 0; k--) size = nearLength(sideLength(phrases[k]!), size, within[k]!);
  if (phrases.length > 1 && size > MAX_TSQUERY_CHARS) throw tooLarge(size, phrases.length > 2);
  let node = phrases[phrases.length - 1]!;
  for (let k = phrases.length - 2; k >= 0; k--) node = { kind: 'near', left: phrases[k]!, right: node, within: within[k]! };
  return node;
}

function phrase(s: string): QueryNode {
  const text = s.replace(/"/g, ' ').replaceAll(IN_WORD_AMP, '&').trim();
  if (!text) throw new QueryError('empty phrase in query');
  if (segmentRuns(searchNormalise(text)).length === 0) throw new QueryError(`"${text}" has no letters, digits or Chinese characters to search for`);
  return { kind: 'phrase', text };
}

/**
 * One phrase as a tsquery: tokens joined by their distance in the index. A chain of Chinese bigrams ends (for
 * PostgreSQL's phrase distance) at its last bigram, one character before the phrase's last character; as a side
 * of NEAR/n, `endAtLastChar` adds the last character (any token starting with it) so that the distance to the
 * other side counts from the phrase's end, as it does for an English word.
 */
export function phraseTsquery(text: string, endAtLastChar = false): string {
  const parts: string[] = [];
  let nextGap = 1;
  let lastChar: string | null = null;
  for (const run of phraseRuns(text)) {
    let piece: string;
    let after: number;
    if (run.kind === 'word') {
      piece = run.prefix ? `${quoteLexeme(run.text)}:*` : quoteLexeme(run.text);
      after = 1;
    } else {
      const chars = [...run.text];
      if (chars.length === 1) {
        // one character: any bigram starting with it, or the run-final character itself
        piece = `${quoteLexeme(chars[0]!)}:*`;
        after = 1;
      } else {
        const bigrams: string[] = [];
        for (let i = 0; i + 1 < chars.length; i++) bigrams.push(quoteLexeme(chars[i]! + chars[i + 1]!));
        piece = bigrams.length > 1 ? `(${bigrams.join(' <-> ')})` : bigrams[0]!;
        lastChar = chars[chars.length - 1]!;
        // the index holds the run's last character after its bigrams: the next token is 2 positions on
        after = 2;
      }
    }
    if (parts.length) parts.push(nextGap === 1 ? '<->' : `<${nextGap}>`);
    parts.push(piece);
    nextGap = after;
    if (after === 1) lastChar = null;
  }
  if (endAtLastChar && lastChar !== null) parts.push('<->', `${quoteLexeme(lastChar)}:*`);
  return parts.length > 1 ? `(${parts.join(' ')})` : parts[0]!;
}

/** The whole query as a tsquery literal (cast with ::tsquery); a query parseQuery refuses as too large is refused here too. */
export function compileQuery(node: QueryNode): string {
  checkSize(node);
  return compile(node);
}

function compile(node: QueryNode): string {
  switch (node.kind) {
    case 'phrase':
      return phraseTsquery(node.text);
    case 'or':
      return `(${node.items.map(compile).join(' | ')})`;
    case 'and':
      return `(${node.items.map(compile).join(' & ')})`;
    case 'not':
      return `!${compile(node.item)}`;
    case 'near': {
      // tsquery has no "within n": any distance 1..n, either order (phrase sides are followed-by chains)
      const a = nearSide(node.left);
      const b = nearSide(node.right);
      const alts: string[] = [];
      for (let d = 1; d <= node.within; d++) alts.push(`(${a} <${d}> ${b})`, `(${b} <${d}> ${a})`);
      return `(${alts.join(' | ')})`;
    }
  }
}

/** A side of NEAR/n: a phrase ending at its last character (see phraseTsquery), or a NEAR/n of such phrases. */
function nearSide(node: QueryNode): string {
  return node.kind === 'phrase' ? phraseTsquery(node.text, true) : compile(node);
}

/**
 * The length compileQuery's answer would have, counted without building it (only each phrase is compiled): a
 * chain of NEARs multiplies its size by 2n per NEAR/n, so it is measured first and refused when too large.
 */
export function compiledLength(node: QueryNode): number {
  switch (node.kind) {
    case 'phrase':
      return phraseTsquery(node.text).length;
    case 'or':
    case 'and':
      // (x | y | z)
      return 2 + node.items.reduce((sum, x) => sum + compiledLength(x), 0) + 3 * (node.items.length - 1);
    case 'not':
      return 1 + compiledLength(node.item);
    case 'near':
      return nearLength(
        node.left.kind === 'phrase' ? phraseTsquery(node.left.text, true).length : compiledLength(node.left),
        node.right.kind === 'phrase' ? phraseTsquery(node.right.text, true).length : compiledLength(node.right),
        node.within,
      );
  }
}

/** The length of NEAR/n compiled from sides of these lengths: 2n alternatives "(a <d> b)", joined by " | ", in parentheses. */
function nearLength(a: number, b: number, within: number): number {
  let alts = 0;
  for (let d = 1; d <= within; d++) alts += 2 * (a + b + 6 + String(d).length);
  return 2 + alts + 3 * (2 * within - 1);
}

function checkSize(node: QueryNode): void {
  const size = compiledLength(node);
  if (size > MAX_TSQUERY_CHARS) throw tooLarge(size, hasNearChain(node));
}

function tooLarge(size: number, chained: boolean): QueryError {
  const about = Number.isFinite(size) ? `about ${size.toLocaleString('en-US', { maximumSignificantDigits: 2 })}` : 'more than any';
  const limit = MAX_TSQUERY_CHARS.toLocaleString('en-US');
  return new QueryError(
    chained
      ? `too many NEARs in a row: the query would compile to ${about} characters of full-text query (at most ${limit}), as each NEAR/n repeats the NEARs after it 2n times; use fewer NEARs or smaller distances, or join pairs with AND (a NEAR/5 b AND b NEAR/5 c)`
      : `query too large: it would compile to ${about} characters of full-text query (at most ${limit}); search for shorter phrases, or fewer at once`,
  );
}

/** Whether a NEAR/n has another NEAR/n as a side (a NEAR/5 b NEAR/5 c). */
function hasNearChain(node: QueryNode): boolean {
  switch (node.kind) {
    case 'phrase':
      return false;
    case 'or':
    case 'and':
      return node.items.some(hasNearChain);
    case 'not':
      return hasNearChain(node.item);
    case 'near':
      return node.left.kind === 'near' || node.right.kind === 'near' || hasNearChain(node.left) || hasNearChain(node.right);
  }
}

/** The phrases of a query, for highlighting hits. */
export function queryPhrases(node: QueryNode): string[] {
  switch (node.kind) {
    case 'phrase':
      return [node.text];
    case 'or':
    case 'and':
      return node.items.flatMap(queryPhrases);
    case 'near':
      return [...queryPhrases(node.left), ...queryPhrases(node.right)];
    case 'not':
      return [];
  }
}

export { isHan };

/**
 * Operators are upper case (`or` is an English word, searched as one): for a search that found nothing, the
 * lower-case operator words outside quotes it holds, as a hint to say beside "no hits"; null when there are none.
 * (`not` is left out: "do not want" is what people search for.)
 */
export function lowercaseOperatorHint(q: string): string | null {
  const outside = asciiOperatorForms(q).replace(/"[^"]*"/g, ' ');
  const found = new Set<string>();
  for (const m of outside.matchAll(/(?<![\p{L}\p{N}])(or|and|near\/\d+)(?![\p{L}\p{N}])/giu)) {
    const w = m[1]!;
    if (w !== w.toUpperCase()) found.add(w);
  }
  if (found.size === 0) return null;
  const words = [...found].map((w) => `"${w}"`).join(', ');
  return `${words} ${found.size === 1 ? 'was' : 'were'} searched as ${found.size === 1 ? 'a word' : 'words'}: operators are upper case (${[...found].map((w) => w.toUpperCase()).join(', ')})`;
}
