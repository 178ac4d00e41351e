import type { Tx } from '../db/transaction';
import { PG, sqlState, violatedConstraint } from '../db/pg-errors';
import { CLASH_MESSAGES } from '../domain/occupancy';
import { AppError, conflict, notFound } from '../errors';
import type { ClassSession, EnrollmentStatus } from '../generated/prisma/client';
import { CLASS_CANCELLED } from '../notifications/class-notices';

/**
 * The writes every path that changes a class or its enrollments shares. Lock order, as for
 * training sessions: generation -> schedules (people) -> classes -> rooms. Places are
 * counted only under the class row's lock; busy_times and the capacity trigger stay the
 * guarantee against any writer that skips it.
 */

export interface PlaceCounts {
  held: number;
  waitlisted: number;
}

/** Locks the class row (FOR UPDATE) and counts its places; NOT_FOUND when there is none. */
export async function lockClass(tx: Tx, classId: string, field = 'sessionId'): Promise<ClassSession & PlaceCounts> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM class_sessions WHERE id = ${classId}::uuid FOR UPDATE`;
  if (rows.length === 0) throw notFound('Class', field);
  const [session, counts] = await Promise.all([
    tx.classSession.findUniqueOrThrow({ where: { id: classId } }),
    placeCounts(tx, classId),
  ]);
  return { ...session, ...counts };
}

export async function placeCounts(tx: Tx, classId: string): Promise<PlaceCounts> {
  const [row] = await tx.$queryRaw<{ held: number; waitlisted: number }[]>`
    SELECT count(*) FILTER (WHERE status IN ('BOOKED', 'OFFERED', 'ATTENDED', 'NO_SHOW'))::int AS held,
           count(*) FILTER (WHERE status = 'WAITLISTED')::int AS waitlisted
    FROM enrollments WHERE class_session_id = ${classId}::uuid`;
  return row ?? { held: 0, waitlisted: 0 };
}

/** Whether the member holds something else (a training session or a class place) that overlaps [start, end). */
export async function memberBusy(tx: Tx, memberId: string, start: Date, end: Date, exceptEnrollmentId?: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ busy: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM busy_times
      WHERE user_id = ${memberId}::uuid AND NOT as_coach AND during && tstzrange(${start}, ${end}, '[)')
        AND (${exceptEnrollmentId ?? null}::uuid IS NULL OR enrollment_id IS DISTINCT FROM ${exceptEnrollmentId ?? null}::uuid)) AS busy`;
  return rows[0]?.busy ?? false;
}

const CONSTRAINT_MESSAGES: Record<string, string> = {
  busy_times_member_no_overlap: CLASH_MESSAGES.MEMBER,
  busy_times_coach_no_overlap: CLASH_MESSAGES.COACH,
  enrollments_active_key: 'The member is already enrolled in this class',
  class_sessions_within_capacity: 'The class is full',
  class_sessions_schedule_id_occurrence_start_key: 'That occurrence of the schedule already has a class',
};

/** Turns a constraint violation of a class write into CONFLICT saying what clashed; rethrows anything else. */
export function asClassConflict(error: unknown): never {
  if (error instanceof AppError) throw error;
  const state = sqlState(error);
  if (state === PG.exclusionViolation || state === PG.uniqueViolation || state === PG.checkViolation) {
    const message = CONSTRAINT_MESSAGES[violatedConstraint(error) ?? ''];
    if (message) throw conflict(message);
  }
  throw error;
}

export interface StatusChange {
  to: EnrollmentStatus;
  actorId: string | null;
  now: Date;
  reason?: string | null;
  offerExpiresAt?: Date | null;
}

/**
 * Moves enrollments that are still in one of `from` to `change.to`, with history, in one
 * statement pair; a concurrent change is never overwritten. Returns the ids that moved.
 */
export async function changeEnrollments(tx: Tx, ids: readonly string[], from: readonly EnrollmentStatus[], change: StatusChange): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await tx.$queryRaw<{ id: string; from_status: EnrollmentStatus }[]>`
    WITH old AS (
      SELECT id, status FROM enrollments
      WHERE id = ANY(${[...ids]}::uuid[]) AND status::text = ANY(${[...from]}::text[]) FOR UPDATE
    )
    UPDATE enrollments e SET status = ${change.to}::"EnrollmentStatus", updated_at = ${change.now},
      offer_expires_at = ${change.to === 'OFFERED' ? (change.offerExpiresAt ?? null) : null}::timestamptz
    FROM old WHERE e.id = old.id
    RETURNING e.id::text, old.status AS from_status`;
  if (rows.length === 0) return [];
  await tx.$executeRaw`
    INSERT INTO enrollment_status_changes (enrollment_id, from_status, to_status, at, actor_id, reason)
    SELECT r.id, r.from_status, ${change.to}::"EnrollmentStatus", ${change.now}, ${change.actorId}::uuid, ${change.reason ?? null}
    FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.from_status)}::"EnrollmentStatus"[]) AS r(id, from_status)`;
  return rows.map((r) => r.id);
}

/** Inserts an enrollment with its first history entry. */
export async function insertEnrollment(
  tx: Tx,
  data: { classSessionId: string; memberId: string; status: EnrollmentStatus; standingReservationId?: string | null },
  actorId: string | null,
  now: Date,
  reason: string | null = null,
): Promise<string> {
  const enrollment = await tx.enrollment
    .create({ data: { ...data, joinedAt: now, createdAt: now, updatedAt: now }, select: { id: true } })
    .catch(asClassConflict);
  await tx.enrollmentStatusChange.create({ data: { enrollmentId: enrollment.id, fromStatus: null, toStatus: data.status, at: now, actorId, reason } });
  return enrollment.id;
}

const OPEN: EnrollmentStatus[] = ['BOOKED', 'WAITLISTED', 'OFFERED'];

/**
 * Cancels the still SCHEDULED ones of `classIds` and every open place in them (one class,
 * a schedule from a date, a coach's block): the one sequence, so the notices (keyed on the
 * CLASS_CANCELLED reason) and webhooks read the same everywhere. Locks the classes in id
 * order. Returns the classes and enrollments it cancelled.
 */
export async function cancelClasses(
  tx: Tx,
  classIds: readonly string[],
  change: { actorId: string | null; now: Date; reason: string },
): Promise<{ classIds: string[]; enrollmentIds: string[] }> {
  if (classIds.length === 0) return { classIds: [], enrollmentIds: [] };
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM class_sessions WHERE id = ANY(${[...classIds]}::uuid[]) AND status = 'SCHEDULED' ORDER BY id FOR UPDATE`;
  const ids = locked.map((c) => c.id);
  if (ids.length === 0) return { classIds: [], enrollmentIds: [] };
  // Places first: the class's own change (and its webhook) then shows it empty.
  const open = await tx.enrollment.findMany({ where: { classSessionId: { in: ids }, status: { in: OPEN } }, select: { id: true } });
  const { now, reason } = change;
  const enrollmentIds = await changeEnrollments(tx, open.map((e) => e.id), OPEN, { to: 'CANCELLED', actorId: change.actorId, now, reason: `${CLASS_CANCELLED}: ${reason}` });
  await tx.classSession.updateMany({ where: { id: { in: ids } }, data: { status: 'CANCELLED', cancelledAt: now, cancellationReason: reason, updatedAt: now } });
  return { classIds: ids, enrollmentIds };
}
