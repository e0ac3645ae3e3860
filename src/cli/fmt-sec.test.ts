import { describe, expect, it } from 'vitest';
import { fmtSec } from './analyze.js';

describe('lengths in the analyze table (m:ss)', () => {
  it('a call shorter than a second is not shown as a whole second', () => {
    expect(fmtSec(0.5)).toBe('<0:01');
    expect(fmtSec(0.04)).toBe('<0:01');
  });
  it('rounds the whole length once: never "0:60"', () => {
    expect(fmtSec(59.6)).toBe('1:00');
    expect(fmtSec(119.5)).toBe('2:00');
    expect(fmtSec(61.2)).toBe('1:01');
  });
  it('zero, whole seconds and no number', () => {
    expect(fmtSec(0)).toBe('0:00');
    expect(fmtSec(1)).toBe('0:01');
    expect(fmtSec(62)).toBe('1:02');
    expect(fmtSec(undefined)).toBe('-');
  });
});
