import type { Tx } from '../db/transaction';
import { bookableWindows, coversInterval, type Interval } from '../domain/intervals';
import { expandWeeklyWindows, occurrencesBetween, type WeeklyRule } from '../domain/weekly-rule';
import { badInput } from '../errors';
import type { PrismaClient } from '../generated/prisma/client';

type Reader = PrismaClient | Tx;

/**
 * The coach's bookable time in [range): weekly hours (wall-clock in the studio's
 * timezone) plus additions, minus blocks. Booked sessions are not subtracted here:
 * double-booking is the database's job (exclusion constraints).
 */
export async function bookableTime(db: Reader, coachId: string, range: Interval, studioTimezone: string): Promise<Interval[]> {
  const [weekly, additions, blocks] = await Promise.all([
    db.weeklyAvailability.findMany({ where: { coachId } }),
    db.availabilityAddition.findMany({ where: { coachId, startTime: { lt: range.end }, endTime: { gt: range.start } } }),
    db.availabilityBlock.findMany({ where: { coachId, startTime: { lt: range.end }, endTime: { gt: range.start } } }),
  ]);
  return bookableWindows({
    weekly: expandWeeklyWindows(weekly, studioTimezone, range.start, range.end),
    additions: additions.map(({ startTime, endTime }) => ({ start: startTime, end: endTime })),
    blocks: blocks.map(({ startTime, endTime }) => ({ start: startTime, end: endTime })),
    booked: [],
    range,
  });
}

/** BAD_USER_INPUT on `field` unless [start, end) lies inside the coach's bookable time. */
export async function assertBookable(db: Reader, coachId: string, slot: Interval, studioTimezone: string, field: string): Promise<void> {
  const windows = await bookableTime(db, coachId, slot, studioTimezone);
  if (!coversInterval(windows, slot)) {
    throw badInput(field, "The time is outside the coach's bookable hours");
  }
}

const WEEK_MS = 7 * 24 * 3_600_000;

/**
 * BAD_USER_INPUT on `field` unless every occurrence of a weekly series in the coming
 * year lies inside the coach's weekly hours. Checking instants (not just minutes of the
 * day) keeps this right when the series' timezone differs from the studio's, whose DST
 * changes may fall on other dates.
 */
export async function assertWeeklySlotInsideHours(
  db: Reader,
  coachId: string,
  rule: WeeklyRule,
  from: Date,
  studioTimezone: string,
  field: string,
): Promise<void> {
  const to = new Date(from.getTime() + 53 * WEEK_MS);
  const occurrences = occurrencesBetween(rule, from, to);
  if (occurrences.length === 0) return;
  const weekly = await db.weeklyAvailability.findMany({ where: { coachId } });
  const hours = expandWeeklyWindows(weekly, studioTimezone, occurrences[0].start, occurrences[occurrences.length - 1].end);
  const outside = occurrences.find((occurrence) => !coversInterval(hours, occurrence));
  if (outside) {
    throw badInput(field, `The weekly slot is outside the coach's weekly hours (first on ${outside.localDate})`);
  }
}
