import { performance } from 'node:perf_hooks';
import { inTransaction, type Tx } from '../db/transaction';
import { Occupancy, placeSessions, type Clash, type Placement } from '../domain/occupancy';
import { localDateOf, occurrencesBetween } from '../domain/recurrence';
import { MAX_RUNS_LISTED } from '../domain/limits';
import { badInput } from '../errors';
import type { GenerationRun, GenerationTrigger } from '../generated/prisma/client';
import type { ServiceDeps } from './context';
import type { SessionChange } from '../runtime/event-publisher';
import { lockGeneration } from './generation-lock';
import { lockSchedules } from './schedule-lock';
import { busyPlacements, changeStatus, lockRooms } from './session-writes';
import type { SkippedOccurrence } from '../notifications/drafts';
import { Notifier } from '../notifications/notifier';
import { Ledger } from '../billing/ledger';
import { memberLeadsSql } from '../notifications/reminders';
import { inPause, pausesOf, refreshCountLimitedEnds } from './series-ends';

/**
 * Session generation: ONE implementation behind the node-cron job, the generateSessions
 * mutation, the /cron/generate-sessions endpoint and new recurring bookings.
 *
 * A run, in one transaction under the generation advisory lock (a second run started at
 * the same time, on this or another instance, waits for the first and then finds nothing
 * left to do, so the counts of all runs add up to the rows created):
 *   1. series whose endDate has passed (in their own timezone) become ENDED;
 *   2. SCHEDULED sessions whose end has passed become COMPLETED (history, actor null);
 *   3. every occurrence of every ACTIVE series in [now, now + horizon), computed in the
 *      series' timezone, that has no session yet, becomes a SCHEDULED session unless it
 *      lies in an availability block (skippedBlocked) or would double-book the coach or
 *      the member or overfill the room (skippedConflicts).
 * Everything is set-based: the number of queries does not grow with the number of series.
 * The run is recorded as a GenerationRun (RUNNING before, SUCCEEDED or FAILED after); a
 * failed run rolls back entirely and the next run does its work. Events are published
 * only after commit.
 */

export interface GenerationCounts {
  totalGenerated: number;
  /** How many series got at least one new session in this run. */
  fromRecurringBookings: number;
  markedCompleted: number;
  skippedBlocked: number;
  skippedConflicts: number;
  seriesEnded: number;
}

export interface GenerationResult extends GenerationCounts {
  runId: string;
  durationMs: number;
}

export type { SkippedOccurrence };

/** A run's counts plus the session changes to publish once it has committed. */
export interface GenerationWork {
  counts: GenerationCounts;
  changes: SessionChange[];
  /** Occurrences skipped for a block or a clash found before the insert (the counts also hold clashes the insert met). */
  skipped: SkippedOccurrence[];
  /** Milliseconds per step, for the run's log line. */
  phases: Record<string, number>;
  /** In-app notifications the run created (skipped occurrences), to publish after commit. */
  notifications: string[];
}

/** A run that failed and was recorded as FAILED; the cause is in `cause` and the logs. */
export class GenerationRunFailed extends Error {
  override name = 'GenerationRunFailed';
  constructor(
    readonly runId: string,
    cause: unknown,
  ) {
    super(`Generation run ${runId} failed: ${errorText(cause)}`, { cause });
  }
}

/** Rows per INSERT / UPDATE statement: large enough to be cheap per row, small enough for one round trip. */
const BATCH = 5_000;
const WEEK_MS = 7 * 86_400_000;
const RUN_TIMEOUT_MS = 10 * 60_000;
/** A RUNNING run older than any run can last (its transaction's timeout, and a margin) belongs to a process that died. */
const ABANDONED_AFTER_MS = RUN_TIMEOUT_MS + 60_000;
export const ABANDONED_RUN_ERROR = 'Interrupted: the process running it stopped before it finished; its work was rolled back';
const MAX_ERROR_LENGTH = 2_000;

interface SeriesRow {
  id: string;
  coachId: string;
  memberId: string;
  roomId: string;
  dayOfWeek: number;
  startMinute: number;
  endMinute: number;
  timezone: string;
  startDate: string;
  endDate: string | null;
  intervalWeeks: number;
  occurrences: number | null;
}

interface Candidate extends Placement {
  recurringBookingId: string;
  localDate: string;
}

/** Passes a run makes for count-limited series whose make-ups come into the horizon (each pass only after something was taken away). */
const MAX_MAKE_UP_PASSES = 4;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString();

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}

export class GenerationService {
  constructor(private readonly deps: ServiceDeps) {}

  private get prisma() {
    return this.deps.db.prisma;
  }

  /** A whole run over every ACTIVE series (cron job, mutation, HTTP endpoint). */
  async run(trigger: Exclude<GenerationTrigger, 'BOOKING'>): Promise<GenerationResult> {
    const run = await this.prisma.generationRun.create({ data: { trigger, status: 'RUNNING', startedAt: this.deps.now() } });
    const started = performance.now();
    let work: GenerationWork & { durationMs: number };
    try {
      work = await inTransaction(this.prisma, async (tx) => {
        await lockGeneration(tx);
        // "now" is taken after the lock: a run that waited works on the present, not on when it was asked.
        const now = this.deps.now();
        await tx.generationRun.updateMany({
          // Not this run: its own row is as old as its wait for the lock, which may be long.
          where: { status: 'RUNNING', id: { not: run.id }, startedAt: { lt: new Date(now.getTime() - ABANDONED_AFTER_MS) } },
          data: { status: 'FAILED', finishedAt: now, error: ABANDONED_RUN_ERROR },
        });
        const result = await this.generate(tx, now, null);
        const durationMs = Math.round(performance.now() - started);
        await tx.generationRun.update({
          where: { id: run.id },
          data: { status: 'SUCCEEDED', finishedAt: this.deps.now(), durationMs, ...result.counts },
        });
        return { ...result, durationMs };
      }, { timeout: RUN_TIMEOUT_MS }); // a run may take seconds
    } catch (error) {
      this.deps.log.error({ err: error, runId: run.id, trigger }, 'generation run failed');
      this.countRun(trigger, 'FAILED', 0, performance.now() - started);
      await this.markFailed(run.id, error, Math.round(performance.now() - started));
      await this.notifyFailure(run.id, error, run.startedAt);
      throw new GenerationRunFailed(run.id, error);
    }
    this.countRun(trigger, 'SUCCEEDED', work.counts.totalGenerated, work.durationMs);
    this.publish(run.id, work.changes, work.notifications);
    this.deps.log.info({ runId: run.id, trigger, ...work.counts, durationMs: work.durationMs, phases: work.phases }, 'generation run finished');
    return { runId: run.id, ...work.counts, durationMs: work.durationMs };
  }

  /**
   * Generates one new series' sessions inside the transaction that creates it (trigger
   * BOOKING), so they exist when the mutation returns, and records the run in the same
   * transaction. The caller publishes `changes` and the run after commit.
   */
  async generateForBooking(tx: Tx, recurringBookingId: string): Promise<GenerationWork & { runId: string }> {
    const started = performance.now();
    const startedAt = this.deps.now();
    await lockGeneration(tx);
    const work = await this.generate(tx, this.deps.now(), [recurringBookingId]);
    const run = await tx.generationRun.create({
      data: {
        trigger: 'BOOKING',
        status: 'SUCCEEDED',
        startedAt,
        finishedAt: this.deps.now(),
        durationMs: Math.round(performance.now() - started),
        ...work.counts,
      },
    });
    return { ...work, runId: run.id };
  }

  /** Records a BOOKING run whose transaction rolled back (the booking was not created). */
  async recordFailedBookingRun(error: unknown, startedAt: Date): Promise<void> {
    const run = await this.prisma.generationRun.create({
      data: {
        trigger: 'BOOKING',
        status: 'FAILED',
        startedAt,
        finishedAt: this.deps.now(),
        durationMs: Math.max(0, this.deps.now().getTime() - startedAt.getTime()),
        error: errorText(error),
      },
    });
    this.countRun('BOOKING', 'FAILED', 0, null);
    this.deps.events.generationRunFinished(run.id);
    await this.notifyFailure(run.id, error, startedAt);
  }

  /** Owners hear about a failed run (its own transaction: the run's rolled back). Never throws. */
  private async notifyFailure(runId: string, error: unknown, at: Date): Promise<void> {
    try {
      const ids = await inTransaction(this.prisma, (tx) => new Notifier(this.deps).generationFailed(tx, runId, errorText(error), at, this.deps.now()));
      this.deps.events.notificationsCreated(ids);
    } catch (notifyError) {
      this.deps.log.error({ err: notifyError, runId }, 'could not notify owners of the failed generation run');
    }
  }

  /** After the booking's transaction committed: counts its run and publishes it with its sessions. */
  bookingRunCommitted(runId: string, work: Pick<GenerationWork, 'counts' | 'changes'>, notifications: string[]): void {
    this.countRun('BOOKING', 'SUCCEEDED', work.counts.totalGenerated, null);
    this.publish(runId, work.changes, notifications);
  }

  /** Metrics of a finished run; durations only for whole runs (a booking's is part of its mutation). */
  private countRun(trigger: GenerationTrigger, status: 'SUCCEEDED' | 'FAILED', created: number, durationMs: number | null): void {
    const { metrics } = this.deps;
    metrics.generationRuns.inc({ trigger, status });
    if (created > 0) metrics.generationSessionsCreated.inc(created);
    if (durationMs !== null) metrics.generationDuration.observe({ trigger }, durationMs / 1000);
  }

  /** The newest runs first. */
  async runs(last: number): Promise<GenerationRun[]> {
    if (!Number.isInteger(last) || last < 1 || last > MAX_RUNS_LISTED) {
      throw badInput('last', `last must be between 1 and ${MAX_RUNS_LISTED}`);
    }
    return this.prisma.generationRun.findMany({ orderBy: [{ startedAt: 'desc' }, { id: 'desc' }], take: last });
  }

  /** Publishes a committed run's session changes, then the run itself. */
  publish(runId: string, changes: SessionChange[], notifications: string[] = []): void {
    if (changes.length > 0) this.deps.events.sessionsChanged(changes);
    this.deps.events.generationRunFinished(runId);
    this.deps.events.notificationsCreated(notifications);
  }

  private async markFailed(runId: string, error: unknown, durationMs: number): Promise<void> {
    try {
      await this.prisma.generationRun.update({
        where: { id: runId },
        data: { status: 'FAILED', finishedAt: this.deps.now(), durationMs, error: errorText(error) },
      });
      this.deps.events.generationRunFinished(runId);
    } catch (recordError) {
      this.deps.log.error({ err: recordError, runId }, 'could not record the failed generation run');
    }
  }

  /**
   * The work of a run inside `tx`, which must hold the generation lock. `scope` limits it
   * to some series (a new booking) and then skips the studio-wide completion step.
   */
  private async generate(tx: Tx, now: Date, scope: string[] | null): Promise<GenerationWork> {
    const work = await this.generateOnce(tx, now, scope);
    // Occurrences taken away from count-limited series move their ends: the make-ups that
    // now fall inside the horizon are generated in the same run.
    for (let pass = 0; pass < MAX_MAKE_UP_PASSES && work.grown.length > 0; pass++) {
      const more = await this.generateOnce(tx, now, work.grown);
      for (const key of Object.keys(work.counts) as (keyof GenerationCounts)[]) work.counts[key] += more.counts[key];
      work.changes.push(...more.changes);
      work.skipped.push(...more.skipped);
      work.notifications.push(...more.notifications);
      work.grown = more.grown;
    }
    const { grown: _grown, ...rest } = work;
    return rest;
  }

  private async generateOnce(tx: Tx, now: Date, scope: string[] | null): Promise<GenerationWork & { grown: string[] }> {
    const counts: GenerationCounts = { totalGenerated: 0, fromRecurringBookings: 0, markedCompleted: 0, skippedBlocked: 0, skippedConflicts: 0, seriesEnded: 0 };
    const changes: SessionChange[] = [];
    const skipped: SkippedOccurrence[] = [];
    const phases: Record<string, number> = {};
    let lap = performance.now();
    const mark = (phase: string) => {
      const t = performance.now();
      phases[phase] = Math.round(t - lap);
      lap = t;
    };
    // Occurrences this run could not book: their members hear once per occurrence (set-based, keyed).
        const skip = (c: Candidate, reason: SkippedOccurrence['reason']) =>
      skipped.push({ recurringBookingId: c.recurringBookingId, memberId: c.memberId, coachId: c.coachId, start: c.start, end: c.end, reason });
    // CHARGE_CREATED notifications of the sessions this run completed.
    const billed: string[] = [];
    const done = async (): Promise<GenerationWork & { grown: string[] }> => {
      const grown = await this.recordTakenAway(tx, skipped, counted);
      const notifications = [...billed, ...(await new Notifier(this.deps).occurrencesSkipped(tx, skipped, now))];
      mark('notify');
      return { counts, changes, skipped, phases, notifications, grown };
    };
    // 0. The derived ends of count-limited series (what was taken away since the last run).
    await refreshCountLimitedEnds(tx, scope);
    const counted = new Map<string, SeriesRow>();
    const nowMs = now.getTime();
    const horizonEnd = new Date(nowMs + this.deps.config.generationHorizonWeeks * WEEK_MS);

    const series = await tx.$queryRaw<SeriesRow[]>`
      SELECT id::text, coach_id::text AS "coachId", member_id::text AS "memberId", room_id::text AS "roomId",
             day_of_week AS "dayOfWeek", start_minute AS "startMinute", end_minute AS "endMinute", timezone,
             to_char(start_date, 'YYYY-MM-DD') AS "startDate", to_char(end_date, 'YYYY-MM-DD') AS "endDate",
             interval_weeks AS "intervalWeeks", occurrences
      FROM recurring_bookings
      WHERE status = 'ACTIVE' AND (${scope}::uuid[] IS NULL OR id = ANY(${scope}::uuid[]))`;

    mark('loadSeries');

    // 1. Series past their last date, judged in their own timezone.
    const live: SeriesRow[] = [];
    const ended: string[] = [];
    for (const s of series) {
      if (s.endDate !== null && s.endDate < this.localToday(now, s)) ended.push(s.id);
      else live.push(s);
    }
    if (ended.length > 0) {
      counts.seriesEnded = await tx.$executeRaw`
        UPDATE recurring_bookings SET status = 'ENDED' WHERE id = ANY(${ended}::uuid[]) AND status = 'ACTIVE'`;
    }

    mark('endSeries');

    // 2. Sessions that are over become COMPLETED (with history, actor null).
    if (scope === null) {
      const past = await tx.$queryRaw<{ id: string }[]>`
        SELECT id::text FROM training_sessions WHERE status = 'SCHEDULED' AND end_time <= ${now} ORDER BY id`;
      for (const batch of chunks(past.map((row) => row.id), BATCH)) {
        const completed = await changeStatus(tx, batch, 'COMPLETED', null, now);
        billed.push(...(await new Ledger(this.deps).statusChanged(tx, completed.map((c) => c.sessionId), 'COMPLETED', { actorId: null, now })));
        counts.markedCompleted += completed.length;
        changes.push(...completed);
      }
    }

    mark('complete');

    // 3. Occurrences in [now, horizon) of every live series, in its own timezone, except
    // paused dates and what a count-limited series already had taken away (made up at its end).
    for (const s of live) if (s.occurrences !== null) counted.set(s.id, s);
    const liveIds = live.map((s) => s.id);
    const pauses = await pausesOf(tx, liveIds);
    const countedIds = [...counted.keys()];
    const takenAway = countedIds.length === 0 ? [] : await tx.$queryRaw<{ rb: string; ms: number }[]>`
      SELECT recurring_booking_id::text AS rb, (extract(epoch FROM occurrence_start) * 1000)::float8 AS ms
      FROM series_taken_away WHERE recurring_booking_id = ANY(${countedIds}::uuid[]) AND occurrence_start >= ${now}`;
    const gone = new Set(takenAway.map((row) => `${row.rb}|${row.ms}`));
    const candidates: Candidate[] = [];
    for (const s of live) {
      let occurrences;
      try {
        occurrences = occurrencesBetween(s, now, horizonEnd);
      } catch (error) {
        // A row no API could have written (say, a timezone this runtime does not know) must not stop the others.
        this.deps.log.warn({ err: error, recurringBookingId: s.id }, 'series skipped: invalid recurrence');
        continue;
      }
      for (const o of occurrences) {
        if (gone.has(`${s.id}|${o.start.getTime()}`)) continue;
        candidates.push({ recurringBookingId: s.id, coachId: s.coachId, memberId: s.memberId, roomId: s.roomId, start: o.start.getTime(), end: o.end.getTime(), localDate: o.localDate });
      }
    }
    mark('occurrences');
    // Paused dates are dropped after that check: their cancelled (PAUSED) sessions count there.
    const fresh = (await this.withoutExistingOccurrences(tx, candidates)).filter((c) => !inPause(pauses.get(c.recurringBookingId), c.localDate));
    mark('existing');
    if (fresh.length === 0) return done();

    // Blocks are read under the coaches' schedule locks, so a block being added either
    // committed before (and is seen) or waits until this run's sessions exist (and cancels them).
    // Members are not locked: a member's clash is the exclusion constraint's job (see insertBatch).
    const coachIds = [...new Set(fresh.map((c) => c.coachId))];
    const memberIds = [...new Set(fresh.map((c) => c.memberId))];
    const roomIds = [...new Set(fresh.map((c) => c.roomId))];
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const c of fresh) {
      if (c.start < first) first = c.start;
      if (c.end > last) last = c.end;
    }
    const windowStart = new Date(first);
    const windowEnd = new Date(last);
    await lockSchedules(tx, coachIds);
    const blocks = await tx.$queryRaw<{ coachId: string; s: number; e: number }[]>`
      SELECT coach_id::text AS "coachId", (extract(epoch FROM start_time) * 1000)::float8 AS s, (extract(epoch FROM end_time) * 1000)::float8 AS e
      FROM availability_blocks
      WHERE coach_id = ANY(${coachIds}::uuid[]) AND start_time < ${windowEnd} AND end_time > ${windowStart}`;
    const blocked = new Occupancy();
    for (const b of blocks) blocked.add(b.coachId, b.s, b.e);
    const open: Candidate[] = [];
    for (const c of fresh) {
      if (blocked.isFree(c.coachId, c.start, c.end)) open.push(c);
      else skip(c, 'BLOCKED');
    }
    counts.skippedBlocked = fresh.length - open.length;
    mark('blocks');
    if (open.length === 0) return done();

    // Rooms are locked (in id order, like every other session write) before their sessions
    // are counted, so no booking can slip into a room between the count and the insert.
    const capacities = await lockRooms(tx, roomIds);
    const busy = await busyPlacements(tx, { roomIds, coachIds, memberIds }, windowStart, windowEnd);
    open.sort((a, b) => a.start - b.start || (a.recurringBookingId < b.recurringBookingId ? -1 : a.recurringBookingId > b.recurringBookingId ? 1 : 0));
    const { accepted, rejected, clashes } = placeSessions(open, busy, capacities);
    counts.skippedConflicts = rejected.length;
    rejected.forEach((c, i) => skip(c as Candidate, clashes[i]!));
    mark('conflicts');

    // 4. Insert set-based. ON CONFLICT DO NOTHING also absorbs exclusion clashes with a
    // session committed since the read above (another member's one-off booking elsewhere):
    // those count as conflicts too.
    const seriesWithNew = new Set<string>();
    for (const batch of chunks(accepted, BATCH)) {
      const inserted = await this.insertBatch(tx, batch, now);
      counts.totalGenerated += inserted.length;
      counts.skippedConflicts += batch.length - inserted.length;
      if (inserted.length < batch.length) {
        const made = new Set(inserted.map((row) => `${row.recurringBookingId}|${row.start}`));
        for (const c of batch) if (!made.has(`${c.recurringBookingId}|${c.start}`)) skip(c, 'CONFLICT');
      }
      for (const row of inserted) {
        seriesWithNew.add(row.recurringBookingId);
        changes.push({ kind: 'CREATED', sessionId: row.id, coachId: row.coachId, memberId: row.memberId, previousStatus: null, at: now });
      }
    }
    counts.fromRecurringBookings = seriesWithNew.size;
    mark('insert');
    return done();
  }

  /**
   * Skipped occurrences of count-limited series are taken away for good (keyed per
   * occurrence: a later run neither retries nor counts them again); returns the series
   * whose end moved.
   */
  private async recordTakenAway(tx: Tx, skipped: SkippedOccurrence[], counted: Map<string, SeriesRow>): Promise<string[]> {
    const lost = skipped.filter((o) => counted.has(o.recurringBookingId));
    if (lost.length === 0) return [];
    await tx.$executeRaw`
      INSERT INTO series_taken_away (recurring_booking_id, occurrence_start, local_date, reason)
      SELECT * FROM unnest(${lost.map((o) => o.recurringBookingId)}::uuid[], ${lost.map((o) => iso(o.start))}::timestamptz[],
                           ${lost.map((o) => localDateOf(new Date(o.start), counted.get(o.recurringBookingId)!.timezone))}::date[],
                           ${lost.map((o) => o.reason)}::text[])
      ON CONFLICT DO NOTHING`;
    return refreshCountLimitedEnds(tx, [...new Set(lost.map((o) => o.recurringBookingId))]);
  }

  private localToday(now: Date, s: SeriesRow): string {
    try {
      return localDateOf(now, s.timezone);
    } catch {
      return localDateOf(now, 'UTC');
    }
  }

  /**
   * Drops candidates whose (series, occurrence) already has a session, whatever its status
   * (cancelled and moved ones included: their slot is taken care of). First one cheap
   * query finds the series whose number of sessions in the window differs from their
   * number of occurrences there (a series' sessions in the window are a subset of its
   * occurrences: the rule of a series never changes); only their keys are then read.
   * A run with nothing to do therefore transfers no keys at all. Both queries probe the
   * unique (recurring_booking_id, occurrence_start) index.
   */
  private async withoutExistingOccurrences(tx: Tx, candidates: Candidate[]): Promise<Candidate[]> {
    if (candidates.length === 0) return candidates;
    const bySeries = new Map<string, Candidate[]>();
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const c of candidates) {
      const list = bySeries.get(c.recurringBookingId);
      if (list) list.push(c);
      else bySeries.set(c.recurringBookingId, [c]);
      if (c.start < first) first = c.start;
      if (c.start > last) last = c.start;
    }
    const [from, to] = [new Date(first), new Date(last)];
    const ids = [...bySeries.keys()];
    const incomplete = await tx.$queryRaw<{ id: string }[]>`
      SELECT c.id::text AS id
      FROM unnest(${ids}::uuid[], ${ids.map((id) => bySeries.get(id)!.length)}::int[]) AS c(id, n)
      WHERE c.n <> (SELECT count(*) FROM training_sessions t
                    WHERE t.recurring_booking_id = c.id AND t.occurrence_start >= ${from} AND t.occurrence_start <= ${to})`;
    if (incomplete.length === 0) return [];
    const incompleteIds = incomplete.map((row) => row.id);
    const existing = await tx.$queryRaw<{ rb: string; ms: number }[]>`
      SELECT recurring_booking_id::text AS rb, (extract(epoch FROM occurrence_start) * 1000)::float8 AS ms
      FROM training_sessions
      WHERE recurring_booking_id = ANY(${incompleteIds}::uuid[]) AND occurrence_start >= ${from} AND occurrence_start <= ${to}`;
    const taken = new Set(existing.map((row) => `${row.rb}|${row.ms}`));
    return incompleteIds.flatMap((id) => bySeries.get(id)!.filter((c) => !taken.has(`${id}|${c.start}`)));
  }

  /** One statement: the sessions and their first history entries (null -> SCHEDULED, actor null). */
  private insertBatch(tx: Tx, batch: Candidate[], now: Date) {
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
}
