import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import {
  BlockAvailabilityDocument,
  BookSessionDocument,
  CancelRecurringBookingDocument,
  CancelSessionDocument,
  CreateRecurringBookingDocument,
  GenerateSessionsDocument,
  MarkNotificationsReadDocument,
  NotificationPreferencesDocument,
  NotificationReceivedDocument,
  type NotificationReceivedSubscription,
  NotificationsDocument,
  RescheduleSessionDocument,
  UpdateNotificationPreferencesDocument,
} from '../generated/graphql';
import pg from 'pg';
import { insertSeries, nextWeekday } from '../support/booking-fixtures';
import { tableDigests } from '../support/database';
import { LiveSubscription, subscribe, waitUntilListening, wsClient } from '../support/live';
import { notificationsOf, outboxSettled, until } from '../support/notifications';
import { coachWithHours, localAt } from '../support/schedule';
import { errorOf, startTestServer, type TestServer, type TestUser } from '../support/server';
import { addressesOf, startSmtpSink, type SmtpSink } from '../support/smtp';

/**
 * Who hears what, end to end: real server, real SMTP server on loopback, messages read
 * back with mailparser, calendar files with ical.js.
 */
const ZONE = 'Europe/Berlin';
let sink: SmtpSink;
let server: TestServer;
let owner: TestUser;

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({
    env: {
      SMTP_URL: sink.url,
      PUBLIC_URL: 'https://app.studio.test',
      STUDIO_NAME: 'Iron & <Oak>',
      STUDIO_TIMEZONE: ZONE,
      OUTBOX_POLL_INTERVAL_MS: '200',
      EMAIL_RETRY_SCHEDULE: '300ms,300ms',
    },
  });
  owner = await server.user('OWNER', 'Olga Owner');
});
afterAll(async () => {
  await server.stop();
  await sink.stop();
});

/** Emails delivered to `user` so far, after everything enqueued has been handed over. */
async function mailTo(user: TestUser): Promise<ParsedMail[]> {
  await outboxSettled(server.db);
  return sink.to(user.email);
}

async function kinds(user: TestUser): Promise<string[]> {
  return (await notificationsOf(server.db, user.id)).map((n) => n.kind);
}

function calendarEvents(mail: ParsedMail): { uid: string; start: string; end: string; summary: string }[] {
  const attachment = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  if (!attachment) throw new Error('no calendar attachment');
  const component = new ICAL.Component(ICAL.parse(attachment.content.toString('utf8')));
  return component.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    return { uid: event.uid, start: event.startDate.toJSDate().toISOString(), end: event.endDate.toJSDate().toISOString(), summary: event.summary };
  });
}

async function bookOneOff(coach: TestUser, member: TestUser, as: TestUser, daysAhead = 3, time = '10:00') {
  const data = await server.ok(
    BookSessionDocument,
    { input: { coachId: coach.id, startTime: localAt(ZONE, daysAhead, time).toISOString(), memberId: as.role === 'OWNER' ? member.id : null } },
    as,
  );
  return data.bookSession;
}

describe('a one-off booking', () => {
  it('tells the member and the coach, in the app and by email with an .ics of the session, and nobody else', async () => {
    const { coach } = await coachWithHours(server, owner);
    const member = await server.user('MEMBER');
    const bystander = await server.user('MEMBER');
    const session = await bookOneOff(coach, member, member);

    expect(await kinds(member)).toEqual(['SESSION_BOOKED']);
    expect(await kinds(coach)).toEqual(['SESSION_BOOKED']);
    expect(await kinds(owner)).toEqual([]);
    expect(await kinds(bystander)).toEqual([]);

    const [toMember] = await mailTo(member);
    const [toCoach] = await mailTo(coach);
    expect(toMember.subject).toBe('Session booked - Iron & <Oak>');
    expect(toCoach.subject).toBe('Session booked - Iron & <Oak>');
    for (const mail of [toMember, toCoach]) {
      expect(calendarEvents(mail)).toEqual([{ uid: session.id, start: session.startTime, end: session.endTime, summary: expect.stringMatching(/^Session with /) }]);
    }
    expect(sink.to(bystander.email)).toEqual([]);
    expect(sink.to(owner.email)).toEqual([]);
    // Links point at the apps; the in-app copy records the email as sent.
    expect(toMember.text).toContain(`https://app.studio.test/sessions/${session.id}`);
    await until(async () => (await notificationsOf(server.db, member.id))[0].email_status === 'SENT');
  });

  it('booked by an owner tells the member and the coach, not the owner', async () => {
    const { coach } = await coachWithHours(server, owner);
    const member = await server.user('MEMBER');
    await bookOneOff(coach, member, owner, 4);
    expect(await kinds(member)).toEqual(['SESSION_BOOKED']);
    expect(await kinds(coach)).toEqual(['SESSION_BOOKED']);
    expect(await kinds(owner)).toEqual([]);
  });

  it('escapes every name in the HTML and writes the time in the recipient zone', async () => {
    const { coach } = await coachWithHours(server, owner);
    await server.db.query(`UPDATE users SET name = '<script>alert(1)</script> & "Co"' WHERE id = $1`, [coach.id]);
    const member = await server.user('MEMBER');
    await server.db.query(`UPDATE users SET timezone = 'America/New_York' WHERE id = $1`, [member.id]);
    const session = await bookOneOff(coach, member, member, 5);
    const [mail] = await mailTo(member);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(mail.html).toContain('Iron &amp; &lt;Oak&gt;');
    const newYork = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(session.startTime));
    expect(mail.text).toContain(`, ${newYork}-`);
    expect(mail.text).toContain('(America/New_York)');
  });
});

describe('a new weekly series', () => {
  it('sends one confirmation each to the member and the coach, listing its sessions, with an .ics that matches them', async () => {
    const { coach } = await coachWithHours(server, owner);
    const member = await server.user('MEMBER');
    const created = await server.ok(
      CreateRecurringBookingDocument,
      { input: { coachId: coach.id, dayOfWeek: 2, startTime: '10:00', endTime: '11:00', startDate: nextWeekday(2, ZONE), endDate: null } },
      member,
    );
    const seriesId = created.createRecurringBooking.id;
    const sessions = await server.db.query<{ id: string; start_time: Date; end_time: Date }>(
      'SELECT id::text, start_time, end_time FROM training_sessions WHERE recurring_booking_id = $1 ORDER BY start_time',
      [seriesId],
    );
    expect(sessions.length).toBeGreaterThanOrEqual(5);

    expect(await kinds(member)).toEqual(['SERIES_CONFIRMED']);
    expect(await kinds(coach)).toEqual(['SERIES_CONFIRMED']);
    const [toMember] = await mailTo(member);
    const [toCoach] = await mailTo(coach);
    expect(sink.to(member.email)).toHaveLength(1);
    expect(sink.to(coach.email)).toHaveLength(1);
    const expected = sessions.map((s) => ({ uid: s.id, start: s.start_time.toISOString(), end: s.end_time.toISOString() }));
    for (const mail of [toMember, toCoach]) {
      expect(mail.subject).toBe('Weekly booking confirmed - Iron & <Oak>');
      expect(calendarEvents(mail).map(({ uid, start, end }) => ({ uid, start, end }))).toEqual(expected);
      for (const line of sessions.map((s) => `Tuesday`)) expect(mail.text).toContain(line);
      expect((mail.text?.match(/^- Tuesday .*10:00-11:00 \(Europe\/Berlin\)/gm) ?? []).length).toBe(sessions.length);
    }
    // Each session has its member's reminder (studio default: a day ahead), unless that would already be due.
    const reminders = await server.db.query<{ session_id: string; user_id: string; lead_minutes: number }>(
      `SELECT session_id::text, user_id::text, lead_minutes FROM session_reminders WHERE session_id = ANY($1::uuid[]) AND status = 'PENDING' ORDER BY due_at`,
      [sessions.map((s) => s.id)],
    );
    expect(reminders).toEqual(
      sessions.filter((s) => s.start_time.getTime() - 86_400_000 > new Date(created.createRecurringBooking.createdAt).getTime()).map((s) => ({ session_id: s.id, user_id: member.id, lead_minutes: 1440 })),
    );
    // Generated later by a run, the series' next sessions notify nobody.
    await server.ok(GenerateSessionsDocument, {}, owner);
    expect(await kinds(member)).toEqual(['SERIES_CONFIRMED']);
  });
});

describe('cancellations and reschedules', () => {
  async function booked() {
    const { coach } = await coachWithHours(server, owner);
    const member = await server.user('MEMBER');
    const session = await bookOneOff(coach, member, member, 6);
    await outboxSettled(server.db);
    return { coach, member, session };
  }

  it("a member's cancellation tells the coach only", async () => {
    const { coach, member, session } = await booked();
    await server.ok(CancelSessionDocument, { id: session.id, reason: 'Sick' }, member);
    expect(await kinds(coach)).toEqual(['SESSION_BOOKED', 'SESSION_CANCELLED']);
    expect(await kinds(member)).toEqual(['SESSION_BOOKED']);
    const mails = await mailTo(coach);
    expect(mails.map((m) => m.subject).sort()).toEqual(['Session booked - Iron & <Oak>', 'Session cancelled - Iron & <Oak>']);
    expect(mails.find((m) => m.subject?.startsWith('Session cancelled'))?.text).toContain('Reason: Sick');
  });

  it("a coach's cancellation tells the member only; an owner's tells both", async () => {
    const first = await booked();
    await server.ok(CancelSessionDocument, { id: first.session.id }, first.coach);
    expect(await kinds(first.member)).toEqual(['SESSION_BOOKED', 'SESSION_CANCELLED']);
    expect(await kinds(first.coach)).toEqual(['SESSION_BOOKED']);

    const second = await booked();
    await server.ok(CancelSessionDocument, { id: second.session.id }, owner);
    expect(await kinds(second.member)).toEqual(['SESSION_BOOKED', 'SESSION_CANCELLED']);
    expect(await kinds(second.coach)).toEqual(['SESSION_BOOKED', 'SESSION_CANCELLED']);
    expect(await kinds(owner)).toEqual([]);
  });

  it("a member's reschedule tells the coach, with the old and the new time", async () => {
    const { coach, member, session } = await booked();
    const moved = localAt(ZONE, 6, '14:00');
    await server.ok(RescheduleSessionDocument, { id: session.id, startTime: moved.toISOString() }, member);
    expect(await kinds(coach)).toEqual(['SESSION_BOOKED', 'SESSION_RESCHEDULED']);
    expect(await kinds(member)).toEqual(['SESSION_BOOKED']);
    const notice = (await mailTo(coach)).find((m) => m.subject?.startsWith('Session moved'));
    expect(notice?.text).toMatch(/Before: .*10:00-11:00/);
    expect(notice?.text).toMatch(/Now: .*14:00-15:00/);
  });

  it("a coach's block tells the members of the sessions it cancels", async () => {
    const { coach, member, session } = await booked();
    await server.ok(
      BlockAvailabilityDocument,
      { input: { startTime: new Date(new Date(session.startTime).getTime() - 3_600_000).toISOString(), endTime: new Date(new Date(session.endTime).getTime() + 3_600_000).toISOString(), note: 'Holiday' } },
      coach,
    );
    expect(await kinds(member)).toEqual(['SESSION_BOOKED', 'SESSION_CANCELLED']);
    expect(await kinds(coach)).toEqual(['SESSION_BOOKED']);
    const cancelled = (await mailTo(member)).find((m) => m.subject?.startsWith('Session cancelled'));
    expect(cancelled?.text).toContain('The coach is not available at that time.');
  });

  it("cancelling a series sends one notice to the other party, not one per session", async () => {
    const { coach } = await coachWithHours(server, owner);
    const member = await server.user('MEMBER');
    const created = await server.ok(
      CreateRecurringBookingDocument,
      { input: { coachId: coach.id, dayOfWeek: 3, startTime: '09:00', endTime: '10:00', startDate: nextWeekday(3, ZONE), endDate: null } },
      member,
    );
    await server.ok(CancelRecurringBookingDocument, { input: { recurringBookingId: created.createRecurringBooking.id } }, member);
    expect(await kinds(coach)).toEqual(['SERIES_CONFIRMED', 'SERIES_CANCELLED']);
    expect(await kinds(member)).toEqual(['SERIES_CONFIRMED']);
    const mails = await mailTo(coach);
    // Emails go out in parallel: two made moments apart may arrive in either order.
    expect(mails.map((m) => m.subject).sort()).toEqual(['Weekly booking cancelled - Iron & <Oak>', 'Weekly booking confirmed - Iron & <Oak>']);
  });
});

describe('generation', () => {
  it('tells the member once per occurrence it skips, however many runs skip it', async () => {
    const { coach } = await coachWithHours(server, owner);
    const member = await server.user('MEMBER');
    const start = nextWeekday(4, ZONE, 1);
    await server.ok(
      CreateRecurringBookingDocument,
      { input: { coachId: coach.id, dayOfWeek: 4, startTime: '12:00', endTime: '13:00', startDate: start, endDate: null } },
      member,
    );
    // A block made directly (no cancellation to notify) over the week after next: the series' own sessions are
    // already there, so delete one to let the next run meet the block.
    const [target] = await server.db.query<{ id: string; start_time: Date; end_time: Date }>(
      'SELECT id::text, start_time, end_time FROM training_sessions WHERE member_id = $1 ORDER BY start_time OFFSET 1 LIMIT 1',
      [member.id],
    );
    await server.db.query('DELETE FROM training_sessions WHERE id = $1', [target.id]);
    await server.db.query('INSERT INTO availability_blocks (coach_id, start_time, end_time) VALUES ($1, $2, $3)', [coach.id, target.start_time, target.end_time]);
    await server.ok(GenerateSessionsDocument, {}, owner);
    await server.ok(GenerateSessionsDocument, {}, owner);
    const skipped = await notificationsOf(server.db, member.id, 'OCCURRENCE_SKIPPED');
    expect(skipped).toHaveLength(1);
    expect(skipped[0].body).toMatch(/could not be booked: .* is not available then/);
    expect(await kinds(coach)).toEqual(['SERIES_CONFIRMED']);
    const mails = await mailTo(member);
    expect(mails.map((m) => m.subject)).toContain('A weekly session was skipped - Iron & <Oak>');
  });

  it('writes the notices of hundreds of skipped occurrences in one statement', async () => {
    const { coach, roomId } = await coachWithHours(server, owner);
    const member = await server.user('MEMBER');
    const startDate = nextWeekday(1, 'UTC');
    for (let i = 0; i < 50; i++) {
      await insertSeries(server.db, { memberId: member.id, coachId: coach.id, roomId, dayOfWeek: i % 7, startMinute: 360 + Math.floor(i / 7) * 60, endMinute: 420 + Math.floor(i / 7) * 60, startDate });
    }
    await server.db.query(`INSERT INTO availability_blocks (coach_id, start_time, end_time) VALUES ($1, now(), now() + interval '60 days')`, [coach.id]);
    const statements: string[] = [];
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const first = args[0] as string | { text?: string };
      statements.push(typeof first === 'string' ? first : (first?.text ?? ''));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      await server.ok(GenerateSessionsDocument, {}, owner);
    } finally {
      pg.Client.prototype.query = query;
    }
    const skipped = await notificationsOf(server.db, member.id, 'OCCURRENCE_SKIPPED');
    expect(skipped.length).toBeGreaterThanOrEqual(250);
    expect(statements.filter((text) => /INSERT INTO notifications/.test(text))).toHaveLength(1);
  });

  it('tells every owner when a run fails, naming the run and its error', async () => {
    const second = await server.user('OWNER');
    await server.db.query(`
      CREATE FUNCTION fail_generation() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$;
      CREATE TRIGGER fail_generation BEFORE UPDATE ON generation_runs FOR EACH ROW WHEN (NEW.status = 'SUCCEEDED') EXECUTE FUNCTION fail_generation();`);
    let result: Awaited<ReturnType<typeof server.request>>;
    try {
      result = await server.request(GenerateSessionsDocument, {}, owner);
    } finally {
      await server.db.query('DROP TRIGGER fail_generation ON generation_runs; DROP FUNCTION fail_generation();');
    }
    // The caller gets the masked internal error, never the database's words...
    expect(result).toEqual({ status: 200, data: null, errors: [{ message: 'Internal server error', path: ['generateSessions'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    // ...while the run records the forced failure, rolled back: FAILED with the trigger's message.
    const [run] = await server.db.query<{ id: string; status: string; error: string; total_generated: number }>(
      `SELECT id::text, status::text, error, total_generated FROM generation_runs WHERE trigger = 'MUTATION' ORDER BY started_at DESC LIMIT 1`,
    );
    expect(run).toMatchObject({ status: 'FAILED', total_generated: 0 });
    expect(run.error).toMatch(/disk on fire/);
    for (const o of [owner, second]) {
      const failed = await notificationsOf(server.db, o.id, 'GENERATION_FAILED');
      expect(failed).toHaveLength(1);
      expect(failed[0].title).toBe('Session generation failed');
    }
    const mails = await mailTo(second);
    expect(mails.map((m) => m.subject)).toEqual(['Session generation failed - Iron & <Oak>']);
    expect(mails[0].text).toContain(`Run ${run.id}: `);
    expect(mails[0].text).toContain('disk on fire');
  });
});

describe('preferences', () => {
  it('an opted-out member still gets the in-app notification; its email is SKIPPED and never sent', async () => {
    const { coach } = await coachWithHours(server, owner);
    const member = await server.user('MEMBER');
    const prefs = await server.ok(UpdateNotificationPreferencesDocument, { input: { emailConfirmations: false } }, member);
    expect(prefs.updateNotificationPreferences).toEqual({ emailConfirmations: false, emailReminders: true, emailCancellations: true, emailBilling: true, reminderLeadMinutes: [1440] });
    const session = await bookOneOff(coach, member, member, 7);
    expect(await mailTo(member)).toEqual([]);
    expect(await mailTo(coach)).toHaveLength(1);
    const page = await server.ok(NotificationsDocument, {}, member);
    expect(page.notifications.edges.map((e) => [e.node.kind, e.node.emailStatus, e.node.session?.id])).toEqual([['SESSION_BOOKED', 'SKIPPED', session.id]]);
    // Cancellations are another category: still emailed.
    await server.ok(CancelSessionDocument, { id: session.id }, coach);
    expect((await mailTo(member)).map((m) => m.subject)).toEqual(['Session cancelled - Iron & <Oak>']);
  });

  it('a recipient without an email address gets the in-app notification, its email SKIPPED', async () => {
    const { coach } = await coachWithHours(server, owner);
    const member = await server.user('MEMBER');
    await server.db.query(`UPDATE users SET email = '' WHERE id = $1`, [member.id]);
    await bookOneOff(coach, member, owner, 14);
    await outboxSettled(server.db);
    expect((await notificationsOf(server.db, member.id)).map((n) => [n.kind, n.email_status])).toEqual([['SESSION_BOOKED', 'SKIPPED']]);
    expect((await notificationsOf(server.db, coach.id)).map((n) => [n.kind, n.email_status])).toEqual([['SESSION_BOOKED', 'SENT']]);
    await server.db.query(`UPDATE users SET email = $2 WHERE id = $1`, [member.id, member.email]);
  });

  it('refuses leads outside 5-10080 minutes or more than five, naming the field, and changes nothing', async () => {
    const member = await server.user('MEMBER');
    const before = await tableDigests(server.db, ['notification_preferences', 'session_reminders']);
    for (const [leads, field] of [
      [[4], 'input.reminderLeadMinutes.0'],
      [[60, 10_081], 'input.reminderLeadMinutes.1'],
      [[5, 10, 15, 20, 25, 30], 'input.reminderLeadMinutes'],
    ] as const) {
      const result = await server.request(UpdateNotificationPreferencesDocument, { input: { emailReminders: false, reminderLeadMinutes: [...leads] } }, member);
      expect(errorOf(result)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await tableDigests(server.db, ['notification_preferences', 'session_reminders'])).toEqual(before);
    const prefs = await server.ok(NotificationPreferencesDocument, {}, member);
    expect(prefs.notificationPreferences.emailReminders).toBe(true);
  });

  it("new leads move the member's pending reminders", async () => {
    const { coach } = await coachWithHours(server, owner);
    const member = await server.user('MEMBER');
    const session = await bookOneOff(coach, member, member, 8);
    const leadsOf = async () =>
      (await server.db.query<{ lead_minutes: number }>(`SELECT lead_minutes FROM session_reminders WHERE session_id = $1 AND status = 'PENDING' ORDER BY lead_minutes`, [session.id])).map((r) => r.lead_minutes);
    expect(await leadsOf()).toEqual([1440]);
    await server.ok(UpdateNotificationPreferencesDocument, { input: { reminderLeadMinutes: [120, 60, 60] } }, member);
    expect(await leadsOf()).toEqual([60, 120]);
    const prefs = await server.ok(NotificationPreferencesDocument, {}, member);
    expect(prefs.notificationPreferences.reminderLeadMinutes).toEqual([60, 120]);
  });
});

describe('reading notifications', () => {
  it('pages newest first with unreadCount, and marks read by ids or all', async () => {
    const { coach } = await coachWithHours(server, owner);
    const member = await server.user('MEMBER');
    for (const day of [9, 10, 11]) await bookOneOff(coach, member, member, day);
    const first = await server.ok(NotificationsDocument, { first: 2 }, member);
    expect(first.notifications).toMatchObject({ totalCount: 3, unreadCount: 3, pageInfo: { hasNextPage: true } });
    const rest = await server.ok(NotificationsDocument, { first: 2, after: first.notifications.pageInfo.endCursor }, member);
    const all = [...first.notifications.edges, ...rest.notifications.edges].map((e) => e.node);
    expect(all).toHaveLength(3);
    expect(all.map((n) => n.session?.startTime)).toEqual([...all.map((n) => n.session?.startTime)].sort().reverse());

    expect((await server.ok(MarkNotificationsReadDocument, { ids: [all[0].id] }, member)).markNotificationsRead).toBe(1);
    expect((await server.ok(MarkNotificationsReadDocument, { ids: [all[0].id] }, member)).markNotificationsRead).toBe(0);
    const unread = await server.ok(NotificationsDocument, { unreadOnly: true }, member);
    expect(unread.notifications).toMatchObject({ totalCount: 2, unreadCount: 2 });
    expect((await server.ok(MarkNotificationsReadDocument, { all: true }, member)).markNotificationsRead).toBe(2);
    expect((await server.ok(NotificationsDocument, {}, member)).notifications.unreadCount).toBe(0);
  });

  it("refuses unknown ids and another person's ids as NOT_FOUND, writing nothing", async () => {
    const { coach } = await coachWithHours(server, owner);
    const member = await server.user('MEMBER');
    await bookOneOff(coach, member, member, 12);
    const [mine] = await notificationsOf(server.db, member.id);
    const [theirs] = await notificationsOf(server.db, coach.id);
    await outboxSettled(server.db); // emailStatus changes as emails go out
    const before = await tableDigests(server.db, ['notifications']);
    for (const ids of [[mine.id, theirs.id], [mine.id, '00000000-0000-4000-8000-000000000000'], ['not-an-id']]) {
      expect(errorOf(await server.request(MarkNotificationsReadDocument, { ids }, member))).toMatchObject({ code: 'NOT_FOUND', field: 'ids' });
    }
    expect(errorOf(await server.request(MarkNotificationsReadDocument, { ids: [theirs.id] }, owner))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await tableDigests(server.db, ['notifications'])).toEqual(before);
    expect((await server.ok(NotificationsDocument, {}, owner)).notifications.edges.some((e) => e.node.id === theirs.id)).toBe(false);
  });

  it('notificationReceived hands each person their own, live', async () => {
    const { coach } = await coachWithHours(server, owner);
    const member = await server.user('MEMBER');
    const other = await server.user('MEMBER');
    const memberClient = wsClient(server, member);
    const otherClient = wsClient(server, other);
    const mine = subscribe(memberClient, NotificationReceivedDocument);
    const theirs = subscribe(otherClient, NotificationReceivedDocument);
    // Each person's bookings, one a day: each tells its member (and the coach, who does not listen here).
    const booked = new Map<TestUser, { id: string; startTime: string }[]>([[member, []], [other, []]]);
    let day = 13;
    const book = async (who: TestUser) => {
      const session = await bookOneOff(coach, who, who, day++);
      booked.get(who)!.push({ id: session.id, startTime: session.startTime });
    };
    const lastOf = (who: TestUser) => booked.get(who)!.at(-1)!.id;
    const about = (id: string) => (data: NotificationReceivedSubscription) => data.notificationReceived.session?.id === id;
    /** The sessions a subscription heard of, in arrival order. */
    const heard = (live: LiveSubscription<NotificationReceivedSubscription>) => live.events.map((e) => e.data.notificationReceived.session?.id);
    try {
      // Subscriptions are registered once a probe's notification arrives (graphql-ws does not acknowledge).
      await waitUntilListening(theirs, () => book(other), (data) => about(lastOf(other))(data));
      await waitUntilListening(mine, () => book(member), (data) => about(lastOf(member))(data));
      const { data } = await mine.next(about(lastOf(member)));
      const session = booked.get(member)!.at(-1)!;
      const row = (await notificationsOf(server.db, member.id)).find((n) => n.session_id === session.id)!;
      expect(data.notificationReceived).toEqual({
        id: row.id,
        kind: 'SESSION_BOOKED',
        title: 'Session booked',
        body: row.body,
        session: { id: session.id, startTime: session.startTime, status: 'SCHEDULED' },
        recurringBooking: null,
        createdAt: expect.any(String),
        readAt: null,
        emailStatus: expect.stringMatching(/^(PENDING|SENT)$/),
      });

      // One more booking each, in turn: a subscription's events arrive in commit order, so once each has its
      // own last one, anything of the other person's committed before it would have arrived already.
      await book(other);
      await book(member);
      await theirs.next(about(lastOf(other)));
      await mine.next(about(lastOf(member)));
      // Each heard every booking of their own from the first one it was listening for, and nothing else.
      const ids = (who: TestUser) => booked.get(who)!.map((s) => s.id);
      expect(heard(theirs)).toEqual(ids(other).slice(ids(other).indexOf(heard(theirs)[0]!)));
      expect(heard(mine)).toEqual(ids(member).slice(ids(member).indexOf(heard(mine)[0]!)));
      expect([...theirs.errors, ...mine.errors]).toEqual([]);
    } finally {
      mine.dispose();
      theirs.dispose();
      await memberClient.dispose();
      await otherClient.dispose();
    }
  });
});

describe('times across a daylight-saving change', () => {
  it("lists a series' sessions at their wall time for the studio's zone and at the right hour for others", async () => {
    // A change of Europe/Berlin's offset, and a Tuesday series around it (horizon: a year).
    const offset = (d: Date) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, timeZoneName: 'shortOffset' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value;
    // Searched from 15 days ahead, so that the series' first two weeks are not in the past.
    const from = new Date(Date.now() + 15 * 86_400_000);
    let change = from;
    while (offset(change) === offset(from)) change = new Date(change.getTime() + 86_400_000);
    const dst = await startTestServer({ db: server.db, env: { SMTP_URL: sink.url, STUDIO_TIMEZONE: ZONE, GENERATION_HORIZON_WEEKS: '52', OUTBOX_POLL_INTERVAL_MS: '200' } });
    try {
      const { coach } = await coachWithHours(dst, owner);
      const member = await dst.user('MEMBER');
      await dst.db.query(`UPDATE users SET timezone = 'America/New_York' WHERE id = $1`, [member.id]);
      const startDate = new Date(change.getTime() - 14 * 86_400_000).toISOString().slice(0, 10);
      const endDate = new Date(change.getTime() + 14 * 86_400_000).toISOString().slice(0, 10);
      await dst.ok(CreateRecurringBookingDocument, { input: { coachId: coach.id, dayOfWeek: 2, startTime: '10:00', endTime: '11:00', startDate, endDate } }, member);
      const sessions = await dst.db.query<{ start_time: Date }>('SELECT start_time FROM training_sessions WHERE member_id = $1 ORDER BY start_time', [member.id]);
      expect(sessions).toHaveLength(4);
      // The UTC instants move by an hour across the change...
      expect(new Set(sessions.map((s) => s.start_time.getUTCHours())).size).toBe(2);
      await outboxSettled(dst.db);
      const [toCoach] = sink.to(coach.email);
      const [toMember] = sink.to(member.email);
      // ...the studio's zone keeps 10:00 on every line...
      expect(toCoach.text?.match(/^- .*$/gm)?.map((line) => line.match(/, (\d\d:\d\d)-/)?.[1])).toEqual(['10:00', '10:00', '10:00', '10:00']);
      // ...and New York reads each instant in its own offset (computed here without dayjs).
      const ny = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      expect(toMember.text?.match(/^- .*$/gm)?.map((line) => line.match(/, (\d\d:\d\d)-/)?.[1])).toEqual(sessions.map((s) => ny.format(s.start_time)));
      expect(addressesOf(toMember)).toEqual([member.email]);
    } finally {
      await dst.stop();
    }
  });
});
