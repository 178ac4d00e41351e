import type pg from 'pg';
import { unauthenticated } from '../errors';
import type { Actor } from './actor';
import type { IdentityProvider } from './identity-provider';
import { PROVIDER_ALGORITHMS } from './identity-provider';
import { algorithmOf, bearerToken, type TokenIssuer } from './tokens';
import { isUuid } from '../domain/ids';

/** The caller behind a token, and until when the token holds (a websocket closes then). */
export interface Authenticated {
  actor: Actor;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

interface UserRow extends Actor {
  tokens_valid_after: Date | null;
}

const INVALID = 'Invalid or expired token';

/**
 * Turns an Authorization header into the caller. HS256 tokens are ours (access and
 * operator tokens); RS256/ES256 ones are the identity provider's, when one is
 * configured. Either way one SQL statement reads the user row, which also carries
 * `tokens_valid_after` (signOutEverywhere): a token issued before it is refused.
 */
export class Authenticator {
  constructor(
    private readonly tokens: TokenIssuer,
    private readonly pool: pg.Pool,
    private readonly provider: IdentityProvider | null = null,
  ) {}

  /**
   * No header: anonymous (null), so that each operation can answer UNAUTHENTICATED
   * itself. A header that is not a valid token for an existing user: UNAUTHENTICATED.
   */
  async authenticate(header: string | undefined | null): Promise<Authenticated | null> {
    if (!header) return null;
    const token = bearerToken(header);
    if (!token) throw unauthenticated(INVALID);
    const alg = algorithmOf(token);
    // A database failure below is not the caller's fault: let it surface as such.
    // Plain pg costs a fifth of the CPU of a Prisma findUnique, and every request pays for it.
    if (this.provider && alg !== null && PROVIDER_ALGORITHMS.includes(alg)) {
      const claims = await this.provider.verify(token);
      if (!claims) throw unauthenticated(INVALID);
      const user = (await this.pool.query<UserRow>('SELECT id, role, tokens_valid_after FROM users WHERE email = $1', [claims.email])).rows[0];
      return this.accept(user, claims.issuedAt, claims.expiresAt);
    }
    const claims = await this.tokens.verify(token);
    if (!claims || !isUuid(claims.userId)) throw unauthenticated(INVALID);
    const user = (await this.pool.query<UserRow>('SELECT id, role, tokens_valid_after FROM users WHERE id = $1', [claims.userId])).rows[0];
    return this.accept(user, claims.issuedAt, claims.expiresAt);
  }

  private accept(user: UserRow | undefined, issuedAt: number, expiresAt: number): Authenticated {
    if (!user) throw unauthenticated(INVALID);
    if (user.tokens_valid_after && issuedAt < user.tokens_valid_after.getTime()) throw unauthenticated(INVALID);
    return { actor: { id: user.id, role: user.role }, expiresAt };
  }
}
