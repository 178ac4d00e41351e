import type { Actor } from '../auth/actor';
import { inTransaction, type Tx } from '../db/transaction';
import { DAY_MS } from '../domain/availability';
import { badInput, conflict, forbidden, notFound } from '../errors';
import type { TrainingSession } from '../generated/prisma/client';
import { assertBookable } from './availability-rules';
import { DEFAULT_DURATION_MINUTES, MAX_DURATION_MINUTES, MIN_DURATION_MINUTES } from './coach-settings.service';
import type { ServiceDeps } from './context';
import { lockSchedules } from './schedule-lock';
import { insertSession } from './session-writes';
import { Notifier } from '../notifications/notifier';
import { UserService } from './user.service';
import { isUuid } from '../domain/ids';

export interface BookSessionIn {
  coachId: string;
  startTime: Date;
  durationMinutes?: number | null;
  memberId?: string | null;
  roomId?: string | null;
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

    const start = input.startTime;
    if (start.getTime() <= now.getTime()) throw badInput('input.startTime', 'The session must start in the future');
    if (start.getTime() - now.getTime() > MAX_BOOKING_AHEAD_MS) throw badInput('input.startTime', 'Sessions can be booked at most 730 days ahead');

    const settings = await this.deps.db.prisma.coachSettings.findUnique({ where: { coachId } });
    const duration = input.durationMinutes ?? settings?.defaultDurationMinutes ?? DEFAULT_DURATION_MINUTES;
    if (!Number.isInteger(duration) || duration < MIN_DURATION_MINUTES || duration > MAX_DURATION_MINUTES) {
      throw badInput('input.durationMinutes', `Duration must be between ${MIN_DURATION_MINUTES} and ${MAX_DURATION_MINUTES} minutes`);
    }
    const roomId = input.roomId ?? settings?.defaultRoomId;
    if (!roomId) throw badInput('input.roomId', 'Coach has no default room configured');
    const room = isUuid(roomId) ? await this.deps.db.prisma.room.findUnique({ where: { id: roomId } }) : null;
    if (!room) throw notFound('Room', 'input.roomId');

    const slot = { start, end: new Date(start.getTime() + duration * 60_000) };
    const { session, change, notified } = await inTransaction(this.deps.db.prisma, async (tx) => {
      await lockSchedules(tx, [coachId, memberId]);
      await assertBookable(tx, coachId, slot, this.deps.config.studioTimezone, 'input.startTime');
      await assertNoClash(tx, coachId, memberId, slot);
      const inserted = await insertSession(tx, { coachId, memberId, roomId, startTime: slot.start, endTime: slot.end }, actor.id, now);
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

/**
 * CONFLICT naming who is busy, when a committed session already overlaps. The schedule
 * locks make this read current for bookings; a writer that skips them still meets the
 * exclusion constraints.
 */
async function assertNoClash(tx: Tx, coachId: string, memberId: string, slot: { start: Date; end: Date }): Promise<void> {
  const rows = await tx.$queryRaw<{ coach_busy: boolean; member_busy: boolean }[]>`
    SELECT bool_or(coach_id = ${coachId}::uuid) AS coach_busy, bool_or(member_id = ${memberId}::uuid) AS member_busy
    FROM training_sessions
    WHERE status <> 'CANCELLED' AND (coach_id = ${coachId}::uuid OR member_id = ${memberId}::uuid)
      AND start_time < ${slot.end} AND end_time > ${slot.start}`;
  if (rows[0]?.coach_busy) throw conflict('The coach already has a session at that time');
  if (rows[0]?.member_busy) throw conflict('The member already has a session at that time');
}
