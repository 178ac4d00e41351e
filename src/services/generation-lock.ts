import type { Tx } from '../db/transaction';

/**
 * The advisory lock that lets one generation run at a time per database, whichever
 * instance or trigger starts it. Held until the transaction ends. Writes that must not
 * interleave with a run take it too: creating a series (its overlap check and its first
 * sessions) and cancelling one (so no run generates sessions for a series cancelled
 * while it was computing).
 *
 * Lock order, everywhere: this lock -> per-person schedule locks (schedule-lock.ts, in id
 * order) -> room rows (in id order). Paths that skip a step keep the order of the rest;
 * one order is what keeps them deadlock-free.
 */
const GENERATION_LOCK = 'booking:generation-run';

export async function lockGeneration(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${GENERATION_LOCK}, 0))`;
}
