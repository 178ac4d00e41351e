import { createTestDatabase, type TestDatabase } from '../support/database';
import { openSocket } from '../support/live';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Sign-in rules that must hold across instances (two servers on one database) and on
 * open websockets: attempt limits live in PostgreSQL; signing out everywhere on one
 * instance closes sockets on the other; a socket's token is checked for every
 * operation and the socket closes (4401) when the token expires.
 */

let db: TestDatabase;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  // Behind a proxy we trust: X-Forwarded-For names the client.
  a = await startTestServer({ db, env: { TRUST_PROXY: 'true', ACCESS_TOKEN_TTL: '3s' } });
  b = await startTestServer({ db, env: { TRUST_PROXY: 'true', ACCESS_TOKEN_TTL: '3s' } });
});
afterAll(async () => {
  await a.stop();
  await b.stop();
  await db.drop();
});

async function call(target: TestServer, query: string, variables: Record<string, unknown> = {}, options: { token?: string; clientIp?: string } = {}) {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.clientIp ? { 'x-forwarded-for': options.clientIp } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), ...((await response.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: Record<string, unknown> }[] }) };
}

const REQUEST_CODE = 'mutation ($email: String!) { requestSignInCode(email: $email) }';
const codeOf = (answer: { errors?: { extensions?: Record<string, unknown> }[] }) => answer.errors?.[0]?.extensions?.code ?? 'OK';

async function signedIn(target: TestServer): Promise<{ id: string; accessToken: string }> {
  const user = await target.user('MEMBER');
  // Operator tokens live 30 days; a person's access token ACCESS_TOKEN_TTL: sign in for real.
  await call(target, 'mutation ($p: String!) { setPassword(newPassword: $p) }', { p: 'a long enough password' }, { token: user.token });
  const answer = await call(target, 'mutation ($e: String!, $p: String!) { signInWithPassword(email: $e, password: $p) { accessToken } }', { e: user.email, p: 'a long enough password' });
  return { id: user.id, accessToken: (answer.data!.signInWithPassword as { accessToken: string }).accessToken };
}

describe('attempt limits are shared by every instance', () => {
  it('5 code requests per address an hour, counted on both instances together', async () => {
    const email = `limited.${Date.now()}@example.test`;
    for (let i = 0; i < 5; i++) {
      expect(codeOf(await call(i % 2 ? a : b, REQUEST_CODE, { email }, { clientIp: `192.0.2.${i + 1}` }))).toBe('OK');
    }
    for (const target of [a, b]) {
      const limited = await call(target, REQUEST_CODE, { email }, { clientIp: '192.0.2.99' });
      expect(codeOf(limited)).toBe('RATE_LIMITED');
      expect(limited.errors![0].extensions!.retryAfterSeconds).toEqual(expect.any(Number));
      expect(limited.retryAfter).toBe(String(limited.errors![0].extensions!.retryAfterSeconds));
    }
  });

  it('30 code requests per client an hour, whatever the addresses, on both instances together', async () => {
    const clientIp = '203.0.113.7';
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => call(i % 2 ? a : b, REQUEST_CODE, { email: `ip.${i}.${Date.now()}@example.test` }, { clientIp })));
    expect(answers.map(codeOf)).toEqual(Array(30).fill('OK'));
    const limited = await call(a, REQUEST_CODE, { email: `ip.last.${Date.now()}@example.test` }, { clientIp });
    expect(codeOf(limited)).toBe('RATE_LIMITED');
    expect(limited.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(3_500);
    // Another client is not held back.
    expect(codeOf(await call(b, REQUEST_CODE, { email: `ip.other.${Date.now()}@example.test` }, { clientIp: '203.0.113.8' }))).toBe('OK');
  });

  it('without TRUST_PROXY, X-Forwarded-For is not believed: spoofing it gives no fresh allowance', async () => {
    const direct = await startTestServer({ db });
    try {
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => call(direct, REQUEST_CODE, { email: `spoof.${i}.${Date.now()}@example.test` }, { clientIp: `198.18.0.${i + 1}` })),
      );
      expect(answers.map(codeOf)).toEqual(Array(30).fill('OK'));
      expect(codeOf(await call(direct, REQUEST_CODE, { email: `spoof.last.${Date.now()}@example.test` }, { clientIp: '198.18.1.1' }))).toBe('RATE_LIMITED');
    } finally {
      await direct.stop();
    }
  });
});

describe('open websockets', () => {
  it('close on every instance when their person signs out everywhere', async () => {
    const person = await signedIn(a);
    const onB = openSocket(b, person.accessToken);
    const onA = openSocket(a, person.accessToken);
    await Promise.all([onA.connected, onB.connected]);
    expect(codeOf(await call(a, 'mutation { signOutEverywhere }', {}, { token: person.accessToken }))).toBe('OK');
    expect((await onB.closed).code).toBe(4401);
    expect((await onA.closed).code).toBe(4401);
  });

  it('check the token for every operation: revoked since connect is UNAUTHENTICATED', async () => {
    const person = await signedIn(a);
    const socket = openSocket(a, person.accessToken);
    await socket.connected;
    expect(await socket.run('{ me { id } }')).toEqual({ data: { me: { id: person.id } } });
    // Revoked behind the server's back (no event reaches the socket): the next operation still finds out.
    await db.query('UPDATE users SET tokens_valid_after = now() + interval \'1 second\' WHERE id = $1', [person.id]);
    const refused = await socket.run('{ me { id } }');
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await socket.closed).code).toBe(4401);
  });

  it('close with 4401 when their token expires (ACCESS_TOKEN_TTL 3s here)', async () => {
    const person = await signedIn(b);
    const socket = openSocket(b, person.accessToken);
    await socket.connected;
    const opened = Date.now();
    expect(await socket.run('{ me { id } }')).toEqual({ data: { me: { id: person.id } } });
    const closed = await socket.closed;
    expect(closed.code).toBe(4401);
    expect(Date.now() - opened).toBeLessThan(5_000);
    // HTTP agrees.
    expect((await call(b, '{ me { id } }', {}, { token: person.accessToken })).status).toBe(401);
  });
});
