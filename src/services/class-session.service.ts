import type { Actor } from '../auth/actor';
import { inTransaction } from '../db/transaction';
import { CLASH_MESSAGES, roomFits } from '../domain/occupancy';
import { isUuid } from '../domain/ids';
import { isWholeMinute, WHOLE_MINUTES } from '../domain/intervals';
import { waitlistPolicyOf } from '../domain/waitlist-policy';
import { badInput, conflict, forbidden, notFound } from '../errors';
import type { ClassSession } from '../generated/prisma/client';
import { MAX_BOOKING_AHEAD_MS } from './booking-session.service';
import { asClassConflict, cancelClasses, lockClass } from './class-writes';
import { assertDurationMinutes } from './coach-settings.service';
import type { ServiceDeps } from './context';
import { lockSchedules } from './schedule-lock';
import { busyPlacements, lockRooms } from './session-writes';
import { UserService } from './user.service';
import { Notifier } from '../notifications/notifier';
import { announceClasses, promoted } from './class-events';
import { fillFreedPlaces, type Promotion } from './waitlist-promotion';

export const MAX_CLASS_CAPACITY = 500;

export interface ScheduleClassIn {
  classTypeId: string;
  coachId: string;
  roomId?: string | null;
  startTime: Date;
  durationMinutes?: number | null;
  capacity?: number | null;
}

/**
 * Classes themselves: one-off classes, cancelling, capacity. A class holds its coach (busy
 * time) and one use of its room, checked as a training session's are.
 */
export class ClassSessionService {
  private readonly users: UserService;
  private readonly notifier: Notifier;

  constructor(private readonly deps: ServiceDeps) {
    this.users = new UserService(deps);
    this.notifier = new Notifier(deps);
  }

  /** The timetable is open to everyone signed in. */
  async get(classId: string): Promise<ClassSession> {
    const cls = isUuid(classId) ? await this.deps.db.prisma.classSession.findUnique({ where: { id: classId } }) : null;
    if (!cls) throw notFound('Class', 'id');
    return cls;
  }

  /** Owners any coach's; coaches their own. */
  async schedule(actor: Actor, input: ScheduleClassIn): Promise<ClassSession> {
    const now = this.deps.now();
    const type = isUuid(input.classTypeId) ? await this.deps.db.prisma.classType.findUnique({ where: { id: input.classTypeId } }) : null;
    if (!type || type.archived) throw notFound('Class type', 'input.classTypeId');
    await this.users.requireRole(input.coachId, 'COACH', 'input.coachId');
    if (actor.role === 'COACH' && input.coachId !== actor.id) throw forbidden('Coaches schedule only their own classes');
    const start = input.startTime;
    if (!isWholeMinute(start)) throw badInput('input.startTime', WHOLE_MINUTES);
    if (start.getTime() <= now.getTime()) throw badInput('input.startTime', 'The class must start in the future');
    if (start.getTime() - now.getTime() > MAX_BOOKING_AHEAD_MS) throw badInput('input.startTime', 'Classes can be scheduled at most 730 days ahead');
    const duration = input.durationMinutes ?? type.durationMinutes;
    assertDurationMinutes(duration, 'input.durationMinutes');
    const capacity = input.capacity ?? type.capacity;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CLASS_CAPACITY) throw badInput('input.capacity', `Capacity must be between 1 and ${MAX_CLASS_CAPACITY}`);
    const settings = await this.deps.db.prisma.coachSettings.findUnique({ where: { coachId: input.coachId } });
    const roomId = input.roomId ?? settings?.defaultRoomId;
    if (!roomId) throw badInput('input.roomId', 'Coach has no default room configured');
    if (!isUuid(roomId) || !(await this.deps.db.prisma.room.findUnique({ where: { id: roomId } }))) throw notFound('Room', 'input.roomId');
    const end = new Date(start.getTime() + duration * 60_000);

    const created = await inTransaction(this.deps.db.prisma, async (tx) => {
      await lockSchedules(tx, [input.coachId]);
      const roomCapacity = (await lockRooms(tx, [roomId])).get(roomId) ?? 0;
      const busy = await busyPlacements(tx, { roomIds: [roomId], coachIds: [input.coachId] }, start, end);
      if (busy.some((p) => p.coachId === input.coachId)) throw conflict(CLASH_MESSAGES.COACH);
      const inRoom = busy.filter((p) => p.roomId === roomId).map((p) => ({ s: p.start, e: p.end }));
      if (!roomFits(inRoom, start.getTime(), end.getTime(), roomCapacity)) throw conflict(CLASH_MESSAGES.ROOM);
      return tx.classSession
        .create({
          data: {
            classTypeId: type.id, coachId: input.coachId, roomId, startTime: start, endTime: end, capacity,
            waitlistCapacity: type.waitlistCapacity, priceCents: type.priceCents, creditsPerClass: type.creditsPerClass,
            createdAt: now, updatedAt: now,
          },
        })
        .catch(asClassConflict);
    });
    await announceClasses(this.deps, [created.id], [], { lineMoved: false });
    return created;
  }

  /** Cancels the class and every open enrollment in it (the members are told once, by the notices that follow). */
  async cancel(actor: Actor, classId: string, reason: string): Promise<ClassSession> {
    const now = this.deps.now();
    const trimmed = reason.trim();
    if (!trimmed) throw badInput('reason', 'A reason is required');
    await this.managed(actor, classId, 'id');
    const { cancelled, notified } = await inTransaction(this.deps.db.prisma, async (tx) => {
      const cls = await lockClass(tx, classId, 'id');
      if (cls.status !== 'SCHEDULED') throw conflict(`The class is already ${cls.status}`);
      const { enrollmentIds: cancelled } = await cancelClasses(tx, [classId], { actorId: actor.id, now, reason: trimmed });
      return { cancelled, notified: await this.notifier.classChanges(tx, cancelled, now) };
    });
    this.deps.events.notificationsCreated(notified);
    await announceClasses(this.deps, [classId], cancelled);
    return this.deps.db.prisma.classSession.findUniqueOrThrow({ where: { id: classId } });
  }

  /** Raising it promotes from the waitlist at once; lowering it below the places taken is a CONFLICT. */
  async changeCapacity(actor: Actor, classId: string, capacity: number): Promise<{ session: ClassSession; promotion: Promotion | null }> {
    const now = this.deps.now();
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CLASS_CAPACITY) throw badInput('capacity', `Capacity must be between 1 and ${MAX_CLASS_CAPACITY}`);
    await this.managed(actor, classId, 'id');
    const promotion: (Promotion & { notified: string[] }) | null = await inTransaction(this.deps.db.prisma, async (tx) => {
      const cls = await lockClass(tx, classId, 'id');
      if (cls.status !== 'SCHEDULED') throw conflict(`The class is already ${cls.status}`);
      if (capacity < cls.held) throw conflict(`${cls.held} places are taken: the capacity cannot be lower`);
      await tx.classSession.update({ where: { id: classId }, data: { capacity, updatedAt: now } });
      if (capacity <= cls.capacity) return null;
      const row = await tx.studioSettings.findUniqueOrThrow({ where: { id: 1 } });
      const promotion = await fillFreedPlaces(tx, classId, waitlistPolicyOf(row), this.deps.config.studioTimezone, now);
      return { ...promotion, notified: await this.notifier.classChanges(tx, promoted(promotion), now) };
    });
    if (promotion) this.deps.events.notificationsCreated(promotion.notified);
    await announceClasses(this.deps, [classId], promoted(promotion));
    return { session: await this.deps.db.prisma.classSession.findUniqueOrThrow({ where: { id: classId } }), promotion };
  }

  /** The class's coach and owners; anyone else NOT_FOUND (members never manage classes). */
  private async managed(actor: Actor, classId: string, field: string): Promise<ClassSession> {
    const cls = isUuid(classId) ? await this.deps.db.prisma.classSession.findUnique({ where: { id: classId } }) : null;
    if (!cls || (actor.role !== 'OWNER' && !(actor.role === 'COACH' && cls.coachId === actor.id))) throw notFound('Class', field);
    return cls;
  }
}
