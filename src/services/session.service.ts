import type { Actor } from '../auth/actor';
import { inTransaction, type Tx } from '../db/transaction';
import { decide, type SessionAction, type SessionStatus } from '../domain/lifecycle';
import { AppError, badInput } from '../errors';
import type { TrainingSession } from '../generated/prisma/client';
import { assertBookable } from './availability-rules';
import { MAX_BOOKING_AHEAD_MS } from './booking-session.service';
import type { ServiceDeps } from './context';
import type { SessionChange } from '../runtime/event-publisher';
import { lockSchedules } from './schedule-lock';
import { cancelSessions } from './cancellation';
import { asSessionConflict, assertNoClash, assertRoomHasSpace, changeStatus, correctAttendance } from './session-writes';
import { isUuid } from '../domain/ids';
import { isWholeMinute, WHOLE_MINUTES } from '../domain/intervals';
import { Notifier } from '../notifications/notifier';
import { Ledger } from '../billing/ledger';

export const MAX_REASON_LENGTH = 500;


/** What a lifecycle decision needs, read under the row lock. */
interface LockedSession {
  id: string;
  coachId: string;
  memberId: string;
  roomId: string;
  status: SessionStatus;
  startTime: Date;
  endTime: Date;
}

/**
 * The lifecycle of one session: cancel, complete, no-show (also attendance corrections:
 * COMPLETED <-> NO_SHOW within 7 days after the end), reschedule. Who may do what
 * and when is decided by domain/lifecycle.ts on the row read under `FOR UPDATE`, so two
 * transitions of one session at once run one after the other and the second sees the
 * first's result. Changes are published after the transaction commits.
 */
export class SessionService {
  constructor(private readonly deps: ServiceDeps) {}

  cancel(actor: Actor, id: string, reason?: string | null): Promise<TrainingSession> {
    const trimmed = reason?.trim() || null;
    if (trimmed && trimmed.length > MAX_REASON_LENGTH) {
      throw badInput('reason', `The reason may be at most ${MAX_REASON_LENGTH} characters`);
    }
    return this.transition(actor, id, 'CANCEL', trimmed);
  }

  complete(actor: Actor, id: string): Promise<TrainingSession> {
    return this.transition(actor, id, 'COMPLETE');
  }

  markNoShow(actor: Actor, id: string): Promise<TrainingSession> {
    return this.transition(actor, id, 'NO_SHOW');
  }

  /** Moves a session, keeping its duration and occurrenceStart (so generation never recreates the old slot). */
  async reschedule(actor: Actor, id: string, startTime: Date): Promise<TrainingSession> {
    const now = this.deps.now();
    if (!isWholeMinute(startTime)) throw badInput('startTime', WHOLE_MINUTES);
    if (!(startTime.getTime() > now.getTime())) throw badInput('startTime', 'The new start time must be in the future');
    if (startTime.getTime() - now.getTime() > MAX_BOOKING_AHEAD_MS) throw badInput('startTime', 'Sessions can be booked at most 730 days ahead');
    const parties = await this.partiesOf(id);

    const { session, change, notified } = await inTransaction(this.deps.db.prisma, async (tx) => {
      // Lock order shared with bookings and blocks: the coach's and member's schedules, then the session, then the room.
      await lockSchedules(tx, [parties.coachId, parties.memberId]);
      const row = await this.lock(tx, actor, id, 'RESCHEDULE', now);
      const slot = { start: startTime, end: new Date(startTime.getTime() + row.endTime.getTime() - row.startTime.getTime()) };
      if (slot.start.getTime() === row.startTime.getTime()) {
        return { session: await tx.trainingSession.findUniqueOrThrow({ where: { id } }), change: null, notified: [] };
      }
      await assertBookable(tx, row.coachId, slot, this.deps.config.studioTimezone, 'startTime');
      // People before the room, as for bookings: the clash named is the real one.
      await assertNoClash(tx, row.coachId, row.memberId, slot, row.id);
      await assertRoomHasSpace(tx, row.roomId, slot.start, slot.end, row.id);
      const session = await tx.trainingSession
        .update({ where: { id }, data: { startTime: slot.start, endTime: slot.end, updatedAt: now } })
        .catch(asSessionConflict);
      const change: SessionChange = {
        kind: 'RESCHEDULED',
        sessionId: id,
        coachId: row.coachId,
        memberId: row.memberId,
        previousStatus: null,
        at: now,
      };
      const notified = await new Notifier(this.deps).sessionRescheduled(tx, id, actor.id, { start: row.startTime, end: row.endTime }, now);
      return { session, change, notified };
    });
    if (change) this.deps.events.sessionsChanged([change]);
    this.deps.events.notificationsCreated(notified);
    return session;
  }

  private async transition(actor: Actor, id: string, action: Exclude<SessionAction, 'RESCHEDULE'>, reason?: string | null): Promise<TrainingSession> {
    const now = this.deps.now();
    const { session, changes, notified } = await inTransaction(this.deps.db.prisma, async (tx) => {
      const row = await this.lock(tx, actor, id, action, now);
      const to = action === 'CANCEL' ? 'CANCELLED' : action === 'COMPLETE' ? 'COMPLETED' : 'NO_SHOW';
      // A cancellation: the shared sequence (a count-limited series makes it up; the Ledger
      // charges a member's late cancellation, staff ones nothing).
      const { changes, notified } =
        to === 'CANCELLED'
          ? await cancelSessions(tx, this.deps, [row.id], { actor, now, reason: reason ?? null, refreshEnds: true, noticePerSession: true, charge: true })
          : await this.attend(tx, actor, row, to, now, reason);
      // The row is locked and in the state decided on, so the update cannot have missed it.
      if (changes.length !== 1) throw new Error(`Session ${id} did not change to ${to}`);
      return { session: await tx.trainingSession.findUniqueOrThrow({ where: { id } }), changes, notified };
    });
    this.deps.events.sessionsChanged(changes);
    this.deps.events.notificationsCreated(notified);
    return session;
  }

  /** COMPLETED or NO_SHOW, or a correction between them, with its charges in the same transaction. */
  private async attend(tx: Tx, actor: Actor, row: LockedSession & { correction: boolean }, to: 'COMPLETED' | 'NO_SHOW', now: Date, reason?: string | null): Promise<{ changes: SessionChange[]; notified: string[] }> {
    const ledger = new Ledger(this.deps);
    if (row.correction) {
      const changes = await correctAttendance(tx, row, to, actor.id, now);
      if (changes.length !== 1) return { changes, notified: [] };
      return { changes, notified: await ledger.attendanceCorrected(tx, row.id, row.status as 'COMPLETED' | 'NO_SHOW', to, { actorId: actor.id, now }) };
    }
    const changes = await changeStatus(tx, [row.id], to, actor.id, now, reason);
    if (changes.length !== 1) return { changes, notified: [] };
    return { changes, notified: await ledger.statusChanged(tx, [row.id], to, { actorId: actor.id, now, memberCancellation: actor.role === 'MEMBER' }) };
  }

  /**
   * Reads the session under a row lock and applies the lifecycle rules: NOT_FOUND for a
   * session the actor cannot see, FORBIDDEN for the role, CONFLICT for the state or time.
   */
  private async lock(tx: Tx, actor: Actor, id: string, action: SessionAction, now: Date): Promise<LockedSession & { correction: boolean }> {
    const rows = isUuid(id)
      ? await tx.$queryRaw<LockedSession[]>`
          SELECT id, coach_id AS "coachId", member_id AS "memberId", room_id AS "roomId",
                 status::text AS status, start_time AS "startTime", end_time AS "endTime"
          FROM training_sessions WHERE id = ${id}::uuid FOR UPDATE`
      : [];
    const row = rows[0];
    if (!row) throw new AppError('NOT_FOUND', 'Session not found', 'id');
    const decision = decide(action, actor, row, now);
    if (!decision.allowed) throw new AppError(decision.code, decision.message, decision.code === 'NOT_FOUND' ? 'id' : undefined);
    return { ...row, correction: decision.correction === true };
  }

  /** The session's coach and member (they never change), to take their schedule locks before the row lock. */
  private async partiesOf(id: string): Promise<{ coachId: string; memberId: string }> {
    const row = isUuid(id)
      ? await this.deps.db.prisma.trainingSession.findUnique({ where: { id }, select: { coachId: true, memberId: true } })
      : null;
    if (!row) throw new AppError('NOT_FOUND', 'Session not found', 'id');
    return row;
  }
}
