import type { Tx } from '../db/transaction';
import { promotionMode } from '../domain/enrollment';
import { nextOfferInstant, offerExpiresAt } from '../domain/offer-clock';
import type { WaitlistPolicy } from '../domain/waitlist-policy';
import { PG, sqlState } from '../db/pg-errors';
import { changeEnrollments, lockClass, memberBusy, type StatusChange } from './class-writes';

/** What a promotion did, for notices and live events after commit. */
export interface Promotion {
  booked: string[];
  offered: string[];
  /** Other waitlist entries and offers of the promoted members that overlapped: now EXPIRED. */
  expired: string[];
}

export const noPromotion = (): Promotion => ({ booked: [], offered: [], expired: [] });

/**
 * THE promotion routine: every event that frees a place (a member's cancel, a staff cancel,
 * a capacity raise, a declined or expired offer, a withdrawal) calls it in its own
 * transaction, after the class row is locked. Before the cutoff the first waitlisted member
 * who is free then is BOOKED; a busy member is skipped and keeps their place in line. After
 * it, the place is OFFERED to one member at a time (not inside quiet hours: the offer worker
 * makes it when they end). Waitlist order is (joined_at, arrival).
 */
export async function fillFreedPlaces(tx: Tx, classId: string, policy: WaitlistPolicy, timezone: string, now: Date): Promise<Promotion> {
  const done = noPromotion();
  const cls = await lockClass(tx, classId);
  if (cls.status !== 'SCHEDULED') return done;
  const free = cls.capacity - cls.held;
  if (free <= 0) return done;
  const mode = promotionMode(now.getTime(), cls.startTime.getTime(), policy.autoPromoteCutoffMinutes);
  if (mode === 'NONE') return done;
  if (mode === 'OFFER' && nextOfferInstant(now.getTime(), policy.quietHours, timezone) > now.getTime()) return done;

  const to = mode === 'AUTO' ? 'BOOKED' : 'OFFERED';
  const change: StatusChange = {
    to, actorId: null, now,
    reason: to === 'BOOKED' ? 'promoted from the waitlist' : 'a place was freed',
    offerExpiresAt: to === 'OFFERED' ? new Date(offerExpiresAt(now.getTime(), policy.offerMinutes, policy.quietHours, timezone)) : null,
  };
  const moved = (await promoteAtOnce(tx, cls, free, change)) ?? (await promoteOneByOne(tx, cls, free, change));
  for (const entry of moved) {
    if (to === 'BOOKED') {
      done.booked.push(entry.id);
      done.expired.push(...(await expireOverlapping(tx, entry.member_id, entry.id, cls.startTime, cls.endTime, now)));
    } else {
      done.offered.push(entry.id);
    }
  }
  return done;
}

type Entry = { id: string; member_id: string };
type Slot = { id: string; startTime: Date; endTime: Date };

/** The first `free` in line who are free at the class's time, moved in one statement pair; null when one of them became busy meanwhile. */
async function promoteAtOnce(tx: Tx, cls: Slot, free: number, change: StatusChange): Promise<Entry[] | null> {
  const next = await tx.$queryRaw<Entry[]>`
    SELECT e.id::text, e.member_id::text FROM enrollments e
    WHERE e.class_session_id = ${cls.id}::uuid AND e.status = 'WAITLISTED'
      AND NOT EXISTS (
        SELECT 1 FROM busy_times b
        WHERE b.user_id = e.member_id AND NOT b.as_coach AND b.during && tstzrange(${cls.startTime}, ${cls.endTime}, '[)'))
    ORDER BY e.joined_at, e.arrival
    LIMIT ${free}`;
  if (next.length === 0) return [];
  await tx.$executeRaw`SAVEPOINT promote`;
  try {
    const moved = new Set(await changeEnrollments(tx, next.map((e) => e.id), ['WAITLISTED'], change));
    await tx.$executeRaw`RELEASE SAVEPOINT promote`;
    return next.filter((e) => moved.has(e.id));
  } catch (error) {
    if (sqlState(error) !== PG.exclusionViolation) throw error;
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT promote`;
    return null;
  }
}

/**
 * The slow path: a member who became busy since the check (a booking that does not lock
 * this class) meets busy_times; one at a time, such a member is skipped as if busy,
 * without losing the transaction.
 */
async function promoteOneByOne(tx: Tx, cls: Slot, free: number, change: StatusChange): Promise<Entry[]> {
  const waiting = await tx.$queryRaw<Entry[]>`
    SELECT id::text, member_id::text FROM enrollments
    WHERE class_session_id = ${cls.id}::uuid AND status = 'WAITLISTED'
    ORDER BY joined_at, arrival`;
  const moved: Entry[] = [];
  for (const entry of waiting) {
    if (moved.length === free) break;
    if (await memberBusy(tx, entry.member_id, cls.startTime, cls.endTime)) continue;
    await tx.$executeRaw`SAVEPOINT promote`;
    try {
      const changed = await changeEnrollments(tx, [entry.id], ['WAITLISTED'], change);
      await tx.$executeRaw`RELEASE SAVEPOINT promote`;
      if (changed.length > 0) moved.push(entry);
    } catch (error) {
      if (sqlState(error) !== PG.exclusionViolation) throw error;
      await tx.$executeRaw`ROLLBACK TO SAVEPOINT promote`;
    }
  }
  return moved;
}

/**
 * A member booked into a class gives up their other waitlist entries and offers that
 * overlap it (EXPIRED). Freed offers are left to the offer worker's next pass, so one
 * promotion never has to lock a second class.
 */
export async function expireOverlapping(tx: Tx, memberId: string, bookedId: string, start: Date, end: Date, now: Date): Promise<string[]> {
  const others = await tx.$queryRaw<{ id: string }[]>`
    SELECT e.id::text FROM enrollments e JOIN class_sessions c ON c.id = e.class_session_id
    WHERE e.member_id = ${memberId}::uuid AND e.id <> ${bookedId}::uuid AND e.status IN ('WAITLISTED', 'OFFERED')
      AND c.start_time < ${end} AND c.end_time > ${start}`;
  return changeEnrollments(tx, others.map((o) => o.id), ['WAITLISTED', 'OFFERED'], { to: 'EXPIRED', actorId: null, now, reason: 'booked elsewhere at the same time' });
}
