import pg from 'pg';
import { addDays } from '../../src/domain/civil-date';
import { localDateOf } from '../../src/domain/zone-time';
import { CreateRecurringBookingDocument, MeDocument } from '../generated/graphql';
import { coachWithHours } from '../support/schedule';
import { startControllableCluster, type ControllableCluster } from '../support/pg-cluster';
import { errorOf, startTestServer, type TestServer, type TestUser } from '../support/server';

/** PostgreSQL goes away and comes back; the server answers cleanly throughout and needs no restart. */
let cluster: ControllableCluster;
let server: TestServer;
let member: TestUser;

const CRON_SECRET = 'outage-test-cron-secret';

beforeAll(async () => {
  cluster = await startControllableCluster();
  const db = { url: cluster.url, query: async () => [], drop: async () => undefined };
  server = await startTestServer({ db, env: { CRON_SECRET } });
  member = await server.user('MEMBER');
});
afterAll(async () => {
  await server.stop();
  await cluster.destroy();
});

const cron = () =>
  fetch(server.url.replace('/graphql', '/cron/generate-sessions'), { method: 'POST', headers: { authorization: `Bearer ${CRON_SECRET}` } }).then(
    async (response) => ({ status: response.status, body: (await response.json()) as { success: boolean; data?: { totalGenerated: number } } }),
  );
const readyz = () => fetch(server.url.replace('/graphql', '/readyz')).then((r) => r.status);

it('reports not ready and answers requests with a clean error while the database is down, and recovers without a restart', async () => {
  expect(await readyz()).toBe(200);
  expect((await server.ok(MeDocument, {}, member)).me.id).toBe(member.id);

  await cluster.stop();
  expect(await readyz()).toBe(503);
  const during = await server.request(MeDocument, {}, member);
  expect(during.status).toBe(503);
  expect(errorOf(during)).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', message: 'Service unavailable, try again shortly' });

  await cluster.start();
  let recovered = false;
  for (let attempt = 0; attempt < 50 && !recovered; attempt++) {
    recovered = (await readyz()) === 200;
    if (!recovered) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(recovered).toBe(true);
  expect((await server.ok(MeDocument, {}, member)).me.id).toBe(member.id);
});

it('answers a generation run during an outage with a clean failure, and the next run does the missed work', async () => {
  const owner = await server.user('OWNER');
  const { coach } = await coachWithHours(server, owner);
  const booking = await server.ok(
    CreateRecurringBookingDocument,
    { input: { coachId: coach.id, dayOfWeek: 2, startTime: '10:00', endTime: '11:00', startDate: addDays(localDateOf(new Date(), 'UTC'), 1) } },
    member,
  );
  // The sessions the booking made are "missed work" for the next run.
  const pool = new pg.Pool({ connectionString: cluster.url, max: 1 });
  // pool.end() resolves before its client's socket has closed; the outage below may then end that
  // connection, and a pool without an error listener would throw it at the test.
  pool.on('error', () => undefined);
  await pool.query('DELETE FROM session_status_changes WHERE session_id IN (SELECT id FROM training_sessions WHERE recurring_booking_id = $1)', [booking.createRecurringBooking.id]);
  const { rowCount: missed } = await pool.query('DELETE FROM training_sessions WHERE recurring_booking_id = $1', [booking.createRecurringBooking.id]);
  await pool.end();
  expect(missed).toBeGreaterThan(0);

  await cluster.stop();
  const during = await cron();
  expect(during.status).toBe(500);
  expect(during.body).toEqual({ success: false, error: 'Generation failed' });

  await cluster.start();
  let after = await cron();
  for (let attempt = 0; attempt < 50 && after.status !== 200; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    after = await cron();
  }
  expect(after.status).toBe(200);
  expect(after.body.data?.totalGenerated).toBe(missed);
});
