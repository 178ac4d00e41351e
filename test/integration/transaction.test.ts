import { connect, type Db } from '../../src/db/prisma';
import { inTransaction, RETRY_EXHAUSTED_MESSAGE, type Tx } from '../../src/db/transaction';
import { AppError } from '../../src/errors';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
let db: Db;
let rooms: [string, string];

beforeAll(async () => {
  database = await createTestDatabase();
  db = connect(database.url, 4);
  const rows = await database.query<{ id: string }>(`INSERT INTO rooms (name) VALUES ('deadlock a'), ('deadlock b') RETURNING id`);
  rooms = [rows[0].id, rows[1].id];
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

/** A barrier both transactions reach after their first lock, on their first attempt only. */
function barrier(parties: number) {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    arrived += 1;
    if (arrived === parties) open();
    return opened;
  };
}

/** Two transactions locking the same two rows in opposite order: PostgreSQL aborts one with 40P01. */
function deadlockingPair(retries: number) {
  const bothLocked = barrier(2);
  const attempts = { count: 0 };
  const work = (first: string, second: string) => async (tx: Tx) => {
    attempts.count += 1;
    const firstAttempt = attempts.count <= 2;
    await tx.$executeRaw`UPDATE rooms SET capacity = capacity + 1 WHERE id = ${first}::uuid`;
    if (firstAttempt) await bothLocked();
    await tx.$executeRaw`UPDATE rooms SET capacity = capacity + 1 WHERE id = ${second}::uuid`;
    return 'committed';
  };
  const results = Promise.allSettled([
    inTransaction(db.prisma, work(rooms[0], rooms[1]), { retries }),
    inTransaction(db.prisma, work(rooms[1], rooms[0]), { retries }),
  ]);
  return { results, attempts };
}

describe('inTransaction', () => {
  it('retries the transaction PostgreSQL aborted to break a deadlock, so both commit', async () => {
    const [before] = await database.query<{ total: number }>('SELECT sum(capacity)::int AS total FROM rooms WHERE id = ANY($1::uuid[])', [rooms]);
    const { results, attempts } = deadlockingPair(1);
    expect((await results).map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(attempts.count).toBe(3);
    const [after] = await database.query<{ total: number }>('SELECT sum(capacity)::int AS total FROM rooms WHERE id = ANY($1::uuid[])', [rooms]);
    expect(after.total).toBe(before.total + 4);
  });

  it('answers CONFLICT, having written nothing, once the retries are used up', async () => {
    const [before] = await database.query<{ total: number }>('SELECT sum(capacity)::int AS total FROM rooms WHERE id = ANY($1::uuid[])', [rooms]);
    const { results } = deadlockingPair(0);
    const settled = await results;
    const failed = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(failed[0].reason).toBeInstanceOf(AppError);
    expect(failed[0].reason).toMatchObject({ code: 'CONFLICT', message: RETRY_EXHAUSTED_MESSAGE });
    const [after] = await database.query<{ total: number }>('SELECT sum(capacity)::int AS total FROM rooms WHERE id = ANY($1::uuid[])', [rooms]);
    expect(after.total).toBe(before.total + 2);
  });

  it('passes any other error through unchanged, without retrying', async () => {
    let attempts = 0;
    const failure = inTransaction(db.prisma, async (tx) => {
      attempts += 1;
      await tx.$executeRaw`UPDATE rooms SET capacity = 0 WHERE id = ${rooms[0]}::uuid`; // violates capacity >= 1
    });
    await expect(failure).rejects.not.toBeInstanceOf(AppError);
    expect(attempts).toBe(1);
  });
});
