/**
 * Who is busy when: the pure half of session generation's conflict check. Instants are
 * epoch milliseconds and intervals half-open [start, end), so back-to-back is free and
 * nothing depends on the process timezone.
 */
import { fitsCapacity } from './intervals';

const DAY_MS = 86_400_000;

export interface Span {
  s: number;
  e: number;
}

/** Busy intervals per key (a coach, a member, a room), bucketed by UTC day of their start. */
export class Occupancy {
  private readonly byKey = new Map<string, Map<number, Span[]>>();
  private longest = 0;

  add(key: string, start: number, end: number): void {
    if (!(start < end)) return;
    let days = this.byKey.get(key);
    if (!days) this.byKey.set(key, (days = new Map()));
    const day = Math.floor(start / DAY_MS);
    const bucket = days.get(day);
    if (bucket) bucket.push({ s: start, e: end });
    else days.set(day, [{ s: start, e: end }]);
    if (end - start > this.longest) this.longest = end - start;
  }

  /** The intervals of `key` that share an instant with [start, end). */
  overlapping(key: string, start: number, end: number): Span[] {
    const days = this.byKey.get(key);
    const found: Span[] = [];
    if (!days || !(start < end)) return found;
    // An interval overlapping [start, end) starts after start - longest and before end.
    const first = Math.floor((start - this.longest) / DAY_MS);
    const last = Math.floor((end - 1) / DAY_MS);
    for (let day = first; day <= last; day++) {
      for (const span of days.get(day) ?? []) {
        if (span.s < end && span.e > start) found.push(span);
      }
    }
    return found;
  }

  isFree(key: string, start: number, end: number): boolean {
    return this.overlapping(key, start, end).length === 0;
  }
}

/** Why a session cannot be placed, checked in this order everywhere: coach, member, room. */
export type Clash = 'COACH' | 'MEMBER' | 'ROOM';

export const CLASH_MESSAGES: Readonly<Record<Clash, string>> = Object.freeze({
  COACH: 'The coach already has a session at that time',
  MEMBER: 'The member already has a session at that time',
  ROOM: 'The room is full at that time',
});

export interface Placement {
  coachId: string;
  memberId: string;
  roomId: string;
  start: number;
  end: number;
}

/**
 * Which candidates can join the existing (non-cancelled) sessions without double-booking
 * a coach or a member or putting more than its capacity into a room. Greedy, in the
 * order given: an accepted candidate occupies its slot for the ones after it. A room
 * missing from `capacities` takes nothing. `clashes[i]` says why `rejected[i]` was refused.
 */
export function placeSessions<C extends Placement>(
  candidates: readonly C[],
  existing: readonly Placement[],
  capacities: ReadonlyMap<string, number>,
): { accepted: C[]; rejected: C[]; clashes: Clash[] } {
  const coaches = new Occupancy();
  const members = new Occupancy();
  const rooms = new Occupancy();
  const occupy = (p: Placement) => {
    coaches.add(p.coachId, p.start, p.end);
    members.add(p.memberId, p.start, p.end);
    rooms.add(p.roomId, p.start, p.end);
  };
  existing.forEach(occupy);

  const accepted: C[] = [];
  const rejected: C[] = [];
  const clashes: Clash[] = [];
  for (const candidate of candidates) {
    const { start, end } = candidate;
    const capacity = capacities.get(candidate.roomId) ?? 0;
    const clash: Clash | null = !coaches.isFree(candidate.coachId, start, end)
      ? 'COACH'
      : !members.isFree(candidate.memberId, start, end)
        ? 'MEMBER'
        : !roomFits(rooms.overlapping(candidate.roomId, start, end), start, end, capacity)
          ? 'ROOM'
          : null;
    if (clash === null) {
      accepted.push(candidate);
      occupy(candidate);
    } else {
      rejected.push(candidate);
      clashes.push(clash);
    }
  }
  return { accepted, rejected, clashes };
}

/**
 * THE room-capacity rule (booking, rescheduling, generation, revival): [start, end) fits
 * when, at the busiest instant inside it, fewer than `capacity` of the `overlapping`
 * sessions are in the room. The peak, not the number of overlapping sessions: two
 * back-to-back half-hours take one seat of an hour.
 */
export function roomFits(overlapping: readonly Span[], start: number, end: number, capacity: number): boolean {
  if (!(start < end) || capacity < 1) return false;
  // Fewer overlapping sessions than seats fit whatever their arrangement: skip the sweep.
  if (overlapping.length < capacity) return true;
  return fitsCapacity(
    overlapping.map((span) => ({ start: new Date(span.s), end: new Date(span.e) })),
    { start: new Date(start), end: new Date(end) },
    capacity,
  );
}
