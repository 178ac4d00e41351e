import { BookSessionDocument, CancelSessionDocument, RescheduleSessionDocument, UpdateNotificationPreferencesDocument } from '../generated/graphql';
import { coachWithRoom } from '../support/booking-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { notificationsOf, outboxSettled, sleep, until } from '../support/notifications';
import { startTestServer, type TestServer, type TestUser } from '../support/server';
import { startSmtpSink, type SmtpSink } from '../support/smtp';

/**
 * Reminders end to end: real servers (one or two instances on one database), a real SMTP
 * server, real waits of a few seconds (the shortest lead is 5 minutes, so sessions start
 * 5 minutes and a few seconds from now, at a whole minute: see `book`).
 */
const LEAD = 5;
// Up to a minute of each test is waiting for a whole-minute start (see `book`).
jest.setTimeout(120_000);
let sink: SmtpSink;
let db: TestDatabase;
const servers: TestServer[] = [];

const env = () => ({ SMTP_URL: sink.url, OUTBOX_POLL_INTERVAL_MS: '200', EMAIL_RETRY_SCHEDULE: '1500ms,1500ms' });

async function instance(): Promise<TestServer> {
  const server = await startTestServer({ db, env: env() });
  servers.push(server);
  return server;
}

beforeEach(async () => {
  sink = await startSmtpSink();
  db = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  await sink.stop();
  await db.drop();
});

/** A member who wants a reminder 5 minutes ahead, and a coach bookable all day. */
async function people(server: TestServer): Promise<{ member: TestUser; coach: TestUser }> {
  const { coach } = await coachWithRoom(server);
  const member = await server.user('MEMBER');
  await server.ok(UpdateNotificationPreferencesDocument, { input: { reminderLeadMinutes: [LEAD] } }, member);
  return { member, coach };
}

const MINUTE = 60_000;
const wholeMinuteAfter = (ms: number) => Math.ceil(ms / MINUTE) * MINUTE;

/**
 * A 15-minute session whose 5-minute reminder is due `inMs` from the booking. Starts are
 * whole minutes, so this first waits (under a minute) until a whole-minute start puts the
 * reminder that far away; `wait: false` books the next whole minute instead.
 */
async function book(server: TestServer, member: TestUser, coach: TestUser, inMs: number, { wait = true } = {}) {
  const start = wholeMinuteAfter(Date.now() + LEAD * MINUTE + inMs);
  if (wait) await sleep(start - LEAD * MINUTE - inMs - Date.now());
  const data = await server.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: new Date(start).toISOString(), durationMinutes: 15 } }, member);
  return data.bookSession;
}

const reminderMails = (user: TestUser) => sink.to(user.email).filter((m) => m.subject?.startsWith('Reminder'));

/**
 * Waits until the session's reminders have been handled (claimed once, SKIP LOCKED, and marked
 * SENT or VOID) and every email enqueued has been handed to SMTP: no reminder email for it can come later.
 */
async function remindersDone(sessionId: string): Promise<void> {
  const pending = async () => (await db.query(`SELECT 1 FROM session_reminders WHERE session_id = $1 AND status = 'PENDING'`, [sessionId])).length;
  await until(async () => (await pending()) === 0, 20_000, 'the reminder to be handled');
  await outboxSettled(db);
}

describe('session reminders', () => {
  it('are sent exactly once with two instances running, to the member only, and not for a session cancelled before', async () => {
    const a = await instance();
    await instance();
    const { member, coach } = await people(a);
    const kept = await book(a, member, coach, 3_000);
    const dropped = await book(a, member, coach, 3_000 + 30 * 60_000, { wait: false });
    await a.ok(CancelSessionDocument, { id: dropped.id }, member);

    await remindersDone(kept.id);
    expect(reminderMails(member)).toHaveLength(1);
    expect(reminderMails(member)[0].text).toContain('starts in 5 minutes');
    expect(reminderMails(coach)).toHaveLength(0);
    const reminders = await notificationsOf(db, member.id, 'SESSION_REMINDER');
    expect(reminders.map((r) => [r.session_id, r.email_status])).toEqual([[kept.id, 'SENT']]);
    expect(await db.query(`SELECT status::text FROM session_reminders WHERE session_id = $1`, [dropped.id])).toEqual([{ status: 'VOID' }]);
  });

  it('are still sent after a restart between booking and the due time, if the session has not started', async () => {
    const first = await instance();
    const { member, coach } = await people(first);
    const session = await book(first, member, coach, 2_000);
    await first.stop();
    servers.splice(servers.indexOf(first), 1);
    await sleep(3_000); // the due time passes while no instance runs
    expect(reminderMails(member)).toHaveLength(0);
    await instance();
    await remindersDone(session.id);
    expect(reminderMails(member)).toHaveLength(1);
    expect((await notificationsOf(db, member.id, 'SESSION_REMINDER')).map((r) => [r.session_id, r.email_status])).toEqual([[session.id, 'SENT']]);
  });

  it('are not sent for a session cancelled after the reminder was queued (the worker re-checks before SMTP)', async () => {
    const server = await instance();
    const { member, coach } = await people(server);
    // The first attempt of each reminder email meets a 451: it waits 1.5 s for its retry.
    const refused = new Set<string>();
    sink.answer = (_n, mail) => {
      if (mail.subject?.startsWith('Reminder') && !refused.has(mail.messageId ?? '')) {
        refused.add(mail.messageId ?? '');
        return { accept: false, code: 451, message: 'Greylisted, try again later' };
      }
      return { accept: true };
    };
    const session = await book(server, member, coach, 2_000);
    await until(async () => refused.size === 1, 20_000, 'the first reminder attempt');
    await server.ok(CancelSessionDocument, { id: session.id }, member);
    await outboxSettled(db, 20_000);
    expect(reminderMails(member)).toHaveLength(0);
    const [row] = await db.query<{ status: string; attempts: number; last_error: string }>(
      `SELECT o.status::text, o.attempts, o.last_error FROM outbox_messages o JOIN notifications n ON n.id = o.notification_id WHERE n.kind = 'SESSION_REMINDER'`,
    );
    expect(row).toMatchObject({ status: 'SKIPPED', attempts: 2, last_error: 'The session was cancelled, moved or has started' });
    expect((await notificationsOf(db, member.id, 'SESSION_REMINDER'))[0].email_status).toBe('SKIPPED');
  });

  it('retries an email after a 451 and then delivers it once', async () => {
    const server = await instance();
    const { member, coach } = await people(server);
    let attempts = 0;
    sink.answer = (_n, mail) => (mail.subject?.startsWith('Reminder') && ++attempts === 1 ? { accept: false, code: 451, message: 'Try again later' } : { accept: true });
    await book(server, member, coach, 1_000);
    await until(async () => reminderMails(member).length === 1, 20_000, 'the retried reminder');
    await outboxSettled(db);
    expect(attempts).toBe(2);
    expect(reminderMails(member)).toHaveLength(1);
  });

  it('follow a reschedule, and none is made that would be due before the booking', async () => {
    const server = await instance();
    const { member, coach } = await people(server);
    const session = await book(server, member, coach, 60 * 60_000, { wait: false });
    const pending = () =>
      db.query<{ status: string; due_at: Date; session_start: Date }>(`SELECT status::text, due_at, session_start FROM session_reminders WHERE session_id = $1 ORDER BY created_at, status`, [session.id]);
    expect(await pending()).toMatchObject([{ status: 'PENDING', session_start: new Date(session.startTime) }]);
    const moved = new Date(new Date(session.startTime).getTime() + 2 * 60 * 60_000);
    await server.ok(RescheduleSessionDocument, { id: session.id, startTime: moved.toISOString() }, member);
    const rows = await pending();
    expect(rows.map((r) => [r.status, r.session_start.toISOString(), r.due_at.toISOString()]).sort()).toEqual(
      [
        ['PENDING', moved.toISOString(), new Date(moved.getTime() - LEAD * 60_000).toISOString()],
        ['VOID', new Date(session.startTime).toISOString(), new Date(new Date(session.startTime).getTime() - LEAD * 60_000).toISOString()],
      ].sort(),
    );
    // Booked three minutes ahead: a five-minute reminder would already be late, so there is none.
    const soon = await server.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: new Date(wholeMinuteAfter(Date.now() + 3 * MINUTE)).toISOString(), durationMinutes: 15 } }, member);
    expect(await db.query('SELECT 1 FROM session_reminders WHERE session_id = $1', [soon.bookSession.id])).toEqual([]);
  });
});

describe('the reminder worker and the server clock', () => {
  it('sends a reminder when the injected clock reaches its due time, not the wall clock', async () => {
    let offset = 0;
    const server = await startTestServer({ db, env: env(), now: () => new Date(Date.now() + offset) });
    servers.push(server);
    const { member, coach } = await people(server);
    // Due an hour from now by the wall clock: only the server's clock gets there during the test.
    const start = wholeMinuteAfter(Date.now() + 60 * MINUTE + LEAD * MINUTE);
    const { bookSession: session } = await server.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: new Date(start).toISOString(), durationMinutes: 15 } }, member);
    offset = 61 * MINUTE;
    await until(async () => (await notificationsOf(db, member.id, 'SESSION_REMINDER')).length === 1, 15_000, 'the reminder by the server clock');
    const [reminder] = await db.query<{ status: string }>('SELECT status FROM session_reminders WHERE session_id = $1', [session.id]);
    expect(reminder.status).not.toBe('PENDING');
  });
});
