import type pg from 'pg';
import { unauthenticated } from '../errors';
import type { Actor } from './actor';
import { bearerToken, type TokenIssuer } from './tokens';
import { isUuid } from '../domain/ids';

/**
 * The actor behind an Authorization header. No header: anonymous (null), so that
 * each operation can answer UNAUTHENTICATED itself. A header that is not a valid
 * token for an existing user: UNAUTHENTICATED for the whole request.
 */
export async function authenticate(header: string | undefined | null, tokens: TokenIssuer, pool: pg.Pool): Promise<Actor | null> {
  if (!header) return null;
  const token = bearerToken(header);
  const userId = token ? await tokens.verify(token) : null;
  if (!userId) throw unauthenticated('Invalid or expired token');
  // A database failure here is not the caller's fault: let it surface as such.
  // Every request pays for this lookup: plain pg costs a fifth of the CPU of a Prisma findUnique.
  const user = isUuid(userId) ? (await pool.query<Actor>('SELECT id, role FROM users WHERE id = $1', [userId])).rows[0] : undefined;
  if (!user) throw unauthenticated('Invalid or expired token');
  return user;
}
