import pg from 'pg';
import { BookSessionDocument, CancelSessionDocument, CreateRecurringBookingDocument, SessionInFullDocument, SessionsInFullDocument } from '../generated/graphql';
import { coachWithRoom, nextWeekday, type CoachSetup } from '../support/booking-fixtures';
import { createTestDatabase } from '../support/database';
import { errorOf, startTestServer, type TestServer, type TestUser } from '../support/server';
import { HOUR_MS, insertSession, wholeHourFromNow } from '../support/sessions';

/**
 * A database whose default TimeZone is not UTC (an embedded cluster initialised on a machine
 * set to local time, a managed server's default) changes no instant: the server pins its
 * connections to UTC. Pacific/Chatham is UTC+13:45, so any leak shows.
 */
const ZONE = 'Pacific/Chatham';

let server: TestServer;
let c: CoachSetup;
let member: TestUser;

beforeAll(async () => {
  const db = await createTestDatabase();
  await db.query(`ALTER DATABASE ${new URL(db.url).pathname.slice(1)} SET TimeZone = '${ZONE}'`);
  server = await startTestServer({ db });
  c = await coachWithRoom(server);
  member = await server.user('MEMBER');
});
afterAll(async () => {
  await server.stop();
  await server.db.drop();
});

/** Instants as PostgreSQL holds them, in epoch milliseconds (independent of any TimeZone). */
async function storedMs(sql: string, params: unknown[]): Promise<number[]> {
  const rows = await server.db.query<{ ms: string }>(sql, params);
  return rows.map((row) => Number(row.ms));
}

it('is a database whose new connections default to another TimeZone', async () => {
  const client = new pg.Client({ connectionString: server.db.url });
  await client.connect();
  expect((await client.query('SHOW TimeZone')).rows[0].TimeZone).toBe(ZONE);
  await client.end();
});

it('stores a booked session at the instant asked for, and shows it so on every path', async () => {
  const start = wholeHourFromNow(50);
  const booked = (await server.ok(BookSessionDocument, { input: { coachId: c.coach.id, startTime: start.toISOString() } }, member)).bookSession;
  expect(booked.startTime).toBe(start.toISOString());
  expect(await storedMs('SELECT extract(epoch FROM start_time) * 1000 AS ms FROM training_sessions WHERE id = $1', [booked.id])).toEqual([start.getTime()]);
  const [at] = await storedMs('SELECT extract(epoch FROM at) * 1000 AS ms FROM session_status_changes WHERE session_id = $1', [booked.id]);
  expect(Math.abs(at - Date.now())).toBeLessThan(60_000);

  expect((await server.ok(SessionInFullDocument, { id: booked.id }, member)).session?.startTime).toBe(start.toISOString());
  const page = (await server.ok(SessionsInFullDocument, { filter: { memberId: member.id }, first: 50 }, member)).sessions.edges;
  expect(page.find(({ node }) => node.id === booked.id)?.node.startTime).toBe(start.toISOString());
});

it('knows that a session written by someone else 30 minutes ago has started', async () => {
  const id = await insertSession(server.db, { coachId: c.coach.id, memberId: member.id, roomId: c.roomId, start: new Date(Date.now() - HOUR_MS / 2) });
  expect(errorOf(await server.request(CancelSessionDocument, { id }, member))).toMatchObject({ code: 'CONFLICT' });
});

it("generates a series' sessions at its wall-clock time", async () => {
  const input = { coachId: c.coach.id, dayOfWeek: 2, startTime: '18:00', endTime: '19:00', startDate: nextWeekday(2, 'Europe/Berlin'), timezone: 'Europe/Berlin' };
  const series = (await server.ok(CreateRecurringBookingDocument, { input }, member)).createRecurringBooking;
  const rows = await server.db.query<{ local: string }>(
    `SELECT to_char(start_time AT TIME ZONE 'Europe/Berlin', 'ID HH24:MI') AS local FROM training_sessions WHERE recurring_booking_id = $1`,
    [series.id],
  );
  expect(rows.length).toBeGreaterThanOrEqual(5);
  expect(new Set(rows.map((row) => row.local))).toEqual(new Set(['2 18:00']));
});
