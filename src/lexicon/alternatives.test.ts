import { describe, expect, it } from 'vitest';
import { expandAlternatives, MAX_VARIANTS } from './alternatives.js';
import { parseLexiconFile } from './loader.js';

describe('alternatives in lexicon phrases', () => {
  it('leaves a plain phrase alone, full-width brackets included', () => {
    expect(expandAlternatives('不清楚')).toEqual(['不清楚']);
    expect(expandAlternatives('（请讲）')).toEqual(['（请讲）']);
  });

  it('writes out groups, optional parts and nesting, in order and without duplicates', () => {
    expect(expandAlternatives('(我|)(已经|)说过了')).toEqual(['我已经说过了', '我说过了', '已经说过了', '说过了']);
    expect(expandAlternatives('(跟(您|你)|)说过了')).toEqual(['跟您说过了', '跟你说过了', '说过了']);
    expect(expandAlternatives("i (really |)(don't|do not) know")).toEqual(["i really don't know", 'i really do not know', "i don't know", 'i do not know']);
    expect(expandAlternatives('(a|a)b')).toEqual(['ab']);
  });

  it('rejects a malformed phrase and names where', () => {
    expect(() => expandAlternatives('(我|你说过了')).toThrow(/never closed/);
    expect(() => expandAlternatives('我)说过了')).toThrow(/character 2 outside/);
    expect(() => expandAlternatives('a|b')).toThrow(/outside any/);
    expect(() => expandAlternatives('(|)')).toThrow(/every alternative is empty/);
    expect(() => expandAlternatives('(a|b|c|d)'.repeat(5))).toThrow(new RegExp(`more than ${MAX_VARIANTS}`));
  });

  it('is expanded on load for phrases and exceptions, and a bad one names the file, the entry and the phrase', () => {
    const file = (phrase: string) =>
      `version: 1\nlanguage: zh\ncategory: banned\nentries:\n  - id: zh.banned.x\n    source: 004 (2)\n    phrases: [不归我管, "${phrase}"]\n    exceptions: ["(您|你)说过了吗"]\n`;
    const { entries } = parseLexiconFile(file('(我|)(已经|)说过了'), 'zh/banned.yaml');
    expect(entries[0].phrases).toEqual(['不归我管', '我已经说过了', '我说过了', '已经说过了', '说过了']);
    expect(entries[0].exceptions).toEqual(['您说过了吗', '你说过了吗']);
    expect(() => parseLexiconFile(file('(我|说过了'), 'zh/banned.yaml')).toThrow('zh/banned.yaml: entries[0] (id zh.banned.x).phrases[1]: "(" at character 1 is never closed');
  });
});
