import type { ParsedMail } from 'mailparser';
import {
  AcceptClassOfferDocument,
  BlockAvailabilityDocument,
  CancelClassScheduleDocument,
  CreateClassScheduleDocument,
  CreateStandingReservationDocument,
  CancelClassSessionDocument,
  CancelEnrollmentDocument,
  ClassSessionDocument,
  CreateClassTypeDocument,
  EnrollInClassDocument,
  ScheduleClassDocument,
} from '../generated/graphql';
import { notificationsOf, outboxSettled, until } from '../support/notifications';
import { createRoom } from '../support/schedule';
import { startTestServer, type TestServer, type TestUser } from '../support/server';
import { startSmtpSink, type SmtpSink } from '../support/smtp';

/** Class notices end to end: the in-app row and the email (a real SMTP server on loopback), in the studio's zone. */
const ZONE = 'Europe/Berlin';
const HOUR = 3_600_000;
let sink: SmtpSink;
let server: TestServer;
let owner: TestUser;
let roomId: string;
let typeId: string;
let slot = 0;

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({
    env: { SMTP_URL: sink.url, PUBLIC_URL: 'https://app.studio.test', STUDIO_TIMEZONE: ZONE, OUTBOX_POLL_INTERVAL_MS: '200', EMAIL_RETRY_SCHEDULE: '400ms,400ms' },
  });
  owner = await server.user('OWNER');
  roomId = await createRoom(server, owner, 100);
  typeId = (await server.ok(CreateClassTypeDocument, { input: { name: 'Kettlebells', durationMinutes: 60, capacity: 1, waitlistCapacity: 3 } }, owner)).createClassType.id;
});
afterAll(async () => {
  await server.stop();
  await sink.stop();
});

/** A class with a coach of its own, `hoursAhead` from now at a whole hour. */
async function newClass(hoursAhead: number) {
  slot += 1;
  const start = new Date(Math.ceil((Date.now() + hoursAhead * HOUR) / HOUR) * HOUR + slot * 60_000);
  const coach = await server.user('COACH', `Coach ${slot}`);
  return (await server.ok(ScheduleClassDocument, { input: { classTypeId: typeId, coachId: coach.id, roomId, startTime: start.toISOString() } }, owner)).scheduleClass;
}

const enroll = async (classId: string, member: TestUser) => (await server.ok(EnrollInClassDocument, { sessionId: classId }, member)).enrollInClass;
const kinds = async (member: TestUser) => (await notificationsOf(server.db, member.id)).map((n) => n.kind);
const berlin = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

/** The subject without the studio's name after it. */
const subject = (mail: ParsedMail) => mail.subject?.replace(/ - [^-]+$/, '');

async function mailsTo(member: TestUser): Promise<ParsedMail[]> {
  await outboxSettled(server.db);
  return sink.to(member.email);
}

describe('class notices', () => {
  it('tell a member they are booked, on the waitlist (with their place in line), and promoted, once each, in the studio zone', async () => {
    const cls = await newClass(72);
    const [holder, waiting] = [await server.user('MEMBER'), await server.user('MEMBER')];
    const held = await enroll(cls.id, holder);
    await enroll(cls.id, waiting);
    await mailsTo(waiting); // else the waitlist email, no longer true, would rightly not go out
    await server.ok(CancelEnrollmentDocument, { id: held.id }, holder);

    expect(await kinds(holder)).toEqual(['CLASS_BOOKED']);
    expect(await kinds(waiting)).toEqual(['CLASS_WAITLISTED', 'CLASS_PROMOTED']);
    const mails = await mailsTo(waiting);
    expect(mails.map(subject)).toEqual(['On the waitlist', 'You got a place']);
    expect(mails[0].text).toContain('You are number 1 in line.');
    expect(mails[1].text).toContain(`${berlin(cls.startTime)}-`);
    expect(mails[1].text).toContain(`(${ZONE})`);
    expect(mails[1].text).toContain(`https://app.studio.test/classes/${cls.id}`);
  });

  it('offer a place after the cutoff with its expiry; an offer accepted before its email goes out is not mailed', async () => {
    const cls = await newClass(3);
    const [holder, first] = [await server.user('MEMBER'), await server.user('MEMBER')];
    const held = await enroll(cls.id, holder);
    const entry = await enroll(cls.id, first);
    await mailsTo(first);
    // The SMTP server turns the offer's email away once (it is retried 400 ms later); the member accepts meanwhile.
    let refused = false;
    sink.answer = (_n, mail) => {
      if (subject(mail) !== 'A place is offered to you' || refused) return { accept: true };
      refused = true;
      return { accept: false, code: 451, message: 'try again later' };
    };
    try {
      await server.ok(CancelEnrollmentDocument, { id: held.id }, owner);
      const offer = (await server.ok(ClassSessionDocument, { id: cls.id }, first)).classSession?.myEnrollment;
      expect(offer?.status).toBe('OFFERED');
      const [notice] = await notificationsOf(server.db, first.id, 'CLASS_SPOT_OFFERED');
      expect(notice.body).toContain(`accept by`);
      expect(notice.body).toContain(berlin(offer!.offerExpiresAt!));
      await until(async () => refused, 10_000, 'the first attempt at the offer email');
      await server.ok(AcceptClassOfferDocument, { enrollmentId: entry.id }, first);
      await outboxSettled(server.db);
      const [row] = await server.db.query<{ status: string; last_error: string | null }>(
        `SELECT m.status::text, m.last_error FROM outbox_messages m WHERE m.notification_id = $1`, [notice.id]);
      expect(row).toEqual({ status: 'SKIPPED', last_error: 'The enrollment has changed since' });
      expect((await mailsTo(first)).map(subject)).toEqual(['On the waitlist', 'Class booked']);
    } finally {
      sink.answer = () => ({ accept: true });
    }
  });

  it('tell everyone in a cancelled class and its line once, with the reason', async () => {
    const cls = await newClass(96);
    const [booked, waiting] = [await server.user('MEMBER'), await server.user('MEMBER')];
    await enroll(cls.id, booked);
    await enroll(cls.id, waiting);
    await server.ok(CancelClassSessionDocument, { id: cls.id, reason: 'Coach is ill' }, owner);
    for (const member of [booked, waiting]) {
      const [notice] = await notificationsOf(server.db, member.id, 'CLASS_CANCELLED');
      expect(notice.title).toBe('Class cancelled');
      const cancelled = (await mailsTo(member)).filter((m) => subject(m) === 'Class cancelled');
      expect(cancelled).toHaveLength(1);
      expect(cancelled[0].text).toContain('Reason: Coach is ill');
    }
  });

  it('tell each member of a cancelled weekly class once, listing every class they lose', async () => {
    const coach = await server.user('COACH', 'Coach weekly');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());
    const input = { classTypeId: typeId, coachId: coach.id, roomId, dayOfWeek: 1, startTime: '19:00', timezone: ZONE, startDate: today };
    const weekly = (await server.ok(CreateClassScheduleDocument, { input }, owner)).createClassSchedule;
    const [booked, waiting] = [await server.user('MEMBER'), await server.user('MEMBER')];
    for (const member of [booked, waiting]) {
      await server.ok(CreateStandingReservationDocument, { input: { scheduleId: weekly.id, startDate: today } }, member);
    }
    await mailsTo(waiting);
    await server.ok(CancelClassScheduleDocument, { id: weekly.id, reason: 'The coach is leaving' }, owner);
    for (const member of [booked, waiting]) {
      const notices = await notificationsOf(server.db, member.id, 'CLASS_CANCELLED');
      expect(notices.map((n) => n.title)).toEqual(['Classes cancelled']);
      const mails = (await mailsTo(member)).filter((m) => subject(m) === 'Classes cancelled');
      expect(mails).toHaveLength(1);
      expect(mails[0].text).toContain('Reason: The coach is leaving');
      expect(mails[0].text!.split('Kettlebells with Coach weekly: ').length - 1).toBe(weekly.sessions.length);
      expect(weekly.sessions.length).toBeGreaterThanOrEqual(6);
    }
  });

  it('tell each member of the classes a coach blocks out once, however many they lose', async () => {
    const coach = await server.user('COACH', 'Coach blocked');
    const base = Math.ceil((Date.now() + 48 * HOUR) / HOUR) * HOUR;
    const at = (hours: number) => new Date(base + hours * HOUR).toISOString();
    const schedule = async (hours: number) =>
      (await server.ok(ScheduleClassDocument, { input: { classTypeId: typeId, coachId: coach.id, roomId, startTime: at(hours) } }, owner)).scheduleClass;
    const [early, late, outside] = [await schedule(0), await schedule(2), await schedule(6)];
    const [regular, waiting] = [await server.user('MEMBER'), await server.user('MEMBER')];
    for (const c of [early, late, outside]) await enroll(c.id, regular);
    await enroll(late.id, waiting);
    await mailsTo(waiting);

    await server.ok(BlockAvailabilityDocument, { input: { startTime: at(-1), endTime: at(4), note: 'private: dentist' } }, coach);
    const statuses = await server.db.query<{ id: string; status: string }>(`SELECT id::text, status::text FROM class_sessions WHERE coach_id = $1 ORDER BY start_time`, [coach.id]);
    expect(statuses.map((c) => c.status)).toEqual(['CANCELLED', 'CANCELLED', 'SCHEDULED']);
    expect((await notificationsOf(server.db, regular.id, 'CLASS_CANCELLED')).map((n) => n.title)).toEqual(['Classes cancelled']);
    expect((await notificationsOf(server.db, waiting.id, 'CLASS_CANCELLED')).map((n) => n.title)).toEqual(['Class cancelled']);
    const [mail] = (await mailsTo(regular)).filter((m) => subject(m) === 'Classes cancelled');
    expect(mail.text).toContain('Reason: The coach is not available then');
    expect(mail.text).not.toContain('dentist');
  });
});
