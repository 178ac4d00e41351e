import type { Actor } from '../auth/actor';
import { inTransaction } from '../db/transaction';
import { PG, sqlState } from '../db/pg-errors';
import { placeFor } from '../domain/enrollment';
import { parseLocalDate } from '../domain/civil-date';
import { isUuid } from '../domain/ids';
import { localDateOf } from '../domain/zone-time';
import { badInput, conflict, forbidden, notFound } from '../errors';
import type { Enrollment, EnrollmentStatus, StandingReservation } from '../generated/prisma/client';
import { Notifier } from '../notifications/notifier';
import { announceClasses } from './class-events';
import { STANDING_REASON } from './class-generation.sql';
import { insertEnrollment, lockClass, memberBusy } from './class-writes';
import type { ServiceDeps } from './context';
import { lockGeneration } from './generation-lock';
import { lockSchedules } from './schedule-lock';
import { UserService } from './user.service';
import { expireOverlapping } from './waitlist-promotion';
import { releasePlaces, studioClassRules } from './place-release';

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

export interface NewStandingReservation {
  scheduleId: string;
  memberId?: string | null;
  startDate: string;
  endDate?: string | null;
}

/**
 * A member's place in a weekly class. Generation seats it in every new class before anyone
 * else (class-generation.ts); creating one also enrolls the member in the schedule's
 * classes already generated for its dates, as an enrollment would (a place, else the
 * waitlist; skipped when the member is busy then or both are full).
 */
export class StandingReservationService {
  private readonly users: UserService;

  constructor(private readonly deps: ServiceDeps) {
    this.users = new UserService(deps);
  }

  /** Members their own; a schedule's coach its reservations; owners all. */
  list(actor: Actor, filter: { memberId?: string | null; scheduleId?: string | null }): Promise<StandingReservation[]> {
    if ((filter.memberId && !isUuid(filter.memberId)) || (filter.scheduleId && !isUuid(filter.scheduleId))) return Promise.resolve([]);
    if (actor.role === 'MEMBER' && filter.memberId && filter.memberId !== actor.id) return Promise.resolve([]);
    return this.deps.db.prisma.standingReservation.findMany({
      where: {
        ...(actor.role === 'MEMBER' ? { memberId: actor.id } : filter.memberId ? { memberId: filter.memberId } : {}),
        ...(filter.scheduleId ? { scheduleId: filter.scheduleId } : {}),
        ...(actor.role === 'COACH' ? { schedule: { coachId: actor.id } } : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { arrival: 'asc' }],
    });
  }

  /** The reservation's enrollments by their class's start in [from, to), oldest first. */
  enrollments(reservationId: string, page: { from?: Date | null; to?: Date | null; first: number }): Promise<Enrollment[]> {
    return this.deps.db.prisma.enrollment.findMany({
      where: { standingReservationId: reservationId, classSession: { startTime: { ...(page.from ? { gte: page.from } : {}), ...(page.to ? { lt: page.to } : {}) } } },
      orderBy: [{ classSession: { startTime: 'asc' } }, { id: 'asc' }],
      take: page.first,
    });
  }

  async create(actor: Actor, input: NewStandingReservation): Promise<StandingReservation> {
    const now = this.deps.now();
    const prisma = this.deps.db.prisma;
    const schedule = isUuid(input.scheduleId) ? await prisma.classSchedule.findUnique({ where: { id: input.scheduleId } }) : null;
    if (!schedule || (actor.role === 'COACH' && schedule.coachId !== actor.id)) throw notFound('Class schedule', 'input.scheduleId');
    if (schedule.status !== 'ACTIVE') throw conflict(`The class schedule is ${schedule.status}`);
    const memberId = await this.memberFor(actor, input.memberId);
    const startDate = parseLocalDate(input.startDate);
    if (startDate === null) throw badInput('input.startDate', 'startDate must be a date YYYY-MM-DD');
    const today = localDateOf(now, schedule.timezone);
    if (startDate < today) throw badInput('input.startDate', `startDate must not be in the past (today is ${today} in ${schedule.timezone})`);
    const endDate = input.endDate == null ? null : parseLocalDate(input.endDate);
    if (input.endDate != null && endDate === null) throw badInput('input.endDate', 'endDate must be a date YYYY-MM-DD');
    if (endDate !== null && endDate < startDate) throw badInput('input.endDate', 'endDate must not be before startDate');

    const { reservation, enrolled, notified } = await inTransaction(prisma, async (tx) => {
      // Under the generation lock: a run seats either this reservation or the classes it finds here, never neither.
      await lockGeneration(tx);
      await lockSchedules(tx, [memberId]);
      const reservation = await tx.standingReservation
        .create({ data: { memberId, scheduleId: schedule.id, startDate: new Date(`${startDate}T00:00:00Z`), endDate: endDate ? new Date(`${endDate}T00:00:00Z`) : null, createdAt: now } })
        .catch((error: unknown) => {
          if (sqlState(error) === PG.uniqueViolation) throw conflict('The member already has a standing reservation in this class');
          throw error;
        });
      const classes = await tx.$queryRaw<{ id: string }[]>`
        SELECT id::text FROM class_sessions
        WHERE schedule_id = ${schedule.id}::uuid AND status = 'SCHEDULED' AND start_time > ${now}
          AND (start_time AT TIME ZONE ${schedule.timezone})::date >= ${startDate}::date
          AND (${endDate}::date IS NULL OR (start_time AT TIME ZONE ${schedule.timezone})::date <= ${endDate}::date)
        ORDER BY start_time`;
      const enrolled: string[] = [];
      const waitlisted: string[] = [];
      for (const { id } of classes) {
        const cls = await lockClass(tx, id);
        const mine = await tx.enrollment.count({ where: { classSessionId: id, memberId, status: { in: ['BOOKED', 'WAITLISTED', 'OFFERED'] } } });
        if (mine > 0) {
          // Already in it on their own: the place becomes part of the reservation.
          await tx.enrollment.updateMany({ where: { classSessionId: id, memberId, status: { in: ['BOOKED', 'WAITLISTED', 'OFFERED'] } }, data: { standingReservationId: reservation.id } });
          continue;
        }
        const place = placeFor(cls);
        if (place === null || (await memberBusy(tx, memberId, cls.startTime, cls.endTime))) continue;
        const enrollmentId = await insertEnrollment(tx, { classSessionId: id, memberId, status: place, standingReservationId: reservation.id }, actor.id, now, STANDING_REASON);
        enrolled.push(enrollmentId);
        if (place === 'WAITLISTED') waitlisted.push(enrollmentId);
        else enrolled.push(...(await expireOverlapping(tx, memberId, enrollmentId, cls.startTime, cls.endTime, now)));
      }
      return { reservation, enrolled, notified: await new Notifier(this.deps).classChanges(tx, waitlisted, now) };
    });
    this.deps.events.notificationsCreated(notified);
    await announceClasses(this.deps, [], enrolled, { lineMoved: false });
    return reservation;
  }

  /**
   * The member (own), the schedule's coach and owners. Gives up the reservation's open places
   * in classes that have not started (futureOnly: false, also those under way: staff only),
   * each as a cancelled enrollment would be: a member's late cancellation pays its fee, and
   * every freed place goes to the waitlist at once.
   */
  async cancel(actor: Actor, id: string, futureOnly: boolean): Promise<StandingReservation> {
    const now = this.deps.now();
    const prisma = this.deps.db.prisma;
    const found = isUuid(id) ? await prisma.standingReservation.findUnique({ where: { id }, include: { schedule: { select: { coachId: true } } } }) : null;
    const sees = found && (actor.role === 'OWNER' || (actor.role === 'MEMBER' ? found.memberId : found.schedule.coachId) === actor.id);
    if (!found || !sees) throw notFound('Standing reservation', 'id');

    const { reservation, changed, notified } = await inTransaction(prisma, async (tx) => {
      // Under the generation lock: no run seats the reservation in a new class meanwhile.
      await lockGeneration(tx);
      await lockSchedules(tx, [found.memberId]);
      const current = await tx.standingReservation.findUniqueOrThrow({ where: { id } });
      if (current.status !== 'ACTIVE') throw conflict(`The standing reservation is already ${current.status}`);
      const places = await tx.$queryRaw<{ id: string; status: EnrollmentStatus; class_id: string; start_time: Date }[]>`
        SELECT e.id::text, e.status, c.id::text AS class_id, c.start_time FROM enrollments e JOIN class_sessions c ON c.id = e.class_session_id
        WHERE e.standing_reservation_id = ${id}::uuid AND e.status IN ('BOOKED', 'WAITLISTED', 'OFFERED') AND c.status = 'SCHEDULED'
          AND (NOT ${futureOnly} OR c.start_time > ${now})
        ORDER BY c.id`;
      if (actor.role === 'MEMBER' && places.some((p) => p.start_time.getTime() <= now.getTime())) throw conflict('Members give up places only before their class starts');
      const rules = await studioClassRules(tx);
      const changed: string[] = [];
      const notified: string[] = [];
      for (const [classId, inClass] of groupBy(places, (p) => p.class_id)) {
        const cls = await lockClass(tx, classId);
        const released = await releasePlaces(tx, this.deps, cls, inClass, { actor, now, reason: 'standing reservation cancelled', rules });
        changed.push(...inClass.map((p) => p.id), ...released.promoted);
        notified.push(...released.notified);
      }
      const reservation = await tx.standingReservation.update({ where: { id }, data: { status: 'CANCELLED', cancelledAt: now } });
      return { reservation, changed, notified };
    });
    this.deps.events.notificationsCreated(notified);
    await announceClasses(this.deps, [], changed);
    return reservation;
  }

  /** Members reserve for themselves; owners and the schedule's coach name the member. */
  private async memberFor(actor: Actor, memberId: string | null | undefined): Promise<string> {
    if (actor.role === 'MEMBER') {
      if (memberId && memberId !== actor.id) throw forbidden('Members can only reserve for themselves');
      return actor.id;
    }
    if (!memberId) throw badInput('input.memberId', 'memberId is required when reserving for a member');
    if (!isUuid(memberId)) throw notFound('Member', 'input.memberId');
    await this.users.requireRole(memberId, 'MEMBER', 'input.memberId');
    return memberId;
  }
}
