/**
 * Calendar days as platform.yaml writes them (`expires: 2027-01-31`): one owner, so every check agrees on
 * what a date is. `Date.parse` alone is not enough: it reads 2027-02-30 as the 2nd of March.
 */

/** `YYYY-MM-DD` naming a real day (not 2027-02-30). */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && isoDay(date) === text;
}

/** A date as YYYY-MM-DD in UTC, the way `expires` is written. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
