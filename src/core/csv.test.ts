import { describe, expect, it } from 'vitest';
import { csvCell, csvText } from './csv.js';

describe('csv', () => {
  it('quotes cells with commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('不清楚')).toBe('不清楚');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });
  it('defuses a leading = + - @ so a spreadsheet never runs it as a formula; plain numbers stay numbers', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1-2')).toBe("'+1-2");
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell('-3')).toBe('-3');
  });
  it('rows end with CRLF, the last one too', () => {
    expect(csvText([['a', 'b'], [1, null]])).toBe('a,b\r\n1,\r\n');
  });
});
