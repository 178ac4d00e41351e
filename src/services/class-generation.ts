import type { Tx } from '../db/transaction';
import { PG, sqlState } from '../db/pg-errors';
import {
  byClassPlacementOrder,
  classCandidates,
  classOccurrenceKey,
  seatReservations,
  type ClassCandidate,
  type Reservation,
} from '../domain/class-plan';
import { horizonEnd, sessionSpan, splitBlocked, splitEnded } from '../domain/generation-plan';
import { Occupancy, placeSessions } from '../domain/occupancy';
import { ClassLedger } from '../billing/class-ledger';
import { Notifier } from '../notifications/notifier';
import { changeEnrollments } from './class-writes';
import type { ServiceDeps } from './context';
import { emptyCounts, type GenerationWork } from './generation-run';
import { coachBlocks } from './generation.sql';
import * as sql from './class-generation.sql';
import { lockSchedules } from './schedule-lock';
import { busyPlacements, lockRooms } from './session-writes';

/** Rows per statement, as for sessions. */
const BATCH = 5_000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The class half of a generation run, inside the run's transaction (which holds the
 * generation lock), with the same horizon, idempotency and DST rule as sessions:
 *   1. schedules past their last date become ENDED (with their standing reservations), and
 *      reservations past theirs;
 *   2. classes that are over become COMPLETED: their BOOKED places ATTENDED (a CLASS
 *      charge each), anyone still in line EXPIRED;
 *   3. every occurrence of every ACTIVE schedule in [now, now + horizon) without a class
 *      yet (key: schedule, occurrence start) becomes a class, unless the coach has blocked
 *      that time or is busy, or the room is full then;
 *   4. each new class seats its standing reservations before anyone else can see it:
 *      places first, then the waitlist (those members are told), oldest reservation first.
 * `scope` limits it to some schedules (a new one) and then skips step 2.
 */
export async function generateClasses(tx: Tx, deps: ServiceDeps, now: Date, scope: readonly string[] | null): Promise<GenerationWork> {
  const work: GenerationWork = { counts: emptyCounts(), changes: [], skipped: [], phases: {}, notifications: [], classIds: [], enrollmentIds: [] };
  const { counts } = work;

  const schedules = await sql.activeSchedules(tx, scope);
  const { live, ended } = splitEnded(schedules, now);
  if (ended.length > 0) counts.classSchedulesEnded = await sql.endSchedules(tx, ended);
  await sql.endReservations(tx, now);

  if (scope === null) await completeFinishedClasses(tx, deps, now, work);

  const horizon = horizonEnd(now, deps.config.generationHorizonWeeks);
  const { candidates, invalid } = classCandidates(live, now, horizon);
  for (const { scheduleId, error } of invalid) deps.log.warn({ err: error, scheduleId }, 'class schedule skipped: invalid rule');
  const fresh = await withoutExistingClasses(tx, candidates);
  if (fresh.length === 0) return work;

  // The same locks and order as sessions: coaches' schedules, then rooms.
  const coachIds = [...new Set(fresh.map((c) => c.coachId))];
  const roomIds = [...new Set(fresh.map((c) => c.roomId))];
  const { from, to } = sessionSpan(fresh);
  await lockSchedules(tx, coachIds);
  const { open, blocked } = splitBlocked(fresh, await coachBlocks(tx, coachIds, from, to));
  counts.classesSkippedBlocked = blocked.length;
  if (open.length === 0) return work;
  const capacities = await lockRooms(tx, roomIds);
  const busy = await busyPlacements(tx, { roomIds, coachIds }, from, to);
  const ordered = open.sort(byClassPlacementOrder);
  const { accepted, rejected } = placeSessions(ordered, busy, capacities);
  counts.classesSkippedConflicts = rejected.length;

  const created: sql.InsertedClass[] = [];
  for (const batch of chunks(accepted, BATCH)) created.push(...(await sql.insertClasses(tx, batch, now)));
  counts.classesGenerated = created.length;
  work.classIds.push(...created.map((c) => c.id));

  await seatStandingReservations(tx, deps, now, created, accepted, work);
  return work;
}

/** Step 2: classes that are over, with their places (ATTENDED and charged) and their line (EXPIRED). */
async function completeFinishedClasses(tx: Tx, deps: ServiceDeps, now: Date, work: GenerationWork): Promise<void> {
  const ledger = new ClassLedger(deps);
  for (const batch of chunks(await sql.finishedClassIds(tx, now), BATCH)) {
    const open = await sql.openEnrollments(tx, batch);
    const booked = open.filter((e) => e.status === 'BOOKED').map((e) => e.id);
    const waiting = open.filter((e) => e.status !== 'BOOKED').map((e) => e.id);
    const attended = await changeEnrollments(tx, booked, ['BOOKED'], { to: 'ATTENDED', actorId: null, now, reason: 'the class ended' });
    const expired = await changeEnrollments(tx, waiting, ['WAITLISTED', 'OFFERED'], { to: 'EXPIRED', actorId: null, now, reason: 'the class started' });
    work.notifications.push(...(await ledger.charged(tx, attended, 'ATTENDED', { actorId: null, now })));
    work.counts.classesCompleted += await sql.completeClasses(tx, batch, now);
    work.classIds.push(...batch);
    work.enrollmentIds.push(...attended, ...expired);
  }
}

/**
 * Drops candidates whose (schedule, occurrence) already has a class, whatever its status
 * (a cancelled one included: that date was taken care of).
 */
async function withoutExistingClasses(tx: Tx, candidates: ClassCandidate[]): Promise<ClassCandidate[]> {
  if (candidates.length === 0) return candidates;
  const ids = [...new Set(candidates.map((c) => c.scheduleId))];
  const { from, to } = sessionSpan(candidates);
  const existing = new Set((await sql.classOccurrences(tx, ids, from, to)).map((row) => classOccurrenceKey(row.sc, row.ms)));
  return candidates.filter((c) => !existing.has(classOccurrenceKey(c.scheduleId, c.start)));
}

/**
 * Step 4. Members are not locked (a run may seat thousands): a member who booked something
 * else at that time since the read meets busy_times, and then the batch is retried one row
 * at a time, skipping whoever clashes.
 */
async function seatStandingReservations(
  tx: Tx,
  deps: ServiceDeps,
  now: Date,
  created: readonly sql.InsertedClass[],
  planned: readonly ClassCandidate[],
  work: GenerationWork,
): Promise<void> {
  if (created.length === 0) return;
  const reservations = await sql.activeReservations(tx, [...new Set(created.map((c) => c.scheduleId))]);
  if (reservations.length === 0) return;
  const bySchedule = new Map<string, Reservation[]>();
  for (const r of reservations) bySchedule.set(r.scheduleId, [...(bySchedule.get(r.scheduleId) ?? []), r]);
  const plannedByKey = new Map(planned.map((c) => [classOccurrenceKey(c.scheduleId, c.start), c]));
  const { from, to } = sessionSpan(planned);
  const memberIds = [...new Set(reservations.map((r) => r.memberId))];
  const busy = new Occupancy();
  for (const p of await busyPlacements(tx, { roomIds: [], memberIds }, from, to)) if (p.memberId) busy.add(p.memberId, p.start, p.end);

  const rows: sql.StandingRow[] = [];
  // Classes in start order, so an earlier class's place keeps its member busy for a later overlapping one.
  for (const cls of [...created].sort((a, b) => a.start - b.start)) {
    const plan = plannedByKey.get(classOccurrenceKey(cls.scheduleId, cls.start))!;
    const seats = seatReservations({ localDate: plan.localDate, start: plan.start, end: plan.end, capacity: cls.capacity, waitlistCapacity: cls.waitlistCapacity }, bySchedule.get(cls.scheduleId) ?? [], busy);
    for (const seat of seats) {
      if (seat.status === null) work.counts.standingSkipped++;
      else rows.push({ classId: cls.id, memberId: seat.memberId, reservationId: seat.reservationId, status: seat.status });
    }
  }
  const inserted: { id: string; status: 'BOOKED' | 'WAITLISTED' }[] = [];
  for (const batch of chunks(rows, BATCH)) inserted.push(...(await insertSkippingClashes(tx, batch, now, work)));
  work.counts.standingBooked = inserted.filter((e) => e.status === 'BOOKED').length;
  const waitlisted = inserted.filter((e) => e.status === 'WAITLISTED').map((e) => e.id);
  work.counts.standingWaitlisted = waitlisted.length;
  work.enrollmentIds.push(...inserted.map((e) => e.id));
  // A standing place is what the member asked for: only those who found the class full hear of it.
  work.notifications.push(...(await new Notifier(deps).classChanges(tx, waitlisted, now)));
}

async function insertSkippingClashes(tx: Tx, rows: readonly sql.StandingRow[], now: Date, work: GenerationWork) {
  const attempt = async (batch: readonly sql.StandingRow[]) => {
    await tx.$executeRaw`SAVEPOINT standing`;
    try {
      const inserted = await sql.insertStandingEnrollments(tx, batch, now);
      await tx.$executeRaw`RELEASE SAVEPOINT standing`;
      return inserted;
    } catch (error) {
      if (sqlState(error) !== PG.exclusionViolation) throw error;
      await tx.$executeRaw`ROLLBACK TO SAVEPOINT standing`;
      return null;
    }
  };
  const all = await attempt(rows);
  if (all) return all;
  // Row by row: a waitlisted row never clashes, so the line keeps its order.
  const inserted: { id: string; status: 'BOOKED' | 'WAITLISTED' }[] = [];
  for (const row of rows) {
    const one = await attempt([row]);
    if (one) inserted.push(...one);
    else work.counts.standingSkipped++;
  }
  return inserted;
}
