import type { Clash } from '../domain/occupancy';
import type { NotificationKind } from '../generated/prisma/client';
import type { EmailAttachment, EmailPayload } from '../outbox/outbox';
import type { Recipient } from './recipients';
import { render, type Content, type Frame, type Rendered } from './templates/layout';
import type { Side } from './templates/messages';

/**
 * Drafting notifications: what each says, to whom, and whether its email goes out. Pure
 * (no I/O): the Notifier loads what a draft needs, notification-writes.ts stores the result.
 */

/** Which preference lets a kind's email go out; null: always (operational mail to owners). */
const EMAIL_PREFERENCE: Record<NotificationKind, keyof Pick<Recipient, 'emailConfirmations' | 'emailReminders' | 'emailCancellations' | 'emailBilling'> | null> = {
  SERIES_CONFIRMED: 'emailConfirmations',
  SESSION_BOOKED: 'emailConfirmations',
  SESSION_RESCHEDULED: 'emailConfirmations',
  SERIES_CHANGED: 'emailConfirmations',
  SESSION_REMINDER: 'emailReminders',
  SESSION_CANCELLED: 'emailCancellations',
  SERIES_CANCELLED: 'emailCancellations',
  OCCURRENCE_SKIPPED: 'emailCancellations',
  CHARGE_CREATED: 'emailBilling',
  GENERATION_FAILED: null,
  CLASS_BOOKED: 'emailConfirmations',
  CLASS_PROMOTED: 'emailConfirmations',
  CLASS_WAITLISTED: 'emailConfirmations',
  CLASS_SPOT_OFFERED: 'emailConfirmations',
  CLASS_OFFER_EXPIRED: 'emailCancellations',
  CLASS_CANCELLED: 'emailCancellations',
};

/** One notification to write: for whom, what, and the key that keeps its cause from notifying twice. */
export interface Draft {
  recipient: Recipient;
  kind: NotificationKind;
  content: Content;
  /** (cause, recipient[, lead, start]) */
  key: string;
  sessionId?: string | null;
  seriesId?: string | null;
  attachments?: EmailAttachment[];
  sessionGuard?: EmailPayload['sessionGuard'];
  enrollmentGuard?: EmailPayload['enrollmentGuard'];
}

/** An occurrence generation could not book. */
export interface SkippedOccurrence {
  recurringBookingId: string;
  memberId: string;
  coachId: string;
  start: number;
  end: number;
  /** A block, the clash found before the insert, or CONFLICT: a clash the insert met (which one is unknown). */
  reason: 'BLOCKED' | Clash | 'CONFLICT';
}

/** A draft as stored: its rendered text, and its email when one goes out. */
export interface Prepared {
  draft: Draft;
  rendered: Rendered;
  email: EmailPayload | null;
  /** The recipient wants this email but has no address (it is SKIPPED). */
  missingAddress: boolean;
}

/**
 * An email goes out when the recipient has an address and has not opted out of the kind's
 * category; otherwise the notification's emailStatus is SKIPPED.
 */
export function prepare(d: Draft, frame: Omit<Frame, 'recipientName'>): Prepared {
  const rendered = render(d.content, { ...frame, recipientName: d.recipient.name });
  const preference = EMAIL_PREFERENCE[d.kind];
  const wanted = preference === null || d.recipient[preference];
  const email: EmailPayload | null =
    wanted && d.recipient.email
      ? { to: d.recipient.email, subject: rendered.subject, text: rendered.text, html: rendered.html, attachments: d.attachments, sessionGuard: d.sessionGuard ?? null, enrollmentGuard: d.enrollmentGuard ?? null }
      : null;
  return { draft: d, rendered, email, missingAddress: wanted && !d.recipient.email };
}

/** Which side of a session or series a recipient is on. */
export const sideOf = (recipientId: string, parties: { coachId: string; memberId: string }): Side =>
  recipientId === parties.memberId ? 'MEMBER' : recipientId === parties.coachId ? 'COACH' : 'OWNER';
