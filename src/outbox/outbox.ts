import type { Tx } from '../db/transaction';
import type { OutboxChannel } from '../generated/prisma/client';

/**
 * The transactional outbox. A message is a row written in the transaction of the change
 * that causes it: it exists if and only if the change committed. A worker on every
 * instance (worker.ts) delivers it after commit, once, with retries per channel.
 */

export type { OutboxChannel };

/** NOTIFY channel that wakes every instance's worker when a transaction that enqueued commits. */
export const OUTBOX_WAKE_CHANNEL = 'outbox_wake';

export interface EmailAttachment {
  filename: string;
  content: string;
  contentType: string;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: EmailAttachment[];
}

/**
 * An email payload may name the session it is about: the worker then sends it only while
 * that session is still SCHEDULED at that start and has not begun (reminders), else SKIPPED.
 */
export interface EmailPayload extends EmailMessage {
  sessionGuard?: { sessionId: string; startTime: string } | null;
}

export interface OutboxEntry {
  channel: OutboxChannel;
  /** JSON the channel's deliver() receives. */
  payload: unknown;
  /** Unique over the whole outbox: enqueueing the same key twice keeps the first. */
  dedupeKey: string;
  /** The in-app notification this is the copy of (its emailStatus follows the delivery). */
  notificationId?: string | null;
  /** Not before this instant (default: at once). */
  dueAt?: Date;
}

/**
 * Inside the caller's transaction: delivered after commit, exactly once, retried per the
 * channel's schedule; a second entry with the same dedupeKey is ignored. Wakes the
 * workers of every instance at commit (NOTIFY is delivered only if the transaction commits).
 * Resolves true when the row was written, false when the key was already there.
 */
export async function enqueue(tx: Tx, entry: OutboxEntry): Promise<boolean> {
  const rows = await tx.$queryRaw<{ woke: unknown }[]>`
    WITH inserted AS (
      INSERT INTO outbox_messages (channel, payload, dedupe_key, notification_id, next_attempt_at)
      VALUES (${entry.channel}::"OutboxChannel", ${JSON.stringify(entry.payload)}::jsonb, ${entry.dedupeKey},
              ${entry.notificationId ?? null}::uuid, COALESCE(${entry.dueAt ?? null}::timestamptz, now()))
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING 1
    )
    SELECT pg_notify(${OUTBOX_WAKE_CHANNEL}, '')::text AS woke FROM inserted`;
  return rows.length > 0;
}

/** Inside the caller's transaction: delivered after commit, exactly once, retried; dedupeKey unique. */
export async function enqueueEmail(
  tx: Tx,
  email: EmailMessage & { dedupeKey: string; notificationId?: string | null; dueAt?: Date; sessionGuard?: EmailPayload['sessionGuard'] },
): Promise<void> {
  const { dedupeKey, notificationId, dueAt, ...payload } = email;
  await enqueue(tx, { channel: 'EMAIL', payload: payload satisfies EmailPayload, dedupeKey, notificationId, dueAt });
}

/** Wakes the workers after a set-based insert into outbox_messages written by hand (call inside that transaction). */
export async function wakeOutboxAtCommit(tx: Tx): Promise<void> {
  await tx.$queryRaw`SELECT pg_notify(${OUTBOX_WAKE_CHANNEL}, '')::text`;
}
