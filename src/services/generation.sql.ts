import type { Tx } from '../db/transaction';
import type { Candidate, CoachBlock, PlannedSeries } from '../domain/generation-plan';
import { memberLeadsSql } from '../notifications/reminders';

/**
 * The statements of a generation run (generation.service.ts decides when each runs).
 * Instants come back as epoch ms (float8) so they compare exactly with the planner's.
 * Every statement is set-based: their number does not grow with the number of series.
 */

const iso = (ms: number) => new Date(ms).toISOString();

/** ACTIVE series, all or those in `scope`. */
export function activeSeries(tx: Tx, scope: string[] | null): Promise<PlannedSeries[]> {
  return tx.$queryRaw<PlannedSeries[]>`
    SELECT id::text, coach_id::text AS "coachId", member_id::text AS "memberId", room_id::text AS "roomId",
           day_of_week AS "dayOfWeek", start_minute AS "startMinute", end_minute AS "endMinute", timezone,
           to_char(start_date, 'YYYY-MM-DD') AS "startDate", to_char(end_date, 'YYYY-MM-DD') AS "endDate",
           interval_weeks AS "intervalWeeks", occurrences
    FROM recurring_bookings
    WHERE status = 'ACTIVE' AND (${scope}::uuid[] IS NULL OR id = ANY(${scope}::uuid[]))`;
}

/** Every coach a whole run may write for: those of ACTIVE series and of ACTIVE class schedules. */
export async function plannedCoaches(tx: Tx): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT coach_id::text AS id FROM recurring_bookings WHERE status = 'ACTIVE'
    UNION SELECT coach_id::text FROM class_schedules WHERE status = 'ACTIVE'`;
  return rows.map((row) => row.id);
}

/** Marks the series ENDED (those still ACTIVE); returns how many. */
export function endSeries(tx: Tx, ids: string[]): Promise<number> {
  return tx.$executeRaw`
    UPDATE recurring_bookings SET status = 'ENDED' WHERE id = ANY(${ids}::uuid[]) AND status = 'ACTIVE'`;
}

/** SCHEDULED sessions that are over at `now`, in id order. */
export async function finishedSessionIds(tx: Tx, now: Date): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM training_sessions WHERE status = 'SCHEDULED' AND end_time <= ${now} ORDER BY id`;
  return rows.map((row) => row.id);
}

/** Occurrences from `now` on that were taken away from the given series. */
export function takenAwayFrom(tx: Tx, seriesIds: string[], now: Date): Promise<{ rb: string; ms: number }[]> {
  return tx.$queryRaw<{ rb: string; ms: number }[]>`
    SELECT recurring_booking_id::text AS rb, (extract(epoch FROM occurrence_start) * 1000)::float8 AS ms
    FROM series_taken_away WHERE recurring_booking_id = ANY(${seriesIds}::uuid[]) AND occurrence_start >= ${now}`;
}

/** The series whose number of sessions with an occurrence in [from, to] is not `counts[i]`. */
export async function seriesWithOtherCounts(tx: Tx, ids: string[], counts: number[], from: Date, to: Date): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT c.id::text AS id
    FROM unnest(${ids}::uuid[], ${counts}::int[]) AS c(id, n)
    WHERE c.n <> (SELECT count(*) FROM training_sessions t
                  WHERE t.recurring_booking_id = c.id AND t.occurrence_start >= ${from} AND t.occurrence_start <= ${to})`;
  return rows.map((row) => row.id);
}

/** The occurrences in [from, to] of the given series that already have a session, whatever its status. */
export function sessionOccurrences(tx: Tx, ids: string[], from: Date, to: Date): Promise<{ rb: string; ms: number }[]> {
  return tx.$queryRaw<{ rb: string; ms: number }[]>`
    SELECT recurring_booking_id::text AS rb, (extract(epoch FROM occurrence_start) * 1000)::float8 AS ms
    FROM training_sessions
    WHERE recurring_booking_id = ANY(${ids}::uuid[]) AND occurrence_start >= ${from} AND occurrence_start <= ${to}`;
}

/** The coaches' availability blocks overlapping (from, to). */
export function coachBlocks(tx: Tx, coachIds: string[], from: Date, to: Date): Promise<CoachBlock[]> {
  return tx.$queryRaw<CoachBlock[]>`
    SELECT coach_id::text AS "coachId", (extract(epoch FROM start_time) * 1000)::float8 AS s, (extract(epoch FROM end_time) * 1000)::float8 AS e
    FROM availability_blocks
    WHERE coach_id = ANY(${coachIds}::uuid[]) AND start_time < ${to} AND end_time > ${from}`;
}

/** Records occurrences as taken away, once per occurrence. */
export function insertTakenAway(tx: Tx, rows: { recurringBookingId: string; start: number; localDate: string; reason: string }[]): Promise<number> {
  return tx.$executeRaw`
    INSERT INTO series_taken_away (recurring_booking_id, occurrence_start, local_date, reason)
    SELECT * FROM unnest(${rows.map((o) => o.recurringBookingId)}::uuid[], ${rows.map((o) => iso(o.start))}::timestamptz[],
                         ${rows.map((o) => o.localDate)}::date[],
                         ${rows.map((o) => o.reason)}::text[])
    ON CONFLICT DO NOTHING`;
}

/** One statement: the sessions and their first history entries (null -> SCHEDULED, actor null). */
export function insertSessions(tx: Tx, batch: Candidate[], now: Date) {
  return tx.$queryRaw<{ id: string; coachId: string; memberId: string; recurringBookingId: string; start: number }[]>`
    WITH c AS (
      SELECT * FROM unnest(
        ${batch.map((c) => c.recurringBookingId)}::uuid[], ${batch.map((c) => c.coachId)}::uuid[],
        ${batch.map((c) => c.memberId)}::uuid[], ${batch.map((c) => c.roomId)}::uuid[],
        ${batch.map((c) => iso(c.start))}::timestamptz[], ${batch.map((c) => iso(c.end))}::timestamptz[]
      ) AS c(rb, coach, member, room, s, e)
    ), inserted AS (
      INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time, status, recurring_booking_id, occurrence_start, created_at, updated_at)
      SELECT coach, member, room, s, e, 'SCHEDULED'::"SessionStatus", rb, s, ${now}, ${now} FROM c
      ON CONFLICT DO NOTHING
      RETURNING id, coach_id, member_id, recurring_booking_id, occurrence_start, start_time
    ), history AS (
      INSERT INTO session_status_changes (session_id, from_status, to_status, at, actor_id)
      SELECT id, NULL, 'SCHEDULED'::"SessionStatus", ${now}, NULL FROM inserted
    ), reminders AS (
      -- The new sessions' reminders, by the rule of planReminders (notifications/reminders.ts):
      -- per lead of the member (else the studio's), none that would already be due.
      INSERT INTO session_reminders (session_id, user_id, lead_minutes, session_start, due_at, created_at)
      SELECT i.id, i.member_id, l.lead, i.start_time, i.start_time - l.lead * interval '1 minute', ${now}
      FROM inserted i
      LEFT JOIN notification_preferences p ON p.user_id = i.member_id
      CROSS JOIN LATERAL unnest(${memberLeadsSql('p')}) AS l(lead)
      WHERE i.start_time - l.lead * interval '1 minute' > ${now}
      ON CONFLICT DO NOTHING
    )
    SELECT id::text, coach_id::text AS "coachId", member_id::text AS "memberId", recurring_booking_id::text AS "recurringBookingId",
           (extract(epoch FROM occurrence_start) * 1000)::float8 AS start
    FROM inserted`;
}
