/**
 * What a generation run decides for class schedules (pure; the statements are in
 * services/class-generation.sql.ts): the occurrences of the live schedules inside the
 * horizon, and where each standing reservation of a new class goes. Occurrences follow
 * the same weekly rule (and DST rule) as recurring bookings; instants are epoch ms.
 */
import { placeFor } from './enrollment';
import type { Occupancy, Placement } from './occupancy';
import { occurrencesBetween, type WeeklyRule } from './weekly-rule';

/** An ACTIVE schedule as a run reads it. */
export interface PlannedSchedule extends Required<WeeklyRule> {
  id: string;
  classTypeId: string;
  coachId: string;
  roomId: string;
  capacity: number;
}

/**
 * One occurrence that may become a class. `memberId` is the occurrence's own key: a class
 * holds its coach and a room, no member, so two classes never clash as "members"
 * when placed with placeSessions.
 */
export interface ClassCandidate extends Placement {
  scheduleId: string;
  classTypeId: string;
  capacity: number;
  localDate: string;
}

/** The key of one occurrence of one schedule. */
export function classOccurrenceKey(scheduleId: string, startMs: number): string {
  return `${scheduleId}|${startMs}`;
}

/**
 * Occurrences of the schedules starting in [from, to), in schedule order then time. A
 * schedule whose rule cannot be expanded (a row no API could have written) is listed in
 * `invalid` and contributes nothing.
 */
export function classCandidates(
  schedules: readonly PlannedSchedule[],
  from: Date,
  to: Date,
): { candidates: ClassCandidate[]; invalid: { scheduleId: string; error: unknown }[] } {
  const candidates: ClassCandidate[] = [];
  const invalid: { scheduleId: string; error: unknown }[] = [];
  for (const s of schedules) {
    let occurrences;
    try {
      occurrences = occurrencesBetween(s, from, to);
    } catch (error) {
      invalid.push({ scheduleId: s.id, error });
      continue;
    }
    for (const o of occurrences) {
      const start = o.start.getTime();
      candidates.push({
        scheduleId: s.id, classTypeId: s.classTypeId, coachId: s.coachId, roomId: s.roomId, capacity: s.capacity,
        memberId: classOccurrenceKey(s.id, start), start, end: o.end.getTime(), localDate: o.localDate,
      });
    }
  }
  return { candidates, invalid };
}

/** The order candidates are placed in: by start, then schedule id, so the same run decides the same way. */
export function byClassPlacementOrder(a: ClassCandidate, b: ClassCandidate): number {
  return a.start - b.start || (a.scheduleId < b.scheduleId ? -1 : a.scheduleId > b.scheduleId ? 1 : 0);
}

/** A member's weekly place in a schedule, on the local dates [startDate, endDate]. */
export interface Reservation {
  id: string;
  memberId: string;
  startDate: string;
  endDate: string | null;
}

/** A new class, for seating its standing reservations. */
export interface NewClass {
  localDate: string;
  start: number;
  end: number;
  capacity: number;
  waitlistCapacity: number;
}

export interface Seat {
  reservationId: string;
  memberId: string;
  /** null: not enrolled (BUSY: the member holds something else then; FULL: class and waitlist full). */
  status: 'BOOKED' | 'WAITLISTED' | null;
  skipped?: 'BUSY' | 'FULL';
}

/**
 * Where each reservation covering the class's date goes, oldest reservation first: a
 * place while one is free, else the waitlist while it has room. A member busy at that time
 * (in `busy`, which gains every place given here) is skipped. Nobody else can be in a
 * class that is being created, so the places are the class's whole capacity.
 */
export function seatReservations(cls: NewClass, reservations: readonly Reservation[], busy: Occupancy): Seat[] {
  const seats: Seat[] = [];
  let held = 0;
  let waitlisted = 0;
  for (const r of reservations) {
    if (cls.localDate < r.startDate || (r.endDate !== null && cls.localDate > r.endDate)) continue;
    if (!busy.isFree(r.memberId, cls.start, cls.end)) {
      seats.push({ reservationId: r.id, memberId: r.memberId, status: null, skipped: 'BUSY' });
      continue;
    }
    const status = placeFor({ held, capacity: cls.capacity, waitlisted, waitlistCapacity: cls.waitlistCapacity });
    if (status === 'BOOKED') {
      held++;
      busy.add(r.memberId, cls.start, cls.end);
    } else if (status === 'WAITLISTED') {
      waitlisted++;
    }
    seats.push({ reservationId: r.id, memberId: r.memberId, status, ...(status === null ? { skipped: 'FULL' as const } : {}) });
  }
  return seats;
}
