import type { Tx } from '../db/transaction';
import { PG, sqlState, violatedConstraint } from '../db/pg-errors';
import type { SessionStatus } from '../domain/lifecycle';
import { CLASH_MESSAGES, roomFits, type Placement } from '../domain/occupancy';
import { AppError, conflict } from '../errors';
import type { TrainingSession } from '../generated/prisma/client';
import type { SessionChange } from '../runtime/event-publisher';
import { voidReminders } from '../notifications/reminders';

/**
 * The writes every path that creates or changes a session shares (one-off bookings,
 * rescheduling, cancellations, blocks, generation): the database enforces the
 * double-booking rules, the room's capacity is counted under a lock on the room row,
 * and every status change leaves a SessionStatusChange in the same transaction.
 */

export interface NewSession {
  coachId: string;
  memberId: string;
  roomId: string;
  startTime: Date;
  endTime: Date;
  recurringBookingId?: string | null;
  occurrenceStart?: Date | null;
  /** null: the series' price, else the coach's (a BEFORE INSERT trigger fixes it). */
  priceCents?: number | null;
}

const CONSTRAINT_MESSAGES: Record<string, string> = {
  training_sessions_coach_no_overlap: CLASH_MESSAGES.COACH,
  training_sessions_member_no_overlap: CLASH_MESSAGES.MEMBER,
  // Busy time across training sessions and classes (the classes migration).
  busy_times_coach_no_overlap: CLASH_MESSAGES.COACH,
  busy_times_member_no_overlap: CLASH_MESSAGES.MEMBER,
  training_sessions_recurring_booking_id_occurrence_start_key: 'That occurrence of the series already has a session',
};

/** Turns a constraint violation of a session write into CONFLICT saying what clashed; rethrows anything else. */
export function asSessionConflict(error: unknown): never {
  if (error instanceof AppError) throw error;
  const state = sqlState(error);
  // A deadlock is not mapped here: it reaches inTransaction, which retries it.
  if (state === PG.exclusionViolation || state === PG.uniqueViolation) {
    const constraint = violatedConstraint(error);
    throw conflict((constraint && CONSTRAINT_MESSAGES[constraint]) ?? 'The session clashes with another booking');
  }
  throw error;
}

/**
 * Locks room rows, in id order (lock order: generation -> schedules -> rooms), and returns
 * their capacities. Every path that puts a session into a room counts the room's sessions
 * only after this, so no other writer can slip a session in between the count and the write.
 */
export async function lockRooms(tx: Tx, roomIds: readonly string[]): Promise<Map<string, number>> {
  const ids = [...new Set(roomIds)];
  if (ids.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ id: string; capacity: number }[]>`
    SELECT id::text, capacity FROM rooms WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
  return new Map(rows.map((row) => [row.id, row.capacity]));
}

/**
 * What occupies any of these rooms, coaches or members in [from, to), as placements for the
 * domain's rules (placeSessions, roomFits): non-cancelled training sessions; classes, each
 * one use of its room and its coach's time (no member: ''); enrollments holding a place,
 * their member's time (no coach or room: ''). Read after lockRooms and the schedule locks,
 * so it is current.
 */
export async function busyPlacements(
  tx: Tx,
  who: { roomIds: readonly string[]; coachIds?: readonly string[]; memberIds?: readonly string[] },
  from: Date,
  to: Date,
  ignoreSessionId?: string,
): Promise<Placement[]> {
  const rooms = [...who.roomIds];
  const coaches = [...(who.coachIds ?? [])];
  const members = [...(who.memberIds ?? [])];
  return tx.$queryRaw<Placement[]>`
    WITH busy AS (
      SELECT coach_id::text AS coach, member_id::text AS member, room_id::text AS room, start_time, end_time
      FROM training_sessions
      WHERE status <> 'CANCELLED' AND start_time < ${to} AND end_time > ${from}
        AND (room_id = ANY(${rooms}::uuid[]) OR coach_id = ANY(${coaches}::uuid[]) OR member_id = ANY(${members}::uuid[]))
        AND (${ignoreSessionId ?? null}::uuid IS NULL OR id <> ${ignoreSessionId ?? null}::uuid)
      UNION ALL
      SELECT coach_id::text, '', room_id::text, start_time, end_time
      FROM class_sessions
      WHERE status <> 'CANCELLED' AND start_time < ${to} AND end_time > ${from}
        AND (room_id = ANY(${rooms}::uuid[]) OR coach_id = ANY(${coaches}::uuid[]))
      UNION ALL
      SELECT '', e.member_id::text, '', c.start_time, c.end_time
      FROM enrollments e JOIN class_sessions c ON c.id = e.class_session_id
      WHERE e.member_id = ANY(${members}::uuid[]) AND e.status IN ('BOOKED', 'OFFERED', 'ATTENDED', 'NO_SHOW')
        AND c.status <> 'CANCELLED' AND c.start_time < ${to} AND c.end_time > ${from}
    )
    SELECT coach AS "coachId", member AS "memberId", room AS "roomId",
           (extract(epoch FROM start_time) * 1000)::float8 AS start, (extract(epoch FROM end_time) * 1000)::float8 AS "end"
    FROM busy`;
}

/** Locks the room row and refuses when [start, end) does not fit its capacity at its busiest instant (domain roomFits). */
export async function assertRoomHasSpace(tx: Tx, roomId: string, start: Date, end: Date, ignoreSessionId?: string): Promise<void> {
  const capacity = (await lockRooms(tx, [roomId])).get(roomId);
  if (capacity === undefined) throw new AppError('NOT_FOUND', 'Room not found', 'roomId');
  const inRoom = await busyPlacements(tx, { roomIds: [roomId] }, start, end, ignoreSessionId);
  const spans = inRoom.map((p) => ({ s: p.start, e: p.end }));
  if (!roomFits(spans, start.getTime(), end.getTime(), capacity)) throw conflict(CLASH_MESSAGES.ROOM);
}

/**
 * CONFLICT naming who is busy (the coach first, then the member) when a committed session
 * other than `ignoreSessionId` overlaps. Run before the room check, so a clash with the
 * coach's own session in the same room says the coach is busy, not that the room is full.
 * The schedule locks make this read current; a writer that skips them still meets the
 * exclusion constraints.
 */
export async function assertNoClash(tx: Tx, coachId: string, memberId: string, slot: { start: Date; end: Date }, ignoreSessionId?: string): Promise<void> {
  const rows = await tx.$queryRaw<{ coach_busy: boolean; member_busy: boolean }[]>`
    SELECT bool_or(as_coach AND user_id = ${coachId}::uuid) AS coach_busy, bool_or(NOT as_coach AND user_id = ${memberId}::uuid) AS member_busy
    FROM busy_times
    WHERE user_id IN (${coachId}::uuid, ${memberId}::uuid) AND during && tstzrange(${slot.start}, ${slot.end}, '[)')
      AND (${ignoreSessionId ?? null}::uuid IS NULL OR training_session_id IS DISTINCT FROM ${ignoreSessionId ?? null}::uuid)`;
  if (rows[0]?.coach_busy) throw conflict(CLASH_MESSAGES.COACH);
  if (rows[0]?.member_busy) throw conflict(CLASH_MESSAGES.MEMBER);
}

/** Inserts a SCHEDULED session with its first history entry; the caller publishes the returned change after commit. */
export async function insertSession(tx: Tx, data: NewSession, actorId: string | null, now: Date): Promise<{ session: TrainingSession; change: SessionChange }> {
  await assertRoomHasSpace(tx, data.roomId, data.startTime, data.endTime);
  const session = await tx.trainingSession.create({ data: { ...data, status: 'SCHEDULED' } }).catch(asSessionConflict);
  await tx.sessionStatusChange.create({ data: { sessionId: session.id, fromStatus: null, toStatus: 'SCHEDULED', actorId, at: now } });
  return { session, change: { kind: 'CREATED', sessionId: session.id, coachId: session.coachId, memberId: session.memberId, previousStatus: null, at: now } };
}

/**
 * Moves SCHEDULED sessions to `to` (CANCELLED, COMPLETED, NO_SHOW), with history, in one
 * set-based statement pair. Only rows still SCHEDULED change, so a concurrent change
 * cannot be overwritten. Returns the changes to publish after commit.
 */
export async function changeStatus(
  tx: Tx,
  sessionIds: string[],
  to: Exclude<SessionStatus, 'SCHEDULED'>,
  actorId: string | null,
  now: Date,
  cancellationReason?: string | null,
): Promise<SessionChange[]> {
  if (sessionIds.length === 0) return [];
  const rows = await tx.$queryRaw<{ id: string; coach_id: string; member_id: string }[]>`
    UPDATE training_sessions SET
      status = ${to}::"SessionStatus",
      updated_at = ${now},
      cancelled_at = CASE WHEN ${to} = 'CANCELLED' THEN ${now} ELSE cancelled_at END,
      cancellation_reason = CASE WHEN ${to} = 'CANCELLED' THEN ${cancellationReason ?? null} ELSE cancellation_reason END,
      completed_at = CASE WHEN ${to} = 'COMPLETED' THEN ${now} ELSE completed_at END
    WHERE id = ANY(${sessionIds}::uuid[]) AND status = 'SCHEDULED'
    RETURNING id, coach_id, member_id`;
  if (rows.length === 0) return [];
  await tx.$executeRaw`
    INSERT INTO session_status_changes (session_id, from_status, to_status, at, actor_id)
    SELECT unnest(${rows.map((r) => r.id)}::uuid[]), 'SCHEDULED', ${to}::"SessionStatus", ${now}, ${actorId}::uuid`;
  // A cancelled session's reminders are never sent (the worker re-checks the session as well).
  if (to === 'CANCELLED') await voidReminders(tx, rows.map((r) => r.id), now);
  return rows.map((row) => ({
    kind: 'STATUS_CHANGED' as const,
    sessionId: row.id,
    coachId: row.coach_id,
    memberId: row.member_id,
    previousStatus: 'SCHEDULED' as const,
    at: now,
  }));
}

/**
 * An attendance correction, COMPLETED <-> NO_SHOW, of a session locked by the caller and
 * allowed by the lifecycle rules: the status, its history entry with the actor, and the
 * change to publish after commit (previousStatus: the corrected status).
 */
export async function correctAttendance(
  tx: Tx,
  session: { id: string; coachId: string; memberId: string; status: SessionStatus },
  to: 'COMPLETED' | 'NO_SHOW',
  actorId: string,
  now: Date,
): Promise<SessionChange[]> {
  const from = session.status;
  const updated = await tx.$executeRaw`
    UPDATE training_sessions SET
      status = ${to}::"SessionStatus",
      updated_at = ${now},
      completed_at = CASE WHEN ${to} = 'COMPLETED' THEN ${now}::timestamptz ELSE NULL END
    WHERE id = ${session.id}::uuid AND status = ${from}::"SessionStatus"`;
  if (updated !== 1) return [];
  await tx.sessionStatusChange.create({ data: { sessionId: session.id, fromStatus: from, toStatus: to, actorId, at: now } });
  // Billing: the caller posts the correction to the ledger (Ledger.attendanceCorrected: a reversal, never an edit).
  return [{ kind: 'STATUS_CHANGED', sessionId: session.id, coachId: session.coachId, memberId: session.memberId, previousStatus: from, at: now }];
}
