import net from 'node:net';
import { parseTimestamptz } from '../../src/db/pg-connection';
import { connect } from '../../src/db/prisma';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe('connecting', () => {
  it('gives up on a server that accepts the connection but never answers', async () => {
    const silent = net.createServer(() => undefined); // accepts, then says nothing
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const db = connect(`postgresql://u:p@127.0.0.1:${port}/db`, 2, 200);
    const started = Date.now();
    await expect(db.pool.query('SELECT 1')).rejects.toThrow(/timeout/i);
    expect(Date.now() - started).toBeLessThan(5_000);
    await db.close(0);
    silent.close();
  });
});

describe('reading timestamps', () => {
  it('reads every timestamptz as the instant PostgreSQL holds, microseconds truncated to milliseconds', async () => {
    const db = connect(database.url, 2);
    const { rows } = await db.pool.query<{ t: Date; ms: string; label: string }>(
      `SELECT t, (extract(epoch FROM date_trunc('milliseconds', t)) * 1000)::text AS ms, t::text AS label FROM unnest(ARRAY[
         '2026-11-24 13:00:00+00', '2026-11-24 13:00:00.1+00', '2026-03-29 01:59:59.999999+00', '1999-12-31 23:59:59.5+00',
         '0099-01-01 00:00:00+00', '2000-02-29 12:34:56.789+05:30', '12026-01-01 00:00:00+00'
       ]::timestamptz[]) AS t`,
    );
    await db.close();
    for (const row of rows) expect([row.label, row.t.getTime()]).toEqual([row.label, Number(row.ms)]);
    expect(rows).toHaveLength(7);
  });

  it('keeps what the fast path does not cover to pg: BC dates and infinity', () => {
    expect(parseTimestamptz('infinity')).toBe(Infinity);
    expect(parseTimestamptz('0044-03-15 12:00:00+00 BC').getUTCFullYear()).toBe(-43);
  });
});

describe('closing the database connection', () => {
  it('lets a query still running finish first', async () => {
    const db = connect(database.url, 2);
    const running = db.pool.query('SELECT pg_sleep(0.3), 42 AS answer');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await db.close();
    expect((await running).rows[0].answer).toBe(42);
  });

  it('gives up waiting after the grace period', async () => {
    const db = connect(database.url, 2);
    const client = await db.pool.connect(); // held past the grace period
    const closed = db.close(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(db.pool.ending).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(db.pool.ending).toBe(true);
    client.release();
    await closed;
  });
});
