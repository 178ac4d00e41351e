import WebSocket from 'ws';
import { startTestServer, type TestServer, type TestUser } from '../support/server';

/**
 * Browsers on other origins: CORS for /graphql from CORS_ORIGINS only (credentials
 * never), websocket upgrades checked against the same list, Apollo's CSRF
 * prevention kept. Plain HTTP and ws, as a browser would send them.
 */
const APP = 'https://app.studio.example';
let open: TestServer; // CORS_ORIGINS set
let closed: TestServer; // CORS_ORIGINS unset: same origin only
let owner: TestUser;

beforeAll(async () => {
  open = await startTestServer({ env: { CORS_ORIGINS: `${APP}, http://localhost:5173` } });
  closed = await startTestServer();
  owner = await open.user('OWNER');
});
afterAll(async () => {
  await open.stop();
  await closed.stop();
});

const preflight = (server: TestServer, origin: string) =>
  fetch(server.url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
  });

const post = (server: TestServer, origin: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(server.url, { method: 'POST', headers: { origin, ...headers }, body: JSON.stringify({ query: '{ __typename }' }) });

/** Opens a websocket the way a page on `origin` would (undefined: a non-browser client); resolves with the outcome. */
function upgrade(server: TestServer, origin: string | undefined): Promise<{ opened: boolean; status?: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws', origin ? { origin } : {});
    socket.on('open', () => {
      socket.close();
      resolve({ opened: true });
    });
    socket.on('unexpected-response', (_request, response) => resolve({ opened: false, status: response.statusCode }));
    socket.on('error', () => resolve({ opened: false }));
  });
}

describe('CORS for /graphql', () => {
  it('answers a preflight from a listed origin: that origin, the methods and headers a client sends, no credentials', async () => {
    const response = await preflight(open, APP);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/content-type.*authorization/);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it('lets a listed origin read the answer (and the request id)', async () => {
    const response = await post(open, 'http://localhost:5173');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
  });

  it.each([
    ['an origin not on the list', 'https://evil.example'],
    ['a listed host on another scheme', 'http://app.studio.example'],
    ['a listed host on another port', 'https://app.studio.example:8443'],
    ['a sandboxed page', 'null'],
  ])('gives %s no CORS headers at all', async (_case, origin) => {
    for (const response of [await preflight(open, origin), await post(open, origin)]) {
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-methods')).toBeNull();
    }
  });

  it('gives no origin CORS headers when CORS_ORIGINS is unset (same-origin pages need none)', async () => {
    const response = await preflight(closed, APP);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect((await post(closed, APP)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it("keeps Apollo's CSRF prevention: a simple (unpreflighted) request is refused even from a listed origin", async () => {
    const response = await fetch(open.url, { method: 'POST', headers: { origin: APP, 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
    const get = await fetch(`${open.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { origin: APP } });
    expect(get.status).toBe(400);
  });
});

describe('websocket upgrades on /graphql', () => {
  it('accept a listed origin and clients that send no Origin (apps, scripts, servers)', async () => {
    expect(await upgrade(open, APP)).toEqual({ opened: true });
    expect(await upgrade(open, undefined)).toEqual({ opened: true });
    expect(await upgrade(closed, undefined)).toEqual({ opened: true });
  });

  it("accept the server's own pages (same origin) with or without CORS_ORIGINS", async () => {
    for (const server of [open, closed]) expect(await upgrade(server, new URL(server.url).origin)).toEqual({ opened: true });
  });

  it.each([
    ['an origin not on the list', 'https://evil.example'],
    ['a listed host on another scheme', 'http://app.studio.example'],
    ['a sandboxed page', 'null'],
    ['garbage', 'not a url'],
  ])('refuse %s with 403 before any GraphQL', async (_case, origin) => {
    expect(await upgrade(open, origin)).toEqual({ opened: false, status: 403 });
  });

  it('refuse every foreign origin when CORS_ORIGINS is unset', async () => {
    expect(await upgrade(closed, APP)).toEqual({ opened: false, status: 403 });
    expect(await upgrade(closed, 'http://localhost:4000')).toEqual({ opened: false, status: 403 });
  });
});

describe('a subscription sent over HTTP', () => {
  it('is refused, naming where subscriptions run', async () => {
    const response = await fetch(open.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ query: 'subscription { sessionChanged { kind } }' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(body.errors[0].message).toMatch(/graphql-ws/);
  });
});
