/**
 * PostgreSQL error codes surface differently through pg and through Prisma's
 * driver adapter; this digs the SQLSTATE out of either.
 */
export const PG = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  exclusionViolation: '23P01',
  deadlock: '40P01',
  serializationFailure: '40001',
} as const;

export function sqlState(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
    const e = current as Record<string, unknown>;
    for (const key of ['originalCode', 'code']) {
      const value = e[key];
      // Prisma's own codes (P1xxx-P6xxx, e.g. P2039 wrapping a driver error) look like SQLSTATEs: dig past them.
      if (typeof value === 'string' && /^[0-9A-Z]{5}$/.test(value) && !/^P[1-6]\d{3}$/.test(value)) return value;
    }
    const meta = e.meta as Record<string, unknown> | undefined;
    const adapterError = meta?.driverAdapterError as Record<string, unknown> | undefined;
    current = adapterError?.cause ?? adapterError ?? e.cause;
  }
  return undefined;
}

/** The constraint a violation names, when the driver reports it. */
export function violatedConstraint(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
    const e = current as Record<string, unknown>;
    if (typeof e.constraint === 'string') return e.constraint;
    const meta = e.meta as Record<string, unknown> | undefined;
    const adapterError = meta?.driverAdapterError as Record<string, unknown> | undefined;
    const cause = (adapterError?.cause ?? adapterError ?? e.cause) as Record<string, unknown> | undefined;
    const fromCause = cause?.constraint as { index?: string } | string | undefined;
    if (typeof fromCause === 'string') return fromCause;
    if (fromCause && typeof fromCause.index === 'string') return fromCause.index;
    if (typeof cause?.originalMessage === 'string') {
      const match = /constraint "([^"]+)"/.exec(cause.originalMessage);
      if (match) return match[1];
    }
    current = cause;
  }
  return undefined;
}
