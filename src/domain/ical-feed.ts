import type { Role, SessionStatus } from './lifecycle';

/** One session as a feed shows it, read in one statement with the names it needs. */
export interface FeedSession {
  id: string;
  startTime: Date;
  endTime: Date;
  status: SessionStatus;
  revision: number;
  updatedAt: Date;
  cancellationReason: string | null;
  room: string;
  coach: string;
  /** A class's events have no member of their own (the member's feed is theirs; a coach's shows places). */
  member: string | null;
  /** Since 0.3: set for a class, with its places taken and capacity on coaches' and owners' feeds. */
  className?: string | null;
  placesTaken?: number | null;
  capacity?: number | null;
}

export interface FeedOwner {
  name: string;
  role: Role;
  timezone: string;
}

/** How often calendar apps are asked to refresh (most poll on their own schedule anyway). */
export const FEED_REFRESH_SECONDS = 3600;

/**
 * RFC 5545 text for a person's sessions. Times are UTC instants (no VTIMEZONE needed) and the
 * person's zone is named in X-WR-TIMEZONE. UID is the session id, so an event keeps its
 * identity through every change; SEQUENCE is the session's revision, which only grows;
 * cancelled sessions stay, STATUS:CANCELLED and transparent. DTSTAMP and LAST-MODIFIED are
 * the session's last change, so the text (and its ETag) changes only when a session does.
 *
 * Written by hand rather than with ical-generator: the format needed here is small, and the
 * library took about 200 ms for a 1,000-session feed where this takes a few (bench/RESULTS.md).
 */
export function renderFeed(owner: FeedOwner, sessions: readonly FeedSession[]): string {
  const name = text(`Training sessions – ${owner.name}`);
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//booking-server//calendar-feed//EN',
    'CALSCALE:GREGORIAN',
    fold(`NAME:${name}`),
    fold(`X-WR-CALNAME:${name}`),
    fold(`X-WR-TIMEZONE:${text(owner.timezone)}`),
    `REFRESH-INTERVAL;VALUE=DURATION:PT${FEED_REFRESH_SECONDS}S`,
    `X-PUBLISHED-TTL:PT${FEED_REFRESH_SECONDS}S`,
  ];
  for (const session of sessions) {
    const cancelled = session.status === 'CANCELLED';
    const stamp = utc(session.updatedAt);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${session.id}`,
      `SEQUENCE:${session.revision}`,
      `DTSTAMP:${stamp}`,
      `LAST-MODIFIED:${stamp}`,
      `DTSTART:${utc(session.startTime)}`,
      `DTEND:${utc(session.endTime)}`,
      fold(`SUMMARY:${text(`${cancelled ? 'Cancelled: ' : ''}${summaryFor(owner.role, session)}`)}`),
      fold(`LOCATION:${text(session.room)}`),
      fold(`DESCRIPTION:${text(descriptionFor(session))}`),
      `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
      `TRANSP:${cancelled ? 'TRANSPARENT' : 'OPAQUE'}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}

/** One event of an emailed .ics file. */
export interface AttachmentEvent {
  id: string;
  startTime: Date;
  endTime: Date;
  summary: string;
  location: string;
  url: string;
}

/**
 * RFC 5545 text of an email attachment: METHOD:PUBLISH (the sender publishes, nobody replies),
 * UID the session id as in the feed so calendars merge the two, DTSTAMP the moment of writing.
 * Same writer as the feed: ical-generator spent about 40 ms per series change on this file.
 */
export function renderAttachment(calendarName: string, events: readonly AttachmentEvent[], now: Date): string {
  const name = text(calendarName);
  const stamp = utc(now);
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//booking-server//notifications//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    fold(`NAME:${name}`),
    fold(`X-WR-CALNAME:${name}`),
  ];
  for (const event of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${event.id}`,
      'SEQUENCE:0',
      `DTSTAMP:${stamp}`,
      `DTSTART:${utc(event.startTime)}`,
      `DTEND:${utc(event.endTime)}`,
      fold(`SUMMARY:${text(event.summary)}`),
      fold(`LOCATION:${text(event.location)}`),
      fold(`URL;VALUE=URI:${uri(event.url)}`),
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}

/** A member sees their coach, a coach their member, an owner both; a class its name (and places for staff). */
function summaryFor(role: Role, session: FeedSession): string {
  if (session.className) {
    if (role === 'MEMBER') return `${session.className} with ${session.coach}`;
    const places = session.capacity != null ? ` (${session.placesTaken ?? 0}/${session.capacity})` : '';
    return role === 'COACH' ? `Class: ${session.className}${places}` : `${session.className} with ${session.coach}${places}`;
  }
  if (role === 'MEMBER') return `Training with ${session.coach}`;
  if (role === 'COACH') return `Training: ${session.member}`;
  return `${session.member} with ${session.coach}`;
}

function descriptionFor(session: FeedSession): string {
  const lines = session.className
    ? [`Class: ${session.className}`, `Coach: ${session.coach}`, `Room: ${session.room}`, ...(session.capacity != null ? [`Places taken: ${session.placesTaken ?? 0} of ${session.capacity}`] : [])]
    : [`Coach: ${session.coach}`, `Member: ${session.member}`, `Room: ${session.room}`];
  if (session.status === 'COMPLETED') lines.push('Completed');
  if (session.status === 'NO_SHOW') lines.push('No-show');
  if (session.status === 'CANCELLED') lines.push(session.cancellationReason ? `Cancelled: ${session.cancellationReason}` : 'Cancelled');
  return lines.join('\n');
}

/** 20261201T100000Z */
function utc(date: Date): string {
  const iso = date.toISOString(); // 2026-12-01T10:00:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** TEXT value escaping (RFC 5545 3.3.11); control characters other than newlines are dropped. */
export function text(value: string): string {
  return value
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n/g, '\\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** URI values are not TEXT (no escaping); whitespace and control characters cannot be part of one. */
function uri(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0020\u007f]/g, '');
}

/** Lines longer than 75 octets continue on lines starting with a space, never inside a UTF-8 character. */
export function fold(line: string): string {
  if (line.length <= 25 || (line.length <= 75 && Buffer.byteLength(line) <= 75)) return line;
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u007f]*$/.test(line)) {
    const parts = [line.slice(0, 75)];
    for (let at = 75; at < line.length; at += 74) parts.push(line.slice(at, at + 74));
    return parts.join('\r\n ');
  }
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  let limit = 75;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (bytes + size > limit) {
      parts.push(current);
      current = '';
      bytes = 0;
      limit = 74; // after the leading space
    }
    current += char;
    bytes += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
