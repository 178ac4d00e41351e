import type { Actor } from '../auth/actor';
import { inTransaction } from '../db/transaction';
import {
  MAX_ADDITION_MS,
  MAX_AVAILABILITY_RANGE_MS,
  MAX_BLOCK_MS,
  MAX_WEEKLY_SLOTS,
  availableWindows,
  weeklySlotProblem,
  windowProblem,
  type WeeklySlot,
} from '../domain/availability';
import type { Interval } from '../domain/intervals';
import { parseLocalEndTime, parseLocalTime } from '../domain/civil-date';
import { badInput, notFound } from '../errors';
import type { AvailabilityAddition, AvailabilityBlock, WeeklyAvailability } from '../generated/prisma/client';
import { targetCoachId } from './coach-settings.service';
import type { ServiceDeps } from './context';
import { lockSchedules } from './schedule-lock';
import { cancelSessions, publishCancellation } from './cancellation';
import { Notifier } from '../notifications/notifier';
import { announceClasses } from './class-events';
import { cancelClasses } from './class-writes';
import { UserService } from './user.service';
import { isUuid } from '../domain/ids';

/** Weekly slot as a client sends it: wall-clock "HH:mm" in the studio's timezone. */
export interface WeeklySlotIn {
  dayOfWeek: number;
  startTime: string;
  endTime: string;
}

export interface WindowIn {
  coachId?: string | null;
  startTime: Date;
  endTime: Date;
  note?: string | null;
}

export const COACH_UNAVAILABLE = 'COACH_UNAVAILABLE';


/** Optional list bounds: when both are given, `to` must be after `from`. */
function overlapFilter(from?: Date | null, to?: Date | null) {
  if (from && to && !(to.getTime() > from.getTime())) throw badInput('to', 'to must be after from');
  return { ...(to ? { startTime: { lt: to } } : {}), ...(from ? { endTime: { gt: from } } : {}) };
}

function noteOf(text: string | null | undefined): string | null {
  const trimmed = text?.trim();
  return trimmed ? trimmed : null;
}

/**
 * A coach's bookable time: weekly hours (wall-clock in STUDIO_TIMEZONE), one-off
 * additions and blocks, and the bookable windows they leave. Coaches manage their
 * own, owners anyone's.
 */
export class AvailabilityService {
  private readonly users: UserService;

  constructor(private readonly deps: ServiceDeps) {
    this.users = new UserService(deps);
  }

  private get prisma() {
    return this.deps.db.prisma;
  }

  async weekly(coachId: string): Promise<WeeklyAvailability[]> {
    await this.users.requireRole(coachId, 'COACH', 'coachId');
    return this.prisma.weeklyAvailability.findMany({ where: { coachId }, orderBy: [{ dayOfWeek: 'asc' }, { startMinute: 'asc' }] });
  }

  /** Replaces the coach's whole week in one transaction; an empty list clears it. */
  async setWeekly(actor: Actor, coachIdArg: string | null | undefined, input: WeeklySlotIn[]): Promise<WeeklyAvailability[]> {
    const coachId = targetCoachId(actor, coachIdArg, 'coachId');
    if (input.length > MAX_WEEKLY_SLOTS) throw badInput('slots', `At most ${MAX_WEEKLY_SLOTS} weekly slots`);
    const slots: WeeklySlot[] = [];
    for (const [index, slot] of input.entries()) {
      const startMinute = parseLocalTime(slot.startTime);
      if (startMinute === null) throw badInput(`slots.${index}.startTime`, 'startTime must be HH:mm, 00:00 to 23:59');
      const endMinute = parseLocalEndTime(slot.endTime);
      if (endMinute === null) throw badInput(`slots.${index}.endTime`, 'endTime must be HH:mm, 00:00 to 24:00');
      slots.push({ dayOfWeek: slot.dayOfWeek, startMinute, endMinute });
    }
    const problem = weeklySlotProblem(slots);
    if (problem) throw badInput(`slots.${problem.index}.${problem.field}`, problem.message);
    await this.users.requireRole(coachId, 'COACH', 'coachId');

    await inTransaction(this.prisma, async (tx) => {
      // Two replacements of one week must not interleave their delete and insert.
      await lockSchedules(tx, [coachId]);
      await tx.weeklyAvailability.deleteMany({ where: { coachId } });
      await tx.weeklyAvailability.createMany({ data: slots.map((slot) => ({ coachId, ...slot })) });
    });
    return this.weekly(coachId);
  }

  async additions(coachId: string, from?: Date | null, to?: Date | null): Promise<AvailabilityAddition[]> {
    await this.users.requireRole(coachId, 'COACH', 'coachId');
    return this.prisma.availabilityAddition.findMany({ where: { coachId, ...overlapFilter(from, to) }, orderBy: [{ startTime: 'asc' }, { id: 'asc' }] });
  }

  async addAddition(actor: Actor, input: WindowIn): Promise<AvailabilityAddition> {
    const { coachId, window } = await this.writableWindow(actor, input, MAX_ADDITION_MS);
    return this.prisma.availabilityAddition.create({ data: { coachId, startTime: window.start, endTime: window.end, note: noteOf(input.note) } });
  }

  /** Sessions already booked in the window stay: removing extra time cancels nothing. */
  async removeAddition(actor: Actor, id: string): Promise<boolean> {
    const row = isUuid(id) ? await this.prisma.availabilityAddition.findUnique({ where: { id } }) : null;
    if (!row || (actor.role === 'COACH' && row.coachId !== actor.id)) throw notFound('Availability addition', 'id');
    const { count } = await this.prisma.availabilityAddition.deleteMany({ where: { id } });
    if (count === 0) throw notFound('Availability addition', 'id');
    return true;
  }

  /** Coaches see only their own blocks (reasons can be private); others' are NOT_FOUND. */
  async blocks(actor: Actor, coachId: string, from?: Date | null, to?: Date | null): Promise<AvailabilityBlock[]> {
    if (actor.role === 'COACH' && coachId !== actor.id) throw notFound('Coach', 'coachId');
    await this.users.requireRole(coachId, 'COACH', 'coachId');
    return this.prisma.availabilityBlock.findMany({ where: { coachId, ...overlapFilter(from, to) }, orderBy: [{ startTime: 'asc' }, { id: 'asc' }] });
  }

  /**
   * Blocks the window and, in the same transaction, cancels the coach's SCHEDULED
   * sessions overlapping it (touching its edges is not overlapping), with history.
   * Subscribers hear of the cancellations after commit.
   */
  async block(actor: Actor, input: WindowIn): Promise<AvailabilityBlock> {
    const { coachId, window } = await this.writableWindow(actor, input, MAX_BLOCK_MS);
    const now = this.deps.now();
    const { block, changes, notified, classes } = await inTransaction(this.prisma, async (tx) => {
      // Bookings of this coach in flight commit first; later ones see the block.
      await lockSchedules(tx, [coachId]);
      const created = await tx.availabilityBlock.create({ data: { coachId, startTime: window.start, endTime: window.end, reason: noteOf(input.note) } });
      const inside = await tx.trainingSession.findMany({
        where: { coachId, status: 'SCHEDULED', startTime: { lt: window.end }, endTime: { gt: window.start } },
        select: { id: true },
      });
      // Count-limited series make them up; a staff cancellation charges nothing.
      const { changes, notified } = await cancelSessions(tx, this.deps, inside.map((s) => s.id), {
        actor, now, reason: COACH_UNAVAILABLE, refreshEnds: true, noticePerSession: true, charge: true,
      });
      // Their classes too, every place in them; each member told once however many classes they lose.
      const teaching = await tx.classSession.findMany({
        where: { coachId, status: 'SCHEDULED', startTime: { lt: window.end }, endTime: { gt: window.start } },
        select: { id: true },
      });
      const classes = await cancelClasses(tx, teaching.map((c) => c.id), { actorId: actor.id, now, reason: 'The coach is not available then' });
      notified.push(...(await new Notifier(this.deps).classChanges(tx, classes.enrollmentIds, now)));
      return { block: created, changes, notified, classes };
    });
    publishCancellation(this.deps.events, changes, notified);
    await announceClasses(this.deps, classes.classIds, classes.enrollmentIds);
    return block;
  }

  /** Sessions the block cancelled stay cancelled: lifting a block reopens the time only. */
  async removeBlock(actor: Actor, id: string): Promise<boolean> {
    const row = isUuid(id) ? await this.prisma.availabilityBlock.findUnique({ where: { id } }) : null;
    if (!row || (actor.role === 'COACH' && row.coachId !== actor.id)) throw notFound('Availability block', 'id');
    const { count } = await this.prisma.availabilityBlock.deleteMany({ where: { id } });
    if (count === 0) throw notFound('Availability block', 'id');
    return true;
  }

  /**
   * Bookable windows in [from, to), merged, in UTC: weekly hours + additions - blocks -
   * the coach's non-cancelled sessions. Time before now is not bookable, so the range
   * starts no earlier than now (rounded up to the minute).
   */
  async coachAvailability(coachId: string, from: Date, to: Date): Promise<Interval[]> {
    if (!(to.getTime() > from.getTime())) throw badInput('to', 'to must be after from');
    if (to.getTime() - from.getTime() > MAX_AVAILABILITY_RANGE_MS) throw badInput('to', 'The range may span at most 62 days');
    await this.users.requireRole(coachId, 'COACH', 'coachId');
    const nowMinute = Math.ceil(this.deps.now().getTime() / 60_000) * 60_000;
    const range = { start: new Date(Math.max(from.getTime(), nowMinute)), end: to };
    if (!(range.end.getTime() > range.start.getTime())) return [];
    const overlapping = { coachId, startTime: { lt: range.end }, endTime: { gt: range.start } };
    const [weekly, additions, blocks, booked] = await Promise.all([
      this.prisma.weeklyAvailability.findMany({ where: { coachId } }),
      this.prisma.availabilityAddition.findMany({ where: overlapping, select: { startTime: true, endTime: true } }),
      this.prisma.availabilityBlock.findMany({ where: overlapping, select: { startTime: true, endTime: true } }),
      this.prisma.trainingSession.findMany({ where: { ...overlapping, status: { not: 'CANCELLED' } }, select: { startTime: true, endTime: true } }),
    ]);
    const asInterval = (row: { startTime: Date; endTime: Date }): Interval => ({ start: row.startTime, end: row.endTime });
    return availableWindows({
      weekly,
      timezone: this.deps.config.studioTimezone,
      additions: additions.map(asInterval),
      blocks: blocks.map(asInterval),
      booked: booked.map(asInterval),
      range,
    });
  }

  /** The coach a window is for (the caller, or any coach for owners) and the window: end after start, at most `maxMs` long, not over yet. */
  private async writableWindow(actor: Actor, input: WindowIn, maxMs: number): Promise<{ coachId: string; window: Interval }> {
    const coachId = targetCoachId(actor, input.coachId, 'input.coachId');
    const window = { start: input.startTime, end: input.endTime };
    const problem = windowProblem(window, maxMs);
    if (problem) throw badInput('input.endTime', problem);
    if (window.end.getTime() <= this.deps.now().getTime()) throw badInput('input.endTime', 'The window must end in the future');
    await this.users.requireRole(coachId, 'COACH', 'input.coachId');
    return { coachId, window };
  }
}
