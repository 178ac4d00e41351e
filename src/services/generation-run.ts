import { performance } from 'node:perf_hooks';
import { inTransaction, type Tx } from '../db/transaction';
import { badInput } from '../errors';
import type { GenerationRun, GenerationTrigger } from '../generated/prisma/client';
import type { SkippedOccurrence } from '../notifications/drafts';
import { Notifier } from '../notifications/notifier';
import type { ServiceDeps } from './context';
import type { SessionChange } from '../runtime/event-publisher';
import { lockGeneration } from './generation-lock';
import { announceClasses } from './class-events';
import { MAX_RUNS_LISTED } from '../domain/limits';

/**
 * The bookkeeping of a generation run, whatever it generates: the GenerationRun row
 * (RUNNING before, SUCCEEDED or FAILED after), the advisory lock, the sweep of runs a dead
 * process left RUNNING, metrics, owners' notice of a failure, and publishing after commit.
 * What a run does is the `work` it is given; a second kind of plan adds its work to the
 * same run with addWork.
 */

export interface GenerationCounts {
  totalGenerated: number;
  /** How many series got at least one new session in this run. */
  fromRecurringBookings: number;
  markedCompleted: number;
  skippedBlocked: number;
  skippedConflicts: number;
  seriesEnded: number;
  /** The class half (class-generation.ts): classes created, completed and skipped, schedules ended, standing places. */
  classesGenerated: number;
  classesCompleted: number;
  classesSkippedBlocked: number;
  classesSkippedConflicts: number;
  classSchedulesEnded: number;
  standingBooked: number;
  standingWaitlisted: number;
  /** Standing reservations not enrolled: the member was busy then, or the class and its waitlist were full. */
  standingSkipped: number;
}

export interface GenerationResult extends GenerationCounts {
  runId: string;
  durationMs: number;
}

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
  /** Classes and enrollments the run created or changed, announced after commit. */
  classIds: string[];
  enrollmentIds: string[];
}

/** What a run announces after commit besides its session changes. */
type Published = Pick<GenerationWork, 'classIds' | 'enrollmentIds'>;

/** The work of a run inside `tx`, which holds the generation lock; `now` is read after the lock. */
export type RunWork = (tx: Tx, now: Date) => Promise<GenerationWork>;

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

const RUN_TIMEOUT_MS = 10 * 60_000;
/** A RUNNING run older than any run can last (its transaction's timeout, and a margin) belongs to a process that died. */
const ABANDONED_AFTER_MS = RUN_TIMEOUT_MS + 60_000;
export const ABANDONED_RUN_ERROR = 'Interrupted: the process running it stopped before it finished; its work was rolled back';
const MAX_ERROR_LENGTH = 2_000;

export function emptyCounts(): GenerationCounts {
  return {
    totalGenerated: 0, fromRecurringBookings: 0, markedCompleted: 0, skippedBlocked: 0, skippedConflicts: 0, seriesEnded: 0,
    classesGenerated: 0, classesCompleted: 0, classesSkippedBlocked: 0, classesSkippedConflicts: 0, classSchedulesEnded: 0,
    standingBooked: 0, standingWaitlisted: 0, standingSkipped: 0,
  };
}

/** Adds `more` into `work` (counts summed, lists appended; phases are `work`'s). */
export function addWork(work: GenerationWork, more: GenerationWork): void {
  for (const key of Object.keys(work.counts) as (keyof GenerationCounts)[]) work.counts[key] += more.counts[key];
  work.changes.push(...more.changes);
  work.skipped.push(...more.skipped);
  work.notifications.push(...more.notifications);
  work.classIds.push(...more.classIds);
  work.enrollmentIds.push(...more.enrollmentIds);
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}

export class GenerationRuns {
  constructor(private readonly deps: ServiceDeps) {}

  private get prisma() {
    return this.deps.db.prisma;
  }

  /** A whole run in its own transaction (cron job, mutation, HTTP endpoint). */
  async run(trigger: Exclude<GenerationTrigger, 'BOOKING'>, doWork: RunWork): Promise<GenerationResult> {
    const run = await this.prisma.generationRun.create({ data: { trigger, status: 'RUNNING', startedAt: this.deps.now() } });
    const started = performance.now();
    let work: GenerationWork & { durationMs: number };
    try {
      work = await inTransaction(this.prisma, async (tx) => {
        await lockGeneration(tx);
        // "now" is taken after the lock: a run that waited works on the present, not on when it was asked.
        const now = this.deps.now();
        await this.sweepAbandoned(tx, run.id, now);
        const result = await doWork(tx, now);
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
    this.publish(run.id, work, work.notifications);
    this.deps.log.info({ runId: run.id, trigger, ...work.counts, durationMs: work.durationMs, phases: work.phases }, 'generation run finished');
    return { runId: run.id, ...work.counts, durationMs: work.durationMs };
  }

  /** RUNNING runs a dead process left behind become FAILED. */
  private async sweepAbandoned(tx: Tx, runId: string, now: Date): Promise<void> {
    await tx.generationRun.updateMany({
      // Not this run: its own row is as old as its wait for the lock, which may be long.
      where: { status: 'RUNNING', id: { not: runId }, startedAt: { lt: new Date(now.getTime() - ABANDONED_AFTER_MS) } },
      data: { status: 'FAILED', finishedAt: now, error: ABANDONED_RUN_ERROR },
    });
  }

  /**
   * A BOOKING run inside the transaction that creates a series, recorded in the same
   * transaction. The caller publishes `changes` and the run after commit.
   */
  async inBooking(tx: Tx, doWork: RunWork): Promise<GenerationWork & { runId: string }> {
    const started = performance.now();
    const startedAt = this.deps.now();
    await lockGeneration(tx);
    const work = await doWork(tx, this.deps.now());
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
  bookingRunCommitted(runId: string, work: Pick<GenerationWork, 'counts' | 'changes'> & Partial<Published>, notifications: string[]): void {
    this.countRun('BOOKING', 'SUCCEEDED', work.counts.totalGenerated, null);
    this.publish(runId, work, notifications);
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
  publish(runId: string, work: Pick<GenerationWork, 'changes'> & Partial<Published>, notifications: string[] = []): void {
    if (work.changes.length > 0) this.deps.events.sessionsChanged(work.changes);
    if (work.classIds?.length || work.enrollmentIds?.length) {
      // A run's new classes are at the end of no line: nobody's waitlist position moved.
      void announceClasses(this.deps, work.classIds ?? [], work.enrollmentIds ?? [], { lineMoved: false });
    }
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
}
