import { describe, expect, it } from 'vitest';
import type { FinalCard } from './decisions.js';
import { checkOpenDispute, checkRuling, disputeDeadline, localDate, type OpenDisputeCheck } from './disputes.js';
import { WorkflowError } from './errors.js';
import { reviewSettings } from './settings.js';

const card = {
  pipeline: { id: 'p', version: '1' },
  title: 't',
  maxTotal: 20,
  total: 15,
  fatal: false,
  fatalItems: [],
  counts: {},
  pendingItems: [],
  complete: true,
  sections: [
    {
      id: 's',
      title: 's',
      max: 20,
      bonus: false,
      score: 15,
      itemDeductions: 5,
      penaltyDeductions: 0,
      bonusPoints: 0,
      pendingReviewPoints: 0,
      items: [
        { id: 'greet', kind: 'standard', status: 'deducted', maxPoints: 10, points: 5 },
        { id: 'close', kind: 'standard', status: 'pass', maxPoints: 10, points: 10 },
        { id: 'abuse', kind: 'fatal', status: 'pass', maxPoints: 0, points: 0 },
      ],
    },
  ],
} as unknown as FinalCard;

const err = (fn: () => unknown): WorkflowError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof WorkflowError) return e;
    throw e;
  }
  throw new Error('expected a WorkflowError');
};

describe('dispute window', () => {
  it('same-day means until the next local midnight in the program time zone (001 质检日常考核标准: 当天内)', () => {
    const w = reviewSettings({ window: 'same-day', timezone: 'Asia/Shanghai' }, 'UTC').disputeWindow;
    // published 23:00 in Shanghai (UTC+8) -> closes at local midnight = 16:00 UTC
    expect(disputeDeadline(new Date('2026-11-30T15:00:00Z'), w).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    // published 00:30 local -> closes 23.5 h later
    expect(disputeDeadline(new Date('2026-11-29T16:30:00Z'), w).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(localDate(new Date('2026-11-30T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-11-30');
  });

  it('same-day across a daylight-saving change (New York, 2026-03-08 has 23 hours)', () => {
    const w = reviewSettings({ window: 'same-day', timezone: 'America/New_York' }, 'UTC').disputeWindow;
    // 01:00 EST -> the next midnight is 00:00 EDT (UTC-4) = 04:00 UTC on the 9th
    expect(disputeDeadline(new Date('2026-03-08T06:00:00Z'), w).toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });

  it('a span window counts hours from publication; the default is same-day, 3 per review, server zone', () => {
    expect(disputeDeadline(new Date('2026-11-30T15:00:00Z'), reviewSettings({ window: '2d' }, 'UTC').disputeWindow).toISOString()).toBe('2026-12-02T15:00:00.000Z');
    expect(reviewSettings(undefined, 'Asia/Shanghai')).toEqual({ disputeWindow: { kind: 'same_day', timeZone: 'Asia/Shanghai' }, disputeLimit: 3 });
    expect(() => reviewSettings({ window: 'tomorrow' }, 'UTC')).toThrow(/same-day/);
    expect(() => reviewSettings({ timezone: 'Mars/Olympus' }, 'UTC')).toThrow(/IANA/);
  });
});

describe('checkOpenDispute', () => {
  const base: OpenDisputeCheck = {
    reviewStatus: 'completed',
    publishedAt: new Date('2026-11-30T02:00:00Z'), // 10:00 in Shanghai
    now: new Date('2026-11-30T09:00:00Z'),
    settings: { disputeWindow: { kind: 'same_day', timeZone: 'Asia/Shanghai' }, disputeLimit: 2 },
    card,
    itemId: 'greet',
    existing: [],
  };

  it('accepts within the window', () => {
    expect(() => checkOpenDispute(base)).not.toThrow();
    expect(() => checkOpenDispute({ ...base, now: new Date('2026-11-30T15:59:59Z') })).not.toThrow();
  });

  it('refuses from local midnight on, naming when it closed', () => {
    const e = err(() => checkOpenDispute({ ...base, now: new Date('2026-11-30T16:00:00Z') }));
    expect(e.kind).toBe('conflict');
    expect(e.message).toMatch(/closed at 2026-11-30T16:00:00.000Z/);
  });

  it('refuses an incomplete review, an unknown item, the same item twice, and past the limit', () => {
    expect(err(() => checkOpenDispute({ ...base, reviewStatus: 'in_progress', publishedAt: null })).message).toMatch(/completed review/);
    expect(err(() => checkOpenDispute({ ...base, itemId: 'nope' })).kind).toBe('not_found');
    expect(err(() => checkOpenDispute({ ...base, existing: [{ itemId: 'greet', status: 'upheld' }] })).message).toMatch(/already disputed \(upheld\)/);
    const limit = err(() => checkOpenDispute({ ...base, itemId: 'abuse', existing: [{ itemId: 'greet', status: 'open' }, { itemId: 'close', status: 'open' }] }));
    expect(limit.message).toMatch(/limit .* 2 per review/);
  });
});

describe('checkRuling: open -> upheld | amended, final after that', () => {
  it('upheld keeps the result and takes no points', () => {
    expect(checkRuling('open', card, 'greet', { outcome: 'upheld', reason: 'greeting incomplete' })).toEqual({ outcome: 'upheld', points: null, fatal: null, reason: 'greeting incomplete' });
    expect(err(() => checkRuling('open', card, 'greet', { outcome: 'upheld', points: 8, reason: 'x' })).kind).toBe('invalid');
  });

  it('amended needs new points in range that differ from the current ones', () => {
    expect(checkRuling('open', card, 'greet', { outcome: 'amended', points: 8, reason: 'fine' }).points).toBe(8);
    expect(err(() => checkRuling('open', card, 'greet', { outcome: 'amended', reason: 'x' })).message).toMatch(/new points \(0\.\.10\)/);
    expect(err(() => checkRuling('open', card, 'greet', { outcome: 'amended', points: 5, reason: 'x' })).message).toMatch(/already has 5/);
    expect(err(() => checkRuling('open', card, 'greet', { outcome: 'amended', points: 12, reason: 'x' })).message).toMatch(/between 0 and 10/);
  });

  it('a fatal item amendment flips the verdict', () => {
    expect(checkRuling('open', card, 'abuse', { outcome: 'amended', reason: 'x' }).fatal).toBe(true);
  });

  it('a ruling is final, and needs a reason', () => {
    expect(err(() => checkRuling('upheld', card, 'greet', { outcome: 'amended', points: 8, reason: 'x' })).kind).toBe('conflict');
    expect(err(() => checkRuling('open', card, 'greet', { outcome: 'upheld', reason: '  ' })).message).toMatch(/reason/);
  });
});
