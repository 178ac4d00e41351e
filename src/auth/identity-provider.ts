import { createRemoteJWKSet, jwtVerify } from 'jose';

export const PROVIDER_ALGORITHMS = ['RS256', 'ES256'];

export interface IdentityProviderOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  now?: () => Date;
  /** How soon a token with an unknown key id may refetch the key set (default 30 s). */
  cooldownMs?: number;
}

/**
 * Tokens of the studio's own identity provider (AUTH_JWKS_URL). The key set is fetched
 * on first use and cached (jose refetches it when a token names a key id it has not
 * seen, at most every 30 s, so a provider's key rotation is picked up by itself).
 * The person is matched by the verified `email` claim; the caller looks them up.
 */
export class IdentityProvider {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: IdentityProviderOptions) {
    this.keys = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: options.cooldownMs ?? 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5_000 });
  }

  /** The token's verified email and expiry, or null: wrong issuer, audience, algorithm, signature, expired, unverified email. */
  async verify(token: string): Promise<{ email: string; expiresAt: number; issuedAt: number } | null> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: PROVIDER_ALGORITHMS,
        currentDate: this.options.now?.(),
        requiredClaims: ['exp'],
      });
      if (typeof payload.email !== 'string' || payload.email_verified === false) return null;
      return { email: payload.email.trim().toLowerCase(), expiresAt: (payload.exp as number) * 1000, issuedAt: typeof payload.iat === 'number' ? Math.round(payload.iat * 1000) : 0 };
    } catch {
      return null;
    }
  }
}
