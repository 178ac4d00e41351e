import type { Actor } from '../auth/actor';
import { inTransaction, type Tx } from '../db/transaction';
import { MESSAGES } from '../domain/lifecycle';
import { CLASH_MESSAGES } from '../domain/occupancy';
import { MAX_SERIES_OCCURRENCES } from '../domain/series-count';
import { addDays, dayOfWeekOf, formatLocalTime, isDayOfWeek, parseLocalDate, parseLocalEndTime, parseLocalTime } from '../domain/civil-date';
import { ianaSpelling, isValidTimezone, localDateOf, zonedDateTimeToInstant } from '../domain/zone-time';
import { MAX_INTERVAL_WEEKS, nthOccurrenceDate, type WeeklyRule } from '../domain/weekly-rule';
import { seriesOverlap } from '../domain/series-overlap';
import { AppError, badInput, conflict, forbidden, notFound } from '../errors';
import type { RecurringBooking, RecurringBookingStatus } from '../generated/prisma/client';
import { assertWeeklySlotInsideHours } from './availability-rules';
import type { ServiceDeps } from './context';
import { assertAmount } from './money-input';
import { lockGeneration } from './generation-lock';
import { GenerationService, type SkippedOccurrence } from './generation.service';
import { lockSchedules } from './schedule-lock';
import { cancelSessions, publishCancellation } from './cancellation';
import { MAX_PAGE_SIZE } from '../domain/limits';
import { UserService } from './user.service';
import { Notifier } from '../notifications/notifier';
import { canSeeParties, isUuid, narrowToActor } from './visibility';

export interface NewRecurringBooking {
  coachId: string;
  dayOfWeek: number;
  startTime: string;
  endTime: string;
  startDate: string;
  endDate?: string | null;
  memberId?: string | null;
  roomId?: string | null;
  timezone?: string | null;
  priceCents?: number | null;
  intervalWeeks?: number | null;
  occurrences?: number | null;
}

export interface RecurringBookingCancellation {
  recurringBookingId: string;
  futureOnly?: boolean | null;
  reason?: string | null;
}

export interface RecurringBookingFilter {
  memberId?: string | null;
  coachId?: string | null;
  status?: RecurringBookingStatus | null;
}

/** Why the sessions of a cancelled series were cancelled, unless the caller says. */
export const SERIES_CANCELLED = 'RECURRING_BOOKING_CANCELLED';
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A DATE column as Prisma returns it (UTC midnight) -> "YYYY-MM-DD". */
export function localDateText(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The weekly rule of a stored series. */
export function ruleOf(row: RecurringBooking): WeeklyRule {
  return {
    dayOfWeek: row.dayOfWeek,
    startMinute: row.startMinute,
    endMinute: row.endMinute,
    timezone: row.timezone,
    startDate: localDateText(row.startDate),
    endDate: row.endDate ? localDateText(row.endDate) : null,
    intervalWeeks: row.intervalWeeks,
  };
}

/** "HH:mm" or "HH:mm:00" -> minutes since midnight (an end may be 24:00, the next midnight); anything else names the field. */
export function minuteOf(text: string, field: string, end = false): number {
  const minute = end ? parseLocalEndTime(text) : parseLocalTime(text);
  if (minute === null || (text.length > 5 && !text.endsWith(':00'))) {
    throw badInput(field, `${field.split('.').pop()} must be a whole minute HH:mm, 00:00 to ${end ? '24:00' : '23:59'}`);
  }
  return minute;
}

/** 0 (Sunday) to 6 (Saturday); anything else names the field. */
export function checkDayOfWeek(day: number, field: string): void {
  if (!isDayOfWeek(day)) throw badInput(field, 'dayOfWeek must be 0 (Sunday) to 6 (Saturday)');
}

/** 1 to MAX_INTERVAL_WEEKS; anything else names the field. */
export function checkIntervalWeeks(weeks: number, field: string): void {
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_INTERVAL_WEEKS) throw badInput(field, `intervalWeeks must be between 1 and ${MAX_INTERVAL_WEEKS}`);
}

/**
 * Recurring bookings ("every Tuesday 10:00-11:00 with this coach"): create with their
 * first sessions, cancel, read. Members book and see their own, coaches see and cancel
 * those booked with them, owners everything.
 */
export class BookingService {
  private readonly users: UserService;
  private readonly generation: GenerationService;

  constructor(private readonly deps: ServiceDeps) {
    this.users = new UserService(deps);
    this.generation = new GenerationService(deps);
  }

  private get prisma() {
    return this.deps.db.prisma;
  }

  async create(actor: Actor, input: NewRecurringBooking): Promise<RecurringBooking> {
    const now = this.deps.now();
    const rule = this.validRule(input, now);
    const priceCents = input.priceCents ?? null;
    assertAmount(priceCents, 'input.priceCents');
    const memberId = await this.bookingMember(actor, input.memberId);
    const coachId = input.coachId;
    if (!isUuid(coachId)) throw new AppError('NOT_FOUND', 'Coach not found', 'input.coachId');
    await this.users.requireRole(coachId, 'COACH', 'input.coachId');
    const roomId = await this.bookingRoom(coachId, input.roomId);

    let generating = false;
    const generationStarted = this.deps.now();
    try {
      const { booking, runId, work, notified } = await inTransaction(this.prisma, async (tx) => {
        // Lock order: generation -> schedules -> rooms (see generation-lock.ts). The generation
        // lock also serialises the overlap check: two racing requests cannot both pass it.
        await lockGeneration(tx);
        await lockSchedules(tx, [coachId, memberId]);
        // The year checked starts with the series (which may start months from now), not today.
        const firstDay = zonedDateTimeToInstant(rule.startDate, 0, rule.timezone);
        const checkFrom = new Date(Math.max(now.getTime(), firstDay.getTime()));
        await assertWeeklySlotInsideHours(tx, coachId, rule, checkFrom, this.deps.config.studioTimezone, 'input.startTime');
        await assertNoOverlappingSeries(tx, rule, coachId, memberId);
        const created = await tx.recurringBooking.create({
          data: {
            memberId,
            coachId,
            roomId,
            dayOfWeek: rule.dayOfWeek,
            startMinute: rule.startMinute,
            endMinute: rule.endMinute,
            timezone: rule.timezone,
            startDate: new Date(`${rule.startDate}T00:00:00Z`),
            endDate: rule.endDate ? new Date(`${rule.endDate}T00:00:00Z`) : null,
            intervalWeeks: rule.intervalWeeks ?? 1,
            occurrences: rule.occurrences,
            priceCents,
            createdAt: now,
          },
        });
        generating = true;
        const work = await this.generation.generateForBooking(tx, created.id);
        // Occurrences to generate, none possible: refused like a one-off booking (rolled back, nothing written).
        if (work.counts.totalGenerated === 0 && (work.skipped.length > 0 || work.counts.skippedConflicts > 0)) {
          throw conflict(this.impossibleSeriesMessage(rule, work.skipped));
        }
        // One confirmation per series, listing the sessions just generated (PEERS: not one per occurrence).
        const confirmed = await new Notifier(this.deps).seriesConfirmed(tx, created.id, now);
        // Read back: a count-limited series' end moved if generation had to take occurrences away.
        const booking = await tx.recurringBooking.findUniqueOrThrow({ where: { id: created.id } });
        return { booking, runId: work.runId, work, notified: [...work.notifications, ...confirmed] };
      });
      this.generation.bookingRunCommitted(runId, work, notified);
      return booking;
    } catch (error) {
      if (generating && !(error instanceof AppError)) {
        await this.generation.recordFailedBookingRun(error, generationStarted).catch((recordError: unknown) => {
          this.deps.log.error({ err: recordError }, 'could not record the failed booking generation run');
        });
      }
      throw error;
    }
  }

  /** Says why a new series can have no session: the first skipped occurrence and its clash. */
  private impossibleSeriesMessage(rule: WeeklyRule, skipped: SkippedOccurrence[]): string {
    const weeks = this.deps.config.generationHorizonWeeks;
    const first = skipped.reduce<SkippedOccurrence | undefined>((a, b) => (a === undefined || b.start < a.start ? b : a), undefined);
    const lead = `No session of the series can take place in the next ${weeks} weeks`;
    if (!first) return `${lead}: every occurrence clashes with another booking`;
    const when = `${localDateOf(new Date(first.start), rule.timezone)} ${formatLocalTime(rule.startMinute)} ${rule.timezone}`;
    const why =
      first.reason === 'BLOCKED'
        ? 'the coach is unavailable then (blocked)'
        : first.reason === 'CONFLICT'
          ? 'it clashes with another booking'
          : CLASH_MESSAGES[first.reason].replace(/^The/, 'the');
    return `${lead}: every occurrence is impossible; the first, ${when}: ${why}`;
  }

  async cancel(actor: Actor, input: RecurringBookingCancellation): Promise<RecurringBooking> {
    const id = input.recurringBookingId;
    if (!isUuid(id)) throw notFound('Recurring booking', 'input.recurringBookingId');
    const futureOnly = input.futureOnly ?? true;
    const reason = input.reason?.trim() || null;
    const { booking, changes, notified } = await inTransaction(this.prisma, async (tx) => {
      // Under the generation lock: no run can be generating sessions for this series meanwhile.
      await lockGeneration(tx);
      const row = await tx.recurringBooking.findUnique({ where: { id } });
      if (!row || !canSeeParties(actor, row)) throw notFound('Recurring booking', 'input.recurringBookingId');
      if (row.status !== 'ACTIVE') throw conflict(`The recurring booking is already ${row.status}`);
      const now = this.deps.now();
      const sessions = await tx.trainingSession.findMany({
        where: { recurringBookingId: id, status: 'SCHEDULED', ...(futureOnly ? { startTime: { gt: now } } : {}) },
        select: { id: true, startTime: true },
      });
      // Members cancel sessions only before they start (the lifecycle rule), also in bulk.
      if (actor.role === 'MEMBER' && sessions.some((s) => s.startTime.getTime() <= now.getTime())) {
        throw conflict(MESSAGES.memberCancelAfterStart);
      }
      // A member cancelling their series pays the late-cancel fee of sessions inside the window;
      // the series ends here, so no derived end moves; the notice is one for the series (below).
      const { changes: cancelled, notified: billed } = await cancelSessions(tx, this.deps, sessions.map((s) => s.id), {
        actor, now, reason: reason ?? SERIES_CANCELLED, refreshEnds: false, noticePerSession: false, charge: true,
      });
      const updated = await tx.recurringBooking.update({
        where: { id },
        data: { status: 'CANCELLED', cancelledAt: now, cancellationReason: reason },
      });
      // One notice per party for the series, not one per cancelled session.
      const notified = await new Notifier(this.deps).seriesCancelled(tx, id, actor.id, cancelled.map((c) => c.sessionId), now);
      return { booking: updated, changes: cancelled, notified: [...notified, ...billed] };
    });
    publishCancellation(this.deps.events, changes, notified);
    return booking;
  }

  /** One series, if the actor may see it; NOT_FOUND otherwise (no hint that it exists). */
  async get(actor: Actor, id: string): Promise<RecurringBooking> {
    const row = isUuid(id) ? await this.prisma.recurringBooking.findUnique({ where: { id } }) : null;
    if (!row || !canSeeParties(actor, row)) throw notFound('Recurring booking', 'id');
    return row;
  }

  /**
   * The series the actor may see, narrowed by the filters, oldest first (createdAt, id), a
   * page at a time: `after` is the id of the last series of the previous page.
   */
  async list(actor: Actor, filter: RecurringBookingFilter, page: { first: number; after?: string | null }): Promise<RecurringBooking[]> {
    if (!Number.isInteger(page.first) || page.first < 1 || page.first > MAX_PAGE_SIZE) throw badInput('first', `first must be between 1 and ${MAX_PAGE_SIZE}`);
    let after: { createdAt: Date; id: string } | null = null;
    if (page.after) {
      const row = isUuid(page.after) ? await this.prisma.recurringBooking.findUnique({ where: { id: page.after } }) : null;
      if (!row || !canSeeParties(actor, row)) throw badInput('after', 'after must be the id of the last series of the previous page');
      after = row;
    }
    if ((filter.memberId && !isUuid(filter.memberId)) || (filter.coachId && !isUuid(filter.coachId))) return [];
    const scope = narrowToActor(actor, filter);
    if (!scope) return [];
    return this.prisma.recurringBooking.findMany({
      where: {
        ...scope,
        ...(filter.status ? { status: filter.status } : {}),
        ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: page.first,
    });
  }

  /** Every field of the rule, checked in the order of the input; dates judged in the series' own timezone. */
  private validRule(input: NewRecurringBooking, now: Date): WeeklyRule & { occurrences: number | null } {
    const { dayOfWeek } = input;
    checkDayOfWeek(dayOfWeek, 'input.dayOfWeek');
    const startMinute = minuteOf(input.startTime, 'input.startTime');
    const endMinute = minuteOf(input.endTime, 'input.endTime', true);
    if (endMinute <= startMinute) throw badInput('input.endTime', 'endTime must be after startTime');

    const timezone = input.timezone ?? this.deps.config.studioTimezone;
    if (!isValidTimezone(timezone)) throw badInput('input.timezone', `Unknown IANA timezone "${timezone}"`);
    const zone = ianaSpelling(timezone);

    const startDate = parseLocalDate(input.startDate);
    if (startDate === null) throw badInput('input.startDate', 'startDate must be a date YYYY-MM-DD');
    if (startDate < localDateOf(now, zone)) throw badInput('input.startDate', `startDate must not be in the past (today is ${localDateOf(now, zone)} in ${zone})`);
    const endDate = input.endDate == null ? null : parseLocalDate(input.endDate);
    if (input.endDate != null && endDate === null) throw badInput('input.endDate', 'endDate must be a date YYYY-MM-DD');
    if (endDate !== null) {
      if (endDate < startDate) throw badInput('input.endDate', 'endDate must not be before startDate');
      const firstDay = addDays(startDate, (dayOfWeek - dayOfWeekOf(startDate) + 7) % 7);
      if (firstDay > endDate) throw badInput('input.endDate', `There is no ${WEEKDAYS[dayOfWeek]} between startDate and endDate`);
    }
    const intervalWeeks = input.intervalWeeks ?? 1;
    checkIntervalWeeks(intervalWeeks, 'input.intervalWeeks');
    const occurrences = input.occurrences ?? null;
    if (occurrences !== null) {
      if (!Number.isInteger(occurrences) || occurrences < 1 || occurrences > MAX_SERIES_OCCURRENCES) {
        throw badInput('input.occurrences', `occurrences must be between 1 and ${MAX_SERIES_OCCURRENCES}`);
      }
      if (endDate !== null) throw badInput('input.occurrences', 'occurrences and endDate exclude each other: give one of them');
    }
    const rule = { dayOfWeek, startMinute, endMinute, timezone: zone, startDate, endDate, intervalWeeks, occurrences };
    // A count-limited series ends, until something is taken away, on its nth occurrence.
    if (occurrences !== null) rule.endDate = nthOccurrenceDate(rule, occurrences);
    return rule;
  }

  /** Members book for themselves; owners must say for whom. */
  private async bookingMember(actor: Actor, memberId: string | null | undefined): Promise<string> {
    if (actor.role === 'MEMBER') {
      if (memberId && memberId !== actor.id) throw forbidden('Members can only book for themselves');
      return actor.id;
    }
    if (!memberId) throw badInput('input.memberId', 'memberId is required when booking for a member');
    if (!isUuid(memberId)) throw new AppError('NOT_FOUND', 'Member not found', 'input.memberId');
    await this.users.requireRole(memberId, 'MEMBER', 'input.memberId');
    return memberId;
  }

  /** The room asked for, else the coach's default room. */
  private async bookingRoom(coachId: string, roomId: string | null | undefined): Promise<string> {
    if (roomId) {
      const room = isUuid(roomId) ? await this.prisma.room.findUnique({ where: { id: roomId } }) : null;
      if (!room) throw notFound('Room', 'input.roomId');
      return room.id;
    }
    const settings = await this.prisma.coachSettings.findUnique({ where: { coachId } });
    if (!settings?.defaultRoomId) throw badInput('input.roomId', 'Coach has no default room configured');
    return settings.defaultRoomId;
  }

}

/**
 * CONFLICT when an ACTIVE series of the coach or member (other than `exceptId`, the series
 * being replaced) ever meets `rule`: new series and changed ones alike.
 */
export async function assertNoOverlappingSeries(tx: Tx, rule: WeeklyRule, coachId: string, memberId: string, exceptId?: string): Promise<void> {
  const others = await tx.recurringBooking.findMany({ where: { status: 'ACTIVE', ...(exceptId ? { id: { not: exceptId } } : {}), OR: [{ coachId }, { memberId }] } });
  const clashing = others.filter((other) => seriesOverlap(rule, ruleOf(other)));
  // The coach first, then the member: the order every conflict message follows.
  if (clashing.some((other) => other.coachId === coachId)) throw conflict('The coach already has a recurring booking at that time');
  if (clashing.length > 0) throw conflict('The member already has a recurring booking at that time');
}
