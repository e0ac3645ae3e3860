import { WorkflowError } from './errors.js';
import { findItem, pointsRange, type FinalCard } from './decisions.js';
import type { DisputeWindow, ReviewSettings } from './settings.js';

/**
 * Disputes (质检申诉) as a state machine, pure: open -> upheld | amended, nothing after a ruling.
 * 001 质检日常考核标准 五: the agent disputes on the day the result reached them (a program setting);
 * 002 考核结果的申诉 / 一、监控制度 注: the agent's supervisor checks and fixes the final result.
 */

export type DisputeState = 'open' | 'upheld' | 'amended';
export type RulingOutcome = 'upheld' | 'amended';

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(at)
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, Number(p.value)]),
  );
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The last instant a dispute is accepted for a result published at `publishedAt` (exclusive end). */
export function disputeDeadline(publishedAt: Date, window: DisputeWindow): Date {
  if (window.kind === 'span') return new Date(publishedAt.getTime() + window.hours * 3_600_000);
  // the next local midnight: guess with the offset at publication, correct once for a DST change that day
  const [y, m, d] = localDate(publishedAt, window.timeZone).split('-').map(Number);
  const localMidnightAsUtc = Date.UTC(y!, m! - 1, d! + 1);
  let guess = localMidnightAsUtc - zoneOffsetMs(publishedAt, window.timeZone);
  guess = localMidnightAsUtc - zoneOffsetMs(new Date(guess), window.timeZone);
  return new Date(guess);
}

export interface OpenDisputeCheck {
  reviewStatus: 'in_progress' | 'completed';
  publishedAt: Date | null;
  now: Date;
  settings: ReviewSettings;
  card: FinalCard;
  itemId: string;
  /** disputes already opened on this review */
  existing: { itemId: string; status: DisputeState }[];
}

/** Throws WorkflowError unless the agent may open a dispute on the item now. */
export function checkOpenDispute(c: OpenDisputeCheck): void {
  if (c.reviewStatus !== 'completed' || !c.publishedAt) {
    throw new WorkflowError('conflict', 'only a completed review can be disputed; this call has no published result yet');
  }
  if (!findItem(c.card.sections, c.itemId)) {
    throw new WorkflowError('not_found', `no item "${c.itemId}" in this review`, { field: 'itemId' });
  }
  const deadline = disputeDeadline(c.publishedAt, c.settings.disputeWindow);
  if (c.now.getTime() >= deadline.getTime()) {
    throw new WorkflowError('conflict', `the dispute window closed at ${deadline.toISOString()} (${describeWindow(c.settings.disputeWindow)} after the result was published)`, {
      deadline: deadline.toISOString(),
    });
  }
  const same = c.existing.find((d) => d.itemId === c.itemId);
  if (same) {
    throw new WorkflowError('conflict', `item ${c.itemId} is already disputed (${same.status}); an item can be disputed once`);
  }
  if (c.existing.length >= c.settings.disputeLimit) {
    throw new WorkflowError('conflict', `the dispute limit of this program is reached: ${c.settings.disputeLimit} per review`, {
      limit: c.settings.disputeLimit,
    });
  }
}

export function describeWindow(w: DisputeWindow): string {
  return w.kind === 'same_day' ? `same day (${w.timeZone})` : `${w.hours} h`;
}

export interface RulingInput {
  outcome: RulingOutcome;
  points?: number;
  reason: string;
}

export interface ValidRuling {
  outcome: RulingOutcome;
  /** amended: the item's points after the ruling (null for fatal items) */
  points: number | null;
  /** amended fatal items: whether the fault holds after the ruling */
  fatal: boolean | null;
  reason: string;
}

/**
 * Validates a supervisor's ruling on an open dispute. upheld: the result stands as it is. amended: the item
 * takes `points` (for fatal items the verdict flips, no points).
 */
export function checkRuling(state: DisputeState, card: FinalCard, itemId: string, r: RulingInput): ValidRuling {
  if (state !== 'open') throw new WorkflowError('conflict', `this dispute was already ruled (${state}); a ruling is final`);
  const reason = r.reason.trim();
  if (!reason) throw new WorkflowError('invalid', 'a ruling needs a reason', { field: 'reason' });
  if (r.outcome === 'upheld') {
    if (r.points !== undefined) throw new WorkflowError('invalid', 'an upheld ruling keeps the result: send no points', { field: 'points' });
    return { outcome: 'upheld', points: null, fatal: null, reason };
  }
  const found = findItem(card.sections, itemId);
  if (!found) throw new WorkflowError('not_found', `no item "${itemId}" in this review`);
  const { item, section } = found;
  if (item.kind === 'fatal') {
    if (r.points !== undefined && r.points !== 0) throw new WorkflowError('invalid', `item ${itemId} is a fatal item: an amendment flips its verdict and takes no points`, { field: 'points' });
    return { outcome: 'amended', points: null, fatal: item.status !== 'fatal', reason };
  }
  if (r.points === undefined) {
    const { min, max } = pointsRange(item, section.max);
    throw new WorkflowError('invalid', `an amended ruling needs the item's new points (${min}..${max})`, { field: 'points' });
  }
  const { min, max } = pointsRange(item, section.max);
  if (!Number.isFinite(r.points) || r.points < min || r.points > max) {
    throw new WorkflowError('invalid', `points for item ${itemId} must be between ${min} and ${max}, got ${r.points}`, { field: 'points' });
  }
  if (r.points === item.points) {
    throw new WorkflowError('invalid', `item ${itemId} already has ${r.points} points: an amendment must change them (or rule upheld)`, { field: 'points' });
  }
  return { outcome: 'amended', points: r.points, fatal: null, reason };
}
