import type { Actor } from '../auth/actor';
import { inTransaction } from '../db/transaction';
import { ACTIVE, placeFor } from '../domain/enrollment';
import { isUuid } from '../domain/ids';
import { badInput, conflict, forbidden, notFound } from '../errors';
import type { Enrollment, EnrollmentStatus } from '../generated/prisma/client';
import { changeEnrollments, insertEnrollment, lockClass, memberBusy } from './class-writes';
import type { ServiceDeps } from './context';
import { lockSchedules } from './schedule-lock';
import { UserService } from './user.service';
import { ClassLedger } from '../billing/class-ledger';
import { Notifier } from '../notifications/notifier';
import { announceClasses, promoted } from './class-events';
import { expireOverlapping, fillFreedPlaces } from './waitlist-promotion';
import { releasePlaces, studioClassRules } from './place-release';

/**
 * Members in classes. Every write locks the member's schedule, then the class row, and
 * counts places under that lock: 50 members enrolling into 10 places at once get exactly
 * 10 places, the waitlist in arrival (lock) order, and CONFLICT for the rest. Every place
 * freed here goes through the one promotion routine in the same transaction.
 */
/** How long after a class its coach can still mark or correct attendance. */
export const ATTENDANCE_DAYS = 7;
const DAY_MS = 86_400_000;

export class EnrollmentService {
  private readonly users: UserService;
  private readonly notifier: Notifier;
  private readonly ledger: ClassLedger;

  constructor(private readonly deps: ServiceDeps) {
    this.users = new UserService(deps);
    this.notifier = new Notifier(deps);
    this.ledger = new ClassLedger(deps);
  }

  async enroll(actor: Actor, classId: string, memberId?: string | null): Promise<Enrollment> {
    const now = this.deps.now();
    if (!isUuid(classId)) throw notFound('Class', 'sessionId');
    const cls = await this.deps.db.prisma.classSession.findUnique({ where: { id: classId } });
    if (!cls) throw notFound('Class', 'sessionId');
    const member = await this.memberFor(actor, memberId, cls.coachId);
    if (cls.status !== 'SCHEDULED') throw conflict('The class is not open for enrollment');
    if (cls.startTime.getTime() <= now.getTime()) throw conflict('The class has already started');

    const { id, place, withdrawn, notified } = await inTransaction(this.deps.db.prisma, async (tx) => {
      await lockSchedules(tx, [member]);
      const locked = await lockClass(tx, classId);
      const active = await tx.enrollment.count({ where: { classSessionId: classId, memberId: member, status: { in: [...ACTIVE] } } });
      if (active > 0) throw conflict('The member is already enrolled in this class');
      const place = placeFor({ held: locked.held, capacity: locked.capacity, waitlisted: locked.waitlisted, waitlistCapacity: locked.waitlistCapacity });
      if (place === null) throw conflict(locked.waitlistCapacity > 0 ? 'The class and its waitlist are full' : 'The class is full');
      if (await memberBusy(tx, member, locked.startTime, locked.endTime)) throw conflict('The member already has a session or class at that time');
      // Joined when the class's lock was granted: the waitlist is in arrival order.
      const joined = this.deps.now();
      const id = await insertEnrollment(tx, { classSessionId: classId, memberId: member, status: place }, actor.id, joined);
      const withdrawn = place === 'BOOKED' ? await expireOverlapping(tx, member, id, locked.startTime, locked.endTime, joined) : [];
      const notified = await this.notifier.classChanges(tx, [id], joined);
      // A place taken: a late canceller's fee is waived once their place is filled again.
      if (place === 'BOOKED') notified.push(...(await this.ledger.waiveRefilled(tx, classId, { now: joined })));
      return { id, place, withdrawn, notified };
    });
    this.deps.events.notificationsCreated(notified);
    // Joining the end of the line moves nobody else in it.
    await announceClasses(this.deps, [classId], [id, ...withdrawn], { lineMoved: place === 'BOOKED' });
    return this.deps.db.prisma.enrollment.findUniqueOrThrow({ where: { id } });
  }

  /** BOOKED -> CANCELLED (LATE_CANCELLED inside the late-cancel window); WAITLISTED/OFFERED -> CANCELLED. The freed place is filled at once. */
  async cancel(actor: Actor, enrollmentId: string, reason?: string | null): Promise<Enrollment> {
    const now = this.deps.now();
    const enrollment = await this.visible(actor, enrollmentId, 'id');
    const { promoted: moved, notified } = await inTransaction(this.deps.db.prisma, async (tx) => {
      const cls = await lockClass(tx, enrollment.classSessionId);
      if (cls.startTime.getTime() <= now.getTime()) throw conflict('The class has already started');
      const current = await tx.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } });
      if (!['BOOKED', 'WAITLISTED', 'OFFERED'].includes(current.status)) throw conflict(`The enrollment is already ${current.status}`);
      return releasePlaces(tx, this.deps, cls, [current], { actor, now, reason, rules: await studioClassRules(tx) });
    });
    this.deps.events.notificationsCreated(notified);
    await announceClasses(this.deps, [enrollment.classSessionId], [enrollmentId, ...moved]);
    return this.deps.db.prisma.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } });
  }

  /** The member's own offer, before it expires: BOOKED. */
  async acceptOffer(actor: Actor, enrollmentId: string): Promise<Enrollment> {
    return this.answerOffer(actor, enrollmentId, 'BOOKED');
  }

  /** The member's own offer: DECLINED is CANCELLED, and the place moves on. */
  async declineOffer(actor: Actor, enrollmentId: string): Promise<Enrollment> {
    return this.answerOffer(actor, enrollmentId, 'CANCELLED');
  }

  private async answerOffer(actor: Actor, enrollmentId: string, to: EnrollmentStatus): Promise<Enrollment> {
    const now = this.deps.now();
    const enrollment = await this.visible(actor, enrollmentId, 'enrollmentId');
    if (actor.role !== 'MEMBER' || enrollment.memberId !== actor.id) throw forbidden('Only the member an offer is made to can answer it');
    const { moved, notified } = await inTransaction(this.deps.db.prisma, async (tx) => {
      await lockSchedules(tx, [enrollment.memberId]);
      const cls = await lockClass(tx, enrollment.classSessionId);
      const current = await tx.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } });
      if (current.status !== 'OFFERED' || !current.offerExpiresAt || current.offerExpiresAt.getTime() <= now.getTime()) {
        throw conflict('There is no open offer for this enrollment');
      }
      const reason = to === 'BOOKED' ? 'offer accepted' : 'offer declined';
      await changeEnrollments(tx, [enrollmentId], ['OFFERED'], { to, actorId: actor.id, now, reason });
      const moved = to === 'BOOKED'
        ? await expireOverlapping(tx, current.memberId, enrollmentId, cls.startTime, cls.endTime, now)
        : promoted(await fillFreedPlaces(tx, cls.id, (await studioClassRules(tx)).policy, this.deps.config.studioTimezone, now));
      const notified = await this.notifier.classChanges(tx, [enrollmentId, ...moved], now);
      notified.push(...(await this.ledger.waiveRefilled(tx, cls.id, { now })));
      return { moved, notified };
    });
    this.deps.events.notificationsCreated(notified);
    await announceClasses(this.deps, [enrollment.classSessionId], [enrollmentId, ...moved]);
    return this.deps.db.prisma.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } });
  }

  /**
   * The class's coach and owners: ATTENDED or NO_SHOW for a BOOKED place, from the class's
   * start until ATTENDANCE_DAYS after its end; a mark can be corrected within that time.
   */
  async markAttendance(actor: Actor, enrollmentId: string, status: EnrollmentStatus): Promise<Enrollment> {
    const now = this.deps.now();
    if (status !== 'ATTENDED' && status !== 'NO_SHOW') throw badInput('status', 'Attendance is ATTENDED or NO_SHOW');
    const enrollment = await this.visible(actor, enrollmentId, 'enrollmentId');
    if (actor.role === 'MEMBER') throw forbidden('Only the class\'s coach and owners mark attendance');
    const notified = await inTransaction(this.deps.db.prisma, async (tx): Promise<string[]> => {
      const cls = await lockClass(tx, enrollment.classSessionId);
      if (cls.status === 'CANCELLED') throw conflict('The class was cancelled');
      if (now.getTime() < cls.startTime.getTime()) throw conflict('Attendance can be marked once the class has started');
      if (now.getTime() > cls.endTime.getTime() + ATTENDANCE_DAYS * DAY_MS) throw conflict(`Attendance can be marked until ${ATTENDANCE_DAYS} days after the class`);
      const current = await tx.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } });
      if (current.status === status) return [];
      const from: EnrollmentStatus[] = ['BOOKED', 'ATTENDED', 'NO_SHOW'];
      if (!from.includes(current.status)) throw conflict(`A ${current.status} enrollment has no attendance to mark`);
      await changeEnrollments(tx, [enrollmentId], from, { to: status, actorId: actor.id, now, reason: current.status === 'BOOKED' ? null : 'correction' });
      return current.status === 'BOOKED'
        ? this.ledger.charged(tx, [enrollmentId], status, { actorId: actor.id, now })
        : this.ledger.corrected(tx, enrollmentId, current.status as 'ATTENDED' | 'NO_SHOW', status, { actorId: actor.id, now });
    });
    this.deps.events.notificationsCreated(notified);
    await announceClasses(this.deps, [enrollment.classSessionId], [enrollmentId], { lineMoved: false });
    return this.deps.db.prisma.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } });
  }

  /** Members their own; the class's coach and owners anyone's. Others: NOT_FOUND, as if it did not exist. */
  private async visible(actor: Actor, enrollmentId: string, field: string): Promise<Enrollment & { classSession: { coachId: string } }> {
    const enrollment = isUuid(enrollmentId)
      ? await this.deps.db.prisma.enrollment.findUnique({ where: { id: enrollmentId }, include: { classSession: { select: { coachId: true } } } })
      : null;
    const sees = enrollment && (actor.role === 'OWNER' || (actor.role === 'MEMBER' ? enrollment.memberId : enrollment.classSession.coachId) === actor.id);
    if (!enrollment || !sees) throw notFound('Enrollment', field);
    return enrollment;
  }

  /** Members enroll themselves; the class's coach and owners name the member. */
  private async memberFor(actor: Actor, memberId: string | null | undefined, coachId: string): Promise<string> {
    if (actor.role === 'MEMBER') {
      if (memberId && memberId !== actor.id) throw forbidden('Members can only enroll themselves');
      return actor.id;
    }
    if (actor.role === 'COACH' && actor.id !== coachId) throw notFound('Class', 'sessionId');
    if (!memberId) throw badInput('memberId', 'memberId is required when enrolling a member');
    await this.users.requireRole(memberId, 'MEMBER', 'memberId');
    return memberId;
  }
}
