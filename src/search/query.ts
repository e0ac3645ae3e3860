/**
 * The search language, compiled to a PostgreSQL tsquery over the tokens of tokenize.ts. Pure.
 *
 *   退款                       a phrase (Chinese needs no quotes; Traditional or Simplified)
 *   cancel my account          a phrase (the words in this order, across punctuation and ASR spacing)
 *   退款 OR 退钱 | refund       any of several phrases
 *   投诉 AND 经理               both in one utterance
 *   refund NEAR/5 manager      both within 5 tokens (words or Chinese characters), either order
 *   "speak to" "a manager"     quotes group words; inside an AND/NEAR side they are one phrase
 */
import { isHan, quoteLexeme, searchNormalise, segmentRuns } from './tokenize.js';

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
  | { kind: 'near'; left: QueryNode; right: QueryNode; within: number };

export const MAX_NEAR = 20;

/** Parse a query string. OR binds loosest, then AND, then NEAR/n. */
export function parseQuery(q: string): QueryNode {
  const src = q.trim();
  if (!src) throw new QueryError('empty query');
  // an operator with nothing on one side would otherwise be searched for as a word of the phrase ("不清楚 or"),
  // finding nothing and reading as "nobody said 不清楚"
  const dangling = /^(OR|AND|NEAR\/\d+)\s|\s(OR|AND|NEAR\/\d+)$|^NEAR\/\d+$/.exec(src);
  if (dangling) {
    const op = dangling[1] ?? dangling[2] ?? src;
    throw new QueryError(`${op} needs a phrase on ${dangling[1] ? 'its left' : dangling[2] ? 'its right' : 'each side'}`);
  }
  const ors = splitTop(src, /\s+OR\s+|\s*\|\s*/);
  const items = ors.map((part) => {
    const ands = splitTop(part, /\s+AND\s+|\s*&\s*/);
    const andItems = ands.map(parseNear);
    return andItems.length === 1 ? andItems[0]! : ({ kind: 'and', items: andItems } as QueryNode);
  });
  return items.length === 1 ? items[0]! : { kind: 'or', items };
}

function parseNear(s: string): QueryNode {
  const m = s.match(/^(.*?)\s+NEAR\/(\d+)\s+(.*)$/);
  if (!m) return phrase(s);
  const within = Number(m[2]);
  if (within < 1 || within > MAX_NEAR) throw new QueryError(`NEAR/${m[2]}: the distance must be 1-${MAX_NEAR}`);
  return { kind: 'near', left: phrase(m[1]!), right: parseNear(m[3]!), within };
}

function phrase(s: string): QueryNode {
  const text = s.replace(/"/g, ' ').trim();
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

/** One phrase as a tsquery: tokens joined by their distance in the index. */
export function phraseTsquery(text: string): string {
  const parts: string[] = [];
  let nextGap = 1;
  for (const run of segmentRuns(searchNormalise(text))) {
    let piece: string;
    let after: number;
    if (run.kind === 'word') {
      piece = quoteLexeme(run.text);
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
        // the index holds the run's last character after its bigrams: the next token is 2 positions on
        after = 2;
      }
    }
    if (parts.length) parts.push(nextGap === 1 ? '<->' : `<${nextGap}>`);
    parts.push(piece);
    nextGap = after;
  }
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
    case 'near': {
      // tsquery has no "within n": any distance 1..n, either order (phrase sides are followed-by chains)
      const a = compileQuery(node.left);
      const b = compileQuery(node.right);
      const alts: string[] = [];
      for (let d = 1; d <= node.within; d++) alts.push(`(${a} <${d}> ${b})`, `(${b} <${d}> ${a})`);
      return `(${alts.join(' | ')})`;
    }
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
  }
}

export { isHan };
