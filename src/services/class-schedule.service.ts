import type { Actor } from '../auth/actor';
import { inTransaction } from '../db/transaction';
import { addDays, dayOfWeekOf, parseLocalDate } from '../domain/civil-date';
import { isUuid } from '../domain/ids';
import { seriesOverlap } from '../domain/series-overlap';
import type { WeeklyRule } from '../domain/weekly-rule';
import { ianaSpelling, isValidTimezone, localDateOf } from '../domain/zone-time';
import { badInput, conflict, notFound } from '../errors';
import type { ClassSchedule, ClassScheduleStatus, ClassSession } from '../generated/prisma/client';
import { checkDayOfWeek, localDateText, minuteOf } from './booking.service';
import { MAX_CLASS_CAPACITY } from './class-session.service';
import type { ServiceDeps } from './context';
import { lockGeneration } from './generation-lock';
import { GenerationService } from './generation.service';
import { UserService } from './user.service';
import { Notifier } from '../notifications/notifier';
import { announceClasses } from './class-events';
import { cancelClasses } from './class-writes';

export interface NewClassSchedule {
  classTypeId: string;
  coachId: string;
  roomId?: string | null;
  dayOfWeek: number;
  startTime: string;
  endTime?: string | null;
  timezone?: string | null;
  startDate: string;
  endDate?: string | null;
  capacity?: number | null;
}

/** The weekly rule of a stored schedule (every week). */
export function scheduleRule(row: ClassSchedule): WeeklyRule {
  return {
    dayOfWeek: row.dayOfWeek, startMinute: row.startMinute, endMinute: row.endMinute, timezone: row.timezone,
    startDate: localDateText(row.startDate), endDate: row.endDate ? localDateText(row.endDate) : null, intervalWeeks: 1,
  };
}

/**
 * Weekly classes on the timetable. A new schedule's classes (and nothing else) are
 * generated in the transaction that creates it, under the generation lock, so they exist
 * when the mutation returns; later runs extend it week by week.
 */
export class ClassScheduleService {
  private readonly users: UserService;
  private readonly generation: GenerationService;

  constructor(private readonly deps: ServiceDeps) {
    this.users = new UserService(deps);
    this.generation = new GenerationService(deps);
  }

  async get(id: string): Promise<ClassSchedule> {
    const row = isUuid(id) ? await this.deps.db.prisma.classSchedule.findUnique({ where: { id } }) : null;
    if (!row) throw notFound('Class schedule', 'id');
    return row;
  }

  /** The timetable is open to everyone signed in; oldest first. */
  list(filter: { coachId?: string | null; classTypeId?: string | null; status?: ClassScheduleStatus | null }): Promise<ClassSchedule[]> {
    if ((filter.coachId && !isUuid(filter.coachId)) || (filter.classTypeId && !isUuid(filter.classTypeId))) return Promise.resolve([]);
    return this.deps.db.prisma.classSchedule.findMany({
      where: { ...(filter.coachId ? { coachId: filter.coachId } : {}), ...(filter.classTypeId ? { classTypeId: filter.classTypeId } : {}), ...(filter.status ? { status: filter.status } : {}) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  /** The schedule's classes starting in [from, to), oldest first. */
  sessions(scheduleId: string, page: { from?: Date | null; to?: Date | null; first: number }): Promise<ClassSession[]> {
    return this.deps.db.prisma.classSession.findMany({
      where: { scheduleId, startTime: { ...(page.from ? { gte: page.from } : {}), ...(page.to ? { lt: page.to } : {}) } },
      orderBy: [{ startTime: 'asc' }, { id: 'asc' }],
      take: page.first,
    });
  }

  /** Owners. Every field checked in the order of the input; dates judged in the schedule's timezone. */
  async create(_actor: Actor, input: NewClassSchedule): Promise<ClassSchedule> {
    const now = this.deps.now();
    const prisma = this.deps.db.prisma;
    const type = isUuid(input.classTypeId) ? await prisma.classType.findUnique({ where: { id: input.classTypeId } }) : null;
    if (!type || type.archived) throw notFound('Class type', 'input.classTypeId');
    if (!isUuid(input.coachId)) throw notFound('Coach', 'input.coachId');
    await this.users.requireRole(input.coachId, 'COACH', 'input.coachId');
    const roomId = input.roomId ?? (await prisma.coachSettings.findUnique({ where: { coachId: input.coachId } }))?.defaultRoomId;
    if (!roomId) throw badInput('input.roomId', 'Coach has no default room configured');
    if (!isUuid(roomId) || !(await prisma.room.findUnique({ where: { id: roomId } }))) throw notFound('Room', 'input.roomId');
    checkDayOfWeek(input.dayOfWeek, 'input.dayOfWeek');
    const startMinute = minuteOf(input.startTime, 'input.startTime');
    const endMinute = input.endTime == null ? startMinute + type.durationMinutes : minuteOf(input.endTime, 'input.endTime', true);
    if (endMinute <= startMinute) throw badInput('input.endTime', 'endTime must be after startTime');
    if (endMinute > 24 * 60) throw badInput('input.endTime', 'A class must end by midnight of its day');
    const raw = input.timezone ?? this.deps.config.studioTimezone;
    if (!isValidTimezone(raw)) throw badInput('input.timezone', `Unknown IANA timezone "${raw}"`);
    const timezone = ianaSpelling(raw);
    const startDate = parseLocalDate(input.startDate);
    if (startDate === null) throw badInput('input.startDate', 'startDate must be a date YYYY-MM-DD');
    const today = localDateOf(now, timezone);
    if (startDate < today) throw badInput('input.startDate', `startDate must not be in the past (today is ${today} in ${timezone})`);
    const endDate = input.endDate == null ? null : parseLocalDate(input.endDate);
    if (input.endDate != null && endDate === null) throw badInput('input.endDate', 'endDate must be a date YYYY-MM-DD');
    if (endDate !== null) {
      if (endDate < startDate) throw badInput('input.endDate', 'endDate must not be before startDate');
      if (addDays(startDate, (input.dayOfWeek - dayOfWeekOf(startDate) + 7) % 7) > endDate) throw badInput('input.endDate', 'There is no class day between startDate and endDate');
    }
    const capacity = input.capacity ?? type.capacity;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CLASS_CAPACITY) throw badInput('input.capacity', `Capacity must be between 1 and ${MAX_CLASS_CAPACITY}`);
    const rule: WeeklyRule = { dayOfWeek: input.dayOfWeek, startMinute, endMinute, timezone, startDate, endDate, intervalWeeks: 1 };

    const { schedule, work } = await inTransaction(prisma, async (tx) => {
      await lockGeneration(tx);
      // A coach never teaches two weekly classes at once: refused here, not skipped every week.
      const others = await tx.classSchedule.findMany({ where: { coachId: input.coachId, status: 'ACTIVE' } });
      if (others.some((other) => seriesOverlap(rule, scheduleRule(other)))) throw conflict('The coach already teaches a weekly class at that time');
      const schedule = await tx.classSchedule.create({
        data: {
          classTypeId: type.id, coachId: input.coachId, roomId, dayOfWeek: input.dayOfWeek, startMinute, endMinute, timezone,
          startDate: new Date(`${startDate}T00:00:00Z`), endDate: endDate ? new Date(`${endDate}T00:00:00Z`) : null, capacity, createdAt: now,
        },
      });
      return { schedule, work: await this.generation.generateForSchedule(tx, schedule.id) };
    });
    this.generation.bookingRunCommitted(work.runId, work, work.notifications);
    return schedule;
  }

  /**
   * Owners. Cancels the schedule's classes from `fromDate` on (default: today in the
   * schedule's timezone) that have not started, with every place in them; each member told
   * once. From its first day (or today): the schedule is CANCELLED with its standing
   * reservations; from a later date it stays ACTIVE and ends the day before.
   */
  async cancel(actor: Actor, id: string, fromDate?: string | null, reason?: string | null): Promise<ClassSchedule> {
    const now = this.deps.now();
    const schedule = await this.get(id);
    const today = localDateOf(now, schedule.timezone);
    const from = fromDate == null ? today : parseLocalDate(fromDate);
    if (from === null) throw badInput('fromDate', 'fromDate must be a date YYYY-MM-DD');
    if (from < today) throw badInput('fromDate', `fromDate must not be in the past (today is ${today} in ${schedule.timezone})`);
    const why = reason?.trim() || null;

    const { row, cancelled, notified } = await inTransaction(this.deps.db.prisma, async (tx) => {
      // Under the generation lock: no run creates this schedule's classes meanwhile.
      await lockGeneration(tx);
      const current = await tx.classSchedule.findUniqueOrThrow({ where: { id } });
      if (current.status !== 'ACTIVE') throw conflict(`The class schedule is already ${current.status}`);
      const whole = from <= localDateText(current.startDate) || from === today;
      const lastDay = addDays(from, -1);
      const endsSooner = current.endDate !== null && localDateText(current.endDate) <= lastDay;
      const row = await tx.classSchedule.update({
        where: { id },
        data: whole ? { status: 'CANCELLED', cancelledAt: now, cancellationReason: why } : { endDate: endsSooner ? current.endDate : new Date(`${lastDay}T00:00:00Z`) },
      });
      // Reservations that would only have begun after the end are cancelled with it.
      await tx.standingReservation.updateMany({
        where: { scheduleId: id, status: 'ACTIVE', ...(whole ? {} : { startDate: { gte: new Date(`${from}T00:00:00Z`) } }) },
        data: { status: 'CANCELLED', cancelledAt: now },
      });
      const classes = await tx.$queryRaw<{ id: string }[]>`
        SELECT id::text FROM class_sessions
        WHERE schedule_id = ${id}::uuid AND status = 'SCHEDULED' AND start_time > ${now}
          AND (start_time AT TIME ZONE ${current.timezone})::date >= ${from}::date`;
      const cancelled = await cancelClasses(tx, classes.map((c) => c.id), { actorId: actor.id, now, reason: why ?? 'The weekly class is cancelled' });
      return { row, cancelled, notified: await new Notifier(this.deps).classChanges(tx, cancelled.enrollmentIds, now) };
    });
    this.deps.events.notificationsCreated(notified);
    await announceClasses(this.deps, cancelled.classIds, cancelled.enrollmentIds);
    return row;
  }
}
