import type { TestDatabase } from './database';

/** Arranging and reading notifications and the outbox in e2e specs. */

export interface NotificationRow {
  id: string;
  user_id: string;
  kind: string;
  title: string;
  body: string;
  session_id: string | null;
  recurring_booking_id: string | null;
  email_status: string;
}

export async function notificationsOf(db: TestDatabase, userId: string, kind?: string): Promise<NotificationRow[]> {
  return db.query<NotificationRow>(
    `SELECT id::text, user_id::text, kind::text, title, body, session_id::text, recurring_booking_id::text, email_status::text
     FROM notifications WHERE user_id = $1 AND ($2::text IS NULL OR kind::text = $2) ORDER BY created_at, id`,
    [userId, kind ?? null],
  );
}

export async function until(condition: () => Promise<boolean>, timeoutMs = 15_000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Every email enqueued so far has been handed to SMTP, skipped or failed: nothing more will arrive for them. */
export async function outboxSettled(db: TestDatabase, timeoutMs = 15_000): Promise<void> {
  await until(
    async () => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM outbox_messages WHERE status = 'PENDING'`))[0].n) === 0,
    timeoutMs,
    'the outbox to settle',
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
