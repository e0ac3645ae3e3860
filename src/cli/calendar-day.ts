import { InvalidArgumentError } from 'commander';
import { isCalendarDay } from '../core/calendar.js';

/**
 * The value of a `<date>` option (search and trends --from/--to): a day of the calendar, YYYY-MM-DD, or a usage
 * error (exit 2). Date.parse takes 2026-02-30, which the database then refuses (error 22008).
 */
export function calendarDay(v: string): string {
  if (!isCalendarDay(v)) throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  return v;
}
