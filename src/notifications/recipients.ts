import type { Tx } from '../db/transaction';
import type { Role } from '../domain/lifecycle';
import type { SessionFacts } from './templates/messages';

/** A person a notification is for, with what decides its email. */
export interface Recipient {
  id: string;
  name: string;
  email: string | null;
  role: Role;
  /** Their own zone, else the studio's. */
  timezone: string;
  emailConfirmations: boolean;
  emailReminders: boolean;
  emailCancellations: boolean;
  emailBilling: boolean;
}

/** The people by id, with their preferences (defaults for those who never chose), in one query. */
export async function loadRecipients(tx: Tx, ids: string[], studioTimezone: string): Promise<Map<string, Recipient>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx.$queryRaw<(Omit<Recipient, 'timezone'> & { timezone: string | null })[]>`
    SELECT u.id::text, u.name, NULLIF(btrim(u.email), '') AS email, u.role::text AS role, u.timezone,
           COALESCE(p.email_confirmations, true) AS "emailConfirmations", COALESCE(p.email_reminders, true) AS "emailReminders",
           COALESCE(p.email_cancellations, true) AS "emailCancellations", COALESCE(p.email_billing, true) AS "emailBilling"
    FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id
    WHERE u.id = ANY(${unique}::uuid[])`;
  return new Map(rows.map((r) => [r.id, { ...r, timezone: r.timezone ?? studioTimezone }]));
}

/** Owners: who hears about failed generation runs. */
export async function ownerIds(tx: Tx): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM users WHERE role = 'OWNER' ORDER BY id`;
  return rows.map((r) => r.id);
}

export interface SessionRow extends SessionFacts {
  coachId: string;
  memberId: string;
  recurringBookingId: string | null;
  status: string;
  cancellationReason: string | null;
}

/** Sessions with the names their notifications mention, ordered by start. */
export async function loadSessions(tx: Tx, ids: string[]): Promise<SessionRow[]> {
  if (ids.length === 0) return [];
  return tx.$queryRaw<SessionRow[]>`
    SELECT s.id::text, s.start_time AS "startTime", s.end_time AS "endTime", s.coach_id::text AS "coachId", s.member_id::text AS "memberId",
           s.recurring_booking_id::text AS "recurringBookingId", s.status::text AS status, s.cancellation_reason AS "cancellationReason",
           c.name AS "coachName", m.name AS "memberName", r.name AS "roomName"
    FROM training_sessions s JOIN users c ON c.id = s.coach_id JOIN users m ON m.id = s.member_id JOIN rooms r ON r.id = s.room_id
    WHERE s.id = ANY(${ids}::uuid[])
    ORDER BY s.start_time, s.id`;
}

/**
 * Who hears about a change to a session or series: the other party when one of them
 * acted, both when staff (an owner) or the scheduler acted.
 */
export function otherParties(actorId: string | null, parties: { coachId: string; memberId: string }): string[] {
  if (actorId === parties.memberId) return [parties.coachId];
  if (actorId === parties.coachId) return [parties.memberId];
  return [parties.memberId, parties.coachId];
}
