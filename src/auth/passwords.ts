import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { whileWaiting } from '../runtime/concurrency-limit';

/**
 * Passwords: scrypt from node:crypto. Its async form runs on libuv's thread pool, so
 * a sign-in never blocks the event loop. Parameters: OWASP's scrypt equivalent of
 * N=2^17/r=8/p=1 at a quarter of the memory (N=2^15, r=8, p=3: 32 MiB per run). The
 * parameters are stored with each hash, so they can be raised later.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

const PARAMS = { N: 2 ** 15, r: 8, p: 3 };
const KEY_LENGTH = 32;

/**
 * KDF runs at once: libuv's pool has 4 threads (UV_THREADPOOL_SIZE) shared with DNS
 * lookups (SMTP) and file access; a burst of sign-ins keeps half of them free. Waiting
 * requests give up their turn meanwhile (whileWaiting), so they hold back nobody else.
 */
const KDF_AT_ONCE = Math.max(1, Math.floor(Number(process.env.UV_THREADPOOL_SIZE ?? 4) / 2));
let running = 0;
const queued: (() => void)[] = [];

async function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return whileWaiting(async () => {
    if (running >= KDF_AT_ONCE) await new Promise<void>((resolve) => queued.push(resolve));
    else running += 1;
    try {
      const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 16 * 1024 * 1024 };
      return await new Promise<Buffer>((resolve, reject) => {
        scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
      });
    } finally {
      const next = queued.shift();
      if (next) next(); // hands its place on directly
      else running -= 1;
    }
  });
}

/** "scrypt$N$r$p$salt$hash" (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Whether `password` matches `stored`. With no stored hash (unknown email, no password
 * set) the KDF still runs, against a dummy hash, so the answer takes the same time.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parsed = parse(stored) ?? parse(DUMMY_HASH)!;
  const key = await derive(password, parsed.salt, parsed);
  return stored !== null && parse(stored) !== null && timingSafeEqual(key, parsed.hash);
}

function parse(stored: string | null): { N: number; r: number; p: number; salt: Buffer; hash: Buffer } | null {
  if (!stored) return null;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const hash = Buffer.from(parts[5], 'base64url');
  if (![N, r, p].every(Number.isSafeInteger) || hash.length !== KEY_LENGTH) return null;
  return { N, r, p, salt: Buffer.from(parts[4], 'base64url'), hash };
}

/** Same parameters as real hashes, so it costs what they cost. Matches no password anyone knows. */
const DUMMY_HASH = ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, randomBytes(16).toString('base64url'), randomBytes(KEY_LENGTH).toString('base64url')].join('$');
