import { conflict } from '../errors';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { PG, sqlState } from './pg-errors';

export type Tx = Prisma.TransactionClient;

export interface TransactionOptions {
  /** How long the work may take, in ms (Prisma's interactive-transaction timeout). */
  timeout?: number;
  /** Further attempts after a deadlock or serialization failure. */
  retries?: number;
}

export const RETRY_EXHAUSTED_MESSAGE = 'Another change to the same records got in the way; try again';

/**
 * One transaction for one use case. Two overlapping inserts against an exclusion
 * constraint can deadlock (40P01) instead of violating it; a deadlock or serialization
 * failure is retried, and if it persists the caller gets a CONFLICT: it lost a race,
 * nothing is broken.
 */
export async function inTransaction<T>(prisma: PrismaClient, work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const { timeout = 30_000, retries = 1 } = options;
  for (let attempt = 0; ; attempt++) {
    try {
      return await prisma.$transaction(work, { maxWait: 10_000, timeout });
    } catch (error) {
      const state = sqlState(error);
      if (state !== PG.deadlock && state !== PG.serializationFailure) throw error;
      if (attempt >= retries) throw conflict(RETRY_EXHAUSTED_MESSAGE);
    }
  }
}
