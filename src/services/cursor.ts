import { badInput } from '../errors';
import { isUuid } from '../domain/ids';

/** A page position in lists ordered by (startTime, id): opaque to clients, base64url of [startTime, id]. */
export interface Cursor {
  startTime: Date;
  id: string;
}

export function encodeCursor(row: Cursor): string {
  return Buffer.from(JSON.stringify([row.startTime.toISOString(), row.id])).toString('base64url');
}

/** Exactly as encodeCursor wrote it, years 1-9999 (a date PostgreSQL cannot hold is not one); else BAD_USER_INPUT on `after`. */
export function decodeCursor(cursor: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && isUuid(value[1])) {
      const startTime = new Date(value[0]);
      const year = startTime.getUTCFullYear();
      if (!Number.isNaN(year) && startTime.toISOString() === value[0] && year >= 1 && year <= 9999) {
        return { startTime, id: value[1] };
      }
    }
  } catch {
    // fall through: not one of ours
  }
  throw badInput('after', 'after is not a cursor this server issued');
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export const emptyPage = <T>(): Page<T> => ({ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 });

/** `rows` read with first + 1: the extra one only says there is a next page. Cursors are encoded when asked for. */
export function pageOf<T>(rows: T[], first: number, totalCount: number, keyOf: (row: T) => Cursor): Page<T> {
  const edges = rows.slice(0, first).map((node) => ({ node, get cursor() { return encodeCursor(keyOf(node)); } }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
}
