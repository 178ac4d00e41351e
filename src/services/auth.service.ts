import { randomUUID } from 'node:crypto';
import { isEmail } from 'class-validator';
import type { Actor } from '../auth/actor';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from '../auth/passwords';
import { hashRefreshToken, hashSignInCode, newRefreshToken, newSignInCode, sameHash } from '../auth/secrets';
import { NO_MAIL } from '../auth/sign-in-mail';
import type { TokenIssuer } from '../auth/tokens';
import { inTransaction, type Tx } from '../db/transaction';
import { AppError, badInput, rateLimited, unauthenticated } from '../errors';
import type { User } from '../generated/prisma/client';
import type { ServiceDeps } from './context';
import { LIMITS, RateLimits } from './rate-limits';

export const CODE_VALID_MINUTES = 10;
export const CODE_MAX_TRIES = 5;
/**
 * requestSignInCode answers no sooner than this after it began: an address with an
 * account costs one more insert (its email) than one without, and the answer must
 * not tell them apart by its timing.
 */
export const CODE_REQUEST_MIN_MS = 150;
const SWEEP_CHANCE = 0.02;

export interface AuthPayload {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  user: User;
}

/** One answer for every failed sign-in: it must not tell which part was wrong. */
const SIGN_IN_FAILED = 'Wrong email, code or password';
const CODE_FAILED = 'Wrong, used or expired code';
const REFRESH_FAILED = 'Invalid, expired or revoked refresh token';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: AppError };

/**
 * Signing in and out (DESIGN.md "Sign-in"). Failed attempts write nothing but their
 * counters, and those are committed even though the mutation fails: each use case
 * returns an outcome from its transaction and throws only after it has committed.
 */
export class AuthService {
  private readonly limits = new RateLimits();

  constructor(private readonly deps: ServiceDeps) {}

  private get prisma() {
    return this.deps.db.prisma;
  }

  private get tokens(): TokenIssuer {
    if (!this.deps.tokens) throw new Error('AuthService needs a TokenIssuer');
    return this.deps.tokens;
  }

  private get mail() {
    return this.deps.mail ?? NO_MAIL;
  }

  /** Always true for a well-formed address: whether it has an account shows nowhere. */
  async requestSignInCode(rawEmail: string, clientIp: string): Promise<boolean> {
    const started = Date.now();
    const email = normalEmail(rawEmail, 'email');
    const now = this.deps.now();
    const code = newSignInCode();
    const outcome = await inTransaction(this.prisma, async (tx): Promise<Outcome<null>> => {
      const limits = [LIMITS.codeRequestsPerAddress(email), LIMITS.codeRequestsPerClient(clientIp)];
      const retryAfter = await this.limits.exceeded(tx, limits, now);
      if (retryAfter !== null) return { ok: false, error: rateLimited(retryAfter) };
      await this.limits.record(tx, limits, now);
      // Every address gets a row, with or without an account: both do the same work.
      const row = { codeHash: hashSignInCode(this.tokens.codeKey, email, code), expiresAt: new Date(now.getTime() + CODE_VALID_MINUTES * 60_000), attempts: 0, createdAt: now };
      await tx.signInCode.upsert({ where: { email }, create: { email, ...row }, update: row });
      // Now and then one request sweeps what can never be used again (the expires_at indexes keep it cheap).
      if (Math.random() < SWEEP_CHANCE) await this.sweep(tx, now);
      const user = await tx.user.findUnique({ where: { email }, select: { id: true } });
      if (user && this.mail.delivers) await this.mail.signInCode(tx, email, code, CODE_VALID_MINUTES);
      return { ok: true, value: null };
    });
    if (!outcome.ok) throw outcome.error;
    if (!this.mail.delivers && !this.deps.config.isProduction) {
      // The one secret ever logged: development without SMTP, so that `npm start` alone lets you sign in.
      // Logged for every address, so that the log does not tell which have an account either.
      this.deps.log.warn({ email, code }, 'sign-in code (SMTP_URL not set, development only; it reaches nobody else, and works only if an account has this address)');
    }
    const wait = started + CODE_REQUEST_MIN_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return true;
  }

  async signInWithCode(rawEmail: string, rawCode: string): Promise<AuthPayload> {
    const email = normalEmail(rawEmail, 'email');
    const code = rawCode.trim();
    if (!/^\d{6}$/.test(code)) throw badInput('code', 'The code is the 6 digits from the email');
    const now = this.deps.now();
    const outcome = await inTransaction(this.prisma, async (tx): Promise<Outcome<AuthPayload>> => {
      const rows = await tx.$queryRaw<{ code_hash: string; expires_at: Date; attempts: number }[]>`
        SELECT code_hash, expires_at, attempts FROM sign_in_codes WHERE email = ${email} FOR UPDATE`;
      const row = rows[0];
      const failed = { ok: false as const, error: unauthenticated(CODE_FAILED) };
      if (!row || row.expires_at.getTime() <= now.getTime() || row.attempts >= CODE_MAX_TRIES) return failed;
      if (!sameHash(row.code_hash, hashSignInCode(this.tokens.codeKey, email, code))) {
        await tx.signInCode.update({ where: { email }, data: { attempts: { increment: 1 } } });
        return failed;
      }
      await tx.signInCode.delete({ where: { email } }); // single use
      const user = await tx.user.findUnique({ where: { email } });
      if (!user) return failed;
      return { ok: true, value: await this.issue(tx, user, randomUUID(), now) };
    });
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  async signInWithPassword(rawEmail: string, password: string): Promise<AuthPayload> {
    const email = normalEmail(rawEmail, 'email');
    checkPasswordSize(password, 'password', 1);
    const now = this.deps.now();
    const limit = LIMITS.passwordFailuresPerAccount(email);
    // The attempt is counted before the KDF runs (and forgotten on success), so that
    // a burst of parallel guesses cannot all be tried before any is counted.
    const checked = await inTransaction(this.prisma, async (tx): Promise<Outcome<User | null>> => {
      const retryAfter = await this.limits.exceeded(tx, [limit], now);
      if (retryAfter !== null) return { ok: false, error: rateLimited(retryAfter) };
      await this.limits.record(tx, [limit], now);
      return { ok: true, value: await tx.user.findUnique({ where: { email } }) };
    });
    if (!checked.ok) throw checked.error;
    const user = checked.value;
    // Off the event loop, and against a dummy hash when there is no account or password: same time.
    const matches = await verifyPassword(password, user?.passwordHash ?? null);
    if (!user || !matches) throw unauthenticated(SIGN_IN_FAILED);
    return inTransaction(this.prisma, async (tx) => {
      await this.limits.clear(tx, limit);
      return this.issue(tx, user, randomUUID(), now);
    });
  }

  async setPassword(actor: Actor, currentPassword: string | null | undefined, newPassword: string): Promise<boolean> {
    checkPasswordSize(newPassword, 'newPassword', PASSWORD_MIN_LENGTH);
    if (currentPassword != null) checkPasswordSize(currentPassword, 'currentPassword', 1);
    const now = this.deps.now();
    const user = await this.prisma.user.findUnique({ where: { id: actor.id } });
    if (!user) throw unauthenticated();
    if (user.passwordHash) {
      if (currentPassword == null) throw badInput('currentPassword', 'Your current password is required to change it');
      // Wrong guesses count against the same limit as sign-ins: a borrowed session cannot try passwords forever.
      const limit = LIMITS.passwordFailuresPerAccount(user.email);
      const checked = await inTransaction(this.prisma, async (tx): Promise<Outcome<null>> => {
        const retryAfter = await this.limits.exceeded(tx, [limit], now);
        if (retryAfter !== null) return { ok: false, error: rateLimited(retryAfter) };
        await this.limits.record(tx, [limit], now);
        return { ok: true, value: null };
      });
      if (!checked.ok) throw checked.error;
      if (!(await verifyPassword(currentPassword, user.passwordHash))) {
        throw new AppError('UNAUTHENTICATED', 'Your current password is wrong', 'currentPassword');
      }
      await inTransaction(this.prisma, (tx) => this.limits.clear(tx, limit));
    }
    const passwordHash = await hashPassword(newPassword);
    await this.prisma.user.update({ where: { id: user.id }, data: { passwordHash } });
    return true;
  }

  /** Trades a refresh token for a new pair. A used one revokes its whole family (it was stolen, or replayed). */
  async refreshSession(refreshToken: string): Promise<AuthPayload> {
    const now = this.deps.now();
    const tokenHash = hashRefreshToken(refreshToken.trim());
    const outcome = await inTransaction(this.prisma, async (tx): Promise<Outcome<AuthPayload>> => {
      const failed = { ok: false as const, error: unauthenticated(REFRESH_FAILED) };
      const rows = await tx.$queryRaw<{ id: string; family_id: string; user_id: string; expires_at: Date; used_at: Date | null; revoked_at: Date | null }[]>`
        SELECT id, family_id, user_id, expires_at, used_at, revoked_at FROM refresh_tokens WHERE token_hash = ${tokenHash} FOR UPDATE`;
      const row = rows[0];
      if (!row || row.revoked_at) return failed;
      if (row.used_at) {
        await tx.refreshToken.updateMany({ where: { familyId: row.family_id, revokedAt: null }, data: { revokedAt: now } });
        this.deps.log.warn({ userId: row.user_id, familyId: row.family_id }, 'a used refresh token was presented again; its family is revoked');
        return failed;
      }
      if (row.expires_at.getTime() <= now.getTime()) return failed;
      await tx.refreshToken.update({ where: { id: row.id }, data: { usedAt: now } });
      const user = await tx.user.findUnique({ where: { id: row.user_id } });
      if (!user) return failed;
      return { ok: true, value: await this.issue(tx, user, row.family_id, now) };
    });
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** Ends the session the refresh token belongs to (its family). Someone else's token, or none: nothing happens. */
  async signOut(actor: Actor, refreshToken: string): Promise<boolean> {
    const now = this.deps.now();
    const row = await this.prisma.refreshToken.findUnique({ where: { tokenHash: hashRefreshToken(refreshToken.trim()) }, select: { familyId: true, userId: true } });
    if (row && row.userId === actor.id) {
      await this.prisma.refreshToken.updateMany({ where: { familyId: row.familyId, revokedAt: null }, data: { revokedAt: now } });
    }
    return true;
  }

  /** Every refresh token, and every access token issued before now; open websockets on every instance close. */
  async signOutEverywhere(actor: Actor): Promise<boolean> {
    const now = this.deps.now();
    await inTransaction(this.prisma, async (tx) => {
      await tx.user.update({ where: { id: actor.id }, data: { tokensValidAfter: now } });
      await tx.refreshToken.updateMany({ where: { userId: actor.id, revokedAt: null }, data: { revokedAt: now } });
    });
    this.deps.events.signedOutEverywhere(actor.id);
    return true;
  }

  private async sweep(tx: Tx, now: Date): Promise<void> {
    await tx.signInCode.deleteMany({ where: { expiresAt: { lt: now } } });
    // An expired refresh token is refused anyway; a day's grace keeps reuse detection for late replays.
    await tx.refreshToken.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 86_400_000) } } });
  }

  private async issue(tx: Tx, user: User, familyId: string, now: Date): Promise<AuthPayload> {
    const refreshToken = newRefreshToken();
    await tx.refreshToken.create({
      data: { userId: user.id, familyId, tokenHash: hashRefreshToken(refreshToken), expiresAt: new Date(now.getTime() + this.deps.config.refreshTokenTtlMs), createdAt: now },
    });
    const access = await this.tokens.signAccess(user.id);
    return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken, user };
  }
}

/** Trimmed and lower-cased, as users.email is stored; BAD_USER_INPUT naming `field` otherwise. */
export function normalEmail(raw: string, field: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !isEmail(email)) throw badInput(field, 'must be a valid email address');
  return email;
}

function checkPasswordSize(password: string, field: string, min: number): void {
  if (password.length < min || password.length > PASSWORD_MAX_LENGTH) {
    throw badInput(field, min > 1 ? `must be ${min} to ${PASSWORD_MAX_LENGTH} characters` : `must be 1 to ${PASSWORD_MAX_LENGTH} characters`);
  }
}
