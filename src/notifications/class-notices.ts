import type { Tx } from '../db/transaction';
import type { EnrollmentStatus, NotificationKind } from '../generated/prisma/client';
import type { Draft } from './drafts';
import { loadRecipients, type Recipient } from './recipients';
import type { Content } from './templates/layout';
import * as messages from './templates/class-messages';
import type { ClassFacts, ClassLinks } from './templates/class-messages';

/** An enrollment's last status change, as the notice for it reads it. */
export interface EnrollmentChange {
  from: EnrollmentStatus | null;
  to: EnrollmentStatus;
  reason: string | null;
}

/**
 * Which notice a member gets for a change of their enrollment; null: none. Their own
 * cancellations, attendance, and lines closing when a class starts or when they are booked
 * elsewhere at the same time go unannounced: the member did it, or it no longer matters.
 */
export function classNoticeKind(change: EnrollmentChange): NotificationKind | null {
  const { from, to } = change;
  if (to === 'BOOKED') return from === 'WAITLISTED' ? 'CLASS_PROMOTED' : 'CLASS_BOOKED';
  if (to === 'WAITLISTED' && from === null) return 'CLASS_WAITLISTED';
  if (to === 'OFFERED') return 'CLASS_SPOT_OFFERED';
  if (to === 'EXPIRED' && from === 'OFFERED' && change.reason === OFFER_EXPIRED) return 'CLASS_OFFER_EXPIRED';
  if (to === 'CANCELLED' && change.reason?.startsWith(CLASS_CANCELLED)) return 'CLASS_CANCELLED';
  return null;
}

/** The history reasons the kinds above key on (written by the waitlist sweep and the class cancel). */
export const OFFER_EXPIRED = 'the offer expired';
export const CLASS_CANCELLED = 'class cancelled';

interface Row extends ClassFacts, EnrollmentChange {
  enrollmentId: string;
  memberId: string;
  status: EnrollmentStatus;
  offerExpiresAt: Date | null;
  position: number | null;
  changedAt: Date;
}

/** Drafts for the last change of each enrollment; the key is (kind, enrollment, change time), so a retried cause writes nothing twice. */
export async function classNoticeDrafts(tx: Tx, enrollmentIds: readonly string[], studioTimezone: string, links: ClassLinks): Promise<Draft[]> {
  if (enrollmentIds.length === 0) return [];
  const rows = await tx.$queryRaw<Row[]>`
    SELECT e.id::text AS "enrollmentId", e.member_id::text AS "memberId", e.status, e.offer_expires_at AS "offerExpiresAt",
           h.from_status AS "from", h.to_status AS "to", h.reason, h.at AS "changedAt",
           c.id::text AS "classId", t.name AS "className", u.name AS "coachName", r.name AS "roomName",
           c.start_time AS "startTime", c.end_time AS "endTime", c.cancellation_reason AS "cancellationReason",
           CASE WHEN e.status = 'WAITLISTED' THEN (
             SELECT count(*)::int FROM enrollments w WHERE w.class_session_id = e.class_session_id AND w.status = 'WAITLISTED'
               AND (w.joined_at, w.arrival) <= (e.joined_at, e.arrival)) END AS position
    FROM enrollments e
    JOIN LATERAL (SELECT * FROM enrollment_status_changes x WHERE x.enrollment_id = e.id ORDER BY x.at DESC, x.id DESC LIMIT 1) h ON TRUE
    JOIN class_sessions c ON c.id = e.class_session_id JOIN class_types t ON t.id = c.class_type_id
    JOIN users u ON u.id = c.coach_id JOIN rooms r ON r.id = c.room_id
    WHERE e.id = ANY(${[...enrollmentIds]}::uuid[])`;
  const people = await loadRecipients(tx, rows.map((r) => r.memberId), studioTimezone);
  const drafts: Draft[] = [];
  // A member losing several classes to one cause (a schedule cancelled, a block) is told once, in one notice listing them.
  const cancelled = new Map<string, Row[]>();
  for (const row of rows) {
    const kind = classNoticeKind(row);
    const recipient = people.get(row.memberId);
    if (!kind || !recipient) continue;
    if (kind === 'CLASS_CANCELLED') {
      cancelled.set(row.memberId, [...(cancelled.get(row.memberId) ?? []), row]);
      continue;
    }
    const zone = recipient.timezone;
    const content =
      kind === 'CLASS_BOOKED' ? messages.classBooked({ zone, cls: row, links })
      : kind === 'CLASS_PROMOTED' ? messages.classPromoted({ zone, cls: row, links })
      : kind === 'CLASS_WAITLISTED' ? messages.classWaitlisted({ zone, cls: row, position: row.position, links })
      : kind === 'CLASS_SPOT_OFFERED' ? messages.classSpotOffered({ zone, cls: row, expiresAt: row.offerExpiresAt ?? row.startTime, links })
      : messages.classOfferExpired({ zone, cls: row, links });
    drafts.push(draft(kind, row, recipient, content));
  }
  for (const [memberId, lost] of cancelled) {
    const recipient = people.get(memberId)!;
    lost.sort((a, b) => a.startTime.getTime() - b.startTime.getTime() || a.enrollmentId.localeCompare(b.enrollmentId));
    const zone = recipient.timezone;
    const content = lost.length === 1 ? messages.classCancelled({ zone, cls: lost[0]!, links }) : messages.classesCancelled({ zone, classes: lost, links });
    // Keyed on the earliest place: each place is cancelled once, so the key names this cause alone.
    drafts.push(draft('CLASS_CANCELLED', lost[0]!, recipient, content));
  }
  return drafts;
}

function draft(kind: NotificationKind, row: Row, recipient: Recipient, content: Content): Draft {
  return {
    recipient,
    kind,
    key: `${kind.toLowerCase()}:${row.enrollmentId}:${row.changedAt.toISOString()}`,
    content,
    // The email goes out only while the enrollment is still as the notice says (an offer accepted meanwhile: SKIPPED).
    enrollmentGuard: { enrollmentId: row.enrollmentId, status: row.to },
  };
}

/** Outbox preflight: class notices whose enrollment has moved on since (an offer accepted, a place cancelled) are not mailed. */
export async function staleClassEmails(
  query: (sql: string, params: unknown[]) => Promise<{ rows: { id: string }[] }>,
  rows: { id: string; payload: unknown }[],
): Promise<Map<string, string>> {
  const guarded = rows.flatMap((row) => {
    const guard = (row.payload as { enrollmentGuard?: { enrollmentId: string; status: string } | null } | null)?.enrollmentGuard;
    return guard ? [{ id: row.id, ...guard }] : [];
  });
  if (guarded.length === 0) return new Map();
  const { rows: stale } = await query(
    `SELECT g.id::text FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS g(id, enrollment_id, status)
     LEFT JOIN enrollments e ON e.id = g.enrollment_id
     WHERE e.id IS NULL OR e.status::text <> g.status`,
    [guarded.map((g) => g.id), guarded.map((g) => g.enrollmentId), guarded.map((g) => g.status)],
  );
  return new Map(stale.map((row) => [row.id, 'The enrollment has changed since']));
}
