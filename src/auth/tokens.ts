import { createHmac } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';

const ALGORITHM = 'HS256';

/** What a valid token of ours says. */
export interface VerifiedToken {
  userId: string;
  /** Milliseconds since the epoch; 0 when the token carries no `iat`. */
  issuedAt: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface SignedAccessToken {
  token: string;
  expiresAt: Date;
}

/**
 * HS256 JWTs signed with JWT_SECRET. Operator tokens (the admin CLI) live JWT_TTL;
 * people's access tokens ACCESS_TOKEN_TTL. `iat` keeps milliseconds (a NumericDate
 * may be fractional) so that signOutEverywhere refuses tokens issued before it and
 * not those issued in the same second after it.
 */
export class TokenIssuer {
  private readonly key: Uint8Array;
  /** Keys the sign-in code HMAC: derived from JWT_SECRET, never the signing key itself. */
  readonly codeKey: Buffer;

  constructor(
    secret: string,
    private readonly ttl: string,
    private readonly accessTtlMs = 15 * 60_000,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.key = new TextEncoder().encode(secret);
    this.codeKey = createHmac('sha256', secret).update('sign-in-code-key').digest();
  }

  /** An operator token (admin CLI, tests): JWT_TTL. */
  sign(userId: string): Promise<string> {
    const issuedAt = this.now().getTime();
    return new SignJWT({})
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(userId)
      .setIssuedAt(issuedAt / 1000)
      .setExpirationTime(Math.floor(issuedAt / 1000) + secondsOf(this.ttl))
      .sign(this.key);
  }

  /** A signed-in person's access token: ACCESS_TOKEN_TTL. */
  async signAccess(userId: string): Promise<SignedAccessToken> {
    const issuedAt = this.now().getTime();
    const expiresAt = new Date(Math.floor((issuedAt + this.accessTtlMs) / 1000) * 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(userId)
      .setIssuedAt(issuedAt / 1000)
      .setExpirationTime(expiresAt.getTime() / 1000)
      .sign(this.key);
    return { token, expiresAt };
  }

  /** The claims of a valid token, or null for anything else (expired, forged, `alg: none`, garbage). */
  async verify(token: string): Promise<VerifiedToken | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: [ALGORITHM], currentDate: this.now() });
      if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null;
      return { userId: payload.sub, issuedAt: typeof payload.iat === 'number' ? Math.round(payload.iat * 1000) : 0, expiresAt: payload.exp * 1000 };
    } catch {
      return null;
    }
  }
}

/** The `alg` a token claims, or null for something that is not a JWS at all. */
export function algorithmOf(token: string): string | null {
  try {
    const alg = decodeProtectedHeader(token).alg;
    return typeof alg === 'string' ? alg : null;
  } catch {
    return null;
  }
}

function secondsOf(ttl: string): number {
  const match = /^(\d+)\s*(s|m|h|d|w)$/.exec(ttl);
  if (!match) throw new Error(`not a duration: ${ttl}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[match[2] as 's']!;
}

/** "Bearer abc" -> "abc"; anything else -> null. */
export function bearerToken(header: string | undefined | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}
