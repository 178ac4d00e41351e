import type { Actor } from '../auth/actor';
import { inTransaction } from '../db/transaction';
import { DAY_MS } from '../domain/availability';
import { badInput, conflict, forbidden, notFound } from '../errors';
import type { TrainingSession } from '../generated/prisma/client';
import { assertBookable } from './availability-rules';
import { assertDurationMinutes, DEFAULT_DURATION_MINUTES } from './coach-settings.service';
import type { ServiceDeps } from './context';
import { lockSchedules } from './schedule-lock';
import { assertNoClash, insertSession } from './session-writes';
import { Notifier } from '../notifications/notifier';
import { UserService } from './user.service';
import { assertAmount } from './money-input';
import { isUuid } from '../domain/ids';
import { isWholeMinute, WHOLE_MINUTES } from '../domain/intervals';

export interface BookSessionIn {
  coachId: string;
  startTime: Date;
  durationMinutes?: number | null;
  memberId?: string | null;
  roomId?: string | null;
  /** Owners only; else the coach's sessionPriceCents (fixed by the database when the row is inserted). */
  priceCents?: number | null;
}

/** How far ahead a one-off session may be booked. */
export const MAX_BOOKING_AHEAD_MS = 730 * DAY_MS;


/**
 * One-off sessions. The checks before the transaction give precise errors. Inside it,
 * the coach's and the member's schedule locks queue concurrent bookings of either, so
 * the bookable-time and clash checks see everything committed before; the room's
 * capacity is counted under its row lock, and the exclusion constraints on coach and
 * member remain the guarantee against any writer that skips the locks.
 */
export class BookingSessionService {
  private readonly users: UserService;

  constructor(private readonly deps: ServiceDeps) {
    this.users = new UserService(deps);
  }

  async book(actor: Actor, input: BookSessionIn): Promise<TrainingSession> {
    const now = this.deps.now();
    const memberId = await this.memberFor(actor, input.memberId);
    const coachId = input.coachId;
    await this.users.requireRole(coachId, 'COACH', 'input.coachId');
    if (input.priceCents != null && actor.role !== 'OWNER') throw forbidden('Only owners can set a session\'s price');
    assertAmount(input.priceCents, 'input.priceCents');

    const start = input.startTime;
    if (!isWholeMinute(start)) throw badInput('input.startTime', WHOLE_MINUTES);
    if (start.getTime() <= now.getTime()) throw badInput('input.startTime', 'The session must start in the future');
    if (start.getTime() - now.getTime() > MAX_BOOKING_AHEAD_MS) throw badInput('input.startTime', 'Sessions can be booked at most 730 days ahead');

    const settings = await this.deps.db.prisma.coachSettings.findUnique({ where: { coachId } });
    const duration = input.durationMinutes ?? settings?.defaultDurationMinutes ?? DEFAULT_DURATION_MINUTES;
    assertDurationMinutes(duration, 'input.durationMinutes');
    const roomId = input.roomId ?? settings?.defaultRoomId;
    if (!roomId) throw badInput('input.roomId', 'Coach has no default room configured');
    const room = isUuid(roomId) ? await this.deps.db.prisma.room.findUnique({ where: { id: roomId } }) : null;
    if (!room) throw notFound('Room', 'input.roomId');

    const slot = { start, end: new Date(start.getTime() + duration * 60_000) };
    const { session, change, notified } = await inTransaction(this.deps.db.prisma, async (tx) => {
      await lockSchedules(tx, [coachId, memberId]);
      await assertBookable(tx, coachId, slot, this.deps.config.studioTimezone, 'input.startTime');
      await assertNoClash(tx, coachId, memberId, slot);
      const inserted = await insertSession(tx, { coachId, memberId, roomId, startTime: slot.start, endTime: slot.end, priceCents: input.priceCents ?? null }, actor.id, now);
      const notified = await new Notifier(this.deps).sessionBooked(tx, inserted.session.id, now);
      return { ...inserted, notified };
    });
    this.deps.events.sessionsChanged([change]);
    this.deps.events.notificationsCreated(notified);
    return session;
  }

  /** Members book for themselves; owners name the member. */
  private async memberFor(actor: Actor, memberId: string | null | undefined): Promise<string> {
    if (actor.role === 'MEMBER') {
      if (memberId && memberId !== actor.id) throw forbidden('Members can only book sessions for themselves');
      return actor.id;
    }
    if (!memberId) throw badInput('input.memberId', 'memberId is required when booking for a member');
    await this.users.requireRole(memberId, 'MEMBER', 'input.memberId');
    return memberId;
  }
}
