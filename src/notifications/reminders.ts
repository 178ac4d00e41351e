import { DueWorker } from '../runtime/due-worker';
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../logger';
import type { Tx } from '../db/transaction';

/**
 * Session reminders: one row per (session, member, lead, start), due at start - lead,
 * written with the sessions (set-based) and handled by ReminderWorker. Members are
 * reminded (their own leads, else the studio's), as client-facing studio software does;
 * coaches see their day on the dashboard. A reminder that would be due before the
 * booking is made is not created (the confirmation does that job).
 */

/** Minutes before a session a member is reminded if they set no leads of their own and the studio none either. */
export const DEFAULT_LEAD_MINUTES = 1440;

/**
 * THE reminder-lead rule, as an SQL expression: a member's own leads (an empty list: no
 * reminders), else the studio's, else DEFAULT_LEAD_MINUTES. `preferences` is the alias of
 * the member's notification_preferences row (LEFT JOINed, so it may be NULL).
 */
export function memberLeadsSql(preferences: string): Prisma.Sql {
  return Prisma.sql`COALESCE(${Prisma.raw(`${preferences}.reminder_lead_minutes`)}, (SELECT reminder_lead_minutes FROM studio_settings WHERE id = 1), ARRAY[${DEFAULT_LEAD_MINUTES}]::int[])`;
}

/** Reminders for SCHEDULED sessions, per lead of their member; revives voided ones for the same start. One statement. */
export async function planReminders(tx: Tx, sessionIds: string[], now: Date): Promise<number> {
  if (sessionIds.length === 0) return 0;
  return tx.$executeRaw`
    INSERT INTO session_reminders (session_id, user_id, lead_minutes, session_start, due_at, created_at)
    SELECT s.id, s.member_id, l.lead, s.start_time, s.start_time - l.lead * interval '1 minute', ${now}
    FROM training_sessions s
    LEFT JOIN notification_preferences p ON p.user_id = s.member_id
    CROSS JOIN LATERAL unnest(${memberLeadsSql('p')}) AS l(lead)
    WHERE s.id = ANY(${sessionIds}::uuid[]) AND s.status = 'SCHEDULED' AND s.start_time - l.lead * interval '1 minute' > ${now}
    ON CONFLICT (session_id, user_id, lead_minutes, session_start)
      DO UPDATE SET status = 'PENDING', due_at = EXCLUDED.due_at, handled_at = NULL WHERE session_reminders.status = 'VOID'`;
}

/** Pending reminders of these sessions will not be sent (cancelled sessions). */
export async function voidReminders(tx: Tx, sessionIds: string[], now: Date): Promise<void> {
  if (sessionIds.length === 0) return;
  await tx.$executeRaw`
    UPDATE session_reminders SET status = 'VOID', handled_at = ${now}
    WHERE session_id = ANY(${sessionIds}::uuid[]) AND status = 'PENDING'`;
}

/** A moved session: the old start's pending reminders are voided, the new start's planned. */
export async function moveReminders(tx: Tx, sessionIds: string[], now: Date): Promise<void> {
  await voidReminders(tx, sessionIds, now);
  await planReminders(tx, sessionIds, now);
}

/** After a member changes their leads: their upcoming sessions' pending reminders follow the new leads. */
export async function replanMemberReminders(tx: Tx, userId: string, now: Date): Promise<void> {
  const sessions = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM training_sessions WHERE member_id = ${userId}::uuid AND status = 'SCHEDULED' AND start_time > ${now}`;
  await moveReminders(tx, sessions.map((s) => s.id), now);
}

/** Turns due reminders into notifications (a DueWorker over session_reminders); SKIP LOCKED keeps a reminder from being sent twice. */
export function reminderWorker(options: {
  prisma: PrismaClient;
  log: Logger;
  pollMs: number;
  now: () => Date;
  /** Creates the notifications of due reminders inside `tx`. */
  handle(tx: Tx, now: Date, limit: number): Promise<{ handled: number; created: string[] }>;
  /** Called after each committed batch with the notifications it created. */
  published(ids: string[]): void;
}): DueWorker<{ handled: number; created: string[] }> {
  return new DueWorker({
    name: 'reminders',
    ...options,
    committed: (result) => {
      if (result.created.length > 0) options.published(result.created);
    },
    nextDue: async (prisma) => {
      const [row] = await prisma.$queryRaw<{ ms: number | null }[]>`
        SELECT (extract(epoch FROM min(due_at)) * 1000)::float8 AS ms FROM session_reminders WHERE status = 'PENDING'`;
      return row?.ms ?? null;
    },
  });
}

/** Outbox preflight: emails tied to a session go out only while it is SCHEDULED at that start and has not begun. */
export async function staleSessionEmails(
  query: (sql: string, params: unknown[]) => Promise<{ rows: { id: string }[] }>,
  rows: { id: string; payload: unknown }[],
): Promise<Map<string, string>> {
  const guarded = rows.flatMap((row) => {
    const guard = (row.payload as { sessionGuard?: { sessionId: string; startTime: string } | null } | null)?.sessionGuard;
    return guard ? [{ id: row.id, ...guard }] : [];
  });
  if (guarded.length === 0) return new Map();
  const { rows: stale } = await query(
    `SELECT g.id::text FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS g(id, session_id, start_time)
     LEFT JOIN training_sessions s ON s.id = g.session_id
     WHERE s.id IS NULL OR s.status <> 'SCHEDULED' OR s.start_time <> g.start_time OR s.start_time <= now()`,
    [guarded.map((g) => g.id), guarded.map((g) => g.sessionId), guarded.map((g) => g.startTime)],
  );
  return new Map(stale.map((row) => [row.id, 'The session was cancelled, moved or has started']));
}
