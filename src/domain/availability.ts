/**
 * Pure availability rules (no I/O): validating a coach's weekly hours and one-off
 * windows, and computing the bookable windows of a range. Instants are compared by
 * `getTime()`, wall-clock hours go through weekly-rule.ts, so nothing depends on the
 * process timezone.
 */
import { bookableWindows, type Interval } from './intervals';
import { MINUTES_PER_DAY, formatLocalEndTime, formatLocalTime, isDayOfWeek } from './civil-date';
import { expandWeeklyWindows } from './weekly-rule';

export const DAY_MS = 86_400_000;

/** Longest extra window: a month of extra hours is already unusual; more is a typo. */
export const MAX_ADDITION_MS = 31 * DAY_MS;
/** Longest block: long enough for a half-year leave; longer absences take several blocks. */
export const MAX_BLOCK_MS = 180 * DAY_MS;
/** Longest coachAvailability range. */
export const MAX_AVAILABILITY_RANGE_MS = 62 * DAY_MS;
/** A week holds at most this many slots (one every ~100 minutes, far beyond any real schedule). */
export const MAX_WEEKLY_SLOTS = 100;
export const MAX_NOTE_LENGTH = 500;

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * A weekly slot in wall-clock minutes since midnight, [startMinute, endMinute); endMinute
 * 1440 ("24:00") ends it at the next midnight, where the next day's 00:00 slot may carry on.
 */
export interface WeeklySlot {
  dayOfWeek: number;
  startMinute: number;
  endMinute: number;
}

/** What is wrong with a list of weekly slots: the slot's index, its field, and why. */
export interface SlotProblem {
  index: number;
  field: 'dayOfWeek' | 'startTime' | 'endTime';
  message: string;
}

function describe(slot: WeeklySlot): string {
  return `${DAY_NAMES[slot.dayOfWeek]} ${formatLocalTime(slot.startMinute)}-${formatLocalEndTime(slot.endMinute)}`;
}

/**
 * The first problem of a weekly schedule, or null: dayOfWeek 0..6, start 0..1439, end
 * 1..1440 (24:00) after start, and no two slots of a day overlapping (half-open: 09:00-12:00 and
 * 12:00-15:00 are fine). An overlap is reported on the later slot of the input.
 */
export function weeklySlotProblem(slots: readonly WeeklySlot[]): SlotProblem | null {
  for (const [index, slot] of slots.entries()) {
    if (!isDayOfWeek(slot.dayOfWeek)) {
      return { index, field: 'dayOfWeek', message: 'dayOfWeek must be 0 (Sunday) to 6 (Saturday)' };
    }
    if (!Number.isInteger(slot.startMinute) || slot.startMinute < 0 || slot.startMinute > 1439) {
      return { index, field: 'startTime', message: 'startTime must be a time of day, 00:00 to 23:59' };
    }
    if (!Number.isInteger(slot.endMinute) || slot.endMinute < 0 || slot.endMinute > MINUTES_PER_DAY) {
      return { index, field: 'endTime', message: 'endTime must be a time of day, 00:00 to 24:00' };
    }
    if (slot.endMinute <= slot.startMinute) {
      return { index, field: 'endTime', message: 'endTime must be after startTime' };
    }
  }
  // Sort by day and start; a slot overlaps when it starts before the latest end seen on its day.
  const order = slots.map((slot, index) => ({ slot, index })).sort((a, b) => a.slot.dayOfWeek - b.slot.dayOfWeek || a.slot.startMinute - b.slot.startMinute || a.index - b.index);
  let reach: { slot: WeeklySlot; index: number } | null = null;
  for (const current of order) {
    if (reach && reach.slot.dayOfWeek === current.slot.dayOfWeek && current.slot.startMinute < reach.slot.endMinute) {
      const [earlier, later] = reach.index < current.index ? [reach, current] : [current, reach];
      return { index: later.index, field: 'startTime', message: `Slot overlaps slot ${earlier.index} (${describe(earlier.slot)})` };
    }
    if (!reach || reach.slot.dayOfWeek !== current.slot.dayOfWeek || current.slot.endMinute > reach.slot.endMinute) reach = current;
  }
  return null;
}

/** Why a one-off window is unacceptable, or null: it must end after it starts and last at most `maxMs`. */
export function windowProblem(window: Interval, maxMs: number): string | null {
  const start = window.start.getTime();
  const end = window.end.getTime();
  if (!(end > start)) return 'endTime must be after startTime';
  if (end - start > maxMs) return `The window may last at most ${Math.round(maxMs / DAY_MS)} days`;
  return null;
}

/**
 * The coach's bookable windows in `range`, in UTC: weekly wall-clock hours in `timezone`
 * plus additions, minus blocks and booked sessions, merged (touching windows become one).
 */
export function availableWindows(args: {
  weekly: readonly WeeklySlot[];
  timezone: string;
  additions: Interval[];
  blocks: Interval[];
  booked: Interval[];
  range: Interval;
}): Interval[] {
  return bookableWindows({
    weekly: expandWeeklyWindows([...args.weekly], args.timezone, args.range.start, args.range.end),
    additions: args.additions,
    blocks: args.blocks,
    booked: args.booked,
    range: args.range,
  });
}
