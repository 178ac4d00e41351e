import { startTestServer, type TestServer, type TestUser } from '../support/server';

/** What a production deployment shows a client, and what it keeps to itself. */
let server: TestServer;
let owner: TestUser;

beforeAll(async () => {
  server = await startTestServer({ env: { NODE_ENV: 'production', LOG_LEVEL: 'silent' } });
  owner = await server.user('OWNER');
});
afterAll(() => server.stop());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('in production', () => {
  it('turns introspection off', async () => {
    const response = await post({ query: '{ __schema { types { name } } }' });
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toMatch(/introspection/i);
  });

  it('masks unexpected errors: no message, SQL or stack trace reaches the client', async () => {
    await server.db.query(`
      CREATE FUNCTION explode() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'secret internal detail from the database'; END $$;
      CREATE TRIGGER rooms_explode BEFORE INSERT ON rooms FOR EACH ROW EXECUTE FUNCTION explode();`);
    try {
      const response = await post({ query: 'mutation { createRoom(name: "Boom") { id } }' });
      const text = await response.text();
      expect(JSON.parse(text).errors[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(text).not.toMatch(/secret|explode|INSERT|rooms|stacktrace|at \w+ \(/i);
    } finally {
      await server.db.query('DROP TRIGGER rooms_explode ON rooms; DROP FUNCTION explode();');
    }
  });
});

describe('HTTP transport', () => {
  it('refuses request bodies over 100 kB', async () => {
    const response = await post({ query: `{ me { id } }`, variables: { padding: 'x'.repeat(110 * 1024) } });
    expect(response.status).toBe(413);
  });

  it('answers queries over GET, with CSRF prevention kept', async () => {
    const url = `${server.url}?query=${encodeURIComponent('{ me { role } }')}`;
    const blocked = await fetch(url, { headers: { authorization: `Bearer ${owner.token}` } });
    expect(blocked.status).toBe(400);
    const allowed = await fetch(url, { headers: { authorization: `Bearer ${owner.token}`, 'apollo-require-preflight': 'true' } });
    expect(await allowed.json()).toEqual({ data: { me: { role: 'OWNER' } } });
  });

  it('refuses mutations over GET', async () => {
    const url = `${server.url}?query=${encodeURIComponent('mutation { createRoom(name: "Via GET") { id } }')}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${owner.token}`, 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(405);
    expect(await server.db.query("SELECT 1 FROM rooms WHERE name = 'Via GET'")).toEqual([]);
  });
});
