import { readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { browserBuildDir } from '../../src/http/browser/assets';
import { buildBrowserCode } from '../support/browser';
import { startTestServer, type TestServer } from '../support/server';

/** The pages and their files over plain HTTP: who gets the IDE, what the pages may load, which files are served. */
let dev: TestServer;
let production: TestServer;
let productionWithIde: TestServer;
const browserAccept = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

beforeAll(async () => {
  await buildBrowserCode();
  dev = await startTestServer({ env: { STUDIO_TIMEZONE: 'Europe/Berlin' } });
  production = await startTestServer({ env: { NODE_ENV: 'production', LOG_LEVEL: 'silent' } });
  productionWithIde = await startTestServer({ env: { NODE_ENV: 'production', LOG_LEVEL: 'silent', GRAPHQL_IDE: 'true' } });
});
afterAll(async () => {
  await dev.stop();
  await production.stop();
  await productionWithIde.stop();
});

const origin = (server: TestServer) => new URL(server.url).origin;

describe('GraphiQL at GET /graphql', () => {
  it('is served to browsers, from local files only, under a policy that allows nothing but this server', async () => {
    const response = await fetch(dev.url, { headers: browserAccept });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('/assets/vendor/graphiql.min.js');
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/); // no CDN, no fonts from elsewhere
    const csp = response.headers.get('content-security-policy')!;
    const host = new URL(dev.url).host;
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      `connect-src 'self' ws://${host} wss://${host}`,
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ]);
  });

  it("replaces Apollo's CDN landing page: GraphQL clients on the same URL get GraphQL", async () => {
    const json = await fetch(`${dev.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { ...browserAccept, 'apollo-require-preflight': 'true' } });
    expect(await json.json()).toEqual({ data: { __typename: 'Query' } });
    const api = await fetch(dev.url, { headers: { accept: 'application/json' } });
    expect(api.headers.get('content-type')).not.toMatch(/html/);
  });

  it('is off in production: no IDE, and no Apollo landing page either', async () => {
    const response = await fetch(production.url, { headers: browserAccept });
    expect(response.headers.get('content-type')).not.toMatch(/html/);
    expect(await response.text()).not.toMatch(/graphiql|apollo-server-landing-page|embeddable-sandbox/i);
  });

  it('is on in production with GRAPHQL_IDE=true', async () => {
    const response = await fetch(productionWithIde.url, { headers: browserAccept });
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('graphiql');
  });
});

describe('the files the pages load', () => {
  it.each(['/assets/vendor/graphiql.min.js', '/assets/vendor/graphiql.min.css', '/assets/vendor/react.production.min.js', '/assets/vendor/react-dom.production.min.js', '/assets/vendor/graphql-ws.min.js', '/assets/app/graphiql/ide.js', '/assets/app/dashboard/main.js', '/assets/app/dashboard/board.css', '/assets/app/app/main.js', '/assets/app/app/app.css'])(
    '%s is served',
    async (path) => {
      const response = await fetch(`${origin(dev)}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(path.endsWith('.css') ? /text\/css/ : /javascript/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    },
  );

  it.each(['/assets/app/dashboard/main.ts', '/assets/app/tsconfig.json', '/assets/app/dashboard/main.d.ts', '/assets/app/.tsbuildinfo', '/assets/app/../package.json', '/assets/app/%2e%2e/package.json', '/assets/vendor/package.json', '/assets/app/dashboard/index.html', '/assets/app/app/main.tsx', '/assets/app/app/main.js.map', '/assets/app/app/main.js.LEGAL.txt', '/assets/app/app/operations/sessions.graphql'])(
    '%s is not',
    async (path) => {
      const response = await fetch(`${origin(dev)}${path}`);
      expect(response.status).toBe(404);
    },
  );
});

describe('GET /dashboard', () => {
  it("loads under 100 kB of JavaScript, gzipped (its own modules and graphql-ws's client)", async () => {
    const html = await (await fetch(`${origin(dev)}/dashboard`)).text();
    const scripts = [...html.matchAll(/<script[^>]* src="([^"]+)"/g)].map((match) => match[1]);
    expect(scripts).toEqual(['/assets/vendor/graphql-ws.min.js', '/assets/app/dashboard/main.js']);
    // main.js imports the rest: every module the build wrote for the board counts.
    const modules = readdirSync(path.join(browserBuildDir(), 'dashboard')).filter((file) => file.endsWith('.js')).map((file) => `/assets/app/dashboard/${file}`);
    expect(modules).toContain('/assets/app/dashboard/main.js');
    let gzipped = 0;
    for (const file of [scripts[0], ...modules]) {
      const response = await fetch(`${origin(dev)}${file}`);
      expect(response.status).toBe(200);
      gzipped += gzipSync(Buffer.from(await response.arrayBuffer()), { level: 9 }).length;
    }
    expect(gzipped).toBeLessThan(100 * 1024);
  });

  it("is the board's page for a day of the studio's timezone, with the same policy", async () => {
    const response = await fetch(`${origin(dev)}/dashboard?date=2026-03-29`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self'/);
    const html = await response.text();
    // Berlin switches to summer time that night: the day is 23 hours long.
    expect(html).toContain('<meta name="board-from" content="2026-03-28T23:00:00.000Z">');
    expect(html).toContain('<meta name="board-to" content="2026-03-29T22:00:00.000Z">');
    expect(html).toContain('<meta name="studio-timezone" content="Europe/Berlin">');
    expect(html).toContain('href="/dashboard?date=2026-03-28"');
    expect(html).toContain('href="/dashboard?date=2026-03-30"');
  });

  it('is served in production too', async () => {
    expect((await fetch(`${origin(production)}/dashboard`)).status).toBe(200);
  });

  it.each(['2026-02-30', '29.03.2026', '<script>', '2026-3-1'])('answers 400 to the date %s', async (date) => {
    const response = await fetch(`${origin(dev)}/dashboard?date=${encodeURIComponent(date)}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/YYYY-MM-DD/);
  });
});

describe('GET /app', () => {
  it('is one page loading one bundled script and one stylesheet of this server, under the same policy', async () => {
    for (const url of ['/app', '/app/']) {
      const response = await fetch(`${origin(dev)}${url}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self'/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const html = await response.text();
      expect([...html.matchAll(/<script[^>]* src="([^"]+)"/g)].map((match) => match[1])).toEqual(['/assets/app/app/main.js']);
      expect([...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((match) => match[1])).toEqual(['/assets/app/app/app.css']);
      expect(html).not.toMatch(/https?:\/\//);
    }
  });

  it('is served in production too', async () => {
    expect((await fetch(`${origin(production)}/app`)).status).toBe(200);
  });
});
