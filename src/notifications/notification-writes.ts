import type { Config } from '../config';
import type { Tx } from '../db/transaction';
import type { Logger } from '../logger';
import { enqueueMany, type EmailPayload } from '../outbox/outbox';
import { prepare, type Draft } from './drafts';

/**
 * Writing notifications: the rows and the outbox rows of their emails, inside the
 * transaction of the change that causes them, set-based whatever their number.
 */

/** Notifications (with their rendered emails) per statement: bounded parameters, few round trips. */
const WRITE_BATCH = 1_000;

/** Notifications whose recipient had no email address (their email is SKIPPED). */
export const unaddressed = { count: 0 };

/**
 * The notifications, then the outbox rows of their emails (one statement each per batch);
 * a key seen before writes nothing. Returns the ids of the notifications created.
 */
export async function writeNotifications(tx: Tx, drafts: Draft[], now: Date, deps: { config: Config; log: Logger }): Promise<string[]> {
  const created: string[] = [];
  for (let i = 0; i < drafts.length; i += WRITE_BATCH) created.push(...(await writeBatch(tx, drafts.slice(i, i + WRITE_BATCH), now, deps)));
  return created;
}

async function writeBatch(tx: Tx, drafts: Draft[], now: Date, deps: { config: Config; log: Logger }): Promise<string[]> {
  if (drafts.length === 0) return [];
  const frame = { studioName: deps.config.studioName, preferencesUrl: `${deps.config.publicUrl}/settings/notifications` };
  const rows = drafts.map((d) => {
    const prepared = prepare(d, frame);
    if (prepared.missingAddress) {
      unaddressed.count += 1;
      deps.log.warn({ userId: d.recipient.id, kind: d.kind }, 'notification recipient has no email address; email SKIPPED');
    }
    return { d, rendered: prepared.rendered, email: prepared.email };
  });
  const created = await tx.$queryRaw<{ id: string; key: string }[]>`
    INSERT INTO notifications (user_id, kind, title, body, session_id, recurring_booking_id, dedupe_key, email_status, created_at)
    SELECT user_id, kind::"NotificationKind", title, body, session_id, series_id, key,
           (CASE WHEN emailed THEN 'PENDING' ELSE 'SKIPPED' END)::"DeliveryStatus", ${now}
    FROM unnest(
      ${rows.map((r) => r.d.recipient.id)}::uuid[], ${rows.map((r) => r.d.kind)}::text[], ${rows.map((r) => r.rendered.title)}::text[],
      ${rows.map((r) => r.rendered.body)}::text[], ${rows.map((r) => r.d.sessionId ?? null)}::uuid[], ${rows.map((r) => r.d.seriesId ?? null)}::uuid[],
      ${rows.map((r) => r.d.key)}::text[], ${rows.map((r) => r.email !== null)}::boolean[]
    ) AS d(user_id, kind, title, body, session_id, series_id, key, emailed)
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id::text AS id, dedupe_key AS key`;
  // The email of each notification just written (a key seen before wrote neither).
  const emails = new Map<string, EmailPayload>();
  for (const r of rows) if (r.email && !emails.has(r.d.key)) emails.set(r.d.key, r.email);
  await enqueueMany(
    tx,
    created.flatMap((n) => {
      const email = emails.get(n.key);
      return email ? [{ channel: 'EMAIL' as const, payload: email, dedupeKey: `notification:${n.key}`, notificationId: n.id }] : [];
    }),
  );
  return created.map((r) => r.id);
}
