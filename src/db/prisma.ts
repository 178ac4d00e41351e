import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { pgConnection } from './pg-connection';

export { PrismaClient };
export type { Prisma } from '../generated/prisma/client';

export interface Db {
  prisma: PrismaClient;
  /** The pool Prisma runs on, shared for set-based SQL in hot paths. */
  pool: pg.Pool;
  /** Waits up to `graceMs` for connections in use to come back, then closes the pool. */
  close(graceMs?: number): Promise<void>;
}

/** A server that accepts connections but never answers must not hold requests (and their slots) forever. */
export const CONNECT_TIMEOUT_MS = 10_000;

export function connect(databaseUrl: string, max = 10, connectTimeoutMs = CONNECT_TIMEOUT_MS): Db {
  const pool = new pg.Pool({ ...pgConnection(databaseUrl), max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: connectTimeoutMs });
  // A pooled client that loses its server emits 'error'; without a listener that would crash the process.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    async close(graceMs = 5_000) {
      // The HTTP drain does not wait for a request whose client already left: give its
      // queries time to finish instead of failing them with "pool has ended".
      const deadline = Date.now() + graceMs;
      while ((pool.totalCount > pool.idleCount || pool.waitingCount > 0) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
