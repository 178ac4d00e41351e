import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres';
import { migrate } from '../../src/db/migrate';

export interface BenchPostgres {
  /** postgresql://user:pass@host:port (no database). */
  baseUrl: string;
  /** "PostgreSQL 18.x ..." */
  version: string;
  statementStats: boolean;
  /** CREATE DATABASE + the server's migrations; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Drops a database made by createDatabase (its autovacuum must not run under the next measurement). */
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface BenchPostgresOptions {
  /** Load pg_stat_statements (needs a restart of the fresh cluster: about a second). */
  statementStats?: boolean;
}

const PASSWORD = 'bench';

/**
 * A throwaway embedded PostgreSQL in a temp dir (fsync off: benchmarks never need crash safety),
 * with room for a thousand websocket clients' worth of pools and, optionally, pg_stat_statements.
 */
export async function startBenchPostgres(options: BenchPostgresOptions = {}): Promise<BenchPostgres> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'booking-bench-'));
  const dir = path.join(tmp, 'pg');
  const port = await freePort();
  let db: EmbeddedDatabase = await startEmbeddedPostgres({ dir, password: PASSWORD, port, ephemeral: true });
  // The server's settings are fixed in startEmbeddedPostgres; ALTER SYSTEM + restart adds ours.
  await withClient(db.url, async (client) => {
    await client.query(`ALTER SYSTEM SET max_connections = 300`);
    if (options.statementStats) {
      await client.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
    }
  });
  await db.stop();
  db = await startEmbeddedPostgres({ dir, password: PASSWORD, port, ephemeral: true });
  const version = await withClient(db.url, async (client) => (await client.query<{ v: string }>('SELECT version() AS v')).rows[0].v);
  const baseUrl = db.url.replace(/\/postgres$/, '');

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await db.stop().catch(() => undefined);
      await rm(tmp, { recursive: true, force: true });
    })());
  onExit(stop);

  return {
    baseUrl,
    version,
    statementStats: Boolean(options.statementStats),
    async dropDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      await withClient(db.url, (client) => client.query(`DROP DATABASE ${name} WITH (FORCE)`));
    },
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      await withClient(db.url, (client) => client.query(`CREATE DATABASE ${name}`));
      const url = `${baseUrl}/${name}`;
      await migrate(url);
      if (options.statementStats) await withClient(url, (client) => client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));
      return url;
    },
    stop,
  };
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Statements PostgreSQL executed in one database since the last reset (pg_stat_statements). */
export async function statementCount(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ calls: string }>(
      `SELECT COALESCE(sum(calls), 0)::bigint AS calls FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND query NOT ILIKE '%pg_stat_statements%'`,
    );
    return Number(rows[0].calls);
  });
}

/** The `limit` statements that took the longest in this database, for finding where time goes. */
export async function slowestStatements(url: string, limit = 8): Promise<string[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ ms: number; calls: string; query: string }>(
      `SELECT round(total_exec_time)::int AS ms, calls, regexp_replace(left(query, 160), '\\s+', ' ', 'g') AS query FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT ILIKE '%pg_stat_statements%'
       ORDER BY total_exec_time DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => `${String(r.ms).padStart(6)} ms ${String(r.calls).padStart(4)}x ${r.query}`);
  });
}

export async function resetStatementStats(url: string): Promise<void> {
  await withClient(url, (client) => client.query('SELECT pg_stat_statements_reset()'));
}

const cleanups = new Set<() => Promise<void>>();
let hooked = false;

/** Stop the cluster if the run is interrupted (Ctrl-C), so no postgres is left behind. */
function onExit(cleanup: () => Promise<void>): void {
  cleanups.add(cleanup);
  if (hooked) return;
  hooked = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void Promise.allSettled([...cleanups].map((fn) => fn())).then(() => process.exit(130));
    });
  }
}
