import ical, { ICalCalendarMethod } from 'ical-generator';
import type { EmailAttachment } from '../outbox/outbox';
import type { SessionFacts } from './templates/messages';

/**
 * An .ics file of sessions (RFC 5545 through ical-generator), one VEVENT per session with
 * the session id as UID: the same UID the calendar feed uses, so calendars merge them.
 * Times are UTC instants; calendar apps show them in their own zone.
 */
export function sessionsCalendar(sessions: SessionFacts[], options: { studioName: string; summary: (s: SessionFacts) => string; url: (s: SessionFacts) => string; now: Date }): EmailAttachment {
  const calendar = ical({ name: options.studioName, prodId: { company: 'booking-server', product: 'notifications', language: 'EN' }, method: ICalCalendarMethod.PUBLISH });
  for (const s of sessions) {
    calendar.createEvent({
      id: s.id,
      start: s.startTime,
      end: s.endTime,
      stamp: options.now,
      summary: options.summary(s),
      location: s.roomName,
      url: options.url(s),
    });
  }
  return { filename: sessions.length === 1 ? 'session.ics' : 'sessions.ics', content: calendar.toString(), contentType: 'text/calendar; charset=utf-8; method=PUBLISH' };
}
