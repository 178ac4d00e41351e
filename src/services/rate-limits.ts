import type { Tx } from '../db/transaction';
import { hashKey } from '../auth/secrets';

/** At most `max` hits of `key` within `windowMs`. */
export interface Limit {
  key: string;
  max: number;
  windowMs: number;
}

const HOUR = 3_600_000;

/** The sign-in rules of DESIGN.md, as limits. */
export const LIMITS = {
  codeRequestsPerAddress: (email: string): Limit => ({ key: `code-request:address:${email}`, max: 5, windowMs: HOUR }),
  codeRequestsPerClient: (ip: string): Limit => ({ key: `code-request:ip:${ip}`, max: 30, windowMs: HOUR }),
  passwordFailuresPerAccount: (email: string): Limit => ({ key: `password-failure:${email}`, max: 10, windowMs: 15 * 60_000 }),
};

/**
 * Attempt counters in PostgreSQL, so they hold across instances: one row per hit,
 * counted over a sliding window. The keys of a check are locked for the transaction
 * (advisory locks, in a fixed order), so two instances cannot both let the last
 * allowed attempt through.
 */
export class RateLimits {
  /** Locks the limits' keys; the seconds until the first exceeded one allows again, or null. */
  async exceeded(tx: Tx, limits: Limit[], now: Date): Promise<number | null> {
    const keyed = limits.map((limit) => ({ ...limit, hash: hashKey(limit.key) })).sort((a, b) => a.hash.localeCompare(b.hash));
    for (const limit of keyed) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${limit.hash}, 7411))`;
    let retryAfterMs = 0;
    for (const limit of keyed) {
      // The max-th newest hit in the window: once it ages out, an attempt is allowed again.
      const rows = await tx.$queryRaw<{ at: Date }[]>`
        SELECT at FROM rate_limit_hits
        WHERE key = ${limit.hash} AND at > ${new Date(now.getTime() - limit.windowMs)}
        ORDER BY at DESC OFFSET ${limit.max - 1} LIMIT 1`;
      if (rows.length > 0) retryAfterMs = Math.max(retryAfterMs, rows[0].at.getTime() + limit.windowMs - now.getTime());
    }
    return retryAfterMs > 0 ? Math.max(1, Math.ceil(retryAfterMs / 1000)) : null;
  }

  async record(tx: Tx, limits: Limit[], now: Date): Promise<void> {
    for (const limit of limits) await tx.rateLimitHit.create({ data: { key: hashKey(limit.key), at: now } });
    // Old hits count for nothing; now and then one caller sweeps them (the index on `at` keeps it cheap).
    if (Math.random() < 0.01) await tx.rateLimitHit.deleteMany({ where: { at: { lt: new Date(now.getTime() - 24 * HOUR) } } });
  }

  /** Forgets the hits of a limit (a successful sign-in clears its failures). */
  async clear(tx: Tx, limit: Limit): Promise<void> {
    await tx.rateLimitHit.deleteMany({ where: { key: hashKey(limit.key) } });
  }
}
