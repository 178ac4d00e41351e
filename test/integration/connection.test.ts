import net from 'node:net';
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
