import pg from 'pg';

const TIMESTAMPTZ_OID = 1184;
const defaultTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text');

/**
 * A timestamptz from a UTC session arrives as 'YYYY-MM-DD HH:MM:SS[.ffffff]+00': that shape
 * is read as the ISO instant it is; anything else (BC, infinity, a 5-digit year) goes to
 * pg's general parser, whose regular expression was 5% of a sessions page's CPU.
 */
export function parseTimestamptz(text: string): Date {
  if (text.length >= 22 && text[4] === '-' && text[10] === ' ' && text.endsWith('+00')) {
    return new Date(`${text.slice(0, 10)}T${text.slice(11, -3)}Z`);
  }
  return defaultTimestamptz(text) as Date;
}

/**
 * How every connection of ours is opened. The session's TimeZone is pinned to UTC:
 * Prisma's pg adapter writes and reads timestamptz as if the session were UTC
 * (prisma/orm#26786, #28629), so on a server whose TimeZone is anything else (an
 * embedded cluster initialised on a machine set to local time, a managed database's
 * default) every instant it stored would be shifted by the offset, and compared
 * against now() in SQL with that error. (Prisma's queries bring their own parsers;
 * ours read timestamptz with the one above.)
 */
export function pgConnection(connectionString: string): pg.ClientConfig {
  return {
    connectionString,
    options: '-c TimeZone=UTC',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === TIMESTAMPTZ_OID && format !== 'binary' ? parseTimestamptz : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
    },
  };
}
