/**
 * Alternatives inside a lexicon phrase: `(a|b|c)` is one of a, b, c; an empty alternative makes the group
 * optional. One line then covers a family of phrasings that people say in many shapes:
 *
 *   (我|)(已经|刚才|)(跟您|跟你|)说过了   →  说过了, 我说过了, 已经说过了, 我跟您说过了, 我已经跟你说过了, ...
 *   i (really |)(don't|do not) know       →  i don't know, i really don't know, i do not know, ...
 *
 * Groups nest. Expanded once, when the lexicon is loaded, into plain phrases: the matcher, its index and the
 * reference matcher never see the syntax. ASCII parentheses and `|` only; full-width （） are text.
 */

/** a phrase that expands to more than this is a mistake in the file, not a phrasing */
export const MAX_VARIANTS = 512;

type Node = string | Node[][];

/** All the plain phrases a phrase stands for, in order, without duplicates. Throws on a malformed phrase. */
export function expandAlternatives(phrase: string): string[] {
  if (!/[()|]/.test(phrase)) return [phrase];
  let pos = 0;
  const seq = (depth: number): Node[] => {
    const out: Node[] = [];
    let text = '';
    while (pos < phrase.length) {
      const c = phrase[pos];
      if (c === '(') {
        if (text) out.push(text);
        text = '';
        const open = pos++;
        const alts: Node[][] = [seq(depth + 1)];
        while (phrase[pos] === '|') {
          pos++;
          alts.push(seq(depth + 1));
        }
        if (phrase[pos] !== ')') throw new Error(`"(" at character ${open + 1} is never closed`);
        pos++;
        out.push(alts);
      } else if (c === ')' || c === '|') {
        if (depth === 0) throw new Error(`"${c}" at character ${pos + 1} outside any ( )`);
        break;
      } else {
        text += c;
        pos++;
      }
    }
    if (text) out.push(text);
    return out;
  };
  const nodes = seq(0);
  const variants = expandSeq(nodes);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of variants) {
    const p = v.replace(/\s+/g, ' ').trim();
    if (p && !seen.has(p)) {
      seen.add(p);
      out.push(p);
    }
  }
  if (out.length === 0) throw new Error('every alternative is empty');
  return out;
}

function expandSeq(nodes: Node[]): string[] {
  let acc = [''];
  for (const n of nodes) {
    const next = typeof n === 'string' ? [n] : n.flatMap(expandSeq);
    const product: string[] = [];
    for (const a of acc) for (const b of next) product.push(a + b);
    if (product.length > MAX_VARIANTS) throw new Error(`expands to more than ${MAX_VARIANTS} phrases; split it`);
    acc = product;
  }
  return acc;
}
