import type pg from 'pg';
import { CoalescedPasses } from '../runtime/coalesced-passes';
import type { Logger } from '../logger';
import type { EventTransport } from '../runtime/event-transport';
import type { OutboxChannel } from '../generated/prisma/client';
import type { ChannelRegistry, DeliveryOutcome, OutboxRow } from './channel';

/** A claimed row: what a channel needs to deliver it. */
export interface ClaimedMessage extends OutboxRow {
  payload: unknown;
  /** How long after its due time the row was claimed (queueing delay), ms. */
  lateMs: number;
}

export type FinalStatus = 'SENT' | 'RETRY' | 'FAILED' | 'SKIPPED';

export interface OutboxWorkerOptions {
  pool: pg.Pool;
  channels: ChannelRegistry;
  log: Logger;
  /** Look for due rows this often even when nobody wakes the worker (retries, other instances' missed NOTIFYs). */
  pollMs: number;
  /** NOTIFY listener on OUTBOX_WAKE_CHANNEL: enqueueing transactions wake every instance at commit. */
  wake?: EventTransport;
  /** Deliveries in flight at once on this instance. */
  concurrency?: number;
  /** How long a claimed row stays with this instance; a process that dies frees its rows when it runs out. */
  leaseMs?: number;
  /** Right before delivery: rows to skip instead (e.g. a reminder whose session was cancelled), with the reason. */
  preflight?: (rows: ClaimedMessage[]) => Promise<Map<string, string>>;
  /** Every recorded attempt, with how late after its due time it was claimed (metrics). */
  onOutcome?: (channel: OutboxChannel, status: FinalStatus, lateMs: number) => void;
}

interface Recorded {
  id: string;
  attempt: number;
  status: FinalStatus;
  delayMs: number;
  error: string | null;
}

const DEFAULT_LEASE_MS = 120_000;

/**
 * Delivers the outbox on every instance. A pass claims due rows in one short statement
 * (`FOR UPDATE SKIP LOCKED`, so two instances never take the same row, and a lease in
 * `locked_until`, so nobody else takes it after the claim commits), delivers them with no
 * database connection held, and records the outcomes in batches, fenced by the attempt
 * number (a delivery whose lease ran out and was taken over records nothing). Woken by
 * NOTIFY when an enqueueing transaction commits, by kick() in-process, and by a poll.
 */
export class OutboxWorker {
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly passes = new CoalescedPasses(
    () => this.pass(),
    (error) => this.options.log.warn({ err: error }, 'outbox: pass failed; the next poll retries'),
  );
  private poll: NodeJS.Timeout | undefined;
  /** The earliest retry this instance scheduled before the next poll. */
  private retryTimer: { at: number; timer: NodeJS.Timeout } | undefined;
  private pending: Recorded[] = [];
  private flushing: Promise<void> | undefined;
  private waiters: { resolve: () => void }[] = [];

  constructor(private readonly options: OutboxWorkerOptions) {
    this.concurrency = options.concurrency ?? 20;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  async start(): Promise<void> {
    await this.options.wake?.start({ onMessage: () => this.kick(), onReconnect: () => this.kick() });
    this.poll = setInterval(() => this.kick(), this.options.pollMs);
    this.poll.unref();
    this.kick(); // rows left by a previous run of this or another instance
  }

  /** Look for due rows now (coalesced with a pass under way). */
  kick(): void {
    this.passes.kick();
  }

  /** Resolves when no pass is running (tests, shutdown). */
  idle(): Promise<void> {
    return this.passes.idle();
  }

  /** Stops claiming; waits up to `graceMs` for deliveries under way to be recorded. */
  async stop(graceMs = 10_000): Promise<void> {
    const running = this.passes.stop();
    clearInterval(this.poll);
    clearTimeout(this.retryTimer?.timer);
    await this.options.wake?.stop();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([running, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const handler of Object.values(this.options.channels)) await handler.close?.();
  }

  private async pass(): Promise<void> {
    await this.drain();
    if (!this.passes.kickedAgain && !this.passes.stopping) await this.wakeForNextDue().catch(() => undefined);
  }

  private async drain(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    const refill = Math.max(1, Math.ceil(this.concurrency / 4));
    try {
      while (!this.passes.stopping) {
        const room = this.concurrency - inFlight.size;
        if (room < refill) {
          await Promise.race(inFlight);
          continue;
        }
        let rows: ClaimedMessage[];
        try {
          rows = await this.claim(room);
        } catch (error) {
          this.options.log.warn({ err: error }, 'outbox: could not claim due messages; the next poll retries');
          break;
        }
        if (rows.length === 0) break;
        let skips = new Map<string, string>();
        if (this.options.preflight) {
          try {
            skips = await this.options.preflight(rows);
          } catch (error) {
            // Leave them to their lease: nothing is sent unchecked.
            this.options.log.warn({ err: error }, 'outbox: preflight check failed; messages wait for their lease to end');
            break;
          }
        }
        for (const row of rows) {
          const delivery: Promise<void> = this.deliverOne(row, skips.get(row.id)).finally(() => inFlight.delete(delivery));
          inFlight.add(delivery);
        }
      }
    } finally {
      await Promise.all(inFlight);
    }
  }

  private async claim(limit: number): Promise<ClaimedMessage[]> {
    const { rows } = await this.options.pool.query<{
      id: string;
      channel: OutboxChannel;
      payload: unknown;
      attempts: number;
      dedupe_key: string;
      notification_id: string | null;
      created_at: Date;
      late_ms: number;
    }>(
      `UPDATE outbox_messages m
          SET attempts = m.attempts + 1, locked_until = now() + $2 * interval '1 millisecond'
         FROM (SELECT id FROM outbox_messages
                WHERE status = 'PENDING' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until <= now())
                ORDER BY next_attempt_at
                LIMIT $1
                FOR UPDATE SKIP LOCKED) due
        WHERE m.id = due.id
        RETURNING m.id::text, m.channel::text AS channel, m.payload, m.attempts, m.dedupe_key, m.notification_id::text, m.created_at,
                  (extract(epoch FROM now() - m.next_attempt_at) * 1000)::float8 AS late_ms`,
      [limit, this.leaseMs],
    );
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      payload: r.payload,
      attempt: r.attempts,
      dedupeKey: r.dedupe_key,
      notificationId: r.notification_id,
      createdAt: r.created_at,
      lateMs: Math.max(0, r.late_ms),
    }));
  }

  private async deliverOne(row: ClaimedMessage, skipReason: string | undefined): Promise<void> {
    const handler = this.options.channels[row.channel];
    let outcome: DeliveryOutcome;
    if (skipReason !== undefined) {
      outcome = { status: 'SKIPPED', reason: skipReason };
    } else if (!handler) {
      outcome = { status: 'FAILED', error: `No handler for channel ${row.channel}` };
    } else {
      outcome = await this.attempt(row, handler.deliver.bind(handler));
    }
    const delays = handler?.retryDelaysMs ?? [];
    let recorded: Recorded;
    switch (outcome.status) {
      case 'SENT':
        recorded = { id: row.id, attempt: row.attempt, status: 'SENT', delayMs: 0, error: null };
        break;
      case 'SKIPPED':
        recorded = { id: row.id, attempt: row.attempt, status: 'SKIPPED', delayMs: 0, error: outcome.reason };
        break;
      case 'FAILED':
        recorded = { id: row.id, attempt: row.attempt, status: 'FAILED', delayMs: 0, error: outcome.error };
        break;
      case 'RETRY':
        recorded =
          row.attempt > delays.length
            ? { id: row.id, attempt: row.attempt, status: 'FAILED', delayMs: 0, error: outcome.error }
            : { id: row.id, attempt: row.attempt, status: 'RETRY', delayMs: outcome.retryAfterMs ?? delays[row.attempt - 1], error: outcome.error };
        break;
    }
    const log = this.options.log;
    if (recorded.status === 'FAILED') log.warn({ outboxId: row.id, channel: row.channel, attempt: row.attempt, error: recorded.error }, 'outbox: delivery failed for good');
    else if (recorded.status === 'RETRY') log.info({ outboxId: row.id, channel: row.channel, attempt: row.attempt, retryInMs: recorded.delayMs, error: recorded.error }, 'outbox: delivery will be retried');
    else log.debug({ outboxId: row.id, channel: row.channel, status: recorded.status }, 'outbox: delivered');
    this.options.onOutcome?.(row.channel, recorded.status, row.lateMs);
    await this.record(recorded);
  }

  /** After a pass: a row coming due before the next poll (a retry, a later dueAt) wakes this instance itself. */
  private async wakeForNextDue(): Promise<void> {
    const { rows } = await this.options.pool.query<{ ms: number | null }>(
      `SELECT (extract(epoch FROM min(next_attempt_at) - now()) * 1000)::float8 AS ms
         FROM outbox_messages WHERE status = 'PENDING' AND next_attempt_at > now()`,
    );
    const ms = rows[0]?.ms;
    if (ms !== null && ms !== undefined) this.wakeIn(Math.max(0, ms));
  }

  private wakeIn(delayMs: number): void {
    if (this.passes.stopping || delayMs >= this.options.pollMs) return;
    const at = Date.now() + delayMs;
    if (this.retryTimer && this.retryTimer.at <= at) return;
    clearTimeout(this.retryTimer?.timer);
    const timer = setTimeout(() => {
      this.retryTimer = undefined;
      this.kick();
    }, delayMs + 5);
    timer.unref();
    this.retryTimer = { at, timer };
  }

  /** One attempt, bounded by half the lease: a delivery that hangs past it counts as a temporary failure. */
  private async attempt(row: ClaimedMessage, deliver: (payload: unknown, row: OutboxRow) => Promise<DeliveryOutcome>): Promise<DeliveryOutcome> {
    const { payload, lateMs: _lateMs, ...info } = row;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<DeliveryOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ status: 'RETRY', error: `delivery took longer than ${this.leaseMs / 2} ms` }), this.leaseMs / 2);
    });
    try {
      return await Promise.race([deliver(payload, info), timeout]);
    } catch (error) {
      return { status: 'RETRY', error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Outcomes finishing together are written in one statement; resolves once this one is written (or failed to be). */
  private record(outcome: Recorded): Promise<void> {
    return new Promise<void>((resolve) => {
      this.pending.push(outcome);
      this.waiters.push({ resolve });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending;
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      try {
        await this.write(batch);
      } catch (error) {
        // Unrecorded rows keep their lease and are delivered again after it: at least once, never lost.
        this.options.log.error({ err: error, count: batch.length }, 'outbox: could not record delivery outcomes');
      }
      for (const waiter of waiters) waiter.resolve();
    }
    this.flushing = undefined;
  }

  private async write(batch: Recorded[]): Promise<void> {
    await this.options.pool.query(
      `WITH o AS (
         SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::bigint[], $5::text[]) AS o(id, attempt, status, delay_ms, err)
       ), done AS (
         UPDATE outbox_messages m SET
           status = (CASE WHEN o.status = 'RETRY' THEN 'PENDING' ELSE o.status END)::"DeliveryStatus",
           next_attempt_at = CASE WHEN o.status = 'RETRY' THEN now() + o.delay_ms * interval '1 millisecond' ELSE m.next_attempt_at END,
           locked_until = NULL,
           last_error = o.err,
           sent_at = CASE WHEN o.status = 'SENT' THEN now() END
         FROM o
         WHERE m.id = o.id AND m.attempts = o.attempt AND m.status = 'PENDING'
         RETURNING m.notification_id, m.status
       )
       UPDATE notifications n SET email_status = done.status
         FROM done WHERE n.id = done.notification_id AND done.status <> 'PENDING'`,
      [batch.map((r) => r.id), batch.map((r) => r.attempt), batch.map((r) => r.status), batch.map((r) => r.delayMs), batch.map((r) => r.error)],
    );
  }
}
