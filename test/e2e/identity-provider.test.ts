import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { startTestServer, type TestServer, type TestUser } from '../support/server';

/**
 * An identity provider the studio already has (AUTH_JWKS_URL, AUTH_ISSUER,
 * AUTH_AUDIENCE): its RS256/ES256 tokens are bearer tokens here, matched to people by
 * their verified email. The provider's key set is served by this test, which rotates it.
 */

const ISSUER = 'https://id.studio.example/';
const AUDIENCE = 'booking-api';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
type Key = { kid: string; alg: 'RS256' | 'ES256'; privateKey: PrivateKey; publicJwk: JWK };

async function newKey(kid: string, alg: 'RS256' | 'ES256'): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

let published: Key[] = [];
let fetches = 0;
let jwks: http.Server;
let server: TestServer;
let member: TestUser;
let rsa: Key;
let ec: Key;

beforeAll(async () => {
  rsa = await newKey('rsa-1', 'RS256');
  ec = await newKey('ec-2', 'ES256');
  published = [rsa];
  jwks = http.createServer((_req, res) => {
    fetches += 1;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const { port } = jwks.address() as AddressInfo;
  server = await startTestServer({
    env: { AUTH_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE },
    jwksCooldownMs: 200,
  });
  member = await server.user('MEMBER');
});
afterAll(async () => {
  await server.stop();
  await new Promise((resolve) => jwks.close(resolve));
});

function token(key: Key, claims: Record<string, unknown> = {}, options: { issuer?: string; audience?: string; expiresIn?: string | number } = {}) {
  return new SignJWT({ email: member.email, email_verified: true, ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setSubject('provider-user-1')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(key.privateKey);
}

async function me(bearer: string) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query: '{ me { id email } }' }),
  });
  const body = (await response.json()) as { data?: { me: { id: string } }; errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, id: body.data?.me.id, code: body.errors?.[0]?.extensions?.code };
}

it("accepts the provider's token for the person with that verified email, fetching its keys once", async () => {
  expect(await me(await token(rsa))).toEqual({ status: 200, id: member.id, code: undefined });
  // Emails are matched the way they are stored: trimmed, any case.
  expect(await me(await token(rsa, { email: member.email.toUpperCase() }))).toMatchObject({ id: member.id });
  expect(fetches).toBe(1);
});

it('follows a key rotation: a new key id fetches the set again; the retired key stops working', async () => {
  published = [ec];
  await new Promise((resolve) => setTimeout(resolve, 250)); // past the refetch cooldown
  expect(await me(await token(ec))).toEqual({ status: 200, id: member.id, code: undefined });
  expect(fetches).toBe(2);
  await new Promise((resolve) => setTimeout(resolve, 250));
  expect(await me(await token(rsa))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
});

it.each([
  ['another issuer', () => token(ec, {}, { issuer: 'https://evil.example/' })],
  ['another audience', () => token(ec, {}, { audience: 'someone-else' })],
  ['an expired token', () => token(ec, {}, { expiresIn: Math.floor(Date.now() / 1000) - 60 })],
  ['an unverified email', () => token(ec, { email_verified: false })],
  ['no email', () => token(ec, { email: undefined })],
  ['an email nobody here has', () => token(ec, { email: 'stranger@example.test' })],
  ['a key the provider never published', async () => token(await newKey('ec-2', 'ES256'))],
  [
    'HS256 signed with the public key (algorithm confusion)',
    () => new SignJWT({ email: member.email }).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').sign(new TextEncoder().encode(JSON.stringify(ec.publicJwk))),
  ],
  ['alg none', async () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ email: member.email, iss: ISSUER, aud: AUDIENCE })).toString('base64url')}.`],
])('refuses %s (UNAUTHENTICATED)', async (_case, make) => {
  expect(await me(await make())).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
});

it('is refused after the person signs out everywhere (tokens issued before it)', async () => {
  const before = await token(ec);
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${before}` },
    body: JSON.stringify({ query: 'mutation { signOutEverywhere }' }),
  });
  expect(((await response.json()) as { data: unknown }).data).toEqual({ signOutEverywhere: true });
  expect(await me(before)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  // iat has whole seconds here: a token issued in a later second is fine again.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  expect(await me(await token(ec))).toMatchObject({ status: 200, id: member.id });
});
