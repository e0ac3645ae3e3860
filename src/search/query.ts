/**
 * The search language, compiled to a PostgreSQL tsquery over the tokens of tokenize.ts. Pure.
 *
 *   退款                       a phrase (Chinese needs no quotes; Traditional or Simplified)
 *   cancel my account          a phrase (the words in this order, across punctuation and ASR spacing)
 *   退款 OR 退钱 | refund       any of several phrases
 *   投诉 AND 经理               both in one utterance
 *   refund NEAR/5 manager      both within 5 tokens (words or Chinese characters), either order
 *   退款 NOT 经理               the first in an utterance without the second (binds like AND)
 *   "speak to" "a manager"     quotes group words; inside an AND/NEAR side they are one phrase
 *
 * Refused with a QueryError naming what is wrong (CLI exit 2, API 400): an unbalanced quote, an operator with no
 * phrase on a side or two in a row, NEAR without /n, parentheses beside an operator (no grouping; with no operator
 * they are punctuation: "(555) 123-4567"), a phrase with nothing searchable. & inside a name (AT&T) is not AND.
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

/** Parse a query string. OR binds loosest, then AND, then NEAR/n. */
export function parseQuery(q: string): QueryNode {
  // & between letters or digits is part of a name (AT&T, R&D), as the index reads it, not AND
  const src = q.trim().replace(WORD_AMP, IN_WORD_AMP);
  if (!src) throw new QueryError('empty query');
  checkSyntax(src);
  const ors = splitTop(src, /\s+OR\s+|\s*\|\s*/);
  const items = ors.map((part) => {
    const ands = splitTop(part, /\s+AND\s+|\s*&\s*/);
    const andItems = ands.flatMap((a) => {
      // A NOT B: A in an utterance that does not hold B (checkSyntax saw to a phrase on each side)
      const [first, ...without] = splitTop(a, /\s+NOT\s+/);
      // A AND NOT B: this side is "NOT B"
      const negated = /^NOT\s+/.test(first!);
      const head = parseNear(negated ? first!.replace(/^NOT\s+/, '') : first!);
      return [negated ? ({ kind: 'not', item: head } as QueryNode) : head, ...without.map((w): QueryNode => ({ kind: 'not', item: parseNear(w) }))];
    });
    return andItems.length === 1 ? andItems[0]! : ({ kind: 'and', items: andItems } as QueryNode);
  });
  return items.length === 1 ? items[0]! : { kind: 'or', items };
}

const OPERATOR = /^(?:OR|AND|NOT|\||&|NEAR\/\d+)$/;

/** An & with a Latin letter or digit on each side, no space: AT&T, R&D, P&G. */
const WORD_AMP = /(?<=(?!\p{Script=Han})[\p{L}\p{N}])&(?=(?!\p{Script=Han})[\p{L}\p{N}])/gu;
/** What such an & stands as while the query is parsed (a private-use character: a separator to segmentRuns, like & in the index). */
const IN_WORD_AMP = '\uE026';

/**
 * What the grammar cannot mean is refused, naming what is wrong, before it is parsed: otherwise a quote left open,
 * an operator doubled or with nothing on one side, NEAR without its distance, or a parenthesis would be read as
 * words of a phrase (or dropped) and the search would answer "no hits" (or something else) instead of an error.
 * Inside quotes everything is words.
 */
function checkSyntax(src: string): void {
  const chars = Array.from(src);
  const words: string[] = [];
  let word = '';
  let open = -1;
  let paren = false;
  const flush = () => {
    if (word) words.push(word);
    word = '';
  };
  for (const [i, ch] of chars.entries()) {
    if (open >= 0) {
      if (ch === '"') open = -1;
      word += ch;
    } else if (ch === '"') {
      open = i;
      word += ch;
    } else if (/\s/.test(ch)) flush();
    else if (ch === '|' || ch === '&') {
      flush();
      words.push(ch);
    } else if (ch === '(' || ch === ')') {
      paren = true;
      word += ch;
    } else word += ch;
  }
  if (open >= 0) throw new QueryError(`unbalanced quote: the " at character ${open + 1} is never closed`);
  flush();
  // with no operator a parenthesis cannot be meant to group: it is punctuation of the phrase, like "(555) 123-4567"
  if (paren && (words.some((w) => OPERATOR.test(w)) || words.every((w) => /^[()]+$/.test(w)))) {
    throw new QueryError('parentheses do not group in a query (OR binds loosest, then AND, then NEAR/n); put a phrase with ( ) in quotes');
  }
  for (const w of words) {
    if (/^NEAR(?:\/.*)?$/.test(w) && !OPERATOR.test(w)) {
      throw new QueryError(`${w} needs its distance: NEAR/n with n 1-${MAX_NEAR} and a space on each side (refund NEAR/5 manager); put it in quotes to search for the word`);
    }
  }
  const op = (i: number) => OPERATOR.test(words[i] ?? '');
  if (op(0)) throw new QueryError(`${words[0]} needs a phrase on ${words.length === 1 ? 'each side' : 'its left'}`);
  for (let i = 1; i < words.length; i++) {
    const andNot = (words[i - 1] === 'AND' || words[i - 1] === '&') && words[i] === 'NOT';
    if (op(i) && op(i - 1) && !andNot) throw new QueryError(`${words[i - 1]} ${words[i]}: two operators with no phrase between them`);
  }
  if (op(words.length - 1)) throw new QueryError(`${words.at(-1)} needs a phrase on its right`);
}

function parseNear(s: string): QueryNode {
  const m = s.match(/^(.*?)\s+NEAR\/(\d+)\s+(.*)$/);
  if (!m) return phrase(s);
  const within = Number(m[2]);
  if (within < 1 || within > MAX_NEAR) throw new QueryError(`NEAR/${m[2]}: the distance must be 1-${MAX_NEAR}`);
  return { kind: 'near', left: phrase(m[1]!), right: parseNear(m[3]!), within };
}

function phrase(s: string): QueryNode {
  const text = s.replace(/"/g, ' ').replaceAll(IN_WORD_AMP, '&').trim();
  if (!text) throw new QueryError('empty phrase in query');
  if (segmentRuns(searchNormalise(text)).length === 0) throw new QueryError(`"${text}" has no letters, digits or Chinese characters to search for`);
  return { kind: 'phrase', text };
}

/** Split on a separator outside double quotes. */
function splitTop(s: string, sep: RegExp): string[] {
  const parts: string[] = [];
  let buf = '';
  let inQuote = false;
  let i = 0;
  while (i < s.length) {
    if (s[i] === '"') {
      inQuote = !inQuote;
      buf += s[i++];
      continue;
    }
    if (!inQuote) {
      const m = s.slice(i).match(sep);
      if (m && m.index === 0 && m[0].length > 0) {
        parts.push(buf);
        buf = '';
        i += m[0].length;
        continue;
      }
    }
    buf += s[i++];
  }
  parts.push(buf);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
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

/** The whole query as a tsquery literal (cast with ::tsquery). */
export function compileQuery(node: QueryNode): string {
  switch (node.kind) {
    case 'phrase':
      return phraseTsquery(node.text);
    case 'or':
      return `(${node.items.map(compileQuery).join(' | ')})`;
    case 'and':
      return `(${node.items.map(compileQuery).join(' & ')})`;
    case 'not':
      return `!${compileQuery(node.item)}`;
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
  return node.kind === 'phrase' ? phraseTsquery(node.text, true) : compileQuery(node);
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
  const outside = q.replace(/"[^"]*"/g, ' ');
  const found = new Set<string>();
  for (const m of outside.matchAll(/(?<![\p{L}\p{N}])(or|and|near\/\d+)(?![\p{L}\p{N}])/giu)) {
    const w = m[1]!;
    if (w !== w.toUpperCase()) found.add(w);
  }
  if (found.size === 0) return null;
  const words = [...found].map((w) => `"${w}"`).join(', ');
  return `${words} ${found.size === 1 ? 'was' : 'were'} searched as ${found.size === 1 ? 'a word' : 'words'}: operators are upper case (${[...found].map((w) => w.toUpperCase()).join(', ')})`;
}
