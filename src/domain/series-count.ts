import { nthOccurrenceDate, type WeeklyRule } from './weekly-rule';

/** A count-limited series holds at most this many sessions (the contract's 1-520). */
export const MAX_SERIES_OCCURRENCES = 520;

/**
 * The last local date of a series that delivers `occurrences` sessions (the contract's
 * RecurringBooking.occurrences): an occurrence the studio takes away (a block, a clash, a
 * pause, a cancellation by staff) is made up by one more at the end, and if that one is
 * taken away too, by the next. A member's own cancellation counts as delivered, so the
 * caller does not report it as taken away.
 */
export function countLimitedEndDate(
  rule: Pick<WeeklyRule, 'dayOfWeek' | 'startDate' | 'intervalWeeks'>,
  occurrences: number,
  isTakenAway: (localDate: string) => boolean,
): string {
  if (!Number.isInteger(occurrences) || occurrences < 1 || occurrences > MAX_SERIES_OCCURRENCES) {
    throw new RangeError(`occurrences must be an integer 1..${MAX_SERIES_OCCURRENCES}, got ${String(occurrences)}`);
  }
  let held = 0;
  // Every date taken away costs one more step; a bound keeps a predicate that takes everything from looping forever.
  for (let n = 1; n <= 2 * MAX_SERIES_OCCURRENCES + occurrences; n++) {
    const date = nthOccurrenceDate(rule, n);
    if (!isTakenAway(date) && ++held === occurrences) return date;
  }
  throw new RangeError('More occurrences were taken away than a series can make up');
}
