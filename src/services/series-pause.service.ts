import type { Actor } from '../auth/actor';
import { inTransaction, type Tx } from '../db/transaction';
import { MESSAGES } from '../domain/lifecycle';
import { addDays, parseLocalDate } from '../domain/civil-date';
import { localDateOf, zonedDateTimeToInstant } from '../domain/zone-time';
import { placeSessions, type Placement } from '../domain/occupancy';
import { badInput, conflict, notFound } from '../errors';
import type { SeriesPause } from '../generated/prisma/client';
import { MAX_SERIES_PAUSES } from '../domain/limits';
import { Notifier } from '../notifications/notifier';
import { planReminders } from '../notifications/reminders';
import type { ServiceDeps } from './context';
import type { SessionChange } from '../runtime/event-publisher';
import { lockGeneration } from './generation-lock';
import { GenerationService } from './generation.service';
import { lockSchedules } from './schedule-lock';
import { refreshCountLimitedEnds } from './series-ends';
import { dateColumn, daysBetween } from './series-dates';
import { busyPlacements, lockRooms } from './session-writes';
import { cancelSessions, publishCancellation } from './cancellation';
import { localDateText } from './booking.service';
import { canSeeParties, isUuid } from './visibility';

export interface SeriesPauseInput {
  recurringBookingId: string;
  from: string;
  to: string;
  reason?: string | null;
}

/** Why a session inside a pause was cancelled. */
export const PAUSED = 'PAUSED';
/** Why a make-up session of a count-limited series was cancelled when a pause was removed. */
export const PAUSE_REMOVED = 'PAUSE_REMOVED';
export const MAX_PAUSE_DAYS = 366;

/**
 * Pauses of a series (issue 14): the sessions inside one are cancelled as PAUSED and a
 * count-limited series makes them up at its end; removing one revives them. Every
 * mutation is one transaction under the generation lock and the schedule locks of the
 * people involved.
 */
export class SeriesPauseService {
  private readonly generation: GenerationService;

  constructor(private readonly deps: ServiceDeps) {
    this.generation = new GenerationService(deps);
  }

  private get prisma() {
    return this.deps.db.prisma;
  }

  async pause(actor: Actor, input: SeriesPauseInput): Promise<SeriesPause> {
    const id = input.recurringBookingId;
    if (!isUuid(id)) throw notFound('Recurring booking', 'input.recurringBookingId');
    const from = parseLocalDate(input.from);
    if (from === null) throw badInput('input.from', 'from must be a date YYYY-MM-DD');
    const to = parseLocalDate(input.to);
    if (to === null) throw badInput('input.to', 'to must be a date YYYY-MM-DD');
    if (to < from) throw badInput('input.to', 'to must not be before from');
    if (daysBetween(from, to) + 1 > MAX_PAUSE_DAYS) throw badInput('input.to', `A pause lasts at most ${MAX_PAUSE_DAYS} days`);
    const reason = input.reason?.trim() || null;

    const { pause, cancelled, notified } = await inTransaction(this.prisma, async (tx) => {
      await lockGeneration(tx);
      const series = await tx.recurringBooking.findUnique({ where: { id } });
      if (!series || !canSeeParties(actor, series)) throw notFound('Recurring booking', 'input.recurringBookingId');
      if (series.status !== 'ACTIVE') throw conflict(`The recurring booking is ${series.status}: it cannot be paused`);
      const now = this.deps.now();
      const today = localDateOf(now, series.timezone);
      if (from < today) throw badInput('input.from', `from must not be in the past (today is ${today} in ${series.timezone})`);
      const end = series.endDate ? localDateText(series.endDate) : null;
      if (end !== null && from > end && series.occurrences === null) throw badInput('input.from', `from must not be after the series' endDate ${end}`);
      const pauses = await tx.seriesPause.findMany({ where: { recurringBookingId: id } });
      if (pauses.some((p) => localDateText(p.fromDate) <= to && from <= localDateText(p.toDate))) {
        throw badInput('input.from', 'The pause overlaps another pause of the series');
      }
      if (pauses.length >= MAX_SERIES_PAUSES) throw badInput('input.recurringBookingId', `A series has at most ${MAX_SERIES_PAUSES} pauses`);
      await lockSchedules(tx, [series.coachId, series.memberId]);
      const sessions = await tx.trainingSession.findMany({
        where: {
          recurringBookingId: id,
          status: 'SCHEDULED',
          occurrenceStart: { gte: zonedDateTimeToInstant(from, 0, series.timezone), lt: zonedDateTimeToInstant(addDays(to, 1), 0, series.timezone) },
        },
        select: { id: true, startTime: true },
      });
      if (actor.role === 'MEMBER' && sessions.some((s) => s.startTime.getTime() <= now.getTime())) throw conflict(MESSAGES.memberCancelAfterStart);
      const created = await tx.seriesPause.create({
        data: { recurringBookingId: id, fromDate: dateColumn(from), toDate: dateColumn(to), reason, createdAt: now, createdById: actor.id },
      });
      // No charge, one notice for the pause (below); the ends move by the pause itself, next.
      const { changes: cancelled } = await cancelSessions(tx, this.deps, sessions.filter((s) => s.startTime.getTime() > now.getTime()).map((s) => s.id), {
        actor, now, reason: PAUSED, refreshEnds: false, noticePerSession: false, charge: false,
      });
      // A count-limited series makes the paused dates up at its end.
      await refreshCountLimitedEnds(tx, [id]);
      const n = cancelled.length;
      const summary = `paused from ${from} to ${to}${reason ? ` (${reason})` : ''}; ${n} session${n === 1 ? '' : 's'} cancelled.`;
      const notified = await new Notifier(this.deps).seriesChanged(tx, id, series.coachId, actor.id, summary, now, `series-paused:${created.id}`);
      return { pause: created, cancelled, notified };
    });
    publishCancellation(this.deps.events, cancelled, notified);
    return pause;
  }

  /**
   * Ends a pause: its future occurrences are generated again (a generation run scoped to
   * the series, so clashes are skipped and counted like any run's). Sessions cancelled as
   * PAUSED stay cancelled in the history; the held occurrences are new sessions only where
   * no session of the occurrence exists, so a PAUSED one is revived instead.
   */
  async removePause(actor: Actor, pauseId: string): Promise<boolean> {
    if (!isUuid(pauseId)) throw notFound('Series pause', 'id');
    const result = await inTransaction(this.prisma, async (tx) => {
      await lockGeneration(tx);
      const pause = await tx.seriesPause.findUnique({ where: { id: pauseId }, include: { recurringBooking: true } });
      if (!pause || !canSeeParties(actor, pause.recurringBooking)) throw notFound('Series pause', 'id');
      const series = pause.recurringBooking;
      if (series.status !== 'ACTIVE') throw conflict(`The recurring booking is ${series.status}: its pauses cannot change`);
      const now = this.deps.now();
      await lockSchedules(tx, [series.coachId, series.memberId]);
      await tx.seriesPause.delete({ where: { id: pauseId } });
      // Future occurrences cancelled as PAUSED are released (their rows removed with their history
      // kept out of the way would lose the audit trail): they are revived as SCHEDULED below by a
      // status change, where nothing clashes.
      const paused = await tx.trainingSession.findMany({
        where: {
          recurringBookingId: series.id,
          status: 'CANCELLED',
          cancellationReason: PAUSED,
          startTime: { gt: now },
          occurrenceStart: { gte: zonedDateTimeToInstant(localDateText(pause.fromDate), 0, series.timezone), lt: zonedDateTimeToInstant(addDays(localDateText(pause.toDate), 1), 0, series.timezone) },
        },
        select: { id: true },
      });
      const revived = await this.revive(tx, paused.map((s) => s.id), actor.id, now);
      await refreshCountLimitedEnds(tx, [series.id]);
      // A count-limited series held again needs its make-ups no more: sessions past its new end go.
      const surplus = await this.sessionsPastCountedEnd(tx, series.id, now);
      // The ends were set just above; the studio, not the member, takes these back: no charge.
      const { changes: cancelled, notified } = await cancelSessions(tx, this.deps, surplus, {
        actor, now, reason: PAUSE_REMOVED, refreshEnds: false, noticePerSession: true, charge: false,
      });
      const work = await this.generation.generateForBooking(tx, series.id);
      return { changes: [...revived, ...cancelled], work, notified };
    });
    publishCancellation(this.deps.events, result.changes, []);
    this.generation.bookingRunCommitted(result.work.runId, result.work, [...result.work.notifications, ...result.notified]);
    return true;
  }

  /** Future SCHEDULED sessions of a count-limited series whose occurrence lies after its (current) endDate. */
  private async sessionsPastCountedEnd(tx: Tx, seriesId: string, now: Date): Promise<string[]> {
    const series = await tx.recurringBooking.findUniqueOrThrow({ where: { id: seriesId } });
    if (series.occurrences === null || series.endDate === null) return [];
    const after = zonedDateTimeToInstant(addDays(localDateText(series.endDate), 1), 0, series.timezone);
    const rows = await tx.trainingSession.findMany({
      where: { recurringBookingId: seriesId, status: 'SCHEDULED', occurrenceStart: { gte: after }, startTime: { gt: now } },
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  /**
   * PAUSED sessions back to SCHEDULED (the one way out of CANCELLED: the pause, not a
   * person, cancelled them, and reviving keeps their ids, so calendars update the same
   * event). One that would now clash (a block, the coach, the member, a full room) stays
   * cancelled: the rooms are locked and judged by the same rule as bookings and generation
   * (placeSessions: coach, member, then the room's peak). The caller holds the schedule locks.
   */
  private async revive(tx: Tx, ids: string[], actorId: string, now: Date): Promise<SessionChange[]> {
    if (ids.length === 0) return [];
    const candidates = await tx.$queryRaw<(Placement & { id: string })[]>`
      SELECT t.id::text, t.coach_id::text AS "coachId", t.member_id::text AS "memberId", t.room_id::text AS "roomId",
             (extract(epoch FROM t.start_time) * 1000)::float8 AS start, (extract(epoch FROM t.end_time) * 1000)::float8 AS "end"
      FROM training_sessions t
      WHERE t.id = ANY(${ids}::uuid[])
        AND NOT EXISTS (SELECT 1 FROM availability_blocks b WHERE b.coach_id = t.coach_id AND b.start_time < t.end_time AND b.end_time > t.start_time)
      ORDER BY t.start_time, t.id`;
    if (candidates.length === 0) return [];
    const capacities = await lockRooms(tx, candidates.map((c) => c.roomId));
    const from = new Date(Math.min(...candidates.map((c) => c.start)));
    const to = new Date(Math.max(...candidates.map((c) => c.end)));
    const busy = await busyPlacements(
      tx,
      { roomIds: [...capacities.keys()], coachIds: candidates.map((c) => c.coachId), memberIds: candidates.map((c) => c.memberId) },
      from,
      to,
    );
    const free = placeSessions(candidates, busy, capacities).accepted;
    if (free.length === 0) return [];
    const freeIds = free.map((f) => f.id);
    await tx.$executeRaw`
      WITH revived AS (
        UPDATE training_sessions SET status = 'SCHEDULED', cancelled_at = NULL, cancellation_reason = NULL, updated_at = ${now}
        WHERE id = ANY(${freeIds}::uuid[]) RETURNING id
      )
      INSERT INTO session_status_changes (session_id, from_status, to_status, at, actor_id)
      SELECT id, 'CANCELLED'::"SessionStatus", 'SCHEDULED'::"SessionStatus", ${now}, ${actorId}::uuid FROM revived`;
    await planReminders(tx, freeIds, now);
    return free.map((f) => ({ kind: 'STATUS_CHANGED' as const, sessionId: f.id, coachId: f.coachId, memberId: f.memberId, previousStatus: 'CANCELLED' as const, at: now }));
  }
}
