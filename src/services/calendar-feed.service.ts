import { randomBytes } from 'node:crypto';
import type { Actor } from '../auth/actor';
import { digest } from '../auth/sealing';
import { renderFeed, type FeedSession } from '../domain/ical-feed';
import type { Role } from '../domain/lifecycle';
import { MAX_BOOKING_AHEAD_MS } from './booking-session.service';
import type { ServiceDeps } from './context';

const DAY_MS = 86_400_000;
/** How far back a feed reaches: calendars keep the recent past visible. */
export const FEED_PAST_DAYS = 60;
/** base64url of 32 random bytes. */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface CalendarFeedInfo {
  /** The secret of the URL /calendar/<secret>.ics */
  secret: string;
  createdAt: Date;
}

export interface RenderedFeed {
  body: string;
  /** Strong validator: the body's SHA-256 (the body depends only on the sessions, not on the clock of the request). */
  etag: string;
  /** Milliseconds in the database and in writing the text (the Server-Timing header). */
  timings: { db: number; render: number };
}

interface FeedRow {
  user_id: string;
  role: Role;
  name: string;
  timezone: string | null;
}

interface SessionRow {
  id: string;
  start_time: Date;
  end_time: Date;
  status: FeedSession['status'];
  revision: number;
  updated_at: Date;
  cancellation_reason: string | null;
  room: string;
  coach: string;
  member: string | null;
  class_name: string | null;
  places_taken: number | null;
  capacity: number | null;
}

/** Which sessions a feed holds, by its owner's role; one statement each, on the (person, start_time) indexes. */
const SESSIONS_SQL: Record<Role, string> = {
  MEMBER: 's.member_id = $1',
  COACH: 's.coach_id = $1',
  OWNER: '$1::uuid IS NOT NULL',
};

function sessionsSql(role: Role): string {
  return `
    SELECT s.id, s.start_time, s.end_time, s.status::text AS status, s.revision, s.updated_at, s.cancellation_reason,
           r.name AS room, c.name AS coach, m.name AS member, NULL AS class_name, NULL::int AS places_taken, NULL::int AS capacity
    FROM training_sessions s
    JOIN rooms r ON r.id = s.room_id
    JOIN users c ON c.id = s.coach_id
    JOIN users m ON m.id = s.member_id
    WHERE ${SESSIONS_SQL[role]} AND s.start_time >= $2 AND s.start_time < $3
    UNION ALL
    ${CLASSES_SQL[role]}
    ORDER BY start_time, id`;
}

/**
 * Classes in a feed: a member's places (UID: the enrollment; cancelled once they or the
 * class gave it up, so calendars drop it; waitlist entries never booked are not shown); a
 * coach's classes (owners: all) with their places taken (UID: the class). SEQUENCE grows
 * with the enrollment's history; LAST-MODIFIED is the latest change of the class or a place.
 */
const CLASSES_SQL: Record<Role, string> = {
  MEMBER: `
    SELECT e.id, c.start_time, c.end_time,
           CASE WHEN c.status = 'CANCELLED' OR e.status IN ('CANCELLED', 'LATE_CANCELLED') THEN 'CANCELLED'
                WHEN e.status = 'ATTENDED' THEN 'COMPLETED' WHEN e.status = 'NO_SHOW' THEN 'NO_SHOW' ELSE 'SCHEDULED' END AS status,
           (SELECT count(*)::int FROM enrollment_status_changes h WHERE h.enrollment_id = e.id) AS revision,
           GREATEST(e.updated_at, c.updated_at) AS updated_at, c.cancellation_reason, r.name AS room, co.name AS coach, NULL AS member,
           t.name AS class_name, NULL::int AS places_taken, NULL::int AS capacity
    FROM enrollments e JOIN class_sessions c ON c.id = e.class_session_id JOIN class_types t ON t.id = c.class_type_id
    JOIN rooms r ON r.id = c.room_id JOIN users co ON co.id = c.coach_id
    WHERE e.member_id = $1 AND c.start_time >= $2 AND c.start_time < $3
      AND e.status IN ('BOOKED', 'ATTENDED', 'NO_SHOW', 'CANCELLED', 'LATE_CANCELLED')
      AND EXISTS (SELECT 1 FROM enrollment_status_changes h WHERE h.enrollment_id = e.id AND h.to_status = 'BOOKED')`,
  COACH: staffClassesSql('c.coach_id = $1'),
  OWNER: staffClassesSql('$1::uuid IS NOT NULL'),
};

function staffClassesSql(who: string): string {
  return `
    SELECT c.id, c.start_time, c.end_time, c.status::text AS status, 0 AS revision,
           GREATEST(c.updated_at, (SELECT max(e.updated_at) FROM enrollments e WHERE e.class_session_id = c.id)) AS updated_at,
           c.cancellation_reason, r.name AS room, co.name AS coach, NULL AS member, t.name AS class_name,
           (SELECT count(*)::int FROM enrollments e WHERE e.class_session_id = c.id AND e.status IN ('BOOKED', 'OFFERED', 'ATTENDED', 'NO_SHOW')) AS places_taken,
           c.capacity
    FROM class_sessions c JOIN class_types t ON t.id = c.class_type_id JOIN rooms r ON r.id = c.room_id JOIN users co ON co.id = c.coach_id
    WHERE ${who} AND c.start_time >= $2 AND c.start_time < $3`;
}

/**
 * Per-person iCalendar feeds behind a secret URL. The secret (32 random bytes) is found
 * by its SHA-256 in one indexed lookup, so an unknown and a rotated secret take the same
 * path and give the same 404; it is kept sealed only so calendarFeed can show the URL again.
 */
export class CalendarFeedService {
  constructor(private readonly deps: ServiceDeps) {}

  /** PUBLIC_URL, when set: the base of feed URLs. */
  get publicUrl(): string | null {
    return this.deps.config.publicUrlExplicit ? this.deps.config.publicUrl : null;
  }

  private get prisma() {
    return this.deps.db.prisma;
  }

  /** The caller's feed, created on first ask (re-issued if its sealed secret cannot be opened any more). */
  async feedOf(actor: Actor): Promise<CalendarFeedInfo> {
    const existing = await this.readable(actor);
    if (existing) return existing;
    const secret = newSecret();
    // Two first asks at once: one insert wins and both answer with the winner's URL.
    await this.prisma.$executeRaw`
      INSERT INTO calendar_feeds (user_id, secret_hash, secret_sealed, created_at)
      VALUES (${actor.id}::uuid, ${digest(secret)}, ${this.deps.sealer.seal(Buffer.from(secret, 'utf8'))}, ${this.deps.now()})
      ON CONFLICT (user_id) DO NOTHING`;
    return (await this.readable(actor)) ?? this.rotate(actor);
  }

  /** A new secret: the old URL answers 404 from now on. */
  async rotate(actor: Actor): Promise<CalendarFeedInfo> {
    const secret = newSecret();
    const now = this.deps.now();
    // Prisma's Bytes fields take a Uint8Array over a plain ArrayBuffer.
    const data = { secretHash: new Uint8Array(digest(secret)), secretSealed: new Uint8Array(this.deps.sealer.seal(Buffer.from(secret, 'utf8'))), createdAt: now };
    const feed = await this.prisma.calendarFeed.upsert({ where: { userId: actor.id }, create: { userId: actor.id, ...data }, update: data });
    return { secret, createdAt: feed.createdAt };
  }

  /** The feed behind `secret`, or null for an unknown, rotated or malformed one (all answered alike). */
  async render(secret: string): Promise<RenderedFeed | null> {
    // A malformed secret is still hashed and looked up: one path, one timing, for every miss.
    const lookup = SECRET_PATTERN.test(secret) ? secret : `invalid:${secret.slice(0, 64)}`;
    const { rows } = await this.deps.db.pool.query<FeedRow>(
      `SELECT f.user_id, u.role::text AS role, u.name, u.timezone
       FROM calendar_feeds f JOIN users u ON u.id = f.user_id WHERE f.secret_hash = $1`,
      [digest(lookup)],
    );
    const owner = rows[0];
    if (!owner || lookup !== secret) return null;

    const started = performance.now();
    const now = this.deps.now().getTime();
    const from = new Date(now - FEED_PAST_DAYS * DAY_MS);
    // Generated sessions exist up to the horizon; one-off bookings may reach further, and are shown.
    const to = new Date(now + MAX_BOOKING_AHEAD_MS + DAY_MS);
    const sessions = await this.deps.db.pool.query<SessionRow>(sessionsSql(owner.role), [owner.user_id, from, to]);
    const fetched = performance.now();
    const body = renderFeed(
      // The person's zone, else the studio's (as UserService.timezoneOf).
      { name: owner.name, role: owner.role, timezone: owner.timezone ?? this.deps.config.studioTimezone },
      sessions.rows.map((row) => ({
        id: row.id,
        startTime: row.start_time,
        endTime: row.end_time,
        status: row.status,
        revision: row.revision,
        updatedAt: row.updated_at,
        cancellationReason: row.cancellation_reason,
        room: row.room,
        coach: row.coach,
        member: row.member,
        className: row.class_name,
        placesTaken: row.places_taken,
        capacity: row.capacity,
      })),
    );
    const etag = `"${digest(body).toString('base64url')}"`;
    return { body, etag, timings: { db: fetched - started, render: performance.now() - fetched } };
  }

  /** The stored feed with its secret opened; null when there is none or it was sealed under another key. */
  private async readable(actor: Actor): Promise<CalendarFeedInfo | null> {
    const feed = await this.prisma.calendarFeed.findUnique({ where: { userId: actor.id } });
    if (!feed) return null;
    const opened = this.deps.sealer.open(feed.secretSealed);
    if (!opened) {
      this.deps.log.warn({ userId: actor.id }, 'calendar feed secret sealed under another JWT_SECRET: issuing a new URL');
      return this.rotate(actor);
    }
    return { secret: opened.toString('utf8'), createdAt: feed.createdAt };
  }
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}
