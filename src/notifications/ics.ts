import { renderAttachment } from '../domain/ical-feed';
import type { EmailAttachment } from '../outbox/outbox';
import type { SessionFacts } from './templates/messages';

/**
 * An .ics file of sessions (RFC 5545, the hand-written writer of src/domain/ical-feed.ts), one
 * VEVENT per session with the session id as UID: the same UID the calendar feed uses, so
 * calendars merge them. Times are UTC instants; calendar apps show them in their own zone.
 */
export function sessionsCalendar(sessions: SessionFacts[], options: { studioName: string; summary: (s: SessionFacts) => string; url: (s: SessionFacts) => string; now: Date }): EmailAttachment {
  const events = sessions.map((s) => ({ id: s.id, startTime: s.startTime, endTime: s.endTime, summary: options.summary(s), location: s.roomName, url: options.url(s) }));
  return {
    filename: sessions.length === 1 ? 'session.ics' : 'sessions.ics',
    content: renderAttachment(options.studioName, events, options.now),
    contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
  };
}
