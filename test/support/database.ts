import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../src/db/migrate';

export interface TestDatabase {
  url: string;
  /** Runs SQL directly, for arranging and inspecting state the API cannot. */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/** A fresh, migrated database on the run's PostgreSQL (started in global-setup.js): one per test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.TEST_PG_URL;
  if (!base) throw new Error('TEST_PG_URL is not set: run through jest (test/support/global-setup.js)');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = `${base}/${name}`;
  await migrate(url);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // pg-pool's end() resolves before its clients' sockets close, so drop()'s DROP ... WITH
  // (FORCE) can terminate a backend still saying goodbye (57P01); with no listener that
  // 'error' fails whichever test file is running (seen once in CI, dashboard.test.ts).
  pool.on('error', () => undefined);
  return {
    url,
    async query(sql, params) {
      return (await pool.query(sql, params)).rows;
    },
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: `${base}/postgres` });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A fingerprint of each table's whole content, to prove a refused request wrote nothing. */
export function tableDigests(db: TestDatabase, tables: string[]): Promise<string[]> {
  return Promise.all(
    tables.map(async (table) => {
      const [row] = await db.query<{ digest: string | null }>(`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM ${table} t`);
      return `${table}:${row.digest}`;
    }),
  );
}
