/**
 * Group classes: where a new enrollment goes, and what a freed place becomes. Pure rules:
 * the enrollment service applies them under the lock on the class row, so the counts are
 * current. Instants are epoch milliseconds.
 */
import { MS_PER_MINUTE } from './civil-date';

/** Enrollment statuses that hold one of the class's places. */
export const HOLDS_PLACE = ['BOOKED', 'OFFERED', 'ATTENDED', 'NO_SHOW'] as const;
/** Enrollment statuses that are still open: one per (class, member). */
export const ACTIVE = ['BOOKED', 'WAITLISTED', 'OFFERED'] as const;

export interface Places {
  /** Places held (HOLDS_PLACE). */
  held: number;
  capacity: number;
  waitlisted: number;
  waitlistCapacity: number;
}

/** BOOKED while a place is free, else WAITLISTED while the waitlist has room, else null (full). */
export function placeFor(places: Places): 'BOOKED' | 'WAITLISTED' | null {
  if (places.held < places.capacity) return 'BOOKED';
  if (places.waitlisted < places.waitlistCapacity) return 'WAITLISTED';
  return null;
}

/**
 * What a freed place becomes at `now`: before the cutoff, the first eligible waitlisted
 * member is BOOKED at once (AUTO); after it, the place is OFFERED to one member at a time;
 * once the class has started, nothing (every open offer and waitlist entry expires then).
 */
export function promotionMode(now: number, classStart: number, cutoffMinutes: number): 'AUTO' | 'OFFER' | 'NONE' {
  if (now >= classStart) return 'NONE';
  return now <= classStart - cutoffMinutes * MS_PER_MINUTE ? 'AUTO' : 'OFFER';
}
