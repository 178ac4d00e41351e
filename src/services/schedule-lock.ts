import type { Tx } from '../db/transaction';

/**
 * Per-person advisory locks, held until the transaction ends, that queue the writes
 * to one coach's or one member's schedule: bookings of a coach (and of a member) run
 * one after another, so each sees what the one before it committed and gets a CONFLICT
 * that names who is busy; a block waits for bookings in flight and the ones after it
 * see the block. Without the queue, overlapping inserts would meet in the exclusion
 * constraints, which stay the guarantee but resolve such races by deadlock detection
 * (a second each, and it can refuse requests that would have fitted).
 * Locks are taken in id order, so two transactions never wait on each other in a
 * cycle. Any path that writes a coach's or member's sessions may take them.
 */
export async function lockSchedules(tx: Tx, userIds: string[]): Promise<void> {
  const keys = [...new Set(userIds)].sort().map((id) => `schedule:${id}`);
  if (keys.length === 0) return;
  // One statement for any number of people; rows come (and lock) in ordinality order.
  await tx.$executeRaw`
    SELECT pg_advisory_xact_lock(hashtextextended(k, 0))
    FROM unnest(${keys}::text[]) WITH ORDINALITY AS l(k, n) ORDER BY n`;
}
