import type { Actor } from '../auth/actor';
import { inTransaction, type Tx } from '../db/transaction';
import { MESSAGES } from '../domain/lifecycle';
import { addDays, formatLocalEndTime, formatLocalTime, localDateOf, nthOccurrenceDate, occurrencesBetween, parseLocalDate, zonedDateTimeToInstant, type WeeklyRule } from '../domain/recurrence';
import { placeSessions, type Placement } from '../domain/occupancy';
import { AppError, badInput, conflict, notFound } from '../errors';
import type { RecurringBooking, SeriesPause } from '../generated/prisma/client';
import { MAX_SERIES_PAUSES } from '../domain/limits';
import { Notifier } from '../notifications/notifier';
import { planReminders } from '../notifications/reminders';
import { assertWeeklySlotInsideHours } from './availability-rules';
import type { ServiceDeps } from './context';
import type { SessionChange } from '../runtime/event-publisher';
import { lockGeneration } from './generation-lock';
import { GenerationService } from './generation.service';
import { lockSchedules } from './schedule-lock';
import { inPause, pausesOf, refreshCountLimitedEnds } from './series-ends';
import { busyPlacements, lockRooms } from './session-writes';
import { cancelSessions, publishCancellation } from './cancellation';
import { UserService } from './user.service';
import { assertNoOverlappingSeries, checkDayOfWeek, checkIntervalWeeks, localDateText, minuteOf, ruleOf } from './booking.service';
import { assertAmount } from './money-input';
import { canSeeParties, isUuid } from './visibility';

export interface SeriesChangeInput {
  recurringBookingId: string;
  effectiveFrom: string;
  coachId?: string | null;
  roomId?: string | null;
  dayOfWeek?: number | null;
  startTime?: string | null;
  endTime?: string | null;
  intervalWeeks?: number | null;
  priceCents?: number | null;
}

export interface SeriesPauseInput {
  recurringBookingId: string;
  from: string;
  to: string;
  reason?: string | null;
}

/** Why the old series' sessions from effectiveFrom on were cancelled. */
export const SERIES_CHANGED = 'SERIES_CHANGED';
/** Why a session inside a pause was cancelled. */
export const PAUSED = 'PAUSED';
/** Why a make-up session of a count-limited series was cancelled when a pause was removed. */
export const PAUSE_REMOVED = 'PAUSE_REMOVED';
export const MAX_PAUSE_DAYS = 366;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_MS = 86_400_000;

const dateColumn = (localDate: string) => new Date(`${localDate}T00:00:00Z`);
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);

/**
 * Series management (issue 14): change a series from a date on (the old series ends the
 * day before, a new one linked by replaces/replacedBy continues it) and pauses. Every
 * mutation is one transaction under the generation lock (no run generates for the series
 * meanwhile; two changes of one series queue, and the second finds it replaced: CONFLICT)
 * and the schedule locks of the people involved.
 */
export class SeriesChangeService {
  private readonly users: UserService;
  private readonly generation: GenerationService;

  constructor(private readonly deps: ServiceDeps) {
    this.users = new UserService(deps);
    this.generation = new GenerationService(deps);
  }

  private get prisma() {
    return this.deps.db.prisma;
  }

  async change(actor: Actor, input: SeriesChangeInput): Promise<RecurringBooking> {
    const id = input.recurringBookingId;
    if (!isUuid(id)) throw notFound('Recurring booking', 'input.recurringBookingId');
    const effectiveFrom = parseLocalDate(input.effectiveFrom);
    if (effectiveFrom === null) throw badInput('input.effectiveFrom', 'effectiveFrom must be a date YYYY-MM-DD');
    if (input.coachId != null) {
      if (!isUuid(input.coachId)) throw new AppError('NOT_FOUND', 'Coach not found', 'input.coachId');
      await this.users.requireRole(input.coachId, 'COACH', 'input.coachId');
    }
    if (input.roomId != null) {
      const room = isUuid(input.roomId) ? await this.prisma.room.findUnique({ where: { id: input.roomId } }) : null;
      if (!room) throw notFound('Room', 'input.roomId');
    }
    const { dayOfWeek, intervalWeeks, priceCents } = input;
    if (dayOfWeek != null) checkDayOfWeek(dayOfWeek, 'input.dayOfWeek');
    const startMinute = input.startTime == null ? null : minuteOf(input.startTime, 'input.startTime', false);
    const endMinute = input.endTime == null ? null : minuteOf(input.endTime, 'input.endTime', true);
    if (intervalWeeks != null) checkIntervalWeeks(intervalWeeks, 'input.intervalWeeks');
    assertAmount(priceCents, 'input.priceCents');

    const result = await inTransaction(this.prisma, async (tx) => {
      await lockGeneration(tx);
      const old = await tx.recurringBooking.findUnique({ where: { id } });
      if (!old || !canSeeParties(actor, old)) throw notFound('Recurring booking', 'input.recurringBookingId');
      if (old.status !== 'ACTIVE') throw conflict(`The recurring booking is ${old.status}: it cannot be changed`);
      if (await tx.recurringBooking.findUnique({ where: { replacesId: id }, select: { id: true } })) {
        throw conflict('The recurring booking was already changed: change the series that replaced it');
      }
      const now = this.deps.now();
      const oldRule = ruleOf(old);
      const today = localDateOf(now, old.timezone);
      if (effectiveFrom < today) throw badInput('input.effectiveFrom', `effectiveFrom must not be in the past (today is ${today} in ${old.timezone})`);
      if (effectiveFrom < oldRule.startDate) throw badInput('input.effectiveFrom', `effectiveFrom must not be before the series' startDate ${oldRule.startDate}`);
      if (oldRule.endDate !== null && effectiveFrom > oldRule.endDate) throw badInput('input.effectiveFrom', `effectiveFrom must not be after the series' endDate ${oldRule.endDate}`);

      const next = {
        coachId: input.coachId ?? old.coachId,
        roomId: input.roomId ?? old.roomId,
        dayOfWeek: dayOfWeek ?? old.dayOfWeek,
        startMinute: startMinute ?? old.startMinute,
        endMinute: endMinute ?? old.endMinute,
        intervalWeeks: intervalWeeks ?? old.intervalWeeks,
        priceCents: priceCents === undefined ? old.priceCents : priceCents,
      };
      if (next.endMinute <= next.startMinute) throw badInput(input.endTime != null ? 'input.endTime' : 'input.startTime', 'endTime must be after startTime');
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== old[k]);
      if (changed.length === 0) throw badInput('input', 'The change changes nothing: give at least one field with a new value');

      // Same rhythm: the new series keeps the old one's weeks (a fortnightly series stays on its weeks).
      const sameRhythm = next.dayOfWeek === old.dayOfWeek && next.intervalWeeks === old.intervalWeeks;
      let startDate = effectiveFrom;
      if (sameRhythm) {
        const anchor = nthOccurrenceDate(oldRule, 1);
        const step = 7 * old.intervalWeeks;
        startDate = anchor >= effectiveFrom ? anchor : addDays(anchor, Math.ceil(daysBetween(anchor, effectiveFrom) / step) * step);
      }
      const rule: WeeklyRule = { dayOfWeek: next.dayOfWeek, startMinute: next.startMinute, endMinute: next.endMinute, timezone: old.timezone, startDate, endDate: oldRule.endDate, intervalWeeks: next.intervalWeeks };

      // A count-limited series continues with what the old one has not delivered yet.
      let occurrences: number | null = null;
      if (old.occurrences !== null) {
        const delivered = await this.deliveredBefore(tx, old, effectiveFrom);
        occurrences = old.occurrences - delivered;
        if (occurrences < 1) throw badInput('input.effectiveFrom', `effectiveFrom must not be after the series' end: all ${old.occurrences} sessions are delivered before it`);
        rule.endDate = nthOccurrenceDate(rule, occurrences);
      } else if (rule.endDate !== null && nthOccurrenceDate(rule, 1) > rule.endDate) {
        throw badInput('input.dayOfWeek', `There is no ${WEEKDAYS[rule.dayOfWeek]} between effectiveFrom and the series' endDate`);
      }

      // Lock order: generation -> schedules -> rooms.
      await lockSchedules(tx, [old.coachId, next.coachId, old.memberId]);
      const fromInstant = zonedDateTimeToInstant(effectiveFrom, 0, old.timezone);
      // Sessions of the old series from effectiveFrom on, by their occurrence (the series' slot):
      // moved ones included (the new series holds their week); ones already running stay.
      const moving = await tx.trainingSession.findMany({
        where: { recurringBookingId: id, status: 'SCHEDULED', occurrenceStart: { gte: fromInstant } },
        select: { id: true, startTime: true },
      });
      if (actor.role === 'MEMBER' && moving.some((s) => s.startTime.getTime() <= now.getTime())) throw conflict(MESSAGES.memberCancelAfterStart);
      const toCancel = moving.filter((s) => s.startTime.getTime() > now.getTime()).map((s) => s.id);

      // A change from the series' first day leaves the old one no day at all: it ends at once
      // (ENDED, its end kept at its start: a DATE range cannot be empty).
      const oldEnd = addDays(effectiveFrom, -1);
      const neverRuns = oldEnd < oldRule.startDate;
      await tx.recurringBooking.update({
        where: { id },
        data: { endDate: dateColumn(neverRuns ? oldRule.startDate : oldEnd), ...(neverRuns || oldEnd < today ? { status: 'ENDED' } : {}) },
      });
      const checkFrom = new Date(Math.max(now.getTime(), zonedDateTimeToInstant(startDate, 0, old.timezone).getTime()));
      await assertWeeklySlotInsideHours(tx, next.coachId, rule, checkFrom, this.deps.config.studioTimezone, 'input.startTime');
      await assertNoOverlappingSeries(tx, rule, next.coachId, old.memberId, id);
      // The new series holds these weeks: no make-up, no charge; one notice for the change (below).
      const { changes: cancelled } = await cancelSessions(tx, this.deps, toCancel, {
        actor, now, reason: SERIES_CHANGED, refreshEnds: false, noticePerSession: false, charge: false,
      });

      let created: RecurringBooking;
      try {
        created = await tx.recurringBooking.create({
          data: {
            memberId: old.memberId,
            coachId: next.coachId,
            roomId: next.roomId,
            dayOfWeek: rule.dayOfWeek,
            startMinute: rule.startMinute,
            endMinute: rule.endMinute,
            timezone: old.timezone,
            startDate: dateColumn(startDate),
            endDate: rule.endDate ? dateColumn(rule.endDate) : null,
            intervalWeeks: next.intervalWeeks,
            occurrences,
            priceCents: next.priceCents,
            replacesId: id,
            createdAt: now,
          },
        });
      } catch (error) {
        throw uniqueAsConflict(error);
      }
      // Pauses from effectiveFrom on carry over.
      await tx.$executeRaw`
        INSERT INTO series_pauses (recurring_booking_id, from_date, to_date, reason, created_at, created_by_id)
        SELECT ${created.id}::uuid, GREATEST(from_date, ${effectiveFrom}::date), to_date, reason, created_at, created_by_id
        FROM series_pauses WHERE recurring_booking_id = ${id}::uuid AND to_date >= ${effectiveFrom}::date`;
      // Same rhythm: weeks already cancelled in the old series stay cancelled in the new one
      // (a member's holiday is not booked again by a change of time or room).
      if (sameRhythm) await this.carryCancelledWeeks(tx, old, created, fromInstant, now);
      const work = await this.generation.generateForBooking(tx, created.id);
      await refreshCountLimitedEnds(tx, [created.id]);
      const summary = this.summary(old, created, effectiveFrom, changed);
      const notified = await new Notifier(this.deps).seriesChanged(tx, created.id, old.coachId, actor.id, summary, now);
      const booking = await tx.recurringBooking.findUniqueOrThrow({ where: { id: created.id } });
      return { booking, work, cancelled, notified: [...work.notifications, ...notified] };
    });
    publishCancellation(this.deps.events, result.cancelled, []);
    this.generation.bookingRunCommitted(result.work.runId, result.work, result.notified);
    return result.booking;
  }

  /** Occurrences of the old series before `effectiveFrom` that count as delivered (held, or cancelled by the member). */
  private async deliveredBefore(tx: Tx, old: RecurringBooking, effectiveFrom: string): Promise<number> {
    const rule = { ...ruleOf(old), endDate: addDays(effectiveFrom, -1) };
    const dates = occurrencesBetween(rule, zonedDateTimeToInstant(rule.startDate, 0, old.timezone), zonedDateTimeToInstant(effectiveFrom, 0, old.timezone));
    if (dates.length === 0) return 0;
    const taken = await tx.$queryRaw<{ ms: number }[]>`
      SELECT (extract(epoch FROM occurrence_start) * 1000)::float8 AS ms FROM series_taken_away WHERE recurring_booking_id = ${old.id}::uuid
      UNION
      SELECT (extract(epoch FROM t.occurrence_start) * 1000)::float8 FROM training_sessions t
      WHERE t.recurring_booking_id = ${old.id}::uuid AND t.status = 'CANCELLED'
        AND (t.cancellation_reason = ${PAUSED} OR NOT EXISTS (
          SELECT 1 FROM session_status_changes c WHERE c.session_id = t.id AND c.to_status = 'CANCELLED' AND c.actor_id = t.member_id))`;
    const takenMs = new Set(taken.map((row) => row.ms));
    const pauses = (await pausesOf(tx, [old.id])).get(old.id);
    return dates.filter((o) => !takenMs.has(o.start.getTime()) && !inPause(pauses, o.localDate)).length;
  }

  /** Cancelled sessions of the old series from `fromInstant` on become cancelled occurrences of the new one (same local dates). */
  private async carryCancelledWeeks(tx: Tx, old: RecurringBooking, created: RecurringBooking, fromInstant: Date, now: Date): Promise<void> {
    const rows = await tx.$queryRaw<{ ms: number; reason: string | null; actor: string | null; at: Date | null }[]>`
      SELECT (extract(epoch FROM t.occurrence_start) * 1000)::float8 AS ms, t.cancellation_reason AS reason, t.cancelled_at AS at,
             (SELECT c.actor_id::text FROM session_status_changes c WHERE c.session_id = t.id AND c.to_status = 'CANCELLED' ORDER BY c.at DESC LIMIT 1) AS actor
      FROM training_sessions t
      WHERE t.recurring_booking_id = ${old.id}::uuid AND t.status = 'CANCELLED' AND t.occurrence_start >= ${fromInstant}
        AND t.cancellation_reason IS DISTINCT FROM ${SERIES_CHANGED}`;
    if (rows.length === 0) return;
    const rule = ruleOf(created);
    const duration = (created.endMinute - created.startMinute) * 60_000;
    const starts = rows.map((r) => zonedDateTimeToInstant(localDateOf(new Date(r.ms), old.timezone), rule.startMinute, rule.timezone));
    // Cancelled sessions take no place in the exclusion constraints; their history keeps who cancelled (the count rule reads it).
    await tx.$executeRaw`
      WITH c AS (
        SELECT * FROM unnest(${starts.map((d) => d.toISOString())}::timestamptz[], ${rows.map((r) => r.reason)}::text[],
                             ${rows.map((r) => r.actor)}::uuid[], ${rows.map((r) => (r.at ?? now).toISOString())}::timestamptz[]) AS c(s, reason, actor, at)
      ), inserted AS (
        INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time, status, recurring_booking_id, occurrence_start, cancelled_at, cancellation_reason, created_at, updated_at)
        SELECT ${created.coachId}::uuid, ${created.memberId}::uuid, ${created.roomId}::uuid, c.s, c.s + make_interval(secs => ${duration / 1000}),
               'CANCELLED'::"SessionStatus", ${created.id}::uuid, c.s, c.at, c.reason, ${created.createdAt}, ${created.createdAt}
        FROM c
        ON CONFLICT DO NOTHING
        RETURNING id, occurrence_start
      )
      INSERT INTO session_status_changes (session_id, from_status, to_status, at, actor_id)
      SELECT i.id, NULL, 'CANCELLED'::"SessionStatus", c.at, c.actor FROM inserted i JOIN c ON c.s = i.occurrence_start`;
  }

  private summary(old: RecurringBooking, next: RecurringBooking, effectiveFrom: string, changed: string[]): string {
    const every = next.intervalWeeks === 1 ? 'every week' : `every ${next.intervalWeeks} weeks`;
    const parts = [`from ${effectiveFrom}: ${WEEKDAYS[next.dayOfWeek]}s ${formatLocalTime(next.startMinute)}-${formatLocalEndTime(next.endMinute)} (${next.timezone}), ${every}`];
    if (changed.includes('coachId')) parts.push('with another coach');
    if (changed.includes('roomId')) parts.push('in another room');
    if (old.occurrences !== null && next.occurrences !== null) parts.push(`${next.occurrences} sessions left`);
    return `${parts.join(', ')}.`;
  }

  // ---------------------------------------------------------------------------------------
  // Pauses
  // ---------------------------------------------------------------------------------------

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

function uniqueAsConflict(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  if (code === 'P2002') return conflict('The recurring booking was already changed: change the series that replaced it');
  return error;
}
