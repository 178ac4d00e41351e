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
  close(): Promise<void>;
}

export function connect(databaseUrl: string, max = 10): Db {
  const pool = new pg.Pool({ ...pgConnection(databaseUrl), max, idleTimeoutMillis: 30_000 });
  // A pooled client that loses its server emits 'error'; without a listener that would crash the process.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
