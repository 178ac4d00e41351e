// Free windows (coachAvailability) cut into bookable starts of the coach's session length.
import type { FreeSlotsQuery } from '../generated/graphql';

export interface Slot { start: string; end: string }

export function slotsIn(windows: FreeSlotsQuery['coachAvailability'], minutes: number, notBefore: number): Slot[] {
  const length = minutes * 60_000;
  const slots: Slot[] = [];
  for (const window of windows) {
    const end = Date.parse(window.endTime);
    for (let start = Date.parse(window.startTime); start + length <= end; start += length) {
      if (start >= notBefore) slots.push({ start: new Date(start).toISOString(), end: new Date(start + length).toISOString() });
    }
  }
  return slots;
}
