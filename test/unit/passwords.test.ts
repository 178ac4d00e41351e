import { hashPassword, verifyPassword } from '../../src/auth/passwords';

/** Password hashes: scrypt from node:crypto, parameters stored with each hash. */
describe('passwords', () => {
  it('verify the password they were made from and nothing else', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$3\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salt every hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('verify hashes made with other parameters (they are read from the hash, so they can be raised later)', async () => {
    const { scryptSync, randomBytes } = await import('node:crypto');
    const salt = randomBytes(16);
    const key = scryptSync('older password', salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const older = ['scrypt', 2 ** 14, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
    expect(await verifyPassword('older password', older)).toBe(true);
    expect(await verifyPassword('other password', older)).toBe(false);
  });

  it('refuse, after running the KDF all the same, when there is no hash or a malformed one', async () => {
    expect(await verifyPassword('anything at all', null)).toBe(false);
    expect(await verifyPassword('anything at all', 'plain text')).toBe(false);
    expect(await verifyPassword('anything at all', 'scrypt$1$2$3$x$y')).toBe(false);
  });
});
