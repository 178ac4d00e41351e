import type { PrismaClient } from '../generated/prisma/client';
import { unauthenticated } from '../errors';
import type { Actor } from './actor';
import { bearerToken, type TokenIssuer } from './tokens';
import { isUuid } from '../domain/ids';


/**
 * The actor behind an Authorization header. No header: anonymous (null), so that
 * each operation can answer UNAUTHENTICATED itself. A header that is not a valid
 * token for an existing user: UNAUTHENTICATED for the whole request.
 */
export async function authenticate(header: string | undefined | null, tokens: TokenIssuer, prisma: PrismaClient): Promise<Actor | null> {
  if (!header) return null;
  const token = bearerToken(header);
  const userId = token ? await tokens.verify(token) : null;
  if (!userId) throw unauthenticated('Invalid or expired token');
  // A database failure here is not the caller's fault: let it surface as such.
  const user = isUuid(userId) ? await prisma.user.findUnique({ where: { id: userId }, select: { id: true, role: true } }) : null;
  if (!user) throw unauthenticated('Invalid or expired token');
  return user;
}
