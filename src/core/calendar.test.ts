import { describe, expect, it } from 'vitest';
import { isCalendarDay, isCalendarTime } from './calendar.js';

describe('isCalendarDay', () => {
  it.each([
    ['2026-11-30', true],
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['2026-12-31', true],
    ['2026-02-29', false],
    ['1900-02-29', false],
    ['2026-02-30', false],
    ['2026-11-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-11-00', false],
    ['2026-1-30', false],
    ['2026/11/30', false],
    ['2026-11-30T10:00:00Z', false],
    [' 2026-11-30', false],
    ['', false],
  ])('%s: %s', (v, ok) => expect(isCalendarDay(v)).toBe(ok));
});

describe('isCalendarTime', () => {
  it.each([
    ['2026-11-30T10:00', true],
    ['2026-11-30T00:00:00Z', true],
    ['2026-11-30T23:59:59.999Z', true],
    ['2026-11-30T10:00:00.123456+08:00', true],
    ['2026-11-30T10:00+0800', true],
    ['2026-11-30T10:00:00-23:59', true],
    ['2026-11-30T99:99', false],
    ['2026-11-30T24:00', false],
    ['2026-11-30T23:60', false],
    ['2026-11-30T23:59:60Z', false],
    ['2026-11-30T10:00:00+24:00', false],
    ['2026-11-30T10:00:00+08:60', false],
    ['2026-11-30T10:00:00+08', false],
    ['2026-11-30T10', false],
    ['2026-11-30T1:2', false],
    ['2026-11-30T10:00:00.', false],
    ['2026-02-30T10:00:00Z', false],
    ['2026-11-30', false],
    ['2026-11-30 10:00', false],
  ])('%s: %s', (v, ok) => expect(isCalendarTime(v)).toBe(ok));
});
