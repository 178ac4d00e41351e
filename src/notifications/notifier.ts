import type { Config } from '../config';
import type { Tx } from '../db/transaction';
import type { Logger } from '../logger';
import type { EmailAttachment } from '../outbox/outbox';
import { classNoticeDrafts } from './class-notices';
import { sideOf, type Draft, type SkippedOccurrence } from './drafts';
import { sessionsCalendar } from './ics';
import { unaddressed, writeNotifications } from './notification-writes';
import { loadRecipients, loadSessions, otherParties, ownerIds, type SessionRow } from './recipients';
import { moveReminders, planReminders } from './reminders';
import * as messages from './templates/messages';
import type { ClassLinks } from './templates/class-messages';
import type { Links, Side } from './templates/messages';

interface SeriesRow {
  id: string;
  coachId: string;
  memberId: string;
  coachName: string;
  memberName: string;
}

/**
 * Writes in-app notifications and their emails inside the transaction of the change that
 * causes them (services call one method each), so they exist exactly when the change
 * committed: each method loads what its cause needs and drafts (drafts.ts) what to say
 * to whom; notification-writes.ts stores the drafts, set-based. Methods return the ids of
 * the notifications created, which the caller publishes after commit (notificationReceived).
 */
export class Notifier {
  /** Notifications whose recipient had no email address (their email is SKIPPED). */
  static get withoutAddress(): number {
    return unaddressed.count;
  }

  constructor(private readonly deps: { config: Config; log: Logger }) {}

  readonly links: Links & ClassLinks = {
    session: (id) => `${this.deps.config.publicUrl}/sessions/${id}`,
    series: (id) => `${this.deps.config.publicUrl}/recurring-bookings/${id}`,
    classSession: (id) => `${this.deps.config.publicUrl}/classes/${id}`,
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

  /** Enrollments just changed (booked, waitlisted, promoted, offered, offer lapsed, class cancelled): their members. */
  async classChanges(tx: Tx, enrollmentIds: readonly string[], now: Date): Promise<string[]> {
    return this.write(tx, await classNoticeDrafts(tx, enrollmentIds, this.zone, this.links), now);
  }

  /** Stores drafts: notifications and their emails (notification-writes.ts). */
  write(tx: Tx, drafts: Draft[], now: Date): Promise<string[]> {
    return writeNotifications(tx, drafts, now, this.deps);
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
