import type { Tx } from '../db/transaction';
import { nextOfferInstant } from '../domain/offer-clock';
import { waitlistPolicyOf, type WaitlistPolicy } from '../domain/waitlist-policy';
import type { PrismaClient } from '../generated/prisma/client';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { OFFER_EXPIRED } from '../notifications/class-notices';
import { ClassLedger } from '../billing/class-ledger';
import { Notifier } from '../notifications/notifier';
import { changeEnrollments } from './class-writes';
import { fillFreedPlaces, noPromotion, type Promotion } from './waitlist-promotion';

type NotifierDeps = { config: Config; log: Logger };

/** What one batch of the waitlist worker did, for notices and live events after commit. */
export interface SweepResult extends Promotion {
  /** Classes with due work (an expired offer, a start passed with people still in line). */
  handled: number;
  /** Classes whose enrollments changed. */
  classIds: string[];
  /** Notifications written (offers made, offers lapsed, promotions), to announce after commit. */
  notified: string[];
}

async function policyOf(tx: Tx): Promise<WaitlistPolicy> {
  const row = await tx.studioSettings.findUnique({ where: { id: 1 } });
  if (!row) throw new Error('studio_settings row missing (inserted at start)');
  return waitlistPolicyOf(row);
}

/**
 * The waitlist's clock, one batch in one transaction (classes claimed FOR UPDATE SKIP LOCKED,
 * so two instances never handle one class, and every change is guarded by the status it
 * changes from, so nothing happens twice):
 *   - a class that has started: every open offer and waitlist entry EXPIRED;
 *   - an offer past its expiry: EXPIRED, and the place goes to the next in line;
 *   - a class with a free place and a line (places freed while offers could not be made,
 *     in quiet hours, or an offer withdrawn elsewhere): the promotion routine runs again.
 */
export async function sweepWaitlists(tx: Tx, now: Date, limit: number, deps: NotifierDeps): Promise<SweepResult> {
  const timezone = deps.config.studioTimezone;
  const done: SweepResult = { ...noPromotion(), handled: 0, classIds: [], notified: [] };
  const due = await tx.$queryRaw<{ id: string; started: boolean }[]>`
    SELECT c.id::text, c.start_time <= ${now} AS started FROM class_sessions c
    WHERE c.id IN (
      SELECT class_session_id FROM enrollments WHERE status = 'OFFERED' AND offer_expires_at <= ${now}
      UNION
      SELECT e.class_session_id FROM enrollments e JOIN class_sessions s ON s.id = e.class_session_id
      WHERE e.status IN ('WAITLISTED', 'OFFERED') AND (s.start_time <= ${now} OR s.status <> 'SCHEDULED'))
    ORDER BY c.start_time, c.id LIMIT ${limit}
    FOR UPDATE OF c SKIP LOCKED`;
  done.handled = due.length;
  const policy = await policyOf(tx);
  const ledger = new ClassLedger(deps);
  for (const cls of due) {
    if (cls.started) {
      const open = await tx.$queryRaw<{ id: string }[]>`
        SELECT id::text FROM enrollments WHERE class_session_id = ${cls.id}::uuid AND status IN ('WAITLISTED', 'OFFERED')`;
      done.expired.push(...(await changeEnrollments(tx, open.map((e) => e.id), ['WAITLISTED', 'OFFERED'], { to: 'EXPIRED', actorId: null, now, reason: 'the class started' })));
    } else {
      const lapsed = await tx.$queryRaw<{ id: string }[]>`
        SELECT id::text FROM enrollments WHERE class_session_id = ${cls.id}::uuid AND status = 'OFFERED' AND offer_expires_at <= ${now}`;
      done.expired.push(...(await changeEnrollments(tx, lapsed.map((e) => e.id), ['OFFERED'], { to: 'EXPIRED', actorId: null, now, reason: OFFER_EXPIRED })));
      merge(done, await fillFreedPlaces(tx, cls.id, policy, timezone, now));
      done.notified.push(...(await ledger.waiveRefilled(tx, cls.id, { now })));
    }
    done.classIds.push(cls.id);
  }
  if (nextOfferInstant(now.getTime(), policy.quietHours, timezone) === now.getTime()) {
    const waiting = await tx.$queryRaw<{ id: string }[]>`
      SELECT c.id::text FROM class_sessions c
      WHERE c.status = 'SCHEDULED' AND c.start_time > ${now}
        AND c.id IN (SELECT class_session_id FROM enrollments WHERE status IN ('WAITLISTED', 'OFFERED'))
        AND c.capacity > (SELECT count(*) FROM enrollments e WHERE e.class_session_id = c.id AND e.status IN ('BOOKED', 'OFFERED', 'ATTENDED', 'NO_SHOW'))
        AND EXISTS (SELECT 1 FROM enrollments e WHERE e.class_session_id = c.id AND e.status = 'WAITLISTED')
      ORDER BY c.start_time, c.id LIMIT ${limit}
      FOR UPDATE OF c SKIP LOCKED`;
    for (const cls of waiting) {
      const promotion = await fillFreedPlaces(tx, cls.id, policy, timezone, now);
      merge(done, promotion);
      if (promotion.booked.length + promotion.offered.length > 0) {
        done.classIds.push(cls.id);
        done.notified.push(...(await ledger.waiveRefilled(tx, cls.id, { now })));
      }
    }
  }
  done.notified.push(...(await new Notifier(deps).classChanges(tx, [...done.booked, ...done.offered, ...done.expired], now)));
  return done;
}

function merge(into: Promotion, from: Promotion): void {
  into.booked.push(...from.booked);
  into.offered.push(...from.offered);
  into.expired.push(...from.expired);
}

/** When the waitlist worker next has something to do: an offer's expiry, a class's start with people in line, or the end of quiet hours. */
export async function nextWaitlistDue(prisma: PrismaClient, timezone: string, now: Date): Promise<number | null> {
  const [row] = await prisma.$queryRaw<{ offer: number | null; start: number | null }[]>`
    SELECT (SELECT extract(epoch FROM min(offer_expires_at)) * 1000 FROM enrollments WHERE status = 'OFFERED')::float8 AS offer,
           (SELECT extract(epoch FROM min(c.start_time)) * 1000 FROM class_sessions c
             WHERE c.id IN (SELECT class_session_id FROM enrollments WHERE status IN ('WAITLISTED', 'OFFERED')))::float8 AS start`;
  const settings = await prisma.studioSettings.findUnique({ where: { id: 1 } });
  const quietEnd = settings ? nextOfferInstant(now.getTime(), waitlistPolicyOf(settings).quietHours, timezone) : now.getTime();
  const times = [row?.offer, row?.start, quietEnd > now.getTime() ? quietEnd : null].filter((t): t is number => t != null);
  return times.length ? Math.min(...times) : null;
}
