import type { SessionStatus } from '../../src/domain/lifecycle';
import type { TestDatabase } from './database';

/** Arranging sessions straight in SQL, including past and terminal ones the API cannot create. */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The next whole UTC hour at least `hoursAhead` hours from now (sessions on whole hours never cross midnight). */
export function wholeHourFromNow(hoursAhead: number): Date {
  return new Date(Math.ceil((Date.now() + hoursAhead * HOUR_MS) / HOUR_MS) * HOUR_MS);
}

export async function insertRoom(db: TestDatabase, capacity = 1): Promise<string> {
  const [row] = await db.query<{ id: string }>(`INSERT INTO rooms (name, capacity) VALUES ('room ' || gen_random_uuid(), $1) RETURNING id`, [capacity]);
  return row.id;
}

/** Weekly hours on every day of the week (minutes since midnight in the studio's timezone). */
export async function weeklyHours(db: TestDatabase, coachId: string, startMinute = 0, endMinute = 1440): Promise<void> {
  await db.query(
    `INSERT INTO weekly_availability (coach_id, day_of_week, start_minute, end_minute) SELECT $1, d, $2, $3 FROM generate_series(0, 6) d`,
    [coachId, startMinute, endMinute],
  );
}

export interface ArrangedSession {
  coachId: string;
  memberId: string;
  roomId: string;
  start: Date;
  /** Default: `minutes` (60) after start. */
  end?: Date;
  minutes?: number;
  status?: SessionStatus;
  recurringBookingId?: string | null;
  /** Default: the start, for a session of a series; null otherwise. */
  occurrenceStart?: Date | null;
}

/** A session row with the first history entry a real one has (created as SCHEDULED). */
export async function insertSession(db: TestDatabase, session: ArrangedSession): Promise<string> {
  const end = session.end ?? new Date(session.start.getTime() + (session.minutes ?? 60) * 60_000);
  const recurringBookingId = session.recurringBookingId ?? null;
  const occurrenceStart = session.occurrenceStart !== undefined ? session.occurrenceStart : recurringBookingId ? session.start : null;
  const [row] = await db.query<{ id: string }>(
    `WITH s AS (
       INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time, status, recurring_booking_id, occurrence_start)
       VALUES ($1, $2, $3, $4, $5, $6::"SessionStatus", $7, $8) RETURNING id
     ), h AS (
       INSERT INTO session_status_changes (session_id, from_status, to_status, at) SELECT id, NULL, 'SCHEDULED', now() FROM s
     )
     SELECT id FROM s`,
    [session.coachId, session.memberId, session.roomId, session.start, end, session.status ?? 'SCHEDULED', recurringBookingId, occurrenceStart],
  );
  return row.id;
}

/** Everything a lifecycle change may write about one session: its row and its history. */
export async function sessionState(db: TestDatabase, id: string): Promise<Record<string, unknown>> {
  const [row] = await db.query(
    `SELECT s.status, s.start_time, s.end_time, s.occurrence_start, s.cancelled_at, s.cancellation_reason, s.completed_at, s.updated_at,
            (SELECT json_agg(json_build_object('from', h.from_status, 'to', h.to_status, 'actor', h.actor_id) ORDER BY h.at, h.id)
               FROM session_status_changes h WHERE h.session_id = s.id) AS history
     FROM training_sessions s WHERE s.id = $1`,
    [id],
  );
  return row;
}
