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
  /** Class notices: sent only while the enrollment still has this status, else SKIPPED. */
  enrollmentGuard?: { enrollmentId: string; status: string } | null;
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

/** A row enqueueMany wrote (a key already there is not returned). */
export interface Enqueued {
  id: string;
  dedupeKey: string;
}

/**
 * The one INSERT into outbox_messages (besides the webhook trigger of migration
 * 20261201000500_integrations, which cannot change; test/integration/outbox-wake.test.ts
 * keeps its channel equal to OUTBOX_WAKE_CHANNEL). Inside the caller's transaction, in one
 * statement whatever the number: delivered after commit, exactly once, retried per the
 * channel's schedule; an entry whose dedupeKey is already there (or earlier in the list)
 * is ignored. When anything was written, wakes the workers of every instance at commit
 * (NOTIFY is delivered only if the transaction commits). Resolves to the rows written.
 */
export async function enqueueMany(tx: Tx, entries: OutboxEntry[]): Promise<Enqueued[]> {
  if (entries.length === 0) return [];
  // woke is a SELECT CTE: PostgreSQL runs it only if the final SELECT reads its column (a
  // LEFT JOIN whose columns go unread is removed by the planner, and the NOTIFY with it).
  const rows = await tx.$queryRaw<(Enqueued & { woke: number })[]>`
    WITH e AS (
      SELECT * FROM unnest(
        ${entries.map((e) => e.channel)}::text[], ${entries.map((e) => JSON.stringify(e.payload))}::text[], ${entries.map((e) => e.dedupeKey)}::text[],
        ${entries.map((e) => e.notificationId ?? null)}::uuid[], ${entries.map((e) => e.dueAt?.toISOString() ?? null)}::timestamptz[]
      ) WITH ORDINALITY AS e(channel, payload, dedupe_key, notification_id, due_at, n)
    ), inserted AS (
      INSERT INTO outbox_messages (channel, payload, dedupe_key, notification_id, next_attempt_at)
      SELECT channel::"OutboxChannel", payload::jsonb, dedupe_key, notification_id, COALESCE(due_at, now()) FROM e ORDER BY n
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING id, dedupe_key
    ), woke AS (
      SELECT pg_notify(${OUTBOX_WAKE_CHANNEL}, '') FROM (SELECT 1 FROM inserted LIMIT 1) one
    )
    SELECT i.id::text AS id, i.dedupe_key AS "dedupeKey", w.woke FROM inserted i CROSS JOIN (SELECT count(*)::int AS woke FROM woke) w`;
  return rows.map(({ id, dedupeKey }) => ({ id, dedupeKey }));
}

/** One entry (see enqueueMany). Resolves true when the row was written, false when the key was already there. */
export async function enqueue(tx: Tx, entry: OutboxEntry): Promise<boolean> {
  return (await enqueueMany(tx, [entry])).length > 0;
}

/** Inside the caller's transaction: delivered after commit, exactly once, retried; dedupeKey unique. */
export async function enqueueEmail(
  tx: Tx,
  email: EmailMessage & { dedupeKey: string; notificationId?: string | null; dueAt?: Date; sessionGuard?: EmailPayload['sessionGuard'] },
): Promise<void> {
  const { dedupeKey, notificationId, dueAt, ...payload } = email;
  await enqueue(tx, { channel: 'EMAIL', payload: payload satisfies EmailPayload, dedupeKey, notificationId, dueAt });
}

/** Wakes the workers at commit after making rows due earlier (call inside that transaction); enqueueMany wakes them itself. */
export async function wakeOutboxAtCommit(tx: Tx): Promise<void> {
  await tx.$queryRaw`SELECT pg_notify(${OUTBOX_WAKE_CHANNEL}, '')::text`;
}
