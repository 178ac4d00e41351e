import type { Logger } from '../logger';
import type { ClassChange, EventPublisher, SessionChange } from '../runtime/event-publisher';
import type { EventTransport } from '../runtime/event-transport';
import { encodeBatch, type EventBatch } from './wire';

/**
 * The EventPublisher services call after their transactions commit. Changes published
 * in the same turn of the event loop, or while a send is under way, go out together:
 * one send of as few messages as fit the transport's size limit, outside any write
 * transaction. Delivery is at most once; a failed send is logged, not retried (clients
 * resynchronise through queries).
 */
export class TransportEventPublisher implements EventPublisher {
  private pending: Required<EventBatch> = { sessions: [], generationRuns: [], notifications: [], signedOut: [], classes: [], enrollments: [] };
  private draining: Promise<void> | undefined;

  constructor(
    private readonly transport: EventTransport,
    private readonly log: Logger,
  ) {}

  sessionsChanged(changes: SessionChange[]): void {
    for (const { kind, sessionId, previousStatus, at } of changes) this.pending.sessions.push({ kind, sessionId, previousStatus, at });
    this.schedule();
  }

  generationRunFinished(runId: string): void {
    this.pending.generationRuns.push(runId);
    this.schedule();
  }

  notificationsCreated(ids: string[]): void {
    if (ids.length === 0) return;
    for (const id of ids) this.pending.notifications.push(id);
    this.schedule();
  }

  classesChanged({ classIds, enrollmentIds }: ClassChange): void {
    if (classIds.length === 0 && enrollmentIds.length === 0) return;
    for (const id of classIds) this.pending.classes.push(id);
    for (const id of enrollmentIds) this.pending.enrollments.push(id);
    this.schedule();
  }

  signedOutEverywhere(userId: string): void {
    this.pending.signedOut.push(userId);
    this.schedule();
  }

  /** Resolves once everything published so far has been sent (or failed). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private schedule(): void {
    this.draining ??= this.drain();
  }

  private async drain(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (;;) {
      const batch = this.pending;
      if (Object.values(batch).every((list) => list.length === 0)) {
        this.draining = undefined; // synchronously with the emptiness check: a later publish starts a new drain
        return;
      }
      this.pending = { sessions: [], generationRuns: [], notifications: [], signedOut: [], classes: [], enrollments: [] };
      try {
        await this.transport.send(encodeBatch(batch, this.transport.maxMessageBytes));
      } catch (error) {
        this.log.error({ err: error, sessions: batch.sessions.length, runs: batch.generationRuns.length }, 'could not publish changes to other instances');
      }
    }
  }
}
