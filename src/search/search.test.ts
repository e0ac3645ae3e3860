import { describe, expect, it } from 'vitest';
import { highlight, snippet } from './highlight.js';
import { compiledLength, compileQuery, lowercaseOperatorHint, MAX_TSQUERY_CHARS, parseQuery, QueryError, queryPhrases } from './query.js';
import { indexTokens, tsvectorLiteral } from './tokenize.js';

describe('index tokens', () => {
  it('Chinese as bigrams plus the run-final character; Traditional folded; ASR spaces between characters dropped', () => {
    expect(indexTokens('我要退款').map((t) => t.token)).toEqual(['我要', '要退', '退款', '款']);
    expect(indexTokens('我 要 退 款')).toEqual(indexTokens('我要退款'));
    expect(indexTokens('請問').map((t) => t.token)).toEqual(['请问', '问']);
  });
  it('English and digits as words, punctuation and case ignored', () => {
    expect(indexTokens("I'd like a REFUND, please.").map((t) => t.token)).toEqual(['i', 'd', 'like', 'a', 'refund', 'please']);
    expect(indexTokens('订单123号').map((t) => [t.token, t.pos])).toEqual([['订单', 1], ['单', 2], ['123', 3], ['号', 4]]);
  });
  it('tsvector literal quotes lexemes', () => {
    expect(tsvectorLiteral([{ token: "o'k", pos: 1 }, { token: 'a\\b', pos: 2 }])).toBe("'o''k':1 'a\\\\b':2");
  });
});

describe('query language', () => {
  it.each([
    ['退款', "'退款'"],
    ['退', "'退':*"],
    ['退款吗', "('退款' <-> '款吗')"],
    ['cancel my account', "('cancel' <-> 'my' <-> 'account')"],
    ['退款 OR refund', "('退款' | 'refund')"],
    ['投诉 AND 经理', "('投诉' & '经理')"],
    ['订单 123', "('订单' <2> '123')"],
  ])('%s', (q, tsq) => {
    expect(compileQuery(parseQuery(q))).toBe(tsq);
  });
  it('NEAR/n is any distance up to n, either order', () => {
    const q = compileQuery(parseQuery('refund NEAR/2 manager'));
    expect(q).toBe("(('refund' <1> 'manager') | ('manager' <1> 'refund') | ('refund' <2> 'manager') | ('manager' <2> 'refund'))");
  });
  it('a Chinese side of NEAR/n ends at its last character (the bigram chain alone ends one before it)', () => {
    expect(compileQuery(parseQuery('我要 NEAR/1 退款'))).toBe("((('我要' <-> '要':*) <1> ('退款' <-> '款':*)) | (('退款' <-> '款':*) <1> ('我要' <-> '要':*)))");
    // a phrase outside NEAR is unchanged
    expect(compileQuery(parseQuery('我要'))).toBe("'我要'");
  });
  it('quotes keep OR inside a phrase', () => {
    expect(compileQuery(parseQuery('"this OR that"'))).toBe("('this' <-> 'or' <-> 'that')");
  });
  it('bad queries say what is wrong', () => {
    expect(() => parseQuery('   ')).toThrow(QueryError);
    expect(() => parseQuery('a NEAR/99 b')).toThrow(/1-20/);
    // an operator with nothing on one side is an error, not a word of the phrase (which finds nothing)
    expect(() => parseQuery('不清楚 OR')).toThrow(/OR needs a phrase on its right/);
    expect(() => parseQuery('OR refund')).toThrow(/OR needs a phrase on its left/);
    expect(() => parseQuery('not my job AND')).toThrow(/AND needs a phrase on its right/);
    expect(() => parseQuery('refund NEAR/5')).toThrow(/NEAR\/5 needs a phrase on its right/);
    expect(() => parseQuery('NEAR/5')).toThrow(QueryError);
    expect(parseQuery('"cancel or"')).toEqual({ kind: 'phrase', text: '"cancel or"'.replace(/"/g, ' ').trim() });
    expect(() => parseQuery('，。!')).toThrow(/nothing|no letters/);
  });
  it.each([
    // a quote left open was searched as a word ("unterminated": no hits), not refused
    ['"unterminated', /unbalanced quote: the " at character 1 is never closed/],
    ['refund "speak to', /unbalanced quote: the " at character 8 is never closed/],
    ['"a" "b" "c', /unbalanced quote: the " at character 9/],
    // NEAR without its distance was a word of the phrase
    ['refund NEAR manager', /NEAR needs its distance: NEAR\/n with n 1-20/],
    ['refund NEAR/ manager', /NEAR\/ needs its distance: NEAR\/n with n 1-20/],
    ['refund NEAR/x manager', /NEAR\/x needs its distance/],
    ['NEAR', /NEAR needs its distance/],
    // two operators in a row: the second was a word of the phrase ("OR b") or silently dropped
    ['a OR OR b', /OR OR: two operators with no phrase between them/],
    ['a AND OR b', /AND OR: two operators with no phrase between them/],
    ['a NEAR/5 NEAR/5 b', /NEAR\/5 NEAR\/5: two operators/],
    ['a | | b', /\| \|: two operators/],
    ['a & | b', /& \|: two operators/],
    ['a |', /\| needs a phrase on its right/],
    ['& b', /& needs a phrase on its left/],
    ['refund AND', /AND needs a phrase on its right/],
    // parentheses do not group (OR binds loosest, then AND, then NEAR/n): refused, not read another way
    ['(refund OR 退款) AND manager', /parentheses do not group/],
    ['()', /parentheses do not group/],
    ['refund ( ) OR 退款', /parentheses do not group/],
  ])('%s is refused: %s', (q, message) => {
    expect(() => parseQuery(q)).toThrow(QueryError);
    expect(() => parseQuery(q)).toThrow(message);
  });
  it('& inside a name (AT&T, R&D) is part of it, as the index reads it, not AND; & between spaces or Chinese is AND', () => {
    expect(parseQuery('AT&T')).toEqual({ kind: 'phrase', text: 'AT&T' });
    expect(compileQuery(parseQuery('AT&T'))).toBe("('at' <-> 't')");
    expect(compileQuery(parseQuery('R&D OR 退款'))).toBe("(('r' <-> 'd') | '退款')");
    expect(compileQuery(parseQuery('AT&T NEAR/3 refund'))).toContain("('at' <-> 't') <1> 'refund'");
    expect(compileQuery(parseQuery('refund & manager'))).toBe("('refund' & 'manager')");
    expect(compileQuery(parseQuery('退款&投诉'))).toBe("('退款' & '投诉')");
    expect(() => parseQuery('AT& OR b')).toThrow(/& OR: two operators/);
  });
  it('operators and quotes typed by a Chinese input method (full-width, curly quotes) are the operators; full-width brackets stay punctuation', () => {
    expect(compileQuery(parseQuery('退款 ｜ 退钱'))).toBe(compileQuery(parseQuery('退款 | 退钱')));
    expect(compileQuery(parseQuery('退款　ＯＲ　refund'))).toBe("('退款' | 'refund')");
    expect(compileQuery(parseQuery('投诉 ＡＮＤ 经理'))).toBe("('投诉' & '经理')");
    expect(compileQuery(parseQuery('投诉＆经理'))).toBe("('投诉' & '经理')");
    expect(compileQuery(parseQuery('我要 ＮＥＡＲ／１ 退款'))).toBe(compileQuery(parseQuery('我要 NEAR/1 退款')));
    expect(compileQuery(parseQuery('投诉 ＮＯＴ 表扬'))).toBe(compileQuery(parseQuery('投诉 NOT 表扬')));
    expect(compileQuery(parseQuery('ＡＴ＆Ｔ'))).toBe("('at' <-> 't')");
    // “ ” quote as " does: an operator inside them is a word of the phrase
    expect(compileQuery(parseQuery('“this OR that”'))).toBe("('this' <-> 'or' <-> 'that')");
    expect(() => parseQuery('“转人工')).toThrow(/unbalanced quote: the " at character 1/);
    expect(() => parseQuery('退款 ＯＲ')).toThrow(/OR needs a phrase on its right/);
    // （全额） is punctuation of the phrase beside an operator, not a grouping refused
    expect(compileQuery(parseQuery('退款（全额） OR 退钱'))).toBe(compileQuery(parseQuery('退款全额 OR 退钱')));
    expect(lowercaseOperatorHint('退款 ｏｒ 退钱')).toBe('"or" was searched as a word: operators are upper case (OR)');
  });
  it('word* is any word starting so (refund* finds refunds, refunded); * elsewhere is punctuation', () => {
    expect(compileQuery(parseQuery('refund*'))).toBe("'refund':*");
    expect(compileQuery(parseQuery('my acc* please'))).toBe("('my' <-> 'acc':* <-> 'please')");
    expect(compileQuery(parseQuery('refund* OR 退款*'))).toBe("('refund':* | '退款')");
    expect(compileQuery(parseQuery('app*闪退'))).toBe("('app':* <-> '闪退')");
    expect(() => parseQuery('*')).toThrow(/no letters/);
  });
  it('A NOT B (or A AND NOT B): A in an utterance without B; NOT needs a phrase on each side', () => {
    expect(compileQuery(parseQuery('refund NOT manager'))).toBe("('refund' & !'manager')");
    expect(compileQuery(parseQuery('refund AND NOT manager'))).toBe("('refund' & !'manager')");
    expect(compileQuery(parseQuery('退款 NOT 经理 NOT "a manager" OR complaint'))).toBe("(('退款' & !'经理' & !('a' <-> 'manager')) | 'complaint')");
    expect(queryPhrases(parseQuery('refund NOT manager'))).toEqual(['refund']);
    expect(() => parseQuery('NOT manager')).toThrow(/NOT needs a phrase on its left/);
    expect(() => parseQuery('refund NOT')).toThrow(/NOT needs a phrase on its right/);
    expect(() => parseQuery('refund OR NOT manager')).toThrow(/OR NOT: two operators/);
    // quoted or lower-case, not is a word
    expect(parseQuery('"do NOT call"')).toEqual({ kind: 'phrase', text: 'do NOT call' });
    expect(parseQuery('do not call')).toEqual({ kind: 'phrase', text: 'do not call' });
  });
  it('parentheses in a query with no operator are punctuation of the phrase (a phone number), not refused', () => {
    expect(compileQuery(parseQuery('(555) 123-4567'))).toBe("('555' <-> '123' <-> '4567')");
    expect(compileQuery(parseQuery('(退款)'))).toBe("'退款'");
    expect(() => parseQuery('(555) 123-4567 OR refund')).toThrow(/parentheses do not group/);
  });
  it('operators, parentheses and NEAR inside quotes are words of the phrase; lower-case near is a word', () => {
    expect(parseQuery('"refund NEAR manager"')).toEqual({ kind: 'phrase', text: 'refund NEAR manager' });
    expect(parseQuery('"(a) OR OR | b"')).toEqual({ kind: 'phrase', text: '(a) OR OR | b' });
    expect(parseQuery('i live near the station')).toEqual({ kind: 'phrase', text: 'i live near the station' });
    expect(compileQuery(parseQuery('"speak to" AND "a manager" OR 退款'))).toBe("((('speak' <-> 'to') & ('a' <-> 'manager')) | '退款')");
    expect(compileQuery(parseQuery('refund|退款'))).toBe("('refund' | '退款')");
  });
});

describe('the size of a query', () => {
  // tsquery has no "within n": NEAR/n repeats each side 2n times, so a chain of NEARs multiplied (four NEAR/20 in a
  // row compiled to about 48 million characters, past any cap on the query's own length)
  const chain = (n: number, within = 20) => Array.from({ length: n + 1 }, (_, i) => `w${i}`).join(` NEAR/${within} `);
  it('one and two NEAR/20 in a row compile as before, their length measured', () => {
    expect(compileQuery(parseQuery(chain(1))).length).toBe(741);
    expect(compileQuery(parseQuery(chain(2))).length).toBe(30221);
    expect(compileQuery(parseQuery(chain(3, 5))).length).toBeLessThanOrEqual(MAX_TSQUERY_CHARS);
  });
  it.each([3, 4, 8, 40, 2000])('%i NEAR/20 in a row are refused before the query is built, saying what to do', (n) => {
    const q = chain(n);
    expect(() => parseQuery(q)).toThrow(QueryError);
    expect(() => parseQuery(q)).toThrow(/too many NEARs in a row: the query would compile to (about [\d,]+|more than any) characters of full-text query \(at most 100,000\).*use fewer NEARs or smaller distances, or join pairs with AND \(a NEAR\/5 b AND b NEAR\/5 c\)/);
  });
  it('the reported query names its size; a chain inside OR, AND or NOT is measured too', () => {
    expect(() => parseQuery('a NEAR/20 b NEAR/20 c NEAR/20 d NEAR/20 e')).toThrow(/about 43,000,000 characters/);
    expect(() => parseQuery(`refund OR ${chain(3)}`)).toThrow(/too many NEARs/);
    expect(() => parseQuery(`refund AND NOT ${chain(3)}`)).toThrow(/too many NEARs/);
    // what the message suggests is searched
    expect(compileQuery(parseQuery('w0 NEAR/20 w1 AND w1 NEAR/20 w2 AND w2 NEAR/20 w3 AND w3 NEAR/20 w4')).length).toBeLessThan(4 * 800);
  });
  it('a query that is too large without NEAR (a very long pasted phrase) is refused as such', () => {
    expect(() => parseQuery('我要退款谢谢你'.repeat(3000))).toThrow(/query too large: it would compile to about [\d,]+ characters of full-text query \(at most 100,000\); search for shorter phrases/);
  });
  it('the size measured before building is the size built', () => {
    for (const q of ['退款', 'refund* OR 退款*', '我要 NEAR/1 退款', 'AT&T NEAR/3 refund', 'a NEAR/5 "b c" NEAR/3 退款吗 OR x AND NOT y', chain(2), chain(3, 4), "o'brien NEAR/2 a\\b"]) {
      const node = parseQuery(q);
      expect(compiledLength(node), q).toBe(compileQuery(node).length);
    }
  });
});

describe('parsing a long query', () => {
  // checkSyntax, then a split that matched a regex against the rest of the query at every character, then a NEAR
  // regex per side: a 42,000-character CLI query took seconds (quadratic); now one pass
  /** Units joined by a separator, to at least n characters. */
  const join = (unit: (i: number) => string, sep: string) => (n: number) => {
    const out: string[] = [];
    for (let len = 0, i = 0; len < n; i++) len += (out.push(unit(i)), unit(i).length + sep.length);
    return out.join(sep);
  };
  const shapes: Record<string, (n: number) => string> = {
    'a long phrase': join(() => 'refund please', ' '),
    'any of many': join((i) => (i % 2 ? '退款' : 'refund'), ' OR '),
    'quotes, AND and |': join(() => '"speak to" AND mgr', ' | '),
    'a NEAR chain': join(() => 'abc', ' NEAR/2 '),
    'spaces': (n) => `refund${' '.repeat(n)}manager`,
  };
  /** The best of three runs, in ms: parsed or refused with a QueryError (anything else fails the test). */
  const time = (q: string) => {
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      try {
        parseQuery(q);
      } catch (err) {
        if (!(err instanceof QueryError)) throw err;
      }
      best = Math.min(best, performance.now() - t);
    }
    return best;
  };
  it.each(Object.keys(shapes))('%s: four times as long takes well under eight times as long (linear, not quadratic)', (shape) => {
    const make = shapes[shape]!;
    time(make(2000)); // warm up (the OpenCC tables, the JIT)
    const small = time(make(12_500));
    const large = time(make(50_000));
    expect(make(50_000).length).toBeGreaterThan(49_000);
    // quadratic: about 16 times; the 50 ms absorbs timer noise on a small measure
    expect(large).toBeLessThan(8 * small + 50);
    // the quadratic parse took several seconds for 50,000 characters on an idle machine
    expect(large).toBeLessThan(5000);
  });
});

describe('lower-case operators', () => {
  it('names or / and / near/n written in lower case outside quotes; upper case, quoted, inside words and not are no hint', () => {
    expect(lowercaseOperatorHint('refund or cancel')).toBe('"or" was searched as a word: operators are upper case (OR)');
    expect(lowercaseOperatorHint('退款 near/5 经理 and manager')).toBe('"near/5", "and" were searched as words: operators are upper case (NEAR/5, AND)');
    expect(lowercaseOperatorHint('refund OR cancel')).toBeNull();
    expect(lowercaseOperatorHint('"rock and roll"')).toBeNull();
    expect(lowercaseOperatorHint('orange band')).toBeNull();
    expect(lowercaseOperatorHint('do not want')).toBeNull();
  });
});

describe('highlight', () => {
  it('finds a Simplified query in Traditional text with ASR spaces and punctuation', () => {
    const t = '您好，我要 退 款，謝謝';
    const h = highlight(t, ['退款', '谢谢']);
    expect(h.map((x) => t.slice(x.start, x.end))).toEqual(['退 款', '謝謝']);
  });
  it('English, case-insensitive, across punctuation', () => {
    const t = 'Well... Cancel, my account now!';
    expect(highlight(t, ['cancel my account']).map((x) => t.slice(x.start, x.end))).toEqual(['Cancel, my account']);
  });
  it('whole words, as the index matches them: not a word inside another, not a part of AT&T inside "the"', () => {
    const marked = (t: string, phrases: string[]) => highlight(t, phrases).map((x) => t.slice(x.start, x.end));
    // the hit is the second "refund"; "refunded" and "manager" hold the letters but not the word
    expect(marked('It was refunded, then a refund.', ['refund'])).toEqual(['refund']);
    expect(marked('Let me get a manager, an hour.', ['an'])).toEqual(['an']);
    expect(marked('My carrier is AT&T and the refund never came.', ['AT&T'])).toEqual(['AT&T']);
    expect(marked("I don't know, O'Brien said", ["don't", "o'brien"])).toEqual(["don't", "O'Brien"]);
    expect(marked('订单123号，不是1234', ['123'])).toEqual(['123']);
    // Chinese is matched character by character, inside longer words, with English beside it
    expect(marked('App閃退了，退款', ['app 闪退', '退'])).toEqual(['App閃退', '退']);
  });
  it('Traditional converted by the word, as the index converts it: 瞭解 is marked for 了解', () => {
    const t = '我不太瞭解，衣服很乾淨';
    expect(highlight(t, ['了解', '干净']).map((x) => t.slice(x.start, x.end))).toEqual(['瞭解', '乾淨']);
  });
  it('canonically equivalent text is marked, whichever way either side spells it, over the whole original characters', () => {
    const marked = (t: string, phrases: string[]) => highlight(t, phrases).map((x) => t.slice(x.start, x.end));
    // e + combining acute (U+0301) and precomposed é
    const decomposed = 'Un cafe\u0301 noir, merci';
    expect(marked(decomposed, ['café'])).toEqual(['cafe\u0301']);
    expect(marked('Un café noir', ['cafe\u0301'])).toEqual(['café']);
    expect(marked(decomposed, ['cafe\u0301 noir'])).toEqual(['cafe\u0301 noir']);
    // "cafe" is not "café": the accent is part of the word
    expect(marked(decomposed, ['cafe'])).toEqual([]);
    // Hangul spelt in conjoining jamo (NFD) and in syllables
    const jamo = '\u1112\u1161\u11ab\u1100\u116e\u11a8 \uc694\uae08'; // 한국 요금, 한국 in jamo
    expect(marked(jamo, ['한국'])).toEqual(['\u1112\u1161\u11ab\u1100\u116e\u11a8']);
    expect(marked('한국 요금', ['\u1112\u1161\u11ab\u1100\u116e\u11a8'])).toEqual(['한국']);
    // Greek final sigma: ΟΔΟΣ lower-cases to οδος with ς, one Σ at a time to σ; people type either
    expect(marked('Η ΟΔΟΣ είναι κλειστή', ['οδος'])).toEqual(['ΟΔΟΣ']);
    expect(marked('Η ΟΔΟΣ είναι κλειστή', ['οδοσ'])).toEqual(['ΟΔΟΣ']);
    expect(marked('η οδοσ, η οδος', ['ΟΔΟΣ'])).toEqual(['οδοσ', 'οδος']);
  });
  it('the index reads them alike too: final sigma is σ; decomposed and precomposed give the same tokens', () => {
    expect(indexTokens('ΟΔΟΣ').map((t) => t.token)).toEqual(['οδοσ']);
    expect(indexTokens('οδος')).toEqual(indexTokens('οδοσ'));
    expect(compileQuery(parseQuery('οδος'))).toBe("'οδοσ'");
    expect(indexTokens('cafe\u0301')).toEqual(indexTokens('café'));
    expect(indexTokens('\u1112\u1161\u11ab\u1100\u116e\u11a8')).toEqual(indexTokens('한국'));
  });
  it('ASR spaces between Chinese characters go before Traditional -> Simplified, which converts by the word: 瞭 解 is 了解', () => {
    // 瞭 alone stays 瞭; with the space dropped after the conversion the index held 瞭解, which 了解 did not find
    expect(indexTokens('我不太瞭 解').map((t) => t.token)).toEqual(indexTokens('我不太了解').map((t) => t.token));
    expect(indexTokens('瞭 解')).toEqual(indexTokens('瞭解'));
    expect(compileQuery(parseQuery('瞭 解'))).toBe("'了解'");
    const t = '我不太瞭 解，衣服很 乾 淨';
    expect(highlight(t, ['了解', '干净']).map((x) => t.slice(x.start, x.end))).toEqual(['瞭 解', '乾 淨']);
  });
  it('a word written with * marks every word starting so, whole', () => {
    const t = 'Refunds are late; it was refunded, no refund yet, reform.';
    expect(highlight(t, ['refund*']).map((x) => t.slice(x.start, x.end))).toEqual(['Refunds', 'refunded', 'refund']);
    expect(highlight(t, ['no refund*']).map((x) => t.slice(x.start, x.end))).toEqual(['no refund']);
  });
  it('snippet keeps the highlight inside a long utterance', () => {
    const t = `${'a'.repeat(300)} refund ${'b'.repeat(300)}`;
    const s = snippet(t, highlight(t, ['refund']), 60);
    expect(s.text.length).toBeLessThanOrEqual(62);
    expect(s.text.slice(s.highlights[0]!.start, s.highlights[0]!.end)).toBe('refund');
  });
});
