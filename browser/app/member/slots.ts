// Free windows (coachAvailability) cut into bookable starts of the coach's session length.
import type { FreeSlotsQuery } from '../generated/graphql';

const QUARTER = 15 * 60_000;

export interface Slot { start: string; end: string }

export function slotsIn(windows: FreeSlotsQuery['coachAvailability'], minutes: number, notBefore: number): Slot[] {
  const length = minutes * 60_000;
  const slots: Slot[] = [];
  for (const window of windows) {
    const end = Date.parse(window.endTime);
    // A window that opens at an odd minute (today's, from now) starts on the next quarter hour.
    for (let start = Math.ceil(Date.parse(window.startTime) / QUARTER) * QUARTER; start + length <= end; start += length) {
      if (start >= notBefore) slots.push({ start: new Date(start).toISOString(), end: new Date(start + length).toISOString() });
    }
  }
  return slots;
}
