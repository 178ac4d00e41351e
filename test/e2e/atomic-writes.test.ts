import { addDays } from '../../src/domain/civil-date';
import { localDateOf } from '../../src/domain/zone-time';
import {
  BlockAvailabilityDocument,
  BookSessionDocument,
  CancelRecurringBookingDocument,
  CancelSessionDocument,
  CreateRecurringBookingDocument,
  GenerateSessionsDocument,
} from '../generated/graphql';
import { tableDigests } from '../support/database';
import { coachWithHours, localAt, plusMinutes } from '../support/schedule';
import { errorOf, startTestServer, type TestServer, type TestUser } from '../support/server';

/**
 * Every mutation is one transaction. A failure forced at the last step (the history
 * entry every status change writes) must leave nothing of the earlier steps behind.
 */
let server: TestServer;
let owner: TestUser;
let coach: TestUser;
let member: TestUser;

const TABLES = ['recurring_bookings', 'training_sessions', 'session_status_changes', 'availability_blocks'];

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.user('OWNER');
  member = await server.user('MEMBER');
  ({ coach } = await coachWithHours(server, owner, { from: '06:00', to: '22:00' }));
});
afterAll(() => server.stop());


/** Runs `work` while every insert into session_status_changes fails, like a crash at the last step. */
async function withHistoryFailing<T>(work: () => Promise<T>): Promise<T> {
  await server.db.query(`
    CREATE OR REPLACE FUNCTION fail_history() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'forced failure while writing history'; END $$;
    CREATE TRIGGER fail_history BEFORE INSERT ON session_status_changes FOR EACH ROW EXECUTE FUNCTION fail_history();`);
  try {
    return await work();
  } finally {
    await server.db.query('DROP TRIGGER fail_history ON session_status_changes');
  }
}

async function expectNothingWritten(mutation: () => Promise<{ errors?: readonly unknown[] }>) {
  const before = await tableDigests(server.db, TABLES);
  const result = await withHistoryFailing(mutation);
  expect(errorOf(result as never).code).toBe('INTERNAL_SERVER_ERROR');
  expect(await tableDigests(server.db, TABLES)).toEqual(before);
}

const seriesInput = (dayOfWeek: number) => ({
  coachId: coach.id,
  dayOfWeek,
  startTime: '09:00',
  endTime: '10:00',
  startDate: addDays(localDateOf(new Date(), 'UTC'), 1),
});

describe('a failure at the last step of a mutation', () => {
  it('bookSession: leaves no session', async () => {
    await expectNothingWritten(() => server.request(BookSessionDocument, { input: { coachId: coach.id, startTime: localAt('UTC', 2, '12:00').toISOString() } }, member));
  });

  it('createRecurringBooking: leaves neither the series nor any of its sessions', async () => {
    await expectNothingWritten(() => server.request(CreateRecurringBookingDocument, { input: seriesInput(2) }, member));
  });

  it('cancelRecurringBooking: leaves the series ACTIVE and its sessions SCHEDULED', async () => {
    const created = await server.ok(CreateRecurringBookingDocument, { input: seriesInput(4) }, member);
    await expectNothingWritten(() => server.request(CancelRecurringBookingDocument, { input: { recurringBookingId: created.createRecurringBooking.id } }, member));
  });

  it('cancelSession: leaves the session SCHEDULED', async () => {
    const booked = await server.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: localAt('UTC', 3, '15:00').toISOString() } }, member);
    await expectNothingWritten(() => server.request(CancelSessionDocument, { id: booked.bookSession.id }, member));
  });

  it('blockAvailability: creates no block and cancels no session', async () => {
    const start = localAt('UTC', 4, '16:00');
    await server.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: start.toISOString() } }, member);
    await expectNothingWritten(() =>
      server.request(BlockAvailabilityDocument, { input: { startTime: plusMinutes(start, -60).toISOString(), endTime: plusMinutes(start, 120).toISOString() } }, coach),
    );
  });

  it('generateSessions: records the run as FAILED, writes no session, and the next run does the work', async () => {
    const created = await server.ok(CreateRecurringBookingDocument, { input: seriesInput(6) }, member);
    const id = created.createRecurringBooking.id;
    await server.db.query('DELETE FROM session_status_changes WHERE session_id IN (SELECT id FROM training_sessions WHERE recurring_booking_id = $1)', [id]);
    await server.db.query('DELETE FROM training_sessions WHERE recurring_booking_id = $1', [id]);

    const before = await tableDigests(server.db, TABLES);
    const failed = await withHistoryFailing(() => server.request(GenerateSessionsDocument, {}, owner));
    expect(errorOf(failed).code).toBe('INTERNAL_SERVER_ERROR');
    expect(await tableDigests(server.db, TABLES)).toEqual(before);
    const [run] = await server.db.query<{ status: string; error: string }>('SELECT status, error FROM generation_runs ORDER BY started_at DESC LIMIT 1');
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/forced failure/);

    const next = await server.ok(GenerateSessionsDocument, {}, owner);
    expect(next.generateSessions.totalGenerated).toBeGreaterThan(0);
    const [{ n }] = await server.db.query<{ n: string }>('SELECT count(*) AS n FROM training_sessions WHERE recurring_booking_id = $1', [id]);
    expect(Number(n)).toBe(next.generateSessions.totalGenerated);
  });
});
