import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets the server must show or use again later (calendar feed URLs, webhook signing
 * secrets) are stored sealed: AES-256-GCM under a key derived from the server's secret
 * (JWT_SECRET), so a copy of the database alone reveals none of them. Feeds are looked up
 * by the secret's SHA-256 (`digest`), never by decrypting.
 *
 * Changing JWT_SECRET makes sealed values unreadable: `open` answers null, and callers
 * issue new secrets (see README, "Calendar feeds").
 */
export class Sealer {
  private readonly key: Buffer;

  constructor(serverSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', serverSecret, 'booking-server', 'sealed secrets v1', 32));
  }

  seal(plain: Buffer): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** The plain bytes, or null when `sealed` was not sealed with this key (or was altered). */
  open(sealed: Uint8Array): Buffer | null {
    const bytes = Buffer.from(sealed);
    if (bytes.length < 28) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
    } catch {
      return null;
    }
  }
}

/** SHA-256: how random secrets are stored for lookup (they carry 256 bits; no slow hash needed). */
export function digest(secret: string | Buffer): Buffer {
  return createHash('sha256').update(secret).digest();
}
