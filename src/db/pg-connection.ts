import type pg from 'pg';

/**
 * How every connection of ours is opened. The session's TimeZone is pinned to UTC:
 * Prisma's pg adapter writes and reads timestamptz as if the session were UTC
 * (prisma/orm#26786, #28629), so on a server whose TimeZone is anything else (an
 * embedded cluster initialised on a machine set to local time, a managed database's
 * default) every instant it stored would be shifted by the offset, and compared
 * against now() in SQL with that error.
 */
export function pgConnection(connectionString: string): pg.ClientConfig {
  return { connectionString, options: '-c TimeZone=UTC' };
}
