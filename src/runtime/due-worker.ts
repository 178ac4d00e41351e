import type { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../logger';
import { inTransaction, type Tx } from '../db/transaction';
import { CoalescedPasses } from './coalesced-passes';

export interface DueWorkerOptions<R extends { handled: number }> {
  /** Names the worker in logs. */
  name: string;
  prisma: PrismaClient;
  log: Logger;
  pollMs: number;
  now: () => Date;
  /** Handles up to `limit` due items inside `tx` (claimed with SKIP LOCKED, so instances share the work). */
  handle(tx: Tx, now: Date, limit: number): Promise<R>;
  /** Called after each committed batch. */
  committed(result: R): void;
  /** The epoch ms of the next item due, or null: the worker wakes for it before the next poll. */
  nextDue(prisma: PrismaClient): Promise<number | null>;
  batchSize?: number;
}

/**
 * Work that falls due at a time (reminders, waitlist offers and class starts), on every
 * instance: a batch per short transaction, polled, and woken for the next due time before
 * the next poll. Items whose time passed while no instance ran are handled at start.
 */
export class DueWorker<R extends { handled: number }> {
  private timer: NodeJS.Timeout | undefined;
  private nextTimer: NodeJS.Timeout | undefined;
  private readonly passes = new CoalescedPasses(
    () => this.pass(),
    (error) => this.options.log.warn({ err: error }, `${this.options.name}: pass failed; the next poll retries`),
  );

  constructor(private readonly options: DueWorkerOptions<R>) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.options.pollMs);
    this.timer.unref();
    this.kick();
  }

  kick(): void {
    this.passes.kick();
  }

  idle(): Promise<void> {
    return this.passes.idle();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.nextTimer);
    await this.passes.stop();
  }

  private async pass(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    for (;;) {
      if (this.passes.stopping) return;
      const result = await inTransaction(this.options.prisma, (tx) => this.options.handle(tx, this.options.now(), batchSize));
      this.options.committed(result);
      if (result.handled < batchSize) break;
    }
    await this.scheduleNext();
  }

  private async scheduleNext(): Promise<void> {
    const at = await this.options.nextDue(this.options.prisma);
    if (at == null) return;
    const delay = Math.max(0, at - this.options.now().getTime());
    if (delay >= this.options.pollMs) return;
    clearTimeout(this.nextTimer);
    this.nextTimer = setTimeout(() => this.kick(), delay + 5);
    this.nextTimer.unref();
  }
}
