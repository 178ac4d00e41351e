import ical, { ICalEventStatus, ICalEventTransparency } from 'ical-generator';
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
  member: string;
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
 */
export function renderFeed(owner: FeedOwner, sessions: FeedSession[]): string {
  const calendar = ical({
    name: `Training sessions – ${owner.name}`,
    prodId: { company: 'booking-server', product: 'calendar-feed', language: 'EN' },
    ttl: FEED_REFRESH_SECONDS,
  });
  calendar.x('X-WR-TIMEZONE', owner.timezone);
  for (const session of sessions) {
    const cancelled = session.status === 'CANCELLED';
    calendar.createEvent({
      id: session.id,
      sequence: session.revision,
      start: session.startTime,
      end: session.endTime,
      stamp: session.updatedAt,
      lastModified: session.updatedAt,
      summary: `${cancelled ? 'Cancelled: ' : ''}${summaryFor(owner.role, session)}`,
      location: session.room,
      description: descriptionFor(session),
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      transparency: cancelled ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE,
    });
  }
  return calendar.toString();
}

/** A member sees their coach, a coach their member, an owner both. */
function summaryFor(role: Role, session: FeedSession): string {
  if (role === 'MEMBER') return `Training with ${session.coach}`;
  if (role === 'COACH') return `Training: ${session.member}`;
  return `${session.member} with ${session.coach}`;
}

function descriptionFor(session: FeedSession): string {
  const lines = [`Coach: ${session.coach}`, `Member: ${session.member}`, `Room: ${session.room}`];
  if (session.status === 'COMPLETED') lines.push('Completed');
  if (session.status === 'NO_SHOW') lines.push('No-show');
  if (session.status === 'CANCELLED') lines.push(session.cancellationReason ? `Cancelled: ${session.cancellationReason}` : 'Cancelled');
  return lines.join('\n');
}
