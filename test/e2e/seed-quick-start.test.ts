/**
 * The five tests of seed-quick-start.md ("Testing Your Implementation"), run against the
 * real server over HTTP GraphQL and the cron endpoint, checked in the database the way
 * the seed checks them with SQL.
 */
import { CancelRecurringBookingDocument, CreateRecurringBookingDocument } from '../generated/graphql';
import { callCron, coachWithRoom, count, expectedStarts, HOUR, insertSeries, nextWeekday, sessionsOf, today, WEEK, type CoachSetup } from '../support/booking-fixtures';
import { insertSession } from '../support/sessions';
import { startTestServer, type TestServer, type TestUser } from '../support/server';

const CRON_SECRET = 'seed-quick-start-cron-secret-0123456789';
const HORIZON = 6 * WEEK;

let server: TestServer;
let studio: CoachSetup;
let member: TestUser;
let bookingId: string;
let startDate: string;
let inProgressId: string;

beforeAll(async () => {
  server = await startTestServer({ env: { CRON_SECRET } });
  studio = await coachWithRoom(server, { name: 'Coach ABC' });
  member = await server.user('MEMBER', 'Seed Member');
});
afterAll(() => server.stop());

describe('Test 1: create a recurring booking', () => {
  it('lets a member book every Monday 09:00-10:00 from next Monday, returning the series', async () => {
    startDate = nextWeekday(1);
    const data = await server.ok(
      CreateRecurringBookingDocument,
      { input: { coachId: studio.coach.id, dayOfWeek: 1, startTime: '09:00', endTime: '10:00', startDate } },
      member,
    );
    bookingId = data.createRecurringBooking.id;
    expect(data.createRecurringBooking).toMatchObject({
      member: { id: member.id },
      coach: { id: studio.coach.id },
      room: { id: studio.roomId }, // the coach's default room
      dayOfWeek: 1,
      startTime: '09:00',
      endTime: '10:00',
      timezone: 'UTC', // STUDIO_TIMEZONE
      startDate,
      endDate: null,
      status: 'ACTIVE',
      cancelledAt: null,
    });
  });
});

describe('Test 2: verify sessions generated', () => {
  it('has about six weeks of Monday 09:00 sessions as soon as the mutation has returned', async () => {
    const rows = await sessionsOf(server.db, bookingId);
    const expected = expectedStarts({ startDate, dayOfWeek: 1, time: '09:00', from: new Date(), to: new Date(Date.now() + HORIZON) });
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.map((r) => r.start.toISOString())).toEqual(expected.map((d) => d.toISOString()));
    for (const row of rows) {
      expect(row.start.getUTCDay()).toBe(1);
      expect(row.end.getTime() - row.start.getTime()).toBe(HOUR);
      expect(row.status).toBe('SCHEDULED');
      expect(row.occurrenceStart).toEqual(row.start);
    }
  });

  it('wrote a history entry for each (created by the scheduler: no actor) and recorded a BOOKING run', async () => {
    const rows = await sessionsOf(server.db, bookingId);
    const history = await server.db.query<{ from_status: string | null; to_status: string; actor_id: string | null }>(
      'SELECT from_status, to_status, actor_id FROM session_status_changes WHERE session_id = ANY($1::uuid[])',
      [rows.map((r) => r.id)],
    );
    expect(history).toHaveLength(rows.length);
    expect(history.every((h) => h.from_status === null && h.to_status === 'SCHEDULED' && h.actor_id === null)).toBe(true);
    const runs = await server.db.query<{ trigger: string; status: string; total_generated: number; from_recurring_bookings: number }>(
      'SELECT trigger, status, total_generated, from_recurring_bookings FROM generation_runs',
    );
    expect(runs).toEqual([{ trigger: 'BOOKING', status: 'SUCCEEDED', total_generated: rows.length, from_recurring_bookings: 1 }]);
  });
});

describe('Test 3: cancel the recurring booking', () => {
  it('lets the member cancel with futureOnly: true', async () => {
    // A session of this series that is running right now: futureOnly leaves it alone.
    const start = new Date(Date.now() - HOUR / 2);
    inProgressId = await insertSession(server.db, {
      coachId: studio.coach.id,
      memberId: member.id,
      roomId: studio.roomId,
      start,
      end: new Date(start.getTime() + HOUR),
      recurringBookingId: bookingId,
    });
    const data = await server.ok(CancelRecurringBookingDocument, { input: { recurringBookingId: bookingId, futureOnly: true } }, member);
    expect(data.cancelRecurringBooking).toMatchObject({ id: bookingId, status: 'CANCELLED' });
    expect(data.cancelRecurringBooking.cancelledAt).not.toBeNull();
  });
});

describe('Test 4: verify cancellation', () => {
  it('shows every session starting after now as CANCELLED, and leaves the running one scheduled', async () => {
    const future = await server.db.query<{ status: string }>(
      'SELECT status FROM training_sessions WHERE recurring_booking_id = $1 AND start_time > NOW() ORDER BY start_time',
      [bookingId],
    );
    expect(future.length).toBeGreaterThanOrEqual(5);
    expect(future.every((row) => row.status === 'CANCELLED')).toBe(true);
    const [running] = await server.db.query<{ status: string }>('SELECT status FROM training_sessions WHERE id = $1', [inProgressId]);
    expect(running.status).toBe('SCHEDULED');
  });

  it('kept the history: each cancelled session went SCHEDULED -> CANCELLED by the member', async () => {
    const changes = await server.db.query<{ actor_id: string; n: string }>(
      `SELECT h.actor_id, count(*) AS n FROM session_status_changes h JOIN training_sessions t ON t.id = h.session_id
       WHERE t.recurring_booking_id = $1 AND h.from_status = 'SCHEDULED' AND h.to_status = 'CANCELLED' GROUP BY h.actor_id`,
      [bookingId],
    );
    expect(changes).toEqual([{ actor_id: member.id, n: String(await count(server.db, 'training_sessions', "recurring_booking_id = $1 AND status = 'CANCELLED'", [bookingId])) }]);
  });
});

describe('Test 5: manual cron trigger', () => {
  it('generates, completes and answers {"success":true,"data":{totalGenerated, fromRecurringBookings, markedCompleted, ...}}', async () => {
    // Arrange what a night's run finds: two active series without sessions yet, and two sessions that are over.
    // (Another coach and room than the session still running from Test 3, so nothing can clash.)
    const other = await server.user('MEMBER');
    const second = await coachWithRoom(server);
    const series = [
      await insertSeries(server.db, { memberId: other.id, coachId: second.coach.id, roomId: second.roomId, dayOfWeek: 3, startMinute: 600, endMinute: 660, startDate: today() }),
      await insertSeries(server.db, { memberId: other.id, coachId: second.coach.id, roomId: second.roomId, dayOfWeek: 5, startMinute: 420, endMinute: 480, startDate: today() }),
    ];
    for (const daysAgo of [2, 3]) {
      const start = new Date(Date.now() - daysAgo * 24 * HOUR);
      await insertSession(server.db, { coachId: second.coach.id, memberId: other.id, roomId: second.roomId, start, end: new Date(start.getTime() + HOUR) });
    }
    const before = new Date();
    const expected =
      expectedStarts({ startDate: today(), dayOfWeek: 3, time: '10:00', from: before, to: new Date(before.getTime() + HORIZON) }).length +
      expectedStarts({ startDate: today(), dayOfWeek: 5, time: '07:00', from: before, to: new Date(before.getTime() + HORIZON) }).length;

    const response = await callCron(server, CRON_SECRET, 'GET');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      success: true,
      data: {
        runId: expect.any(String),
        totalGenerated: expected,
        fromRecurringBookings: 2,
        markedCompleted: 2,
        skippedBlocked: 0,
        skippedConflicts: 0,
        seriesEnded: 0,
        // The class half of the run (no class schedules here).
        classesGenerated: 0,
        classesCompleted: 0,
        classesSkippedBlocked: 0,
        classesSkippedConflicts: 0,
        classSchedulesEnded: 0,
        standingBooked: 0,
        standingWaitlisted: 0,
        standingSkipped: 0,
        durationMs: expect.any(Number),
      },
    });
    const created = (await sessionsOf(server.db, series[0])).length + (await sessionsOf(server.db, series[1])).length;
    expect(created).toBe(expected);
    const [run] = await server.db.query<{ trigger: string; status: string; total_generated: number; marked_completed: number }>(
      'SELECT trigger, status, total_generated, marked_completed FROM generation_runs WHERE id = $1',
      [response.body.data?.runId],
    );
    expect(run).toEqual({ trigger: 'HTTP', status: 'SUCCEEDED', total_generated: expected, marked_completed: 2 });
  });

  it('accepts POST too, and a second run finds nothing left to do', async () => {
    const response = await callCron(server, CRON_SECRET, 'POST');
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ totalGenerated: 0, fromRecurringBookings: 0, markedCompleted: 0 });
  });

  it.each([
    ['no Authorization header', null, 'Bearer'],
    ['a wrong secret of the same length', CRON_SECRET.replace(/.$/, 'x'), 'Bearer'],
    ['a wrong secret of another length', 'short', 'Bearer'],
    ['the right secret in another scheme', CRON_SECRET, 'Basic'],
  ])('refuses %s with 401 {"success":false} and runs nothing', async (_label, secret, scheme) => {
    const runs = await count(server.db, 'generation_runs');
    const response = await callCron(server, secret, 'GET', scheme);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ success: false, error: expect.any(String) });
    expect(await count(server.db, 'generation_runs')).toBe(runs);
  });

  it("refuses an owner's user token: only the cron secret opens this door", async () => {
    const owner = await server.user('OWNER');
    const runs = await count(server.db, 'generation_runs');
    const response = await callCron(server, owner.token, 'POST');
    expect(response.status).toBe(401);
    expect(await count(server.db, 'generation_runs')).toBe(runs);
  });

  it('answers 503 when the server has no CRON_SECRET', async () => {
    const bare = await startTestServer({ db: server.db });
    try {
      const response = await callCron(bare, CRON_SECRET);
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ success: false, error: expect.any(String) });
    } finally {
      await bare.stop();
    }
  });
});
