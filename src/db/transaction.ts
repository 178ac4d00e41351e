import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { PG, sqlState } from './pg-errors';

export type Tx = Prisma.TransactionClient;

/**
 * One transaction for one use case. Two overlapping inserts against an exclusion
 * constraint can deadlock (40P01) instead of violating it; a deadlock or
 * serialization failure is retried once, after which the caller sees it.
 */
export async function inTransaction<T>(prisma: PrismaClient, work: (tx: Tx) => Promise<T>, retries = 1): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await prisma.$transaction(work, { maxWait: 10_000, timeout: 30_000 });
    } catch (error) {
      const state = sqlState(error);
      const retryable = state === PG.deadlock || state === PG.serializationFailure;
      if (!retryable || attempt >= retries) throw error;
    }
  }
}
