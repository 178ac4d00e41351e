import type { Tx } from '../db/transaction';
import { promotionMode } from '../domain/enrollment';
import { nextOfferInstant, offerExpiresAt } from '../domain/offer-clock';
import type { WaitlistPolicy } from '../domain/waitlist-policy';
import { PG, sqlState } from '../db/pg-errors';
import { changeEnrollments, lockClass, memberBusy } from './class-writes';

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
  let free = cls.capacity - cls.held;
  if (free <= 0) return done;
  const mode = promotionMode(now.getTime(), cls.startTime.getTime(), policy.autoPromoteCutoffMinutes);
  if (mode === 'NONE') return done;
  if (mode === 'OFFER' && nextOfferInstant(now.getTime(), policy.quietHours, timezone) > now.getTime()) return done;

  const waiting = await tx.$queryRaw<{ id: string; member_id: string }[]>`
    SELECT id::text, member_id::text FROM enrollments
    WHERE class_session_id = ${classId}::uuid AND status = 'WAITLISTED'
    ORDER BY joined_at, arrival`;
  for (const entry of waiting) {
    if (free === 0) break;
    if (await memberBusy(tx, entry.member_id, cls.startTime, cls.endTime)) continue;
    const to = mode === 'AUTO' ? 'BOOKED' : 'OFFERED';
    const expires = to === 'OFFERED' ? new Date(offerExpiresAt(now.getTime(), policy.offerMinutes, policy.quietHours, timezone)) : null;
    // A member who became busy since the check (a booking that does not lock this class)
    // meets busy_times: skip them as if busy, without losing the transaction.
    await tx.$executeRaw`SAVEPOINT promote`;
    try {
      const moved = await changeEnrollments(tx, [entry.id], ['WAITLISTED'], { to, actorId: null, now, reason: to === 'BOOKED' ? 'promoted from the waitlist' : 'a place was freed', offerExpiresAt: expires });
      await tx.$executeRaw`RELEASE SAVEPOINT promote`;
      if (moved.length === 0) continue;
    } catch (error) {
      if (sqlState(error) !== PG.exclusionViolation) throw error;
      await tx.$executeRaw`ROLLBACK TO SAVEPOINT promote`;
      continue;
    }
    free--;
    if (to === 'BOOKED') {
      done.booked.push(entry.id);
      done.expired.push(...(await expireOverlapping(tx, entry.member_id, entry.id, cls.startTime, cls.endTime, now)));
    } else {
      done.offered.push(entry.id);
    }
  }
  return done;
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
