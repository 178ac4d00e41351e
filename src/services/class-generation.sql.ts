import type { Tx } from '../db/transaction';
import type { ClassCandidate, PlannedSchedule, Reservation } from '../domain/class-plan';

/**
 * The statements of the class half of a generation run (class-generation.ts orders them).
 * Instants come back as epoch ms (float8), like generation.sql.ts; every statement is
 * set-based, so their number does not grow with the number of schedules.
 */

const iso = (ms: number) => new Date(ms).toISOString();

/** ACTIVE schedules, all or those in `scope`. */
export function activeSchedules(tx: Tx, scope: readonly string[] | null): Promise<PlannedSchedule[]> {
  return tx.$queryRaw<PlannedSchedule[]>`
    SELECT id::text, class_type_id::text AS "classTypeId", coach_id::text AS "coachId", room_id::text AS "roomId",
           day_of_week AS "dayOfWeek", start_minute AS "startMinute", end_minute AS "endMinute", timezone,
           to_char(start_date, 'YYYY-MM-DD') AS "startDate", to_char(end_date, 'YYYY-MM-DD') AS "endDate",
           1 AS "intervalWeeks", capacity
    FROM class_schedules
    WHERE status = 'ACTIVE' AND (${scope}::uuid[] IS NULL OR id = ANY(${scope}::uuid[]))`;
}

/** Schedules past their last date become ENDED, and so do their ACTIVE standing reservations; returns how many schedules. */
export async function endSchedules(tx: Tx, ids: readonly string[]): Promise<number> {
  const ended = await tx.$executeRaw`UPDATE class_schedules SET status = 'ENDED' WHERE id = ANY(${ids}::uuid[]) AND status = 'ACTIVE'`;
  await tx.$executeRaw`UPDATE standing_reservations SET status = 'ENDED' WHERE schedule_id = ANY(${ids}::uuid[]) AND status = 'ACTIVE'`;
  return ended;
}

/** Reservations past their own last date (in their schedule's zone) become ENDED. */
export function endReservations(tx: Tx, now: Date): Promise<number> {
  return tx.$executeRaw`
    UPDATE standing_reservations r SET status = 'ENDED'
    FROM class_schedules s
    WHERE s.id = r.schedule_id AND r.status = 'ACTIVE' AND r.end_date < (${now}::timestamptz AT TIME ZONE s.timezone)::date`;
}

/** SCHEDULED classes that are over at `now`, in id order. */
export async function finishedClassIds(tx: Tx, now: Date): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM class_sessions WHERE status = 'SCHEDULED' AND end_time <= ${now} ORDER BY id`;
  return rows.map((row) => row.id);
}

/** The open enrollments of the classes, by status. */
export function openEnrollments(tx: Tx, classIds: readonly string[]): Promise<{ id: string; status: 'BOOKED' | 'WAITLISTED' | 'OFFERED' }[]> {
  return tx.$queryRaw`
    SELECT id::text, status::text FROM enrollments
    WHERE class_session_id = ANY(${classIds}::uuid[]) AND status IN ('BOOKED', 'WAITLISTED', 'OFFERED')
    ORDER BY id`;
}

/** Marks the classes COMPLETED (those still SCHEDULED); returns how many. */
export function completeClasses(tx: Tx, classIds: readonly string[], now: Date): Promise<number> {
  return tx.$executeRaw`
    UPDATE class_sessions SET status = 'COMPLETED', completed_at = ${now}, updated_at = ${now}
    WHERE id = ANY(${classIds}::uuid[]) AND status = 'SCHEDULED'`;
}

/** The occurrences in [from, to] of the schedules that already have a class, whatever its status. */
export function classOccurrences(tx: Tx, scheduleIds: readonly string[], from: Date, to: Date): Promise<{ sc: string; ms: number }[]> {
  return tx.$queryRaw`
    SELECT schedule_id::text AS sc, (extract(epoch FROM occurrence_start) * 1000)::float8 AS ms
    FROM class_sessions
    WHERE schedule_id = ANY(${scheduleIds}::uuid[]) AND occurrence_start >= ${from} AND occurrence_start <= ${to}`;
}

export interface InsertedClass {
  id: string;
  scheduleId: string;
  start: number;
  capacity: number;
  waitlistCapacity: number;
}

/** One statement: the classes, with their class type's waitlist size, price and credits fixed now. */
export function insertClasses(tx: Tx, batch: readonly ClassCandidate[], now: Date): Promise<InsertedClass[]> {
  return tx.$queryRaw<InsertedClass[]>`
    WITH c AS (
      SELECT * FROM unnest(
        ${batch.map((c) => c.scheduleId)}::uuid[], ${batch.map((c) => c.classTypeId)}::uuid[],
        ${batch.map((c) => c.coachId)}::uuid[], ${batch.map((c) => c.roomId)}::uuid[],
        ${batch.map((c) => iso(c.start))}::timestamptz[], ${batch.map((c) => iso(c.end))}::timestamptz[],
        ${batch.map((c) => c.capacity)}::int[]
      ) AS c(schedule, type, coach, room, s, e, capacity)
    )
    INSERT INTO class_sessions (class_type_id, schedule_id, occurrence_start, coach_id, room_id, start_time, end_time, capacity,
                                waitlist_capacity, price_cents, credits_per_class, created_at, updated_at)
    SELECT c.type, c.schedule, c.s, c.coach, c.room, c.s, c.e, c.capacity, t.waitlist_capacity, t.price_cents, t.credits_per_class, ${now}, ${now}
    FROM c JOIN class_types t ON t.id = c.type
    ON CONFLICT DO NOTHING
    RETURNING id::text, schedule_id::text AS "scheduleId", (extract(epoch FROM occurrence_start) * 1000)::float8 AS start,
              capacity, waitlist_capacity AS "waitlistCapacity"`;
}

/** The ACTIVE reservations of the schedules, oldest first (the order they are seated in). */
export function activeReservations(tx: Tx, scheduleIds: readonly string[]): Promise<(Reservation & { scheduleId: string })[]> {
  return tx.$queryRaw`
    SELECT id::text, member_id::text AS "memberId", schedule_id::text AS "scheduleId",
           to_char(start_date, 'YYYY-MM-DD') AS "startDate", to_char(end_date, 'YYYY-MM-DD') AS "endDate"
    FROM standing_reservations
    WHERE schedule_id = ANY(${scheduleIds}::uuid[]) AND status = 'ACTIVE'
    ORDER BY created_at, arrival`;
}

export interface StandingRow {
  classId: string;
  memberId: string;
  reservationId: string;
  status: 'BOOKED' | 'WAITLISTED';
}

export const STANDING_REASON = 'standing reservation';

/** One statement: the enrollments, in the given order (their waitlist order), with their first history entries. */
export function insertStandingEnrollments(tx: Tx, rows: readonly StandingRow[], now: Date): Promise<{ id: string; status: 'BOOKED' | 'WAITLISTED' }[]> {
  return tx.$queryRaw`
    WITH r AS (
      SELECT * FROM unnest(
        ${rows.map((r) => r.classId)}::uuid[], ${rows.map((r) => r.memberId)}::uuid[],
        ${rows.map((r) => r.reservationId)}::uuid[], ${rows.map((r) => r.status)}::"EnrollmentStatus"[]
      ) WITH ORDINALITY AS r(class, member, reservation, status, n)
    ), inserted AS (
      INSERT INTO enrollments (class_session_id, member_id, status, standing_reservation_id, joined_at, created_at, updated_at)
      SELECT class, member, status, reservation, ${now}, ${now}, ${now} FROM r ORDER BY n
      RETURNING id, status
    ), history AS (
      INSERT INTO enrollment_status_changes (enrollment_id, from_status, to_status, at, actor_id, reason)
      SELECT id, NULL, status, ${now}, NULL, ${STANDING_REASON} FROM inserted
    )
    SELECT id::text, status::text FROM inserted`;
}
