/**
 * Calendar feeds: a secret URL per person with their sessions as iCalendar, read back with
 * ical.js as a calendar app would: stable UIDs, a SEQUENCE that grows with every change,
 * cancelled sessions kept, times in UTC with the person's zone named, rotation, ETags,
 * the same 404 for every bad secret, and a rate limit per secret.
 */
import ICAL from 'ical.js';
import {
  BookSessionDocument,
  CalendarFeedDocument,
  CancelEnrollmentDocument,
  CancelSessionDocument,
  CompleteSessionDocument,
  CreateClassTypeDocument,
  EnrollInClassDocument,
  RescheduleSessionDocument,
  RotateCalendarFeedDocument,
  ScheduleClassDocument,
} from '../generated/graphql';
import { FEED_RATE_LIMIT } from '../../src/http/calendar.route';
import { coachWithRoom, type CoachSetup } from '../support/booking-fixtures';
import { DAY_MS, HOUR_MS, insertSession, wholeHourFromNow } from '../support/sessions';
import { createRoom } from '../support/schedule';
import { startTestServer, type TestServer, type TestUser } from '../support/server';

interface FeedEvent {
  uid: string;
  sequence: number;
  status: string | null;
  summary: string;
  location: string;
  start: Date;
  end: Date;
}

interface ParsedFeed {
  timezone: string | null;
  events: Map<string, FeedEvent>;
}

function parseFeed(text: string): ParsedFeed {
  const calendar = new ICAL.Component(ICAL.parse(text));
  expect(calendar.name).toBe('vcalendar');
  const events = new Map<string, FeedEvent>();
  for (const vevent of calendar.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent);
    events.set(event.uid, {
      uid: event.uid,
      sequence: event.sequence,
      status: (vevent.getFirstPropertyValue('status') as string | null) ?? null,
      summary: event.summary,
      location: event.location,
      start: event.startDate.toJSDate(),
      end: event.endDate.toJSDate(),
    });
  }
  return { timezone: calendar.getFirstPropertyValue('x-wr-timezone') as string | null, events };
}

async function fetchFeed(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('calendar feeds', () => {
  let server: TestServer;
  let owner: TestUser;
  let studio: CoachSetup;
  let member: TestUser;
  let otherMember: TestUser;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.user('OWNER', 'Olga Owner');
    studio = await coachWithRoom(server, { name: 'Carla Coach' });
    member = await server.user('MEMBER', 'Mia Member');
    otherMember = await server.user('MEMBER', 'Otto Other');
    await server.db.query(`UPDATE users SET timezone = 'Europe/Berlin' WHERE id = $1`, [member.id]);
  });
  afterAll(() => server.stop());

  async function feedUrl(user: TestUser): Promise<string> {
    return (await server.ok(CalendarFeedDocument, {}, user)).calendarFeed.url;
  }

  async function book(who: TestUser, hoursAhead: number): Promise<string> {
    const start = wholeHourFromNow(hoursAhead);
    return (await server.ok(BookSessionDocument, { input: { coachId: studio.coach.id, memberId: who.id, startTime: start.toISOString() } }, owner)).bookSession.id;
  }

  it('creates the feed on first ask and shows the same URL afterwards; the URL carries 32 random bytes', async () => {
    const first = (await server.ok(CalendarFeedDocument, {}, member)).calendarFeed;
    const again = (await server.ok(CalendarFeedDocument, {}, member)).calendarFeed;
    expect(again).toEqual(first);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    // Stored hashed and sealed: the secret itself is nowhere in the table.
    const secret = /calendar\/(.+)\.ics$/.exec(first.url)![1];
    const [row] = await server.db.query<{ dump: string }>(`SELECT row_to_json(f)::text AS dump FROM calendar_feeds f WHERE user_id = $1`, [member.id]);
    expect(row.dump).not.toContain(secret);
    expect(row.dump).not.toContain(Buffer.from(secret, 'base64url').toString('hex'));
    // Everyone has their own.
    expect(await feedUrl(otherMember)).not.toBe(first.url);
  });

  it("shows a member their sessions with the coach's name and room, in UTC with their zone named; nobody else's", async () => {
    const mine = await book(member, 30);
    const theirs = await book(otherMember, 50);
    const response = await fetchFeed(await feedUrl(member));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(response.text).toMatch(/DTSTART:\d{8}T\d{6}Z/);
    const feed = parseFeed(response.text);
    expect(feed.timezone).toBe('Europe/Berlin');
    const event = feed.events.get(mine)!;
    expect(event.summary).toBe('Training with Carla Coach');
    expect(event.location).toMatch(/^Room /);
    expect(event.status).toBe('CONFIRMED');
    expect(event.start.toISOString()).toBe(wholeHourFromNow(30).toISOString());
    expect(event.end.getTime() - event.start.getTime()).toBe(HOUR_MS);
    expect(feed.events.has(theirs)).toBe(false);
  });

  it("shows a coach the member's name, an owner the whole studio; people without a zone get the studio's", async () => {
    const a = await book(member, 70);
    const b = await book(otherMember, 90);
    const coachFeed = parseFeed((await fetchFeed(await feedUrl(studio.coach))).text);
    expect(coachFeed.events.get(a)!.summary).toBe('Training: Mia Member');
    expect(coachFeed.events.get(b)!.summary).toBe('Training: Otto Other');
    expect(coachFeed.timezone).toBe('UTC');
    const ownerFeed = parseFeed((await fetchFeed(await feedUrl(owner))).text);
    expect(ownerFeed.events.get(a)!.summary).toBe('Mia Member with Carla Coach');
    expect(ownerFeed.events.get(b)!.summary).toBe('Otto Other with Carla Coach');
  });

  it('keeps UIDs through changes, grows SEQUENCE with each, and keeps cancelled sessions as STATUS:CANCELLED', async () => {
    const url = await feedUrl(member);
    const id = await book(member, 110);
    const sequences: number[] = [];
    const read = async () => parseFeed((await fetchFeed(url)).text).events.get(id)!;
    sequences.push((await read()).sequence);

    const moved = wholeHourFromNow(130);
    await server.ok(RescheduleSessionDocument, { id, startTime: moved.toISOString() }, member);
    const afterMove = await read();
    expect(afterMove.uid).toBe(id);
    expect(afterMove.start.toISOString()).toBe(moved.toISOString());
    sequences.push(afterMove.sequence);

    await server.ok(CancelSessionDocument, { id, reason: 'travelling' }, member);
    const cancelled = await read();
    expect(cancelled.uid).toBe(id);
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.summary).toBe('Cancelled: Training with Carla Coach');
    sequences.push(cancelled.sequence);

    expect(sequences[1]).toBeGreaterThan(sequences[0]);
    expect(sequences[2]).toBeGreaterThan(sequences[1]);
    // A write that changes nothing a calendar shows does not bump it; nothing can lower it.
    await server.db.query(`UPDATE training_sessions SET revision = 0, cancellation_reason = 'x' WHERE id = $1`, [id]);
    expect((await read()).sequence).toBe(sequences[2]);
  });

  it('covers 60 days back: older sessions drop out, completed ones in the window stay', async () => {
    const old = await insertSession(server.db, { coachId: studio.coach.id, memberId: member.id, roomId: studio.roomId, start: new Date(Date.now() - 61 * DAY_MS) });
    const recent = await insertSession(server.db, { coachId: studio.coach.id, memberId: member.id, roomId: studio.roomId, start: new Date(Date.now() - 59 * DAY_MS), status: 'COMPLETED' });
    const feed = parseFeed((await fetchFeed(await feedUrl(member))).text);
    expect(feed.events.has(old)).toBe(false);
    expect(feed.events.has(recent)).toBe(true);
  });

  it('answers If-None-Match with 304 until a session changes', async () => {
    const url = await feedUrl(member);
    const first = await fetchFeed(url);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const unchanged = await fetchFeed(url, { 'if-none-match': etag });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');
    expect((await fetchFeed(url, { 'if-none-match': `W/${etag}` })).status).toBe(304);

    const id = await book(member, 150);
    const changed = await fetchFeed(url, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(parseFeed(changed.text).events.has(id)).toBe(true);

    await server.ok(CompleteSessionDocument, { id }, owner).catch(() => undefined); // not startable yet: refused, nothing changes
    expect((await fetchFeed(url, { 'if-none-match': changed.headers.get('etag')! })).status).toBe(304);
  });

  it('rotation: a new URL, and the old one answers 404 exactly like a secret that never existed', async () => {
    const before = await feedUrl(otherMember);
    const rotated = (await server.ok(RotateCalendarFeedDocument, {}, otherMember)).rotateCalendarFeed;
    expect(rotated.url).not.toBe(before);
    expect(await feedUrl(otherMember)).toBe(rotated.url);
    expect((await fetchFeed(rotated.url)).status).toBe(200);

    const old = await fetchFeed(before);
    const unknown = await fetchFeed(before.replace(/calendar\/.+\.ics$/, `calendar/${'A'.repeat(43)}.ics`));
    const malformed = await fetchFeed(before.replace(/calendar\/.+\.ics$/, 'calendar/not-a-secret.ics'));
    const noSuffix = await fetchFeed(rotated.url.replace(/\.ics$/, ''));
    for (const miss of [old, unknown, malformed, noSuffix]) {
      expect(miss.status).toBe(404);
      expect(miss.text).toBe(old.text);
      expect(miss.headers.get('content-type')).toBe(old.headers.get('content-type'));
      expect(miss.headers.get('etag')).toBeNull();
    }
  });

  it('needs no bearer, and a bearer gives no access without the secret', async () => {
    const url = await feedUrl(member);
    expect((await fetchFeed(url)).status).toBe(200);
    expect((await fetchFeed(url.replace(/[^/]+\.ics$/, `${'B'.repeat(43)}.ics`), { authorization: `Bearer ${member.token}` })).status).toBe(404);
  });

  it('limits requests per secret: 429 with Retry-After once over the limit, other feeds unaffected', async () => {
    const limited = (await server.ok(RotateCalendarFeedDocument, {}, studio.coach)).rotateCalendarFeed.url;
    for (let i = 0; i < FEED_RATE_LIMIT.max; i++) expect((await fetchFeed(limited)).status).toBe(200);
    const refused = await fetchFeed(limited);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetchFeed(await feedUrl(owner))).status).toBe(200);
  });

  it('is the caller\'s own: anonymous callers are refused', async () => {
    const result = await server.request(CalendarFeedDocument, {}, null);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('calendar feeds with classes', () => {
  let server: TestServer;
  let owner: TestUser;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.user('OWNER', 'Olga Owner');
  });
  afterAll(() => server.stop());

  const feedOf = async (user: TestUser) => parseFeed((await fetchFeed((await server.ok(CalendarFeedDocument, {}, user)).calendarFeed.url)).text);

  it("shows a member their places (gone as cancelled when given up, never a waitlist entry) and a coach their classes with places taken", async () => {
    const coach = await server.user('COACH', 'Carla Coach');
    const roomId = await createRoom(server, owner, 2);
    const classTypeId = (await server.ok(CreateClassTypeDocument, { input: { name: 'Yoga', durationMinutes: 60, capacity: 2, waitlistCapacity: 2 } }, owner)).createClassType.id;
    const start = wholeHourFromNow(50);
    const cls = (await server.ok(ScheduleClassDocument, { input: { classTypeId, coachId: coach.id, roomId, startTime: start.toISOString() } }, owner)).scheduleClass;
    const [member, other, waiting] = [await server.user('MEMBER', 'Mia Member'), await server.user('MEMBER'), await server.user('MEMBER')];
    const mine = (await server.ok(EnrollInClassDocument, { sessionId: cls.id }, member)).enrollInClass;
    await server.ok(EnrollInClassDocument, { sessionId: cls.id }, other);
    await server.ok(EnrollInClassDocument, { sessionId: cls.id }, waiting);

    const booked = (await feedOf(member)).events.get(mine.id);
    expect(booked).toMatchObject({ summary: 'Yoga with Carla Coach', status: 'CONFIRMED', start, end: new Date(start.getTime() + HOUR_MS) });
    expect((await feedOf(waiting)).events.size).toBe(0);
    expect((await feedOf(coach)).events.get(cls.id)).toMatchObject({ summary: 'Class: Yoga (2/2)', status: 'CONFIRMED', start });

    await server.ok(CancelEnrollmentDocument, { id: mine.id }, member);
    const cancelled = (await feedOf(member)).events.get(mine.id);
    expect(cancelled).toMatchObject({ status: 'CANCELLED', summary: 'Cancelled: Yoga with Carla Coach' });
    expect(cancelled!.sequence).toBeGreaterThan(booked!.sequence);
    // The waitlisted member took the place: still 2 of 2.
    expect((await feedOf(coach)).events.get(cls.id)?.summary).toBe('Class: Yoga (2/2)');
    expect((await feedOf(waiting)).events.size).toBe(1);
  });
});
