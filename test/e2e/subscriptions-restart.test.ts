import pg from 'pg';
import { CancelSessionDocument, MeDocument, SessionChangedBriefDocument } from '../generated/graphql';
import { subscribe, waitUntilListening, wsClient } from '../support/live';
import { startControllableCluster, type ControllableCluster } from '../support/pg-cluster';
import { startTestServer, type TestServer, type TestUser } from '../support/server';
import { HOUR_MS, wholeHourFromNow } from '../support/sessions';

/**
 * PostgreSQL restarts under two running instances: each one's LISTEN connection comes
 * back by itself, the servers keep serving, and subscribers receive the changes made
 * after the restart (the ones made while the database was down could not be made).
 */
let cluster: ControllableCluster;
let pool: pg.Pool;
let a: TestServer;
let b: TestServer;
let owner: TestUser;
let coach: TestUser;
let member: TestUser;
let roomId: string;

beforeAll(async () => {
  cluster = await startControllableCluster();
  const db = { url: cluster.url, query: async () => [], drop: async () => undefined };
  a = await startTestServer({ db });
  b = await startTestServer({ db });
  pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
  pool.on('error', () => undefined);
  owner = await a.user('OWNER');
  coach = await a.user('COACH');
  member = await a.user('MEMBER');
  roomId = (await pool.query<{ id: string }>(`INSERT INTO rooms (name) VALUES ('Restart room') RETURNING id`)).rows[0].id;
});
afterAll(async () => {
  await a.stop();
  await b.stop();
  await pool.end();
  await cluster.destroy();
});

let slots = 0;
async function arrange(): Promise<string> {
  const start = new Date(wholeHourFromNow(48).getTime() + 2 * HOUR_MS * slots++);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [coach.id, member.id, roomId, start, new Date(start.getTime() + HOUR_MS)],
  );
  return rows[0].id;
}

/** Cancels a fresh session through B, retrying while B's pool finds its way back to the database. */
async function cancelThroughB(): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      const id = await arrange();
      const result = await b.request(CancelSessionDocument, { id }, owner);
      if (!result.errors) return id;
      if (attempt > 50) throw new Error(JSON.stringify(result.errors));
    } catch (error) {
      if (attempt > 50) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('delivers changes from B to a subscriber on A again after PostgreSQL restarts', async () => {
  const ownerOnA = subscribe(wsClient(a, owner), SessionChangedBriefDocument, {});
  let last = '';
  const cancelled = (data: { sessionChanged: { session: { id: string } } }) => data.sessionChanged.session.id === last;
  await waitUntilListening(ownerOnA, async () => void (last = await cancelThroughB()), cancelled);

  await cluster.stop();
  await cluster.start();

  // The first changes after the restart may land before A listens again: retry until one arrives.
  ownerOnA.clear();
  await waitUntilListening(ownerOnA, async () => void (last = await cancelThroughB()), cancelled);
  expect(ownerOnA.events.at(-1)?.data.sessionChanged).toMatchObject({ kind: 'STATUS_CHANGED', previousStatus: 'SCHEDULED', session: { status: 'CANCELLED' } });
  expect((await a.request(MeDocument, {}, owner)).errors).toBeUndefined();
  // The subscription itself survived: it is the same websocket subscription as before the restart.
  expect(ownerOnA.errors).toEqual([]);
  expect(ownerOnA.completed).toBe(false);
  ownerOnA.dispose();
});
