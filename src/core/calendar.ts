/**
 * Dates and times typed into filters (CLI options, API query parameters), checked against the calendar: a string
 * can have the shape of one and name none. 2026-13-01 reached the database, which refused it (error 22008: a 500);
 * 2026-02-30 rolled over into March in JavaScript's Date; 2026-11-30T99:99 became an Invalid Date.
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?$/;

/** Whether `v` is a date YYYY-MM-DD that is a day of the calendar. */
export function isCalendarDay(v: string): boolean {
  if (!DAY.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/**
 * Whether `v` is an ISO 8601 time on a day of the calendar: YYYY-MM-DDTHH:MM, with :SS and a fraction if wanted,
 * and Z, ±HH:MM, ±HHMM or no offset (the server's time zone); hours 00-23, minutes and seconds 00-59, an offset
 * under 24 hours.
 */
export function isCalendarTime(v: string): boolean {
  const m = TIME.exec(v);
  if (!m || !isCalendarDay(m[1]!)) return false;
  const [hours, minutes, seconds = '0', offsetHours = '0', offsetMinutes = '0'] = m.slice(2);
  return Number(hours) <= 23 && Number(minutes) <= 59 && Number(seconds) <= 59 && Number(offsetHours) <= 23 && Number(offsetMinutes) <= 59
    && Number.isFinite(Date.parse(v));
}
