import type { Config } from '../config';
import type { Clash } from '../domain/occupancy';
import type { Tx } from '../db/transaction';
import type { NotificationKind } from '../generated/prisma/client';
import type { Logger } from '../logger';
import { enqueueMany, type EmailAttachment, type EmailPayload } from '../outbox/outbox';
import { sessionsCalendar } from './ics';
import { loadRecipients, loadSessions, otherParties, ownerIds, type Recipient, type SessionRow } from './recipients';
import { moveReminders, planReminders } from './reminders';
import { render, type Content } from './templates/layout';
import * as messages from './templates/messages';
import type { Links, Side } from './templates/messages';

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

interface SeriesRow {
  id: string;
  coachId: string;
  memberId: string;
  coachName: string;
  memberName: string;
}

/** Notifications (with their rendered emails) per statement: bounded parameters, few round trips. */
const WRITE_BATCH = 1_000;

const sideOf = (recipientId: string, parties: { coachId: string; memberId: string }): Side =>
  recipientId === parties.memberId ? 'MEMBER' : recipientId === parties.coachId ? 'COACH' : 'OWNER';

/**
 * Writes in-app notifications and their emails inside the transaction of the change that
 * causes them (services call one method each), so they exist exactly when the change
 * committed. Every write is set-based: one statement for the notifications and their
 * outbox rows, whatever their number. Methods return the ids of the notifications
 * created, which the caller publishes after commit (notificationReceived).
 */
export class Notifier {
  /** Notifications whose recipient had no email address (their email is SKIPPED). */
  static withoutAddress = 0;

  constructor(private readonly deps: { config: Config; log: Logger }) {}

  readonly links: Links = {
    session: (id) => `${this.deps.config.publicUrl}/sessions/${id}`,
    series: (id) => `${this.deps.config.publicUrl}/recurring-bookings/${id}`,
  };

  private get zone() {
    return this.deps.config.studioTimezone;
  }

  /** A one-off booking: the member and the coach, with an .ics; its reminders. */
  async sessionBooked(tx: Tx, sessionId: string, now: Date): Promise<string[]> {
    const [session] = await loadSessions(tx, [sessionId]);
    if (!session) return [];
    await planReminders(tx, [sessionId], now);
    const people = await loadRecipients(tx, [session.memberId, session.coachId], this.zone);
    const drafts: Draft[] = [];
    for (const recipient of people.values()) {
      const side = sideOf(recipient.id, session);
      drafts.push({
        recipient,
        kind: 'SESSION_BOOKED',
        key: `session-booked:${session.id}:${recipient.id}`,
        sessionId: session.id,
        seriesId: session.recurringBookingId,
        content: messages.sessionBooked({ side, zone: recipient.timezone, session, links: this.links }),
        attachments: [this.calendar([session], side, now)],
      });
    }
    return this.write(tx, drafts, now);
  }

  /** A new series: one confirmation each to the member and the coach, listing its sessions, with an .ics of them. */
  async seriesConfirmed(tx: Tx, seriesId: string, now: Date): Promise<string[]> {
    const series = await this.loadSeries(tx, seriesId);
    if (!series) return [];
    const ids = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM training_sessions WHERE recurring_booking_id = ${seriesId}::uuid AND status = 'SCHEDULED' ORDER BY start_time`;
    const sessions = await loadSessions(tx, ids.map((r) => r.id));
    const people = await loadRecipients(tx, [series.memberId, series.coachId], this.zone);
    const drafts: Draft[] = [];
    for (const recipient of people.values()) {
      const side = sideOf(recipient.id, series);
      drafts.push({
        recipient,
        kind: 'SERIES_CONFIRMED',
        key: `series-confirmed:${series.id}:${recipient.id}`,
        seriesId: series.id,
        content: messages.seriesConfirmed({ side, zone: recipient.timezone, seriesId: series.id, coachName: series.coachName, memberName: series.memberName, sessions, links: this.links }),
        attachments: sessions.length > 0 ? [this.calendar(sessions, side, now)] : undefined,
      });
    }
    return this.write(tx, drafts, now);
  }

  /** Sessions just cancelled (one, or a block's worth): the other party of each, both when staff acted. */
  async sessionsCancelled(tx: Tx, sessionIds: string[], actorId: string | null, now: Date): Promise<string[]> {
    const sessions = await loadSessions(tx, sessionIds);
    if (sessions.length === 0) return [];
    const people = await loadRecipients(tx, [...sessions.flatMap((s) => [s.memberId, s.coachId]), ...(actorId ? [actorId] : [])], this.zone);
    const actorName = actorId ? (people.get(actorId)?.name ?? null) : null;
    const drafts: Draft[] = [];
    for (const session of sessions) {
      for (const id of otherParties(actorId, session)) {
        const recipient = people.get(id);
        if (!recipient) continue;
        drafts.push({
          recipient,
          kind: 'SESSION_CANCELLED',
          key: `session-cancelled:${session.id}:${recipient.id}`,
          sessionId: session.id,
          seriesId: session.recurringBookingId,
          content: messages.sessionCancelled({ side: sideOf(id, session), zone: recipient.timezone, session, actorName, reason: session.cancellationReason, links: this.links }),
        });
      }
    }
    return this.write(tx, drafts, now);
  }

  /** A session moved: the other party (both when staff acted); its reminders follow it. */
  async sessionRescheduled(tx: Tx, sessionId: string, actorId: string | null, previous: { start: Date; end: Date }, now: Date): Promise<string[]> {
    const [session] = await loadSessions(tx, [sessionId]);
    if (!session) return [];
    await moveReminders(tx, [sessionId], now);
    const people = await loadRecipients(tx, [session.memberId, session.coachId, ...(actorId ? [actorId] : [])], this.zone);
    const actorName = actorId ? (people.get(actorId)?.name ?? null) : null;
    const drafts: Draft[] = [];
    for (const id of otherParties(actorId, session)) {
      const recipient = people.get(id);
      if (!recipient) continue;
      drafts.push({
        recipient,
        kind: 'SESSION_RESCHEDULED',
        // The cause is this move (at `now`): moving it again later notifies again.
        key: `session-rescheduled:${session.id}:${now.getTime()}:${recipient.id}`,
        sessionId: session.id,
        seriesId: session.recurringBookingId,
        content: messages.sessionRescheduled({ side: sideOf(id, session), zone: recipient.timezone, session, previousStart: previous.start, previousEnd: previous.end, actorName, links: this.links }),
      });
    }
    return this.write(tx, drafts, now);
  }

  /** A cancelled series: one notice per party (not one per session), listing the sessions it cancelled. */
  async seriesCancelled(tx: Tx, seriesId: string, actorId: string | null, cancelledSessionIds: string[], now: Date): Promise<string[]> {
    const series = await this.loadSeries(tx, seriesId);
    if (!series) return [];
    const cancelled = await loadSessions(tx, cancelledSessionIds);
    const people = await loadRecipients(tx, [series.memberId, series.coachId, ...(actorId ? [actorId] : [])], this.zone);
    const actorName = actorId ? (people.get(actorId)?.name ?? null) : null;
    const drafts: Draft[] = [];
    for (const id of otherParties(actorId, series)) {
      const recipient = people.get(id);
      if (!recipient) continue;
      drafts.push({
        recipient,
        kind: 'SERIES_CANCELLED',
        key: `series-cancelled:${series.id}:${recipient.id}`,
        seriesId: series.id,
        content: messages.seriesCancelled({ side: sideOf(id, series), zone: recipient.timezone, seriesId: series.id, coachName: series.coachName, memberName: series.memberName, cancelled, actorName, links: this.links }),
      });
    }
    return this.write(tx, drafts, now);
  }

  /**
   * A series changed from a date on (SERIES_CHANGED): the other party, both when staff
   * acted, and a coach the change took the series away from; lists the new series'
   * sessions with an .ics. No SERIES_CONFIRMED for the new series: this is its confirmation.
   * A pause notifies the same way (cause `series-paused:<pause id>`): one notice per party,
   * not one per cancelled session.
   */
  async seriesChanged(tx: Tx, newSeriesId: string, previousCoachId: string, actorId: string | null, summary: string, now: Date, cause = `series-changed:${newSeriesId}`): Promise<string[]> {
    const series = await this.loadSeries(tx, newSeriesId);
    if (!series) return [];
    const ids = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM training_sessions WHERE recurring_booking_id = ${newSeriesId}::uuid AND status = 'SCHEDULED' ORDER BY start_time`;
    const sessions = await loadSessions(tx, ids.map((r) => r.id));
    const targets = new Set(otherParties(actorId, series));
    if (previousCoachId !== series.coachId && previousCoachId !== actorId) targets.add(previousCoachId);
    const people = await loadRecipients(tx, [...targets], this.zone);
    const drafts: Draft[] = [];
    for (const id of targets) {
      const recipient = people.get(id);
      if (!recipient) continue;
      const side: Side = id === previousCoachId && id !== series.coachId ? 'COACH' : sideOf(id, series);
      drafts.push({
        recipient,
        kind: 'SERIES_CHANGED',
        key: `${cause}:${recipient.id}`,
        seriesId: series.id,
        content: messages.seriesChanged({ side, zone: recipient.timezone, seriesId: series.id, coachName: series.coachName, memberName: series.memberName, summary, sessions, links: this.links }),
        attachments: sessions.length > 0 ? [this.calendar(sessions, side, now)] : undefined,
      });
    }
    return this.write(tx, drafts, now);
  }

  /** Occurrences generation skipped: their member, once per occurrence (later runs that skip it again add nothing). */
  async occurrencesSkipped(tx: Tx, skipped: SkippedOccurrence[], now: Date): Promise<string[]> {
    if (skipped.length === 0) return [];
    const people = await loadRecipients(tx, [...skipped.flatMap((o) => [o.memberId, o.coachId])], this.zone);
    const drafts: Draft[] = [];
    for (const o of skipped) {
      const recipient = people.get(o.memberId);
      if (!recipient) continue;
      const start = new Date(o.start);
      drafts.push({
        recipient,
        kind: 'OCCURRENCE_SKIPPED',
        key: `occurrence-skipped:${o.recurringBookingId}:${start.toISOString()}:${recipient.id}`,
        seriesId: o.recurringBookingId,
        content: messages.occurrenceSkipped({ zone: recipient.timezone, seriesId: o.recurringBookingId, start, end: new Date(o.end), coachName: people.get(o.coachId)?.name ?? 'your coach', reason: o.reason === 'BLOCKED' ? 'BLOCKED' : 'CONFLICT', links: this.links }),
      });
    }
    return this.write(tx, drafts, now);
  }

  /** Every owner, once per failed run. */
  async generationFailed(tx: Tx, runId: string, error: string, at: Date, now: Date): Promise<string[]> {
    const people = await loadRecipients(tx, await ownerIds(tx), this.zone);
    const drafts: Draft[] = [...people.values()].map((recipient) => ({
      recipient,
      kind: 'GENERATION_FAILED' as const,
      key: `generation-failed:${runId}:${recipient.id}`,
      content: messages.generationFailed({ zone: recipient.timezone, runId, at, error }),
    }));
    return this.write(tx, drafts, now);
  }

  /**
   * Due reminders, claimed with SKIP LOCKED (another instance takes others): each is
   * re-checked against its session (still SCHEDULED, same start, not begun) and either
   * becomes a notification and email or is voided. Returns the notifications created and
   * how many reminders were handled.
   */
  async dueReminders(tx: Tx, now: Date, limit: number): Promise<{ handled: number; created: string[] }> {
    const due = await tx.$queryRaw<{ sessionId: string; userId: string; leadMinutes: number; sessionStart: Date; valid: boolean }[]>`
      SELECT r.session_id::text AS "sessionId", r.user_id::text AS "userId", r.lead_minutes AS "leadMinutes", r.session_start AS "sessionStart",
             (s.status = 'SCHEDULED' AND s.start_time = r.session_start AND s.start_time > ${now}) AS valid
      FROM session_reminders r JOIN training_sessions s ON s.id = r.session_id
      WHERE r.status = 'PENDING' AND r.due_at <= ${now}
      ORDER BY r.due_at
      LIMIT ${limit}
      FOR UPDATE OF r SKIP LOCKED`;
    if (due.length === 0) return { handled: 0, created: [] };
    const valid = due.filter((r) => r.valid);
    await tx.$executeRaw`
      UPDATE session_reminders r SET status = (CASE WHEN k.valid THEN 'SENT' ELSE 'VOID' END)::"ReminderStatus", handled_at = ${now}
      FROM unnest(${due.map((d) => d.sessionId)}::uuid[], ${due.map((d) => d.userId)}::uuid[], ${due.map((d) => d.leadMinutes)}::int[],
                  ${due.map((d) => d.sessionStart)}::timestamptz[], ${due.map((d) => d.valid)}::boolean[]) AS k(session_id, user_id, lead, start_time, valid)
      WHERE r.session_id = k.session_id AND r.user_id = k.user_id AND r.lead_minutes = k.lead AND r.session_start = k.start_time`;
    if (valid.length === 0) return { handled: due.length, created: [] };
    const sessions = new Map((await loadSessions(tx, [...new Set(valid.map((v) => v.sessionId))])).map((s) => [s.id, s]));
    const people = await loadRecipients(tx, valid.map((v) => v.userId), this.zone);
    const drafts: Draft[] = [];
    for (const reminder of valid) {
      const session = sessions.get(reminder.sessionId);
      const recipient = people.get(reminder.userId);
      if (!session || !recipient) continue;
      const start = reminder.sessionStart.toISOString();
      drafts.push({
        recipient,
        kind: 'SESSION_REMINDER',
        key: `reminder:${session.id}:${recipient.id}:${reminder.leadMinutes}:${start}`,
        sessionId: session.id,
        seriesId: session.recurringBookingId,
        content: messages.sessionReminder({ side: sideOf(recipient.id, session), zone: recipient.timezone, session, leadMinutes: reminder.leadMinutes, links: this.links }),
        // Checked again right before the email is handed to SMTP (a retry may come hours later).
        sessionGuard: { sessionId: session.id, startTime: start },
      });
    }
    return { handled: due.length, created: await this.write(tx, drafts, now) };
  }

  /**
   * The notifications, then the outbox rows of their emails (one statement each); a key seen
   * before writes nothing. An email goes out when the recipient has an address and has
   * not opted out of the kind's category; otherwise the notification's emailStatus is SKIPPED.
   */
  async write(tx: Tx, drafts: Draft[], now: Date): Promise<string[]> {
    const created: string[] = [];
    for (let i = 0; i < drafts.length; i += WRITE_BATCH) created.push(...(await this.writeBatch(tx, drafts.slice(i, i + WRITE_BATCH), now)));
    return created;
  }

  private async writeBatch(tx: Tx, drafts: Draft[], now: Date): Promise<string[]> {
    if (drafts.length === 0) return [];
    const { studioName } = this.deps.config;
    const preferencesUrl = `${this.deps.config.publicUrl}/settings/notifications`;
    const rows = drafts.map((d) => {
      const rendered = render(d.content, { studioName, recipientName: d.recipient.name, preferencesUrl });
      const preference = EMAIL_PREFERENCE[d.kind];
      const wanted = preference === null || d.recipient[preference];
      if (wanted && !d.recipient.email) {
        Notifier.withoutAddress += 1;
        this.deps.log.warn({ userId: d.recipient.id, kind: d.kind }, 'notification recipient has no email address; email SKIPPED');
      }
      const email: EmailPayload | null =
        wanted && d.recipient.email
          ? { to: d.recipient.email, subject: rendered.subject, text: rendered.text, html: rendered.html, attachments: d.attachments, sessionGuard: d.sessionGuard ?? null }
          : null;
      return { d, rendered, email };
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

  private calendar(sessions: SessionRow[], side: Side, now: Date): EmailAttachment {
    return sessionsCalendar(sessions, {
      studioName: this.deps.config.studioName,
      summary: (s) => (side === 'COACH' ? `Session with ${s.memberName}` : `Session with ${s.coachName}`),
      url: (s) => this.links.session(s.id),
      now,
    });
  }

  private async loadSeries(tx: Tx, id: string): Promise<SeriesRow | null> {
    const rows = await tx.$queryRaw<SeriesRow[]>`
      SELECT b.id::text, b.coach_id::text AS "coachId", b.member_id::text AS "memberId", c.name AS "coachName", m.name AS "memberName"
      FROM recurring_bookings b JOIN users c ON c.id = b.coach_id JOIN users m ON m.id = b.member_id
      WHERE b.id = ${id}::uuid`;
    return rows[0] ?? null;
  }
}
