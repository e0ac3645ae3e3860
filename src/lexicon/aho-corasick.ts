/**
 * Aho-Corasick multi-pattern automaton over integer symbols (Unicode code points for Chinese, token ids
 * for English). One pass over the text reports every occurrence of every pattern, so matching cost does
 * not grow with the number of lexicon entries.
 */
/**
 * A built automaton as plain typed arrays (what collect and search read): kept in the cache folder so a new
 * process loads it instead of building it again (src/lexicon/compiled.ts).
 */
export interface CompiledAutomaton {
  fail: Int32Array;
  rootNext: Int32Array;
  onlySym: Int32Array;
  onlyChild: Int32Array;
  patternLength: Int32Array;
  edgeNode: Int32Array;
  edgeSym: Int32Array;
  edgeChild: Int32Array;
  edgeMask: number;
  outStart: Int32Array;
  outIds: Int32Array;
}

export class AhoCorasick<T> {
  /** the trie while patterns are added (dropped by build: the typed arrays below hold it then) */
  private next: Map<number, number>[] = [new Map()];
  private fail: Int32Array = new Int32Array(1);
  /** pattern ids ending at each node, including those reached through failure links (filled by build) */
  private out: number[][] = [[]];
  private patterns: { value: T; length: number }[] = [];
  /**
   * The root's transitions as a dense table (symbol -> node, 0 = none). Most symbols of a transcript start no
   * pattern, so most steps are a root lookup: an array read instead of a hash lookup.
   */
  private rootNext: Int32Array = new Int32Array(0);
  /**
   * Other nodes: most have a single child (the rest of one phrase), kept in two typed arrays; only branching
   * nodes keep their map. onlySym[node] = the child's symbol, MANY for a branching node, NONE for a leaf.
   */
  private onlySym: Int32Array = new Int32Array(0);
  private onlyChild: Int32Array = new Int32Array(0);
  /** pattern lengths and values by pattern id, read on every match */
  private patternLength: Int32Array = new Int32Array(0);
  /**
   * Branching nodes' edges in one open-addressing hash table (node, symbol) -> child, instead of a Map per node:
   * a probe or two in typed arrays. Size a power of two, at most half full; edgeNode -1 marks an empty slot.
   */
  private edgeNode: Int32Array = new Int32Array(0);
  private edgeSym: Int32Array = new Int32Array(0);
  private edgeChild: Int32Array = new Int32Array(0);
  private edgeMask = 0;
  /** pattern ids ending at each node (out, flattened): outIds[outStart[node] .. outStart[node + 1]) */
  private outStart: Int32Array = new Int32Array(0);
  private outIds: Int32Array = new Int32Array(0);
  private built = false;

  get size(): number {
    return this.patterns.length;
  }

  add(symbols: readonly number[], value: T): void {
    if (this.built) throw new Error('AhoCorasick.add after build');
    if (symbols.length === 0) return;
    let node = 0;
    for (const s of symbols) {
      let n = this.next[node].get(s);
      if (n === undefined) {
        n = this.next.length;
        this.next.push(new Map());
        this.out.push([]);
        this.next[node].set(s, n);
      }
      node = n;
    }
    this.out[node].push(this.patterns.length);
    this.patterns.push({ value, length: symbols.length });
  }

  build(): this {
    const fail = new Int32Array(this.next.length);
    const queue: number[] = [];
    for (const child of this.next[0].values()) {
      fail[child] = 0;
      queue.push(child);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const node = queue[qi];
      for (const [sym, child] of this.next[node]) {
        let f = fail[node];
        while (f !== 0 && !this.next[f].has(sym)) f = fail[f];
        const g = this.next[f].get(sym);
        fail[child] = g !== undefined && g !== child ? g : 0;
        if (this.out[fail[child]].length) this.out[child] = this.out[child].concat(this.out[fail[child]]);
        queue.push(child);
      }
    }
    this.fail = fail;
    let maxSym = -1;
    for (const sym of this.next[0].keys()) if (sym > maxSym) maxSym = sym;
    this.rootNext = new Int32Array(maxSym + 1);
    for (const [sym, child] of this.next[0]) if (sym >= 0) this.rootNext[sym] = child;
    const n = this.next.length;
    this.onlySym = new Int32Array(n);
    this.onlyChild = new Int32Array(n);
    for (let node = 0; node < n; node++) {
      const m = this.next[node];
      if (m.size === 0) this.onlySym[node] = NONE;
      else if (m.size > 1) this.onlySym[node] = MANY;
      else {
        const [sym, child] = m.entries().next().value as [number, number];
        this.onlySym[node] = sym;
        this.onlyChild[node] = child;
      }
    }
    this.patternLength = Int32Array.from(this.patterns, (p) => p.length);
    let branchEdges = 0;
    for (let node = 1; node < n; node++) if (this.next[node].size > 1) branchEdges += this.next[node].size;
    let size = 16;
    while (size < branchEdges * 2) size *= 2;
    this.edgeNode = new Int32Array(size).fill(-1);
    this.edgeSym = new Int32Array(size);
    this.edgeChild = new Int32Array(size);
    this.edgeMask = size - 1;
    for (let node = 1; node < n; node++) {
      if (this.next[node].size <= 1) continue;
      for (const [sym, child] of this.next[node]) {
        let h = edgeHash(node, sym) & this.edgeMask;
        while (this.edgeNode[h] !== -1) h = (h + 1) & this.edgeMask;
        this.edgeNode[h] = node;
        this.edgeSym[h] = sym;
        this.edgeChild[h] = child;
      }
    }
    this.outStart = new Int32Array(n + 1);
    for (let node = 0; node < n; node++) this.outStart[node + 1] = this.outStart[node] + this.out[node].length;
    this.outIds = new Int32Array(this.outStart[n]);
    for (let node = 0; node < n; node++) this.outIds.set(this.out[node], this.outStart[node]);
    this.next = [];
    this.out = [];
    this.built = true;
    return this;
  }

  /** The built automaton's arrays (built now if it was not). */
  compiled(): CompiledAutomaton {
    if (!this.built) this.build();
    const { fail, rootNext, onlySym, onlyChild, patternLength, edgeNode, edgeSym, edgeChild, edgeMask, outStart, outIds } = this;
    return { fail, rootNext, onlySym, onlyChild, patternLength, edgeNode, edgeSym, edgeChild, edgeMask, outStart, outIds };
  }

  /**
   * An automaton from compiled() arrays and its patterns' values (in pattern id order): it finds exactly what the
   * one it was compiled from finds. Throws when the parts do not fit together.
   */
  static load<T>(c: CompiledAutomaton, values: readonly T[]): AhoCorasick<T> {
    const n = c.fail.length;
    const ok =
      values.length === c.patternLength.length &&
      c.onlySym.length === n &&
      c.onlyChild.length === n &&
      c.outStart.length === n + 1 &&
      c.outIds.length === (n > 0 ? c.outStart[n] : 0) &&
      c.edgeNode.length === c.edgeMask + 1 &&
      c.edgeSym.length === c.edgeNode.length &&
      c.edgeChild.length === c.edgeNode.length;
    if (!ok) throw new Error('compiled automaton: parts of different sizes');
    const a = new AhoCorasick<T>();
    Object.assign(a, { ...c, next: [], out: [], built: true, patterns: values.map((value, i) => ({ value, length: c.patternLength[i] })) });
    return a;
  }

  /** The value a pattern id was added with. */
  valueOf(id: number): T {
    return this.patterns[id].value;
  }

  /**
   * Every occurrence as (start, endExclusive, pattern id) triples into `sink.buf` from triple `at` on, in the order
   * search reports them; returns the number of triples written. No callback and no allocation per match.
   */
  collect(text: Int32Array, length: number, sink: MatchSink, at = 0): number {
    if (!this.built) this.build();
    const root = this.rootNext;
    const rootLen = root.length;
    const fail = this.fail;
    const onlySym = this.onlySym;
    const onlyChild = this.onlyChild;
    const plen = this.patternLength;
    const outStart = this.outStart;
    const outIds = this.outIds;
    let buf = sink.buf;
    let w = at * 3;
    let node = 0;
    for (let i = 0; i < length; i++) {
      const sym = text[i];
      // follow failure links until a node has a transition on sym (the root always "has" one)
      while (node !== 0) {
        const only = onlySym[node];
        if (only === sym) {
          node = onlyChild[node];
          break;
        }
        if (only === MANY) {
          const c = this.edge(node, sym);
          if (c !== 0) {
            node = c;
            break;
          }
        }
        node = fail[node];
      }
      if (node === 0) {
        node = sym >= 0 && sym < rootLen ? root[sym] : 0;
        if (node === 0) continue;
      }
      const o0 = outStart[node];
      const o1 = outStart[node + 1];
      if (o0 === o1) continue;
      if (w + (o1 - o0) * 3 > buf.length) {
        const grown = new Int32Array(Math.max(buf.length * 2, w + (o1 - o0) * 3 + 96));
        grown.set(buf.subarray(0, w));
        sink.buf = buf = grown;
      }
      for (let k = o0; k < o1; k++) {
        const id = outIds[k];
        buf[w++] = i + 1 - plen[id];
        buf[w++] = i + 1;
        buf[w++] = id;
      }
    }
    return w / 3 - at;
  }

  /** A branching node's child on `sym` (0: none). */
  private edge(node: number, sym: number): number {
    const mask = this.edgeMask;
    const en = this.edgeNode;
    let h = edgeHash(node, sym) & mask;
    for (;;) {
      const k = en[h];
      if (k === -1) return 0;
      if (k === node && this.edgeSym[h] === sym) return this.edgeChild[h];
      h = (h + 1) & mask;
    }
  }

  /** Calls `onMatch(start, endExclusive, value)` for every occurrence, in order of end position. */
  /** `text` is read up to `length` (scratch buffers are longer than what they hold). */
  search(text: Int32Array, length: number, onMatch: (start: number, end: number, value: T) => void): void {
    const sink: MatchSink = { buf: new Int32Array(96) };
    const n = this.collect(text, length, sink);
    const buf = sink.buf;
    for (let k = 0; k < n; k++) onMatch(buf[3 * k], buf[3 * k + 1], this.patterns[buf[3 * k + 2]].value);
  }
}

/** Where collect writes matches: (start, endExclusive, pattern id) triples, grown as needed. */
export interface MatchSink {
  buf: Int32Array;
}

function edgeHash(node: number, sym: number): number {
  return (Math.imul(node, 0x9e3779b1) ^ Math.imul(sym + 3, 0x85ebca6b)) >>> 0;
}

/** onlySym markers: a leaf (no child) and a branching node (look in its map); symbols are >= -1 (-1: unknown) */
const NONE = -3;
const MANY = -2;
