import type { PrismaClient } from '../generated/prisma/client';
import { TOPICS, type LocalPubSub, type SessionChangePayload } from '../graphql/pubsub';
import type { Logger } from '../logger';
import type { SignOuts } from './sign-outs';
import { decodeBatch } from './wire';

/**
 * The receiving side on every instance: turns each message (ids and kinds) into events
 * for the local subscribers. The sessions of a message are loaded together, once for
 * all subscribers of this instance, and not at all when nobody here subscribes; what
 * each subscriber may see is decided per subscriber by the subscription's filter.
 * Messages are handled one after another, so events keep their order.
 */
/** Sign-in secrets are never loaded beside a session. */
const SECRETS = { passwordHash: true, tokensValidAfter: true } as const;

export class EventRelay {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubSub: LocalPubSub,
    private readonly log: Logger,
    private readonly signOuts?: SignOuts,
  ) {}

  receive(message: string): void {
    this.queue = this.queue
      .then(() => this.handle(message))
      .catch((error: unknown) => this.log.error({ err: error }, 'could not load received events; subscribers here miss them'));
  }

  /** Resolves when every message received so far has been handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  private async handle(message: string): Promise<void> {
    const batch = decodeBatch(message);
    if (!batch) {
      this.log.warn({ message: message.slice(0, 200) }, 'ignored an event message in an unknown format');
      return;
    }
    if (batch.signedOut?.length) this.signOuts?.emit(batch.signedOut);
    if (batch.sessions.length > 0 && this.pubSub.hasSubscribers(TOPICS.sessionChanged)) {
      const ids = [...new Set(batch.sessions.map((change) => change.sessionId))];
      const rows = await this.prisma.trainingSession.findMany({ where: { id: { in: ids } }, include: { coach: { omit: SECRETS }, member: { omit: SECRETS }, room: true, recurringBooking: true } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      const events: SessionChangePayload[] = [];
      for (const change of batch.sessions) {
        const session = byId.get(change.sessionId);
        if (session) events.push({ kind: change.kind, session, previousStatus: change.previousStatus, at: change.at });
      }
      this.pubSub.publishBatch(TOPICS.sessionChanged, events);
    }
    if (batch.generationRuns.length > 0 && this.pubSub.hasSubscribers(TOPICS.generationRunFinished)) {
      const runs = await this.prisma.generationRun.findMany({ where: { id: { in: batch.generationRuns } } });
      const byId = new Map(runs.map((run) => [run.id, run]));
      this.pubSub.publishBatch(
        TOPICS.generationRunFinished,
        batch.generationRuns.flatMap((id) => byId.get(id) ?? []),
      );
    }
    if (batch.notifications?.length && this.pubSub.hasSubscribers(TOPICS.notificationReceived)) {
      // Each subscriber's filter passes only its own (userId): see the notificationReceived subscription.
      const rows = await this.prisma.notification.findMany({ where: { id: { in: batch.notifications } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      this.pubSub.publishBatch(TOPICS.notificationReceived, rows);
    }
    if (batch.classes?.length && this.pubSub.hasSubscribers(TOPICS.classSessionChanged)) {
      const rows = await this.prisma.classSession.findMany({ where: { id: { in: batch.classes } }, orderBy: [{ startTime: 'asc' }, { id: 'asc' }] });
      this.pubSub.publishBatch(TOPICS.classSessionChanged, rows);
    }
    if (batch.enrollments?.length && this.pubSub.hasSubscribers(TOPICS.enrollmentChanged)) {
      // Each subscriber's filter passes only its own (memberId).
      const rows = await this.prisma.enrollment.findMany({ where: { id: { in: batch.enrollments } }, orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }] });
      this.pubSub.publishBatch(TOPICS.enrollmentChanged, rows);
    }
  }
}
