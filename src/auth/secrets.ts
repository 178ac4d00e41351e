import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** A 6-digit sign-in code from the CSPRNG (leading zeros kept). */
export function newSignInCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/**
 * A code is one of a million: a plain hash of it is reversed in microseconds. It is
 * stored as an HMAC keyed by the server's secret and bound to the address, so a copy
 * of the table alone gives nothing away.
 */
export function hashSignInCode(secret: Buffer, email: string, code: string): string {
  return createHmac('sha256', secret).update(`sign-in-code\0${email}\0${code}`).digest('base64url');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** 32 random bytes, base64url (43 characters). */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Refresh tokens carry 256 bits: a plain SHA-256 is enough to keep the table from being a list of them. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** What rate-limit rows are keyed by: no address or IP in the clear. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}
