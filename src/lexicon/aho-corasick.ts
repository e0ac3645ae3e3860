/**
 * Aho-Corasick multi-pattern automaton over integer symbols (Unicode code points for Chinese, token ids
 * for English). One pass over the text reports every occurrence of every pattern, so matching cost does
 * not grow with the number of lexicon entries.
 */
export class AhoCorasick<T> {
  private readonly next: Map<number, number>[] = [new Map()];
  private fail: Int32Array = new Int32Array(1);
  /** pattern ids ending at each node, including those reached through failure links (filled by build) */
  private out: number[][] = [[]];
  private readonly patterns: { value: T; length: number }[] = [];
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
    this.built = true;
    return this;
  }

  /** Calls `onMatch(start, endExclusive, value)` for every occurrence, in order of end position. */
  search(text: ArrayLike<number>, onMatch: (start: number, end: number, value: T) => void): void {
    if (!this.built) this.build();
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const sym = text[i];
      let n = this.next[node].get(sym);
      while (n === undefined && node !== 0) {
        node = this.fail[node];
        n = this.next[node].get(sym);
      }
      node = n ?? 0;
      const outs = this.out[node];
      for (let k = 0; k < outs.length; k++) {
        const p = this.patterns[outs[k]];
        onMatch(i + 1 - p.length, i + 1, p.value);
      }
    }
  }
}
