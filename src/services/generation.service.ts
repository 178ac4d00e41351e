import { performance } from 'node:perf_hooks';
import type { Tx } from '../db/transaction';
import {
  byPlacementOrder,
  groupBySeries,
  horizonEnd,
  occurrenceCandidates,
  occurrenceKey,
  outsidePauses,
  sessionSpan,
  splitBlocked,
  splitEnded,
  withoutExisting,
  type Candidate,
  type PlannedSeries,
} from '../domain/generation-plan';
import { placeSessions } from '../domain/occupancy';
import { localDateOf } from '../domain/zone-time';
import type { GenerationRun, GenerationTrigger } from '../generated/prisma/client';
import type { ServiceDeps } from './context';
import type { SessionChange } from '../runtime/event-publisher';
import { addWork, emptyCounts, GenerationRuns, type GenerationCounts, type GenerationResult, type GenerationWork } from './generation-run';
import * as sql from './generation.sql';
import { lockSchedules } from './schedule-lock';
import { busyPlacements, changeStatus, lockRooms } from './session-writes';
import type { SkippedOccurrence } from '../notifications/drafts';
import { Notifier } from '../notifications/notifier';
import { Ledger } from '../billing/ledger';
import { pausesOf, refreshCountLimitedEnds } from './series-ends';
import { generateClasses } from './class-generation';

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
 * Run bookkeeping is generation-run.ts, the decisions domain/generation-plan.ts, the
 * statements generation.sql.ts; this file orders the steps and takes the locks.
 */

export type { GenerationCounts, GenerationResult, GenerationWork, SkippedOccurrence };
export { ABANDONED_RUN_ERROR, GenerationRunFailed } from './generation-run';

/** Rows per INSERT / UPDATE statement: large enough to be cheap per row, small enough for one round trip. */
const BATCH = 5_000;

/** Passes a run makes for count-limited series whose make-ups come into the horizon (each pass only after something was taken away). */
const MAX_MAKE_UP_PASSES = 4;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class GenerationService {
  private readonly runsBook: GenerationRuns;

  constructor(private readonly deps: ServiceDeps) {
    this.runsBook = new GenerationRuns(deps);
  }

  /** A whole run over every ACTIVE series (cron job, mutation, HTTP endpoint). */
  run(trigger: Exclude<GenerationTrigger, 'BOOKING'>): Promise<GenerationResult> {
    return this.runsBook.run(trigger, (tx, now) => this.generate(tx, now, null));
  }

  /**
   * Generates one new series' sessions inside the transaction that creates it (trigger
   * BOOKING), so they exist when the mutation returns, and records the run in the same
   * transaction. The caller publishes `changes` and the run after commit.
   */
  generateForBooking(tx: Tx, recurringBookingId: string): Promise<GenerationWork & { runId: string }> {
    return this.runsBook.inBooking(tx, (t, now) => this.generate(t, now, [recurringBookingId]));
  }

  /**
   * Generates a new class schedule's classes (and seats its standing reservations) inside
   * the transaction that creates it, recorded as a BOOKING run; the caller publishes after commit.
   */
  generateForSchedule(tx: Tx, scheduleId: string): Promise<GenerationWork & { runId: string }> {
    return this.runsBook.inBooking(tx, (t, now) => generateClasses(t, this.deps, now, [scheduleId]));
  }

  /** Records a BOOKING run whose transaction rolled back (the booking was not created). */
  recordFailedBookingRun(error: unknown, startedAt: Date): Promise<void> {
    return this.runsBook.recordFailedBookingRun(error, startedAt);
  }

  /** After the booking's transaction committed: counts its run and publishes it with its sessions. */
  bookingRunCommitted(runId: string, work: Pick<GenerationWork, 'counts' | 'changes'>, notifications: string[]): void {
    this.runsBook.bookingRunCommitted(runId, work, notifications);
  }

  /** The newest runs first. */
  runs(last: number): Promise<GenerationRun[]> {
    return this.runsBook.runs(last);
  }

  /** Publishes a committed run's session changes, then the run itself. */
  publish(runId: string, changes: SessionChange[], notifications: string[] = []): void {
    this.runsBook.publish(runId, { changes }, notifications);
  }

  /**
   * The work of a run inside `tx`, which must hold the generation lock. `scope` limits it
   * to some series (a new booking) and then skips the studio-wide completion step.
   */
  private async generate(tx: Tx, now: Date, scope: string[] | null): Promise<GenerationWork> {
    // A whole run takes every coach's schedule lock it may need at once, before any room:
    // no later step (make-ups, classes) then waits for a person while holding a room.
    if (scope === null) await lockSchedules(tx, await sql.plannedCoaches(tx));
    const work = await this.generateOnce(tx, now, scope);
    // Occurrences taken away from count-limited series move their ends: the make-ups that
    // now fall inside the horizon are generated in the same run.
    for (let pass = 0; pass < MAX_MAKE_UP_PASSES && work.grown.length > 0; pass++) {
      const more = await this.generateOnce(tx, now, work.grown);
      addWork(work, more);
      work.grown = more.grown;
    }
    const { grown: _grown, ...rest } = work;
    if (scope === null) {
      const started = performance.now();
      addWork(rest, await generateClasses(tx, this.deps, now, null));
      rest.phases.classes = Math.round(performance.now() - started);
    }
    return rest;
  }

  private async generateOnce(tx: Tx, now: Date, scope: string[] | null): Promise<GenerationWork & { grown: string[] }> {
    const counts: GenerationCounts = emptyCounts();
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
      return { counts, changes, skipped, phases, notifications, grown, classIds: [], enrollmentIds: [] };
    };
    // 0. The derived ends of count-limited series (what was taken away since the last run).
    await refreshCountLimitedEnds(tx, scope);
    const counted = new Map<string, PlannedSeries>();
    const horizon = horizonEnd(now, this.deps.config.generationHorizonWeeks);

    const series = await sql.activeSeries(tx, scope);

    mark('loadSeries');

    // 1. Series past their last date, judged in their own timezone.
    const { live, ended } = splitEnded(series, now);
    if (ended.length > 0) counts.seriesEnded = await sql.endSeries(tx, ended);

    mark('endSeries');

    // 2. Sessions that are over become COMPLETED (with history, actor null).
    if (scope === null) {
      const past = await sql.finishedSessionIds(tx, now);
      for (const batch of chunks(past, BATCH)) {
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
    const takenAway = countedIds.length === 0 ? [] : await sql.takenAwayFrom(tx, countedIds, now);
    const gone = new Set(takenAway.map((row) => occurrenceKey(row.rb, row.ms)));
    const { candidates, invalid } = occurrenceCandidates(live, now, horizon, gone);
    // A row no API could have written (say, a timezone this runtime does not know) must not stop the others.
    for (const { recurringBookingId, error } of invalid) this.deps.log.warn({ err: error, recurringBookingId }, 'series skipped: invalid recurrence');
    mark('occurrences');
    // Paused dates are dropped after that check: their cancelled (PAUSED) sessions count there.
    const fresh = outsidePauses(await this.withoutExistingOccurrences(tx, candidates), pauses);
    mark('existing');
    if (fresh.length === 0) return done();

    // Blocks are read under the coaches' schedule locks, so a block being added either
    // committed before (and is seen) or waits until this run's sessions exist (and cancels them).
    // Members are not locked: a member's clash is the exclusion constraint's job (see insertSessions).
    const coachIds = [...new Set(fresh.map((c) => c.coachId))];
    const memberIds = [...new Set(fresh.map((c) => c.memberId))];
    const roomIds = [...new Set(fresh.map((c) => c.roomId))];
    const { from: windowStart, to: windowEnd } = sessionSpan(fresh);
    await lockSchedules(tx, coachIds);
    const blocks = await sql.coachBlocks(tx, coachIds, windowStart, windowEnd);
    const { open, blocked } = splitBlocked(fresh, blocks);
    for (const c of blocked) skip(c, 'BLOCKED');
    counts.skippedBlocked = blocked.length;
    mark('blocks');
    if (open.length === 0) return done();

    // Rooms are locked (in id order, like every other session write) before their sessions
    // are counted, so no booking can slip into a room between the count and the insert.
    const capacities = await lockRooms(tx, roomIds);
    const busy = await busyPlacements(tx, { roomIds, coachIds, memberIds }, windowStart, windowEnd);
    open.sort(byPlacementOrder);
    const { accepted, rejected, clashes } = placeSessions(open, busy, capacities);
    counts.skippedConflicts = rejected.length;
    rejected.forEach((c, i) => skip(c as Candidate, clashes[i]!));
    mark('conflicts');

    // 4. Insert set-based. ON CONFLICT DO NOTHING also absorbs exclusion clashes with a
    // session committed since the read above (another member's one-off booking elsewhere):
    // those count as conflicts too.
    const seriesWithNew = new Set<string>();
    for (const batch of chunks(accepted, BATCH)) {
      const inserted = await sql.insertSessions(tx, batch, now);
      counts.totalGenerated += inserted.length;
      counts.skippedConflicts += batch.length - inserted.length;
      if (inserted.length < batch.length) {
        const made = new Set(inserted.map((row) => occurrenceKey(row.recurringBookingId, row.start)));
        for (const c of batch) if (!made.has(occurrenceKey(c.recurringBookingId, c.start))) skip(c, 'CONFLICT');
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
  private async recordTakenAway(tx: Tx, skipped: SkippedOccurrence[], counted: Map<string, PlannedSeries>): Promise<string[]> {
    const lost = skipped.filter((o) => counted.has(o.recurringBookingId));
    if (lost.length === 0) return [];
    await sql.insertTakenAway(
      tx,
      lost.map((o) => ({ recurringBookingId: o.recurringBookingId, start: o.start, localDate: localDateOf(new Date(o.start), counted.get(o.recurringBookingId)!.timezone), reason: o.reason })),
    );
    return refreshCountLimitedEnds(tx, [...new Set(lost.map((o) => o.recurringBookingId))]);
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
    const { bySeries, firstStart: from, lastStart: to } = groupBySeries(candidates);
    const ids = [...bySeries.keys()];
    const incompleteIds = await sql.seriesWithOtherCounts(tx, ids, ids.map((id) => bySeries.get(id)!.length), from, to);
    if (incompleteIds.length === 0) return [];
    const existing = await sql.sessionOccurrences(tx, incompleteIds, from, to);
    return withoutExisting(incompleteIds, bySeries, new Set(existing.map((row) => occurrenceKey(row.rb, row.ms))));
  }
}
